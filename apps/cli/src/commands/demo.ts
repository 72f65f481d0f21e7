import { erdosRenyi, gaussian, mulberry32, voltageDivider, type Circuit } from '@ohmlab/graph';
import { freeState, openStateSolver, sampleBatch, trainContinuous, type Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { openBackend, type BackendName } from '../backend.js';
import { fmt } from '../format.js';

/**
 * An Erdos-Renyi circuit with a dataset that a circuit of the same wiring can fit: the targets are
 * the free outputs of a "teacher" with other conductances (seeded).
 */
async function demoNetwork(backend: SolverBackend): Promise<Circuit> {
  const student = erdosRenyi({ nodes: 40, meanDegree: 4, inputs: 3, outputs: 2, seed: 7 });
  const teacher = erdosRenyi({ nodes: 40, meanDegree: 4, inputs: 3, outputs: 2, seed: 7, conductanceRange: [0.2, 2] });
  const random = mulberry32(11);
  const inputs = Array.from({ length: 8 }, () => Float64Array.of(1, 0, 0.5 + 0.2 * gaussian(random)));
  const drive = { ...teacher, samples: inputs.map((u) => ({ inputs: u, targets: new Float64Array(2) })) };
  const solver = openStateSolver(backend, drive);
  try {
    const free = await freeState(solver, sampleBatch(drive));
    return { ...student, samples: inputs.map((u, s) => ({ inputs: u, targets: free.outputs.slice(2 * s, 2 * s + 2) })) };
  } finally {
    solver.dispose();
  }
}

/** `ohmlab demo`: trains a voltage divider and an Erdos-Renyi circuit with EP, CL and AL. */
export async function demoCommand(backendName: BackendName): Promise<number> {
  const backend = await openBackend(backendName);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const circuits: [string, Circuit, number][] = [
      ['voltage divider (k = [1, 3], target 0.5)', voltageDivider({ conductances: [1, 3] }), 20],
      ['Erdos-Renyi, 40 nodes, 3 inputs, 2 outputs, 8 samples from a teacher circuit', await demoNetwork(backend), 200],
    ];
    for (const [name, circuit, duration] of circuits) {
      print(`${name}: zero-nudge flow to t = ${duration}`);
      for (const rule of ['ep', 'cl', 'al'] as Rule[]) {
        const result = await trainContinuous(backend, circuit, { rule, nudge: 'zero', duration, record: 11 });
        const h = result.history;
        const loss = rule === 'al' ? h.adjointLoss : h.loss;
        print(
          `  ${rule.toUpperCase()}  ${rule === 'al' ? 'L_AL' : 'L   '} ${fmt(loss[0]!).padStart(11)} -> ${fmt(loss[loss.length - 1]!).padEnd(11)}` +
            `  sum k^2 ${fmt(h.mass[0]!)} -> ${fmt(h.mass[h.mass.length - 1]!)}  (${result.stop.reason}, ${result.events.length} events)`,
        );
      }
    }
    print('EP and CL conserve sum k^2; AL lets it decay at rate 4 L_AL (shared/THEORY.md "Invariants").');
    return 0;
  } finally {
    backend.dispose();
  }
}
