/** Test helpers: backend, circuits, and an independent Jacobi eigenvalue routine. */
import { erdosRenyi, type Circuit } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { outputLoss, freeState, openStateSolver, sampleBatch } from '@ohmlab/learners';

export const backend = createCpuBackend();

/** A small random connected circuit: 12 nodes, 3 inputs, 2 outputs. */
export function smallCircuit(seed = 3, outputs = 2): Circuit {
  return erdosRenyi({ nodes: 12, meanDegree: 4, inputs: 3, outputs, seed });
}

/** Loss L at conductances k, computed through the learners' states (independent of analysis). */
export async function lossAt(circuit: Circuit, k: Float64Array): Promise<{ loss: number; outputs: Float64Array }> {
  const solver = openStateSolver(backend, circuit, { conductances: k });
  const f = await freeState(solver, sampleBatch(circuit));
  solver.dispose();
  return { loss: outputLoss(f), outputs: f.outputs };
}

/** Eigenvalues of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations, descending. */
export function jacobiEigenvalues(a: Float64Array, n: number): number[] {
  const A = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => A[i * n + i]!).sort((x, y) => y - x);
}
