import { SolverError } from '@ohmlab/linalg-cpu';
import type { FactorRequest, Network } from '@ohmlab/linalg-cpu';

/**
 * The Laplacian `L = A^T K A` (shared/THEORY.md "Circuit") split into free (F) and Dirichlet (D)
 * nodes, in float64 on the host. `rowStart/colIndex/values` hold the full Laplacian (CSR, rows =
 * nodes, diagonal first); `ffStart/ffCol/ffVal` the free block `L_FF` over free indices, which the
 * GPU solves (as float32) and the host uses for float64 residuals.
 */
export interface LaplacianSystem {
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  /** `free[k]`: node of free index k. */
  readonly free: Uint32Array;
  /** Free index of each node, -1 for Dirichlet nodes. */
  readonly freeIndex: Int32Array;
  readonly rowStart: Uint32Array;
  readonly colIndex: Uint32Array;
  readonly values: Float64Array;
  readonly ffStart: Uint32Array;
  readonly ffCol: Uint32Array;
  readonly ffVal: Float64Array;
}

/** Checks the network, conductances and Dirichlet set; throws `SolverError` naming the culprit. */
export function validateRequest(network: Network, conductances: Float64Array, dirichletNodes: Uint32Array): void {
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  if (!Number.isInteger(n) || n < 1) throw new SolverError(`nodeCount must be a positive integer, got ${n}`);
  if (network.edgeTo.length !== m) throw new SolverError(`edgeFrom has ${m} entries but edgeTo has ${network.edgeTo.length}`);
  if (conductances.length % Math.max(m, 1) !== 0 || (m === 0 && conductances.length !== 0)) {
    throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  }
  for (let j = 0; j < conductances.length; j++) {
    const k = conductances[j]!;
    if (!(Number.isFinite(k) && k > 0)) throw new SolverError(`conductance of edge ${j % m} must be finite and > 0, got ${k}`);
  }
  for (let j = 0; j < m; j++) {
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

/** Free/Dirichlet partition: `free` in increasing node order, `freeIndex` = -1 on Dirichlet nodes. */
export function partitionNodes(n: number, dirichletNodes: Uint32Array): { free: Uint32Array; freeIndex: Int32Array } {
  const freeIndex = new Int32Array(n).fill(0);
  for (let d = 0; d < dirichletNodes.length; d++) freeIndex[dirichletNodes[d]!] = -1;
  const free = new Uint32Array(n - dirichletNodes.length);
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (freeIndex[i] === 0) free[f++] = i;
  }
  freeIndex.fill(-1);
  for (let k = 0; k < free.length; k++) freeIndex[free[k]!] = k;
  return { free, freeIndex };
}

/** Every node must reach a Dirichlet node, else `L_FF` is singular (THEORY.md "Circuit"). */
export function checkReachesDirichlet(n: number, rowStart: Uint32Array, colIndex: Uint32Array, dirichlet: Uint32Array): void {
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
    throw new SolverError(
      `node ${seen.indexOf(0)} (and ${n - tail - 1} other node(s)) has no path to any Dirichlet node: the system is singular. ` +
        'Connect that component to an input or hold one of its nodes at a voltage',
    );
  }
}

/** Builds the float64 Laplacian and its free block for one conductance vector. */
export function buildLaplacianSystem(request: FactorRequest): LaplacianSystem {
  const { network, conductances, dirichletNodes } = request;
  validateRequest(network, conductances, dirichletNodes);
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  if (conductances.length !== m) throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  const rowStart = new Uint32Array(n + 1);
  for (let j = 0; j < m; j++) {
    rowStart[network.edgeFrom[j]! + 1]!++;
    rowStart[network.edgeTo[j]! + 1]!++;
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i + 1]! + rowStart[i]! + 1;
  const fill = new Uint32Array(n);
  const colIndex = new Uint32Array(rowStart[n]!);
  const values = new Float64Array(rowStart[n]!);
  for (let i = 0; i < n; i++) {
    colIndex[rowStart[i]!] = i;
    fill[i] = rowStart[i]! + 1;
  }
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const k = conductances[j]!;
    values[rowStart[u]!]! += k;
    values[rowStart[w]!]! += k;
    colIndex[fill[u]!] = w;
    values[fill[u]!++] = -k;
    colIndex[fill[w]!] = u;
    values[fill[w]!++] = -k;
  }
  checkReachesDirichlet(n, rowStart, colIndex, dirichletNodes);
  const { free, freeIndex } = partitionNodes(n, dirichletNodes);
  const ffStart = new Uint32Array(free.length + 1);
  for (let k = 0; k < free.length; k++) {
    const i = free[k]!;
    let c = 0;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) if (freeIndex[colIndex[p]!]! >= 0) c++;
    ffStart[k + 1] = ffStart[k]! + c;
  }
  const ffCol = new Uint32Array(ffStart[free.length]!);
  const ffVal = new Float64Array(ffCol.length);
  for (let k = 0, q = 0; k < free.length; k++) {
    const i = free[k]!;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const c = freeIndex[colIndex[p]!]!;
      if (c >= 0) {
        ffCol[q] = c;
        ffVal[q++] = values[p]!;
      }
    }
  }
  return { nodeCount: n, dirichletNodes, free, freeIndex, rowStart, colIndex, values, ffStart, ffCol, ffVal };
}

/**
 * `out = b - L_FF x` for `count` RHS-major vectors (float64, the refinement residual), and returns
 * nothing; `x`, `b`, `out` are `count x nf`.
 */
export function freeResidual(sys: LaplacianSystem, b: Float64Array, x: Float64Array, count: number, out: Float64Array): void {
  const nf = sys.free.length;
  for (let r = 0; r < count; r++) {
    const o = r * nf;
    for (let k = 0; k < nf; k++) {
      let s = 0;
      for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) s += sys.ffVal[p]! * x[o + sys.ffCol[p]!]!;
      out[o + k] = b[o + k]! - s;
    }
  }
}
