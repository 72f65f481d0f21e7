import { withSamples, type Circuit, type Sample } from '@ohmlab/graph';
import { computeStates, edgeContrast } from '@ohmlab/learners';
import type { Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import type { BenchmarkReply, BenchmarkRequest, BenchmarkRow, CircuitFamily } from '../worker/benchmark-protocol.js';
import { cpuBackend, describeGpuEvent, webGpuBackend } from './backends.js';
import { buildCircuit } from './circuits.js';

/** After a measurement this slow, larger circuits of the same family are skipped on that backend. */
const skipAfterMs = 20_000;

/**
 * Measures, for each backend and circuit of the plan and each batch size B: a factorization of the
 * inputs-held system with its first batched solve, a batched solve of B right-hand sides (the inputs
 * at B voltage levels) on a ready factorization, and a training step over B samples (@ohmlab/learners `computeStates` for EP with
 * the zero nudge, then `edgeContrast`). Posts one row per (backend, circuit, batch).
 */
export async function runBenchmark(request: BenchmarkRequest, post: (reply: BenchmarkReply) => void): Promise<void> {
  const circuits: Array<{ family: CircuitFamily; circuit: Circuit }> = [
    ...request.plan.erdosRenyiNodes.map((nodes) => ({ family: 'erdos-renyi' as const, circuit: buildCircuit({ kind: 'erdos-renyi', size: nodes, size2: 4, seed: 1 }) })),
    ...request.plan.gridSides.map((side) => ({ family: 'grid' as const, circuit: buildCircuit({ kind: 'grid', size: side, size2: side, seed: 1 }) })),
  ];
  for (const kind of request.backends) {
    let backend: SolverBackend;
    try {
      backend = kind === 'cpu' ? cpuBackend() : await webGpuBackend((event) => post({ type: 'notice', message: describeGpuEvent(event) }));
    } catch (error) {
      post({ type: 'backend', kind, name: 'unavailable', description: error instanceof Error ? error.message : String(error) });
      continue;
    }
    post({ type: 'backend', kind, name: backend.name, description: backend.description });
    const tooSlow = new Set<CircuitFamily>();
    try {
      for (const { family, circuit } of circuits) {
        for (const batch of request.plan.batches) {
          if (tooSlow.has(family)) {
            post({ type: 'notice', message: `${kind}: skipped ${family} with ${circuit.nodeCount} nodes, batch ${batch} (an earlier measurement took over ${skipAfterMs / 1000} s)` });
            continue;
          }
          const started = performance.now();
          post({ type: 'row', row: await measure(backend, kind, family, circuit, batch, request.plan.repetitions) });
          if (performance.now() - started > skipAfterMs) tooSlow.add(family);
        }
      }
    } finally {
      backend.dispose();
    }
  }
}

async function measure(
  backend: SolverBackend,
  kind: 'cpu' | 'webgpu',
  family: CircuitFamily,
  circuit: Circuit,
  batch: number,
  repetitions: number,
): Promise<BenchmarkRow> {
  const trained = withSamples(circuit, samplesFor(circuit, batch));
  const dirichletValues = new Float64Array(batch * circuit.inputNodes.length);
  trained.samples?.forEach((sample, s) => dirichletValues.set(sample.inputs, s * circuit.inputNodes.length));
  const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes };
  const step = async (): Promise<void> => {
    edgeContrast(trained, await computeStates(backend, trained, { rule: 'ep', nudge: 'zero' }));
  };
  let maxResidual = 0;
  const solve = async (factorization: Factorization): Promise<void> => {
    const result = await factorization.solve({ count: batch, dirichletValues });
    maxResidual = Math.max(maxResidual, result.maxResidual);
  };
  // A GPU factorization may still be running when `factor` resolves: time it with its first solve.
  const factorAndSolve = async (): Promise<void> => {
    const factorization = await backend.factor(request);
    try {
      await solve(factorization);
    } finally {
      factorization.dispose();
    }
  };
  // Untimed warm-up: GPU pipelines are compiled and buffers sized on first use.
  await factorAndSolve();
  await step();
  const factorSolveMs = await timed(repetitions, factorAndSolve);
  const factorization = await backend.factor(request);
  let solveMs: number;
  try {
    await solve(factorization);
    solveMs = await timed(repetitions, () => solve(factorization));
  } finally {
    factorization.dispose();
  }
  const stepMs = await timed(repetitions, step);
  return {
    kind,
    backend: backend.name,
    circuit: family,
    nodes: circuit.nodeCount,
    edges: circuit.edgeFrom.length,
    batch,
    method: factorization.method,
    factorSolveMs,
    solveMs,
    solvesPerSecond: (1000 * batch) / solveMs,
    stepMs,
    samplesPerSecond: (1000 * batch) / stepMs,
    maxResidual,
  };
}

/** Timer resolution is coarse in browsers (0.1 ms or worse): calls repeat until this much time has passed. */
const minSampleMs = 40;
const maxCallsPerSample = 2000;

/** Median over `repetitions` samples of the mean wall time (ms) of one call of `run`. */
async function timed(repetitions: number, run: () => Promise<void>): Promise<number> {
  const means: number[] = [];
  for (let r = 0; r < Math.max(1, repetitions); r += 1) {
    const start = performance.now();
    let calls = 0;
    let elapsed: number;
    do {
      await run();
      calls += 1;
      elapsed = performance.now() - start;
    } while (elapsed < minSampleMs && calls < maxCallsPerSample);
    means.push(elapsed / calls);
  }
  return median(means);
}

/** `batch` samples: the circuit's inputs scaled to `batch` levels between 1 and 2 times, its targets. */
function samplesFor(circuit: Circuit, batch: number): Sample[] {
  return Array.from({ length: batch }, (_, s) => ({
    inputs: circuit.inputValues.map((u) => u * (1 + s / batch)),
    targets: circuit.targets.slice(),
  }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
