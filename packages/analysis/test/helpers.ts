/** Test helpers: backend, circuits, and an independent Jacobi eigenvalue routine. */
import { erdosRenyi, type Circuit } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { outputLoss, freeState, openStateSolver, referenceState, sampleBatch } from '@ohmlab/learners';
import { inverse } from '../src/dense.js';
import type { Linearisation } from '../src/linearisation.js';

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

/**
 * Singular values of a dense rows x cols matrix (row-major) by one-sided Jacobi rotations on its
 * columns (Hestenes), descending. Independent of ml-matrix's Golub-Kahan SVD used by the package.
 */
export function jacobiSingularValues(a: ArrayLike<number>, rows: number, cols: number): number[] {
  const U = Float64Array.from(a as ArrayLike<number>);
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = U[i * cols + p]!;
          const y = U[i * cols + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const x = U[i * cols + p]!;
          const y = U[i * cols + q]!;
          U[i * cols + p] = c * x - s * y;
          U[i * cols + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sv: number[] = [];
  for (let p = 0; p < cols; p++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += U[i * cols + p]! ** 2;
    sv.push(Math.sqrt(s));
  }
  return sv.sort((x, y) => y - x).slice(0, Math.min(rows, cols));
}

/**
 * Unit-current responses `Z = L_c^{-1} B` (n x p, row-major; inputs grounded, unit current into
 * output i) by dense Gaussian elimination with partial pivoting on the Laplacian assembled here
 * from the edge list: independent of the package's solver path.
 */
export function denseResponses(c: Circuit, k: ArrayLike<number> = c.conductances): Float64Array {
  const n = c.nodeCount;
  const p = c.outputNodes.length;
  const isInput = new Set(Array.from(c.inputNodes));
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => !isInput.has(i));
  const pos = new Map(free.map((v, i) => [v, i] as const));
  const f = free.length;
  const A = new Float64Array(f * (f + p));
  const w = f + p;
  for (let j = 0; j < c.edgeFrom.length; j++) {
    const a = pos.get(c.edgeFrom[j]!);
    const b = pos.get(c.edgeTo[j]!);
    const kj = k[j]!;
    if (a !== undefined) A[a * w + a]! += kj;
    if (b !== undefined) A[b * w + b]! += kj;
    if (a !== undefined && b !== undefined) {
      A[a * w + b]! -= kj;
      A[b * w + a]! -= kj;
    }
  }
  c.outputNodes.forEach((o, i) => (A[pos.get(o)! * w + f + i] = 1));
  for (let col = 0; col < f; col++) {
    let piv = col;
    for (let r = col + 1; r < f; r++) if (Math.abs(A[r * w + col]!) > Math.abs(A[piv * w + col]!)) piv = r;
    for (let q = 0; q < w; q++) [A[col * w + q], A[piv * w + q]] = [A[piv * w + q]!, A[col * w + q]!];
    for (let r = 0; r < f; r++) {
      if (r === col) continue;
      const factor = A[r * w + col]! / A[col * w + col]!;
      if (factor !== 0) for (let q = col; q < w; q++) A[r * w + q]! -= factor * A[col * w + q]!;
    }
  }
  const Z = new Float64Array(n * p);
  free.forEach((v, r) => {
    for (let i = 0; i < p; i++) Z[v * p + i] = A[r * w + f + i]! / A[r * w + r]!;
  });
  return Z;
}

/**
 * The linearisation of `c` at `k` per point, the way it was computed before the batched path: free
 * and reference states from @ohmlab/learners' state solver (`backend.factor`, never
 * `factorBatch`), unit-current responses from {@link denseResponses}. An independent reference for
 * `linearise` / `lineariseBatch`.
 */
export async function referenceLinearisation(c: Circuit, k: Float64Array = c.conductances): Promise<Linearisation> {
  const batch = sampleBatch(c);
  const solver = openStateSolver(backend, c, { conductances: k });
  try {
    const free = await freeState(solver, batch);
    const ref = await referenceState(solver, batch, free);
    const n = c.nodeCount;
    const m = c.edgeFrom.length;
    const p = c.outputNodes.length;
    const S = batch.count;
    const dropsOf = (x: Float64Array) => Float64Array.from({ length: S * m }, (_, i) => x[Math.floor(i / m) * n + c.edgeFrom[i % m]!]! - x[Math.floor(i / m) * n + c.edgeTo[i % m]!]!);
    const Z = denseResponses(c, k); // n x p row-major
    const W = new Float64Array(m * p);
    for (let j = 0; j < m; j++) for (let i = 0; i < p; i++) W[j * p + i] = Z[c.edgeFrom[j]! * p + i]! - Z[c.edgeTo[j]! * p + i]!;
    const G = new Float64Array(p * p);
    for (let o = 0; o < p; o++) for (let i = 0; i < p; i++) G[o * p + i] = Z[c.outputNodes[o]! * p + i]!;
    const outputResistance = { rows: p, cols: p, data: G };
    return {
      circuit: c,
      conductances: Float64Array.from(k),
      batch,
      sampleCount: S,
      outputCount: p,
      edgeCount: m,
      freeDrops: dropsOf(free.voltages),
      outputs: free.outputs,
      residual: free.residual,
      referenceDrops: dropsOf(ref.voltages),
      adjointError: ref.adjointError,
      responseDrops: { rows: m, cols: p, data: W },
      outputResistance,
      dirichletToNeumann: inverse(outputResistance),
    };
  } finally {
    solver.dispose();
  }
}
