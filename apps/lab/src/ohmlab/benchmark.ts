import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { BenchmarkReply, BenchmarkRequest, BenchmarkRow } from '../worker/benchmark-protocol.js';
import { cpuBackend, webGpuBackend } from './backends.js';
import { buildCircuit } from './circuits.js';
import { timeTrainingStep } from './training-session.js';

/**
 * Measures, for each backend and circuit of the plan: one factorization, the median batched
 * free-state solve (the circuit's inputs held at `batch` different voltage vectors) and the median
 * training step over `batch` samples. Posts one row per (backend, circuit, batch).
 */
export async function runBenchmark(request: BenchmarkRequest, post: (reply: BenchmarkReply) => void): Promise<void> {
  const circuits: Array<{ kind: 'erdos-renyi' | 'grid'; circuit: Circuit }> = [];
  for (const nodes of request.plan.erdosRenyiNodes) {
    circuits.push({ kind: 'erdos-renyi', circuit: buildCircuit({ kind: 'erdos-renyi', size: nodes, size2: 4, seed: 1 }) });
  }
  for (const side of request.plan.gridSides) {
    circuits.push({ kind: 'grid', circuit: buildCircuit({ kind: 'grid', size: side, size2: side, seed: 1 }) });
  }
  for (const name of request.backends) {
    let backend: SolverBackend;
    let fallbackReason = '';
    try {
      backend = name === 'cpu' ? await cpuBackend() : await webGpuBackend();
    } catch (error) {
      fallbackReason = error instanceof Error ? error.message : String(error);
      post({ type: 'backend', name, description: 'unavailable', fallbackReason });
      continue;
    }
    post({ type: 'backend', name: backend.name, description: backend.description, fallbackReason });
    try {
      for (const { kind, circuit } of circuits) {
        for (const batch of request.plan.batches) {
          post({ type: 'row', row: { kind: name, ...(await measure(backend, kind, circuit, batch, request.plan.repetitions)) } });
        }
      }
    } finally {
      backend.dispose();
    }
  }
}

async function measure(
  backend: SolverBackend,
  kind: 'erdos-renyi' | 'grid',
  circuit: Circuit,
  batch: number,
  repetitions: number,
): Promise<Omit<BenchmarkRow, 'kind'>> {
  const inputs = circuit.inputNodes.length;
  const dirichletValues = new Float64Array(batch * inputs);
  for (let r = 0; r < batch; r += 1) {
    for (let i = 0; i < inputs; i += 1) dirichletValues[r * inputs + i] = (circuit.inputValues[i] ?? 0) * (1 + r / batch);
  }
  const factorStart = performance.now();
  const factorization = await backend.factor({
    network: circuit,
    conductances: circuit.conductances,
    dirichletNodes: circuit.inputNodes,
  });
  const factorMs = performance.now() - factorStart;
  const times: number[] = [];
  let maxResidual = 0;
  try {
    for (let k = 0; k < repetitions; k += 1) {
      const start = performance.now();
      const result = await factorization.solve({ count: batch, dirichletValues });
      times.push(performance.now() - start);
      maxResidual = Math.max(maxResidual, result.maxResidual);
    }
  } finally {
    factorization.dispose();
  }
  const solveMs = median(times);
  let stepMs = Number.NaN;
  let note = '';
  try {
    stepMs = await timeTrainingStep(circuit, backend, batch, repetitions);
  } catch (error) {
    note = `training step not measured: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    backend: backend.name,
    circuit: kind,
    nodes: circuit.nodeCount,
    edges: circuit.edgeFrom.length,
    batch,
    method: factorization.method,
    factorMs,
    solveMs,
    solvesPerSecond: solveMs > 0 ? (1000 * batch) / solveMs : Number.POSITIVE_INFINITY,
    stepMs,
    maxResidual,
    note,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
