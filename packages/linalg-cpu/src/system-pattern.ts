import { SolverError } from './errors.js';
import { validateRequest } from './validate-request.js';
import type { FactorRequest } from './solver.js';

/**
 * Everything about the reduced system `L_FF x_F = b_F - L_FD x_D` that the wiring alone fixes
 * (node count, edges, Dirichlet set): the CSR patterns of the Laplacian, of its free block and of
 * the coupling block, and where each edge's conductance lands in them. Built once per wiring
 * (cached by `plan-cache.ts`), so a refactorization with new conductances assembles its matrices
 * by scattering `m` conductances instead of rebuilding and re-checking the graph.
 */
export interface SystemPattern {
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  /** `free[k]` = node of free index k (ascending). */
  readonly free: Uint32Array;
  /** Free index of each node, -1 for Dirichlet nodes. */
  readonly freeIndex: Int32Array;
  /** Full Laplacian pattern (CSR, rows = nodes, the diagonal first in each row, parallel edges merged). */
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  /** Position in `colIndex` of edge j's entries `(from, to)` and `(to, from)`. */
  readonly edgeForward: Int32Array;
  readonly edgeBackward: Int32Array;
  /** Free block pattern over free indices; `ffSource[q]` is the position of entry q in the full pattern. */
  readonly ffStart: Int32Array;
  readonly ffCol: Int32Array;
  readonly ffSource: Int32Array;
  /** Coupling block pattern (rows = free indices, columns = positions in `dirichletNodes`). */
  readonly fdStart: Int32Array;
  readonly fdCol: Int32Array;
  readonly fdSource: Int32Array;
}

/** Checks the whole request (`validateRequest`) with exactly one conductance vector. */
function validateStructure(request: FactorRequest): void {
  const { network, conductances, dirichletNodes } = request;
  const m = network.edgeFrom.length;
  if (conductances.length !== m) throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  validateRequest(network, conductances, dirichletNodes);
}

/**
 * Laplacian pattern with parallel edges (the same pair twice, in either orientation) merged into
 * one entry: rows list the diagonal first, then each neighbour once, in order of first appearance.
 */
function laplacianPattern(n: number, from: Uint32Array, to: Uint32Array): { rowStart: Int32Array; colIndex: Int32Array; edgeForward: Int32Array; edgeBackward: Int32Array } {
  const m = from.length;
  const raw = new Int32Array(n + 1); // rows before merging: diagonal plus one entry per edge end
  for (let j = 0; j < m; j++) {
    raw[from[j]! + 1]!++;
    raw[to[j]! + 1]!++;
  }
  for (let i = 0; i < n; i++) raw[i + 1]! += raw[i]! + 1;
  const fill = new Int32Array(n);
  const cols = new Int32Array(raw[n]!);
  for (let i = 0; i < n; i++) {
    cols[raw[i]!] = i;
    fill[i] = raw[i]! + 1;
  }
  const edgeForward = new Int32Array(m);
  const edgeBackward = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const u = from[j]!;
    const w = to[j]!;
    edgeForward[j] = fill[u]!;
    cols[fill[u]!++] = w;
    edgeBackward[j] = fill[w]!;
    cols[fill[w]!++] = u;
  }
  // merge repeated columns of a row: `merged[raw position]` = compact position
  const merged = new Int32Array(raw[n]!);
  const at = new Int32Array(n).fill(-1);
  const rowStart = new Int32Array(n + 1);
  let q = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = q;
    for (let p = raw[i]!; p < raw[i + 1]!; p++) {
      const c = cols[p]!;
      if (at[c]! >= rowStart[i]!) merged[p] = at[c]!;
      else {
        at[c] = q;
        cols[q] = c; // q <= p: compacting in place never overwrites an unread entry
        merged[p] = q++;
      }
    }
  }
  rowStart[n] = q;
  for (let j = 0; j < m; j++) {
    edgeForward[j] = merged[edgeForward[j]!]!;
    edgeBackward[j] = merged[edgeBackward[j]!]!;
  }
  return { rowStart, colIndex: cols.slice(0, q), edgeForward, edgeBackward };
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

/** Rows of the free nodes restricted to columns where `columnOf` is >= 0: a CSR block and each entry's source position. */
function block(free: Uint32Array, columnOf: Int32Array, rowStart: Int32Array, colIndex: Int32Array): { start: Int32Array; col: Int32Array; source: Int32Array } {
  const start = new Int32Array(free.length + 1);
  for (let k = 0; k < free.length; k++) {
    let c = 0;
    for (let p = rowStart[free[k]!]!; p < rowStart[free[k]! + 1]!; p++) if (columnOf[colIndex[p]!]! >= 0) c++;
    start[k + 1] = start[k]! + c;
  }
  const col = new Int32Array(start[free.length]!);
  const source = new Int32Array(start[free.length]!);
  for (let k = 0; k < free.length; k++) {
    let q = start[k]!;
    for (let p = rowStart[free[k]!]!; p < rowStart[free[k]! + 1]!; p++) {
      const c = columnOf[colIndex[p]!]!;
      if (c < 0) continue;
      col[q] = c;
      source[q++] = p;
    }
  }
  return { start, col, source };
}

/**
 * The pattern of a request's reduced system. Validates the whole request (node count, array
 * lengths, conductances, endpoints, Dirichlet set) and checks that every node has a path to a
 * Dirichlet node; throws `SolverError` naming what is wrong.
 */
export function systemPattern(request: FactorRequest): SystemPattern {
  validateStructure(request);
  const { network, dirichletNodes } = request;
  const n = network.nodeCount;
  const { rowStart, colIndex, edgeForward, edgeBackward } = laplacianPattern(n, network.edgeFrom, network.edgeTo);
  checkEveryNodeReachesDirichlet(n, rowStart, colIndex, dirichletNodes);
  const position = new Int32Array(n).fill(-1);
  for (let d = 0; d < dirichletNodes.length; d++) position[dirichletNodes[d]!] = d;
  const free = new Uint32Array(n - dirichletNodes.length);
  const freeIndex = new Int32Array(n).fill(-1);
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (position[i]! >= 0) continue;
    freeIndex[i] = f;
    free[f++] = i;
  }
  const ff = block(free, freeIndex, rowStart, colIndex);
  const fd = block(free, position, rowStart, colIndex);
  return {
    nodeCount: n,
    dirichletNodes: dirichletNodes.slice(),
    free,
    freeIndex,
    rowStart,
    colIndex,
    edgeForward,
    edgeBackward,
    ffStart: ff.start,
    ffCol: ff.col,
    ffSource: ff.source,
    fdStart: fd.start,
    fdCol: fd.col,
    fdSource: fd.source,
  };
}
