import type { Wiring } from './connectivity.js';

/** Compressed sparse row matrix. Row i holds columns `colIndex[rowStart[i]..rowStart[i+1])`. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly rowStart: Uint32Array;
  readonly colIndex: Uint32Array;
  readonly values: Float64Array;
}

/** Incidence matrix A (m x n): `A[j, from_j] = +1`, `A[j, to_j] = -1` (THEORY.md "Circuit"). */
export function incidenceMatrix(w: Wiring): CsrMatrix {
  const m = w.edgeFrom.length;
  const rowStart = new Uint32Array(m + 1);
  const colIndex = new Uint32Array(2 * m);
  const values = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) {
    rowStart[j + 1] = 2 * (j + 1);
    const u = w.edgeFrom[j]!;
    const v = w.edgeTo[j]!;
    const [a, b] = u < v ? [u, v] : [v, u];
    colIndex[2 * j] = a;
    colIndex[2 * j + 1] = b;
    values[2 * j] = a === u ? 1 : -1;
    values[2 * j + 1] = -values[2 * j]!;
  }
  return { rows: m, cols: w.nodeCount, rowStart, colIndex, values };
}

/**
 * Laplacian `L = A^T K A` (n x n, symmetric, full storage, sorted columns, diagonal included):
 * `L_ii = sum of conductances at i`, `L_uw = -k_j` for edge j = (u, w). `L 1 = 0`.
 */
export function laplacian(w: Wiring, conductances: ArrayLike<number>): CsrMatrix {
  const n = w.nodeCount;
  const m = w.edgeFrom.length;
  const degree = new Uint32Array(n);
  for (let j = 0; j < m; j++) {
    degree[w.edgeFrom[j]!]!++;
    degree[w.edgeTo[j]!]!++;
  }
  const rowStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i]! + degree[i]! + 1;
  const fill = rowStart.slice(0, n);
  const colIndex = new Uint32Array(rowStart[n]!);
  const values = new Float64Array(rowStart[n]!);
  for (let i = 0; i < n; i++) colIndex[fill[i]!++] = i;
  const diagonal = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    const u = w.edgeFrom[j]!;
    const v = w.edgeTo[j]!;
    const k = conductances[j]!;
    diagonal[u]! += k;
    diagonal[v]! += k;
    colIndex[fill[u]!] = v;
    values[fill[u]!++] = -k;
    colIndex[fill[v]!] = u;
    values[fill[v]!++] = -k;
  }
  for (let i = 0; i < n; i++) {
    const start = rowStart[i]!;
    const end = rowStart[i + 1]!;
    values[start] = diagonal[i]!;
    sortRow(colIndex, values, start, end);
  }
  return { rows: n, cols: n, rowStart, colIndex, values };
}

function sortRow(cols: Uint32Array, vals: Float64Array, start: number, end: number): void {
  for (let a = start + 1; a < end; a++) {
    const c = cols[a]!;
    const v = vals[a]!;
    let b = a - 1;
    while (b >= start && cols[b]! > c) {
      cols[b + 1] = cols[b]!;
      vals[b + 1] = vals[b]!;
      b--;
    }
    cols[b + 1] = c;
    vals[b + 1] = v;
  }
}

/** `y = M x` for a CSR matrix. */
export function csrMultiply(mat: CsrMatrix, x: ArrayLike<number>, y = new Float64Array(mat.rows)): Float64Array {
  for (let i = 0; i < mat.rows; i++) {
    let s = 0;
    for (let p = mat.rowStart[i]!; p < mat.rowStart[i + 1]!; p++) s += mat.values[p]! * x[mat.colIndex[p]!]!;
    y[i] = s;
  }
  return y;
}

/** Voltage drops `dv = A x`, `dv_j = x[from_j] - x[to_j]`. */
export function voltageDrops(w: Wiring, x: ArrayLike<number>, offset = 0): Float64Array {
  const m = w.edgeFrom.length;
  const dv = new Float64Array(m);
  for (let j = 0; j < m; j++) dv[j] = x[offset + w.edgeFrom[j]!]! - x[offset + w.edgeTo[j]!]!;
  return dv;
}
