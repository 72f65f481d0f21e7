/**
 * The solution manifold `{k : y(k) = t}` near a regular point (paper 1 Proposition 6.1 and
 * eq. 33-34; THEORY.md "Coercivity and regularity"). At a regular point (M of full column rank P)
 * it is a smooth manifold of dimension `m - P`, and its tangent space is the null space of the
 * output Jacobian `dy/dk = -M^T`, i.e. the orthogonal complement of range(M). At a point that is
 * not regular the same construction gives the null space of `dy/dk` (dimension `m - rank`), which
 * contains the tangent space of the level set wherever that is a manifold.
 * Edges with zero free drop (inactive) are tangent directions: their conductance changes no state.
 *
 * Cost: a thin SVD of M (O(m P^2)) for an orthonormal basis `U_r` of range(M), then `m - r`
 * Householder reflections applied to the unit vectors (O(m^2 r)); the basis itself is dense
 * m x (m - r), so the edge count is capped (`maxEdges`, default 2000) with a clear error.
 */
import { SingularValueDecomposition } from 'ml-matrix';
import { AnalysisError } from './errors.js';
import { toMatrix, type Dense } from './dense.js';

export interface SolutionManifold {
  /** `m - rank`: the manifold dimension at a regular point. */
  readonly dimension: number;
  /** Orthonormal tangent basis, `m x dimension`, row-major (row j = edge j). */
  readonly tangentBasis: Dense;
}

/** Orthonormal basis (m x r, row-major) of the span of the `r` leading left singular vectors of M. */
function rangeBasis(M: Dense, r: number): Float64Array {
  const m = M.rows;
  const out = new Float64Array(m * r);
  if (r === 0) return out;
  const svd = new SingularValueDecomposition(toMatrix(M), { computeLeftSingularVectors: true, computeRightSingularVectors: false, autoTranspose: false });
  const U = svd.leftSingularVectors;
  const order = Array.from(svd.diagonal, (s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  for (let c = 0; c < r; c++) {
    const col = order[c]![1];
    for (let j = 0; j < m; j++) out[j * r + c] = U.get(j, col);
  }
  return out;
}

/**
 * Householder QR of the orthonormal `m x r` matrix `U` (row-major): returns the last `m - r`
 * columns of `Q = H_1 ... H_r`, an orthonormal basis of the orthogonal complement of range(U).
 */
function complementBasis(U: Float64Array, m: number, r: number): Float64Array {
  const A = Float64Array.from(U);
  const vs: Float64Array[] = [];
  for (let c = 0; c < r; c++) {
    const v = new Float64Array(m);
    let norm2 = 0;
    for (let i = c; i < m; i++) norm2 += A[i * r + c]! ** 2;
    const alpha = -Math.sign(A[c * r + c]! || 1) * Math.sqrt(norm2);
    for (let i = c; i < m; i++) v[i] = A[i * r + c]!;
    v[c]! -= alpha;
    let vn = 0;
    for (let i = c; i < m; i++) vn += v[i]! * v[i]!;
    if (vn > 0) for (let i = c; i < m; i++) v[i]! /= Math.sqrt(vn);
    // apply H = I - 2 v v^T to the remaining columns of A
    for (let q = c; q < r; q++) {
      let dot = 0;
      for (let i = c; i < m; i++) dot += v[i]! * A[i * r + q]!;
      for (let i = c; i < m; i++) A[i * r + q]! -= 2 * dot * v[i]!;
    }
    vs.push(v);
  }
  const d = m - r;
  const Q = new Float64Array(m * d);
  for (let k = 0; k < d; k++) Q[(r + k) * d + k] = 1;
  for (let c = r - 1; c >= 0; c--) {
    const v = vs[c]!;
    for (let k = 0; k < d; k++) {
      let dot = 0;
      for (let i = c; i < m; i++) dot += v[i]! * Q[i * d + k]!;
      if (dot !== 0) for (let i = c; i < m; i++) Q[i * d + k]! -= 2 * dot * v[i]!;
    }
  }
  return Q;
}

/**
 * Tangent basis of the solution manifold from `M` (m x P) with numerical rank `rank` (module doc).
 * @throws AnalysisError when `m > maxEdges` (the dense basis would be m x (m - rank)), when
 *   `rank` is out of range, or when M has more columns than rows.
 */
export function solutionManifold(M: Dense, rank: number, maxEdges = 2000): SolutionManifold {
  const m = M.rows;
  if (m > maxEdges) {
    throw new AnalysisError('maxEdges', `the tangent basis of ${m} edges is a dense ${m} x ${m - rank} matrix; raise maxEdges (${maxEdges}) to compute it, or use manifoldDimension alone`);
  }
  if (M.cols > m) throw new AnalysisError('M', `has ${M.cols} columns > ${m} edges: more constraints than conductances, no solution manifold of positive dimension`);
  if (!Number.isInteger(rank) || rank < 0 || rank > M.cols) throw new AnalysisError('rank', `must be an integer in [0, ${M.cols}], got ${rank}`);
  const dim = m - rank;
  return { dimension: dim, tangentBasis: { rows: m, cols: dim, data: complementBasis(rangeBasis(M, rank), m, rank) } };
}
