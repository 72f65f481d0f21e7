import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { claimThat } from '../claims.js';
import { movableErdosRenyi, voltageDivider } from '../circuits.js';
import { createRng, type Rng } from '../rng.js';
import { linePlot, type Series } from '../svg/line-plot.js';
import { freeOutputs } from '../training/at-point.js';
import { flow } from '../training/flow.js';
import { last } from '../training/trajectory.js';
import type { Claim, Experiment, OutOfScope } from '../types.js';
import { runProgress } from './common.js';

interface Config {
  readonly circuits: number;
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly duration: number;
  readonly record: number;
}

/**
 * One input (1 V), ground and one output, connected and with positive conductances, whose output
 * hangs from the source alone: the divider source - hidden - ground plus an edge source - output.
 */
export function outputOnSourceOnly(target: number): Circuit {
  const d = voltageDivider(1, 1, 1, target);
  return {
    ...d,
    nodeCount: 4,
    edgeFrom: Uint32Array.of(...d.edgeFrom, d.inputNodes[0] as number),
    edgeTo: Uint32Array.of(...d.edgeTo, 3),
    conductances: Float64Array.of(...d.conductances, 1),
    outputNodes: Uint32Array.of(3),
  };
}

/** Largest |y - V| over `count` random conductance vectors: 0 means the output is pinned at V. */
async function pinnedAtSource(backend: SolverBackend, c: Circuit, rng: Rng, count: number): Promise<number> {
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const k = Float64Array.from(c.conductances, () => 0.1 + 10 * rng.uniform());
    worst = Math.max(worst, Math.abs(((await freeOutputs(backend, { ...c, conductances: k }))[0] as number) - (c.inputValues[0] as number)));
  }
  return worst;
}

/** Paper 2, Theorem 4.1: single input, single output: converge to y = t or a conductance dies. */
export const sisoConvergence: Experiment<Config> = {
  id: 'siso-convergence',
  title: 'Single-input single-output convergence',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 4.1',
  description:
    'Random connected circuits with one input (1 V), ground and one output, target uniform in (0.1, 0.9). Theorem 4.1: for EP and CL either the loss goes to zero or some conductance tends to zero. The theorem assumes the target is feasible ("0 < t < V, so the desired output is clearly feasible"); random instances whose output sees only one of the two input voltages (y is then that voltage for every k) fall outside it and are redrawn; one such circuit is shown as out of scope.',
  version: 3,
  quick: { circuits: 3, nodes: 7, edgeProbability: 0.5, duration: 600, record: 301 },
  full: { circuits: 10, nodes: 12, edgeProbability: 0.35, duration: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const rng = createRng(ctx.seed);
    const claims: Claim[] = [];
    const series: Series[] = [];
    const total = 2 * cfg.circuits + 1;
    let step = 0;
    let redrawn = 0;
    for (let n = 1; n <= cfg.circuits; n++) {
      const draw = movableErdosRenyi(cfg.nodes, cfg.edgeProbability, 2, 1, rng);
      const base = draw.circuit;
      redrawn += draw.redrawn;
      const circuit = { ...base, targets: Float64Array.of(0.1 + 0.8 * rng.uniform()) };
      for (const rule of ['ep', 'cl'] as const) {
        const name = rule.toUpperCase();
        const traj = await flow(ctx.backend, circuit, { rule, nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, step++, total, `circuit ${n}, ${name}`) });
        const ratio = last(traj.loss) / (traj.loss[0] as number);
        const kMin = Math.min(...traj.finalConductances) / Math.sqrt(traj.mass[0] as number);
        const died = traj.removals.length > 0 || kMin < 1e-6;
        claims.push(claimThat(`circuit ${n}, ${name}: L(T)/L(0) < 1e-8 or a conductance tends to 0 (measured L(T)/L(0))`, ratio, ratio < 1e-8 || died, died ? '(an edge died)' : '< 1e-8'));
        series.push({ label: `#${n} ${name}`, x: traj.t, y: traj.loss, ...(rule === 'cl' ? { dash: '5 3' } : {}) });
      }
    }
    ctx.progress(step, total, 'out of scope: output on the source alone');
    const hanging = outputOnSourceOnly(0.5);
    const pinned = await pinnedAtSource(ctx.backend, hanging, rng, 20);
    const stuck = await flow(ctx.backend, hanging, { rule: 'ep', nudge: 'zero' }, { duration: cfg.duration, record: 11 });
    const outOfScope: OutOfScope[] = [
      {
        case: 'output joined to the source alone (divider source-h-ground plus edge source-o), t = 0.5: max |y - V| over 20 random conductance vectors',
        why: 'y = V for every k, so no t in (0, V) is feasible; the theorem assumes the target is feasible, and its proof uses an edge on a path from the output to the ground. EP/CL do nothing there (L(T)/L(0) = ' + (last(stuck.loss) / (stuck.loss[0] as number)).toString() + '): neither alternative of the theorem, but outside its assumptions.',
        measured: pinned,
      },
      { case: 'random instances set aside and redrawn because the output sees only one input voltage (count)', why: 'same reason: the target is not feasible', measured: redrawn },
    ];
    const svg = linePlot({ legendAt: 'outside', title: 'Single input / single output: loss', xLabel: 'time t', yLabel: 'loss L', yLog: true, series });
    return {
      data: { circuits: cfg.circuits, redrawn, hangingPinned: pinned },
      claims,
      figures: [{ name: 'siso-convergence', title: 'Loss of EP (solid) and CL (dashed) on random single-input single-output circuits (Paper 2, Thm 4.1).', svg }],
      figuresOfMerit: { 'random instances redrawn (target infeasible)': redrawn },
      outOfScope,
    };
  },
};
