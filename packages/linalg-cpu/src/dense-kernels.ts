/**
 * Dense float64 kernels on row-major `Float64Array` storage, the hot loops of every direct path:
 * a register-blocked `C -= A B^T` (4 x 4 tiles, K split into cache-sized chunks) and a blocked
 * right-looking partial Cholesky (the solves are in `dense-solve-kernels.ts`). Matrices
 * are addressed as `(array, offset, leading dimension)`: entry (i, j) is `a[off + i * ld + j]`.
 */

/** K-chunk of the tile kernel: 4 + 4 rows of 256 doubles stay in L1. */
const K_CHUNK = 256;

/**
 * `C -= A B^T` for the `m x n` block C, with A `m x k` and B `n x k` (both row-major, so each
 * product is a dot product of two contiguous rows). `lower`: only entries `j <= i` are needed
 * (C's rows and columns share one index space); tiles on the diagonal also write a few entries
 * above it, so use `lower` only where the strict upper triangle of C is scratch.
 */
export function gemmNT(
  m: number, n: number, k: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
  lower: boolean,
): void {
  for (let k0 = 0; k0 < k; k0 += K_CHUNK) {
    const kc = Math.min(K_CHUNK, k - k0);
    for (let i = 0; i < m; i += 4) {
      const ih = Math.min(4, m - i);
      const jEnd = lower ? Math.min(n, i + ih) : n;
      for (let j = 0; j < jEnd; j += 4) {
        const jw = Math.min(4, jEnd - j);
        const aRow = ao + i * lda + k0;
        const bRow = bo + j * ldb + k0;
        const cAt = co + i * ldc + j;
        if (ih === 4 && jw === 4) tile44(kc, a, aRow, lda, b, bRow, ldb, c, cAt, ldc);
        else tileAny(ih, jw, kc, a, aRow, lda, b, bRow, ldb, c, cAt, ldc);
      }
    }
  }
}

function tile44(k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  const a0 = ao, a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda;
  const b0 = bo, b1 = bo + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let t = 0; t < k; t++) {
    const y0 = b[b0 + t]!, y1 = b[b1 + t]!, y2 = b[b2 + t]!, y3 = b[b3 + t]!;
    let x = a[a0 + t]!;
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[a1 + t]!;
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[a2 + t]!;
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[a3 + t]!;
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  let r = co;
  c[r] = c[r]! - c00; c[r + 1] = c[r + 1]! - c01; c[r + 2] = c[r + 2]! - c02; c[r + 3] = c[r + 3]! - c03;
  r += ldc;
  c[r] = c[r]! - c10; c[r + 1] = c[r + 1]! - c11; c[r + 2] = c[r + 2]! - c12; c[r + 3] = c[r + 3]! - c13;
  r += ldc;
  c[r] = c[r]! - c20; c[r + 1] = c[r + 1]! - c21; c[r + 2] = c[r + 2]! - c22; c[r + 3] = c[r + 3]! - c23;
  r += ldc;
  c[r] = c[r]! - c30; c[r + 1] = c[r + 1]! - c31; c[r + 2] = c[r + 2]! - c32; c[r + 3] = c[r + 3]! - c33;
}

function tileAny(ih: number, jw: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  for (let i = 0; i < ih; i++) {
    const ar = ao + i * lda;
    for (let j = 0; j < jw; j++) {
      const br = bo + j * ldb;
      let s0 = 0;
      let s1 = 0;
      let t = 0;
      for (; t + 1 < k; t += 2) {
        s0 += a[ar + t]! * b[br + t]!;
        s1 += a[ar + t + 1]! * b[br + t + 1]!;
      }
      if (t < k) s0 += a[ar + t]! * b[br + t]!;
      c[co + i * ldc + j]! -= s0 + s1;
    }
  }
}

/** Column-block width of the blocked Cholesky. */
const NB = 48;

/**
 * Partial Cholesky of the symmetric `m x m` matrix F (row-major, lower triangle used, leading
 * dimension `m`, at offset `fo`): factors the leading `w` columns in place,
 * `F = [L11; L21] [L11; L21]^T + [0, 0; 0, S]`, leaving the Schur complement
 * `S = F22 - L21 L21^T` in the trailing block's lower triangle (`w = m`: a full Cholesky).
 * Blocked right-looking: an unblocked Crout panel of `NB` columns, then a `gemmNT` update.
 * Returns -1 on success, else the local index of the first pivot that is not positive and finite.
 */
export function partialCholesky(f: Float64Array, fo: number, m: number, w: number): number {
  for (let j0 = 0; j0 < w; j0 += NB) {
    const jb = Math.min(NB, w - j0);
    for (let j = j0; j < j0 + jb; j++) {
      const jr = fo + j * m;
      let d = f[jr + j]!;
      for (let t = j0; t < j; t++) d -= f[jr + t]! * f[jr + t]!;
      if (!(d > 0 && d < Infinity)) return j;
      d = Math.sqrt(d);
      f[jr + j] = d;
      panelColumn(f, fo, m, j0, j, 1 / d);
    }
    const s = j0 + jb;
    if (s < m) gemmNT(m - s, m - s, jb, f, fo + s * m + j0, m, f, fo + s * m + j0, m, f, fo + s * m + s, m, true);
  }
  return -1;
}

/**
 * Column j of the panel below the diagonal: `F[i][j] = (F[i][j] - sum_{t in [j0, j)} F[i][t] F[j][t]) * inv`
 * for `i > j`, four rows at a time (independent accumulators, shared loads of row j).
 */
function panelColumn(f: Float64Array, fo: number, m: number, j0: number, j: number, inv: number): void {
  const jr = fo + j * m;
  let i = j + 1;
  for (; i + 4 <= m; i += 4) {
    const r0 = fo + i * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    let s0 = f[r0 + j]!;
    let s1 = f[r1 + j]!;
    let s2 = f[r2 + j]!;
    let s3 = f[r3 + j]!;
    for (let t = j0; t < j; t++) {
      const lj = f[jr + t]!;
      s0 -= f[r0 + t]! * lj;
      s1 -= f[r1 + t]! * lj;
      s2 -= f[r2 + t]! * lj;
      s3 -= f[r3 + t]! * lj;
    }
    f[r0 + j] = s0 * inv;
    f[r1 + j] = s1 * inv;
    f[r2 + j] = s2 * inv;
    f[r3 + j] = s3 * inv;
  }
  for (; i < m; i++) {
    const ir = fo + i * m;
    let s = f[ir + j]!;
    for (let t = j0; t < j; t++) s -= f[ir + t]! * f[jr + t]!;
    f[ir + j] = s * inv;
  }
}

/** `C -= tile` for a 4 x 4 tile held in registers. */
export function storeTile(
  c: Float64Array, co: number, ldc: number,
  c00: number, c01: number, c02: number, c03: number, c10: number, c11: number, c12: number, c13: number,
  c20: number, c21: number, c22: number, c23: number, c30: number, c31: number, c32: number, c33: number,
): void {
  let r = co;
  c[r] = c[r]! - c00; c[r + 1] = c[r + 1]! - c01; c[r + 2] = c[r + 2]! - c02; c[r + 3] = c[r + 3]! - c03;
  r += ldc;
  c[r] = c[r]! - c10; c[r + 1] = c[r + 1]! - c11; c[r + 2] = c[r + 2]! - c12; c[r + 3] = c[r + 3]! - c13;
  r += ldc;
  c[r] = c[r]! - c20; c[r + 1] = c[r + 1]! - c21; c[r + 2] = c[r + 2]! - c22; c[r + 3] = c[r + 3]! - c23;
  r += ldc;
  c[r] = c[r]! - c30; c[r + 1] = c[r + 1]! - c31; c[r + 2] = c[r + 2]! - c32; c[r + 3] = c[r + 3]! - c33;
}
