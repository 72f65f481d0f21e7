import type { FactorRequest } from './solver.js';
import { SolverError } from './errors.js';

/**
 * The system restricted to the free (non-Dirichlet) nodes: `L_FF x_F = b_F - L_FD x_D`.
 * `adjacency` is the full symmetric Laplacian in CSR (diagonal included), `free[k]` the node of
 * free index k, `freeIndex[node]` its free index or -1 for Dirichlet nodes.
 */
export interface ReducedSystem {
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  readonly free: Uint32Array;
  readonly freeIndex: Int32Array;
  /** Full Laplacian, CSR, rows = nodes. */
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
  /** Free block L_FF in CSR over free indices (diagonal included). */
  readonly ffStart: Int32Array;
  readonly ffCol: Int32Array;
  readonly ffVal: Float64Array;
  /** Coupling block L_FD in CSR: rows = free indices, columns = positions in `dirichletNodes`. */
  readonly fdStart: Int32Array;
  readonly fdCol: Int32Array;
  readonly fdVal: Float64Array;
}

function validate(request: FactorRequest): void {
  const { network, conductances, dirichletNodes } = request;
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  if (!Number.isInteger(n) || n < 1) throw new SolverError(`nodeCount must be a positive integer, got ${n}`);
  if (network.edgeTo.length !== m) throw new SolverError(`edgeFrom has ${m} entries but edgeTo has ${network.edgeTo.length}`);
  if (conductances.length !== m) throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  for (let j = 0; j < m; j++) {
    const k = conductances[j]!;
    if (!(Number.isFinite(k) && k > 0)) throw new SolverError(`conductance of edge ${j} must be finite and > 0, got ${k}`);
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    if (u >= n || w >= n) throw new SolverError(`edge ${j} has endpoint ${Math.max(u, w)} out of range 0..${n - 1}`);
    if (u === w) throw new SolverError(`edge ${j} is a self-loop at node ${u}`);
  }
  const seen = new Uint8Array(n);
  for (let d = 0; d < dirichletNodes.length; d++) {
    const v = dirichletNodes[d]!;
    if (v >= n) throw new SolverError(`Dirichlet node ${v} (position ${d}) is out of range 0..${n - 1}`);
    if (seen[v]) throw new SolverError(`Dirichlet node ${v} is listed twice`);
    seen[v] = 1;
  }
}

/** Builds the Laplacian and its free block. Throws `SolverError` on an invalid request. */
export function reduceSystem(request: FactorRequest): ReducedSystem {
  validate(request);
  const { network, conductances, dirichletNodes } = request;
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  const deg = new Uint32Array(n);
  for (let j = 0; j < m; j++) {
    deg[network.edgeFrom[j]!]!++;
    deg[network.edgeTo[j]!]!++;
  }
  const rows = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rows[i + 1] = rows[i]! + deg[i]! + 1;
  const fill = rows.slice(0, n);
  const cols = new Int32Array(rows[n]!);
  const vals = new Float64Array(rows[n]!);
  for (let i = 0; i < n; i++) cols[fill[i]!++] = i;
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const k = conductances[j]!;
    vals[rows[u]!]! += k;
    vals[rows[w]!]! += k;
    cols[fill[u]!] = w;
    vals[fill[u]!++] = -k;
    cols[fill[w]!] = u;
    vals[fill[w]!++] = -k;
  }
  const { rowStart, colIndex, values } = mergeParallelEdges(n, rows, cols, vals);
  for (let i = 0; i < n; i++) {
    const d = values[rowStart[i]!]!;
    if (!Number.isFinite(d)) {
      throw new SolverError(`the conductances at node ${i} sum to ${d}, beyond float64 range; rescale the conductances (e.g. to siemens around 1)`);
    }
  }
  checkEveryNodeReachesDirichlet(n, rowStart, colIndex, dirichletNodes);
  const freeIndex = new Int32Array(n).fill(0);
  for (let d = 0; d < dirichletNodes.length; d++) freeIndex[dirichletNodes[d]!] = -1;
  const free = new Uint32Array(n - dirichletNodes.length);
  let f = 0;
  for (let i = 0; i < n; i++) if (freeIndex[i] === 0) free[f++] = i;
  freeIndex.fill(-1);
  for (let k = 0; k < free.length; k++) freeIndex[free[k]!] = k;
  let nnz = 0;
  for (let k = 0; k < free.length; k++) {
    const i = free[k]!;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) if (freeIndex[colIndex[p]!]! >= 0) nnz++;
  }
  const ffStart = new Int32Array(free.length + 1);
  const ffCol = new Int32Array(nnz);
  const ffVal = new Float64Array(nnz);
  let q = 0;
  for (let k = 0; k < free.length; k++) {
    const i = free[k]!;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const c = freeIndex[colIndex[p]!]!;
      if (c >= 0) {
        ffCol[q] = c;
        ffVal[q++] = values[p]!;
      }
    }
    ffStart[k + 1] = q;
  }
  return { nodeCount: n, dirichletNodes, free, freeIndex, rowStart, colIndex, values, ffStart, ffCol, ffVal, ...couplingBlock(free, dirichletNodes, rowStart, colIndex, values, n) };
}

/**
 * Parallel edges (the same pair twice, in either orientation) are parallel conductors: their
 * entries are summed so that every row names each column once. Returns the input when there are none.
 */
function mergeParallelEdges(n: number, rowStart: Int32Array, colIndex: Int32Array, values: Float64Array): { rowStart: Int32Array; colIndex: Int32Array; values: Float64Array } {
  const at = new Int32Array(n).fill(-1);
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const c = colIndex[p]!;
      if (at[c]! >= rowStart[i]!) duplicates++;
      else at[c] = p;
    }
  }
  if (duplicates === 0) return { rowStart, colIndex, values };
  at.fill(-1);
  const start = new Int32Array(n + 1);
  const col = new Int32Array(colIndex.length - duplicates);
  const val = new Float64Array(colIndex.length - duplicates);
  let q = 0;
  for (let i = 0; i < n; i++) {
    start[i] = q;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const c = colIndex[p]!;
      if (at[c]! >= start[i]!) val[at[c]!]! += values[p]!;
      else {
        at[c] = q;
        col[q] = c;
        val[q++] = values[p]!;
      }
    }
  }
  start[n] = q;
  return { rowStart: start, colIndex: col, values: val };
}

/** L_FD in CSR (free rows, Dirichlet positions as columns). */
function couplingBlock(free: Uint32Array, dirichlet: Uint32Array, rowStart: Int32Array, colIndex: Int32Array, values: Float64Array, n: number): { fdStart: Int32Array; fdCol: Int32Array; fdVal: Float64Array } {
  const position = new Int32Array(n).fill(-1);
  for (let d = 0; d < dirichlet.length; d++) position[dirichlet[d]!] = d;
  const fdStart = new Int32Array(free.length + 1);
  for (let k = 0; k < free.length; k++) {
    let c = 0;
    for (let p = rowStart[free[k]!]!; p < rowStart[free[k]! + 1]!; p++) if (position[colIndex[p]!]! >= 0) c++;
    fdStart[k + 1] = fdStart[k]! + c;
  }
  const fdCol = new Int32Array(fdStart[free.length]!);
  const fdVal = new Float64Array(fdStart[free.length]!);
  for (let k = 0; k < free.length; k++) {
    let q = fdStart[k]!;
    for (let p = rowStart[free[k]!]!; p < rowStart[free[k]! + 1]!; p++) {
      const d = position[colIndex[p]!]!;
      if (d < 0) continue;
      fdCol[q] = d;
      fdVal[q++] = values[p]!;
    }
  }
  return { fdStart, fdCol, fdVal };
}

/** A component without a Dirichlet node makes L_FF singular: name one of its nodes. */
function checkEveryNodeReachesDirichlet(n: number, rowStart: Int32Array, colIndex: Int32Array, dirichlet: Uint32Array): void {
  const seen = new Uint8Array(n);
  const queue = new Uint32Array(n);
  let tail = 0;
  for (let d = 0; d < dirichlet.length; d++) {
    seen[dirichlet[d]!] = 1;
    queue[tail++] = dirichlet[d]!;
  }
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const j = colIndex[p]!;
      if (!seen[j]) {
        seen[j] = 1;
        queue[tail++] = j;
      }
    }
  }
  if (tail < n) {
    const lost = seen.indexOf(0);
    throw new SolverError(
      `node ${lost} (and ${n - tail - 1} other node(s)) has no path to any Dirichlet node: the system is singular. ` +
        'Connect that component to an input or hold one of its nodes at a voltage',
    );
  }
}
