/**
 * Active edges and the active-incidence matrix (paper 1 sec. 5, eq. 40 and Lemma 5.1; THEORY.md
 * "Coercivity and regularity").
 *
 * Edge j is active when its free drop is nonzero: `max_s |dv^f_{s,j}| > tolerance * max_{s,i} |dv^f_{s,i}|`
 * (a tolerance relative to the largest drop, reported with the result). The active-incidence matrix
 * `A_act` is the incidence matrix restricted to the rows of the active edges (`A_act[r, from] = 1`,
 * `A_act[r, to] = -1` for the r-th active edge), and Lemma 5.1's coercivity criterion is that
 * `A_act L_c^{-1} B` (the rows of `W = A L_c^{-1} B` at the active edges) has full column rank.
 * For one sample this is the rank of `M = diag(dv^f) W`: the active rows of `M` are the active rows
 * of `W` scaled by nonzero drops, and the inactive rows of `M` vanish (up to the tolerance).
 */
import type { Dense } from './dense.js';
import type { Linearisation } from './linearisation.js';
import { checkTolerance } from './validate-input.js';

/** Indices of the active edges (increasing) and the absolute threshold used, in volts. */
export function activeEdges(lin: Linearisation, tolerance = 1e-9): { edges: number[]; threshold: number; tolerance: number } {
  checkTolerance('activeTolerance', tolerance);
  const { edgeCount: m, sampleCount: S } = lin;
  let maxDrop = 0;
  for (const d of lin.freeDrops) maxDrop = Math.max(maxDrop, Math.abs(d));
  const threshold = tolerance * maxDrop;
  const edges: number[] = [];
  for (let j = 0; j < m; j++) {
    let d = 0;
    for (let s = 0; s < S; s++) d = Math.max(d, Math.abs(lin.freeDrops[s * m + j]!));
    if (d > threshold && d > 0) edges.push(j);
  }
  return { edges, threshold, tolerance };
}

/**
 * The active-incidence matrix in sparse form: row r is edge `edges[r]` with `+1` at node `from[r]`
 * and `-1` at node `to[r]` (`rows x nodeCount`, all other entries 0).
 */
export interface ActiveIncidence {
  readonly rows: number;
  readonly cols: number;
  readonly edges: Uint32Array;
  readonly from: Uint32Array;
  readonly to: Uint32Array;
}

/** `A_act` at the linearised point (see {@link ActiveIncidence}). */
export function activeIncidenceMatrix(lin: Linearisation, tolerance = 1e-9): ActiveIncidence {
  const { edges } = activeEdges(lin, tolerance);
  const c = lin.circuit;
  return {
    rows: edges.length,
    cols: c.nodeCount,
    edges: Uint32Array.from(edges),
    from: Uint32Array.from(edges, (j) => c.edgeFrom[j]!),
    to: Uint32Array.from(edges, (j) => c.edgeTo[j]!),
  };
}

/** Dense copy of an active-incidence matrix (small circuits only: rows x nodeCount). */
export function activeIncidenceDense(a: ActiveIncidence): Dense {
  const data = new Float64Array(a.rows * a.cols);
  for (let r = 0; r < a.rows; r++) {
    data[r * a.cols + a.from[r]!] = 1;
    data[r * a.cols + a.to[r]!] = -1;
  }
  return { rows: a.rows, cols: a.cols, data };
}

/** Lemma 5.1's matrix `A_act L_c^{-1} B`: the rows of `W` at the active edges (rows x p). */
export function activeResponseMatrix(lin: Linearisation, tolerance = 1e-9): Dense {
  const { edges } = activeEdges(lin, tolerance);
  const W = lin.responseDrops;
  const p = W.cols;
  const data = new Float64Array(edges.length * p);
  edges.forEach((j, r) => data.set(W.data.subarray(j * p, (j + 1) * p), r * p));
  return { rows: edges.length, cols: p, data };
}
