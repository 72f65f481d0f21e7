/**
 * The solution manifold `{k : y(k) = t}` near a regular point (paper 1 Proposition 6.1; THEORY.md
 * "Coercivity and regularity"): it has dimension `m - rank(dy/dk)` and its tangent space is the
 * null space of the output Jacobian `dy/dk = -M^T`, i.e. the orthogonal complement of range(M).
 * Edges with zero free drop (inactive) are tangent directions: their conductance does not change
 * any state, so `activeDimension = m_active - rank` counts the directions among active edges.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { AnalysisError } from './errors.js';
import { toMatrix, type Dense } from './dense.js';

export interface SolutionManifold {
  readonly dimension: number;
  /** Orthonormal tangent basis, `m x dimension`, row-major (row j = edge j). */
  readonly tangentBasis: Dense;
}

/**
 * Tangent basis of the solution manifold from `M` (m x P) with rank `rank`. Computed from the full
 * SVD of M; refuses m > `maxEdges` (default 2000) since the basis is m x (m - rank).
 */
export function solutionManifold(M: Dense, rank: number, maxEdges = 2000): SolutionManifold {
  const m = M.rows;
  if (m > maxEdges) throw new AnalysisError('maxEdges', `the tangent basis of ${m} edges is ${m} x ${m - rank}; raise maxEdges (${maxEdges}) to compute it`);
  // Pad M with zero columns to m x m so the left singular vectors span R^m.
  const padded = new Matrix(m, m);
  const A = toMatrix(M);
  for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(M.cols, m); j++) padded.set(i, j, A.get(i, j));
  if (M.cols > m) throw new AnalysisError('M', `has ${M.cols} columns > ${m} edges: no solution manifold of positive dimension`);
  const svd = new SingularValueDecomposition(padded, { computeLeftSingularVectors: true, computeRightSingularVectors: false, autoTranspose: false });
  const U = svd.leftSingularVectors;
  const order = Array.from(svd.diagonal, (s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const dim = m - rank;
  const data = new Float64Array(m * dim);
  for (let c = 0; c < dim; c++) {
    const col = order[rank + c]![1];
    for (let j = 0; j < m; j++) data[j * dim + c] = U.get(j, col);
  }
  return { dimension: dim, tangentBasis: { rows: m, cols: dim, data } };
}
