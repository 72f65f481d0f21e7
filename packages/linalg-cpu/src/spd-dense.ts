import { choleskyPanel } from './dense-kernels.js';

/**
 * Small dense symmetric positive definite matrices on the host (a coarse-grid matrix, an output
 * resistance matrix): factor with the dense path's blocked Cholesky, solve, invert. Row-major
 * `n x n` float64 throughout.
 */

/** A Cholesky factor, or the first pivot that failed. */
export interface SpdFactor {
  /** `L` with `A = L L^T` (lower triangle; the upper triangle is zero). Meaningless when `badPivot >= 0`. */
  readonly factor: Float64Array;
  /** -1, or the first index j whose pivot `L_jj^2` is not finite and above `relativePivot x A_jj`. */
  readonly badPivot: number;
}

/**
 * Cholesky factor of the symmetric matrix `a` (only its lower triangle is read; `a` is not
 * modified). `relativePivot` (default 0): a pivot `L_jj^2 <= relativePivot x A_jj` counts as a
 * failure, so a numerically singular matrix is reported instead of inverted.
 */
export function spdFactor(a: Float64Array, n: number, relativePivot = 0): SpdFactor {
  const factor = a.slice(0, n * n);
  let badPivot = n > 0 ? choleskyPanel(factor, 0, n, n, n) : -1;
  for (let i = 0; i < n; i++) factor.fill(0, i * n + i + 1, (i + 1) * n);
  if (badPivot < 0 && relativePivot > 0) {
    for (let j = 0; j < n; j++) {
      if (!(factor[j * n + j]! ** 2 > relativePivot * Math.abs(a[j * n + j]!))) {
        badPivot = j;
        break;
      }
    }
  }
  return { factor, badPivot };
}

/** Solves `L L^T y = s` in place in `s` with a factor from {@link spdFactor}. */
export function spdSolveInPlace(l: Float64Array, n: number, s: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let v = s[i]!;
    for (let k = 0; k < i; k++) v -= l[i * n + k]! * s[k]!;
    s[i] = v / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = s[i]!;
    for (let k = i + 1; k < n; k++) v -= l[k * n + i]! * s[k]!;
    s[i] = v / l[i * n + i]!;
  }
}

/**
 * `A^-1 = L^-T L^-1` from a factor of {@link spdFactor}: `L^-1` by rows (forward substitution,
 * `n^3 / 6` multiply-adds), then the lower triangle of `L^-T L^-1` by rank-one row updates
 * (`n^3 / 6`), mirrored, so the result is exactly symmetric.
 */
export function spdInverse(l: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const xi = i * n;
    x[xi + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[xi + k]!;
      if (f === 0) continue;
      const xk = k * n;
      for (let j = 0; j <= k; j++) x[xi + j] = x[xi + j]! - f * x[xk + j]!;
    }
    const d = 1 / l[xi + i]!;
    for (let j = 0; j <= i; j++) x[xi + j] = x[xi + j]! * d;
  }
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const xk = k * n;
    for (let i = 0; i <= k; i++) {
      const f = x[xk + i]!;
      if (f === 0) continue;
      const row = i * n;
      for (let j = 0; j <= i; j++) inv[row + j] = inv[row + j]! + f * x[xk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j]!;
  return inv;
}
