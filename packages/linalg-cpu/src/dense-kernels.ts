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
  storeTile(c, co, ldc, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
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
 * Cholesky of the leading `w` columns of a symmetric `m x m` matrix, on the `m x w` panel alone
 * (row-major at offset `fo`, leading dimension `ld >= w`; only entries `j <= i` of the panel are
 * read): on return the panel holds `[L11; L21]` with `F11 = L11 L11^T`, `F21 = L21 L11^T`. The
 * trailing block `F22` is neither read nor written. Blocked: `NB`-column blocks, left-looking
 * inside a block in groups of 4 columns (their update from the block's earlier columns is a
 * `gemmNT`, the 4 x 4 triangle is solved in registers row by row), right-looking across blocks.
 * Returns -1 on success, else the local index of the first pivot that is not positive and finite.
 */
export function choleskyPanel(f: Float64Array, fo: number, ld: number, m: number, w: number): number {
  for (let j0 = 0; j0 < w; j0 += NB) {
    const j1 = Math.min(j0 + NB, w);
    for (let j = j0; j < j1; j += 4) {
      const c = Math.min(4, j1 - j);
      const at = fo + j * ld;
      if (j > j0) gemmNT(m - j, c, j - j0, f, at + j0, ld, f, at + j0, ld, f, at + j, ld, false);
      const bad = c === 4 ? factorGroup4(f, at + j, ld, m - j) : factorGroup(f, at + j, ld, m - j, c);
      if (bad >= 0) return j + bad;
    }
    if (j1 < w) gemmNT(m - j1, w - j1, j1 - j0, f, fo + j1 * ld + j0, ld, f, fo + j1 * ld + j0, ld, f, fo + j1 * ld + j1, ld, true);
  }
  return -1;
}

/** True when `d` is a usable pivot (positive and finite). */
function usable(d: number): boolean {
  return d > 0 && d < Infinity;
}

/**
 * Factors a group of 4 columns whose updates from earlier columns are done: the 4 x 4 diagonal
 * block at `g` (Cholesky), then rows 4..rows-1 by a triangular solve held in registers.
 * Returns -1, or the index (0..3) of the first bad pivot.
 */
function factorGroup4(f: Float64Array, g: number, ld: number, rows: number): number {
  const r1 = g + ld, r2 = r1 + ld, r3 = r2 + ld;
  let d0 = f[g]!;
  if (!usable(d0)) return 0;
  d0 = Math.sqrt(d0);
  const l10 = f[r1]! / d0, l20 = f[r2]! / d0, l30 = f[r3]! / d0;
  let d1 = f[r1 + 1]! - l10 * l10;
  if (!usable(d1)) return 1;
  d1 = Math.sqrt(d1);
  const l21 = (f[r2 + 1]! - l20 * l10) / d1, l31 = (f[r3 + 1]! - l30 * l10) / d1;
  let d2 = f[r2 + 2]! - l20 * l20 - l21 * l21;
  if (!usable(d2)) return 2;
  d2 = Math.sqrt(d2);
  const l32 = (f[r3 + 2]! - l30 * l20 - l31 * l21) / d2;
  let d3 = f[r3 + 3]! - l30 * l30 - l31 * l31 - l32 * l32;
  if (!usable(d3)) return 3;
  d3 = Math.sqrt(d3);
  f[g] = d0;
  f[r1] = l10; f[r1 + 1] = d1;
  f[r2] = l20; f[r2 + 1] = l21; f[r2 + 2] = d2;
  f[r3] = l30; f[r3 + 1] = l31; f[r3 + 2] = l32; f[r3 + 3] = d3;
  const i0 = 1 / d0, i1 = 1 / d1, i2 = 1 / d2, i3 = 1 / d3;
  for (let r = g + 4 * ld, end = g + rows * ld; r < end; r += ld) {
    const x0 = f[r]! * i0;
    const x1 = (f[r + 1]! - x0 * l10) * i1;
    const x2 = (f[r + 2]! - x0 * l20 - x1 * l21) * i2;
    const x3 = (f[r + 3]! - x0 * l30 - x1 * l31 - x2 * l32) * i3;
    f[r] = x0;
    f[r + 1] = x1;
    f[r + 2] = x2;
    f[r + 3] = x3;
  }
  return -1;
}

/** `factorGroup4` for a group of `c` < 4 columns (the last group of a block), column by column. */
function factorGroup(f: Float64Array, g: number, ld: number, rows: number, c: number): number {
  for (let j = 0; j < c; j++) {
    const jr = g + j * ld;
    let d = f[jr + j]!;
    for (let t = 0; t < j; t++) d -= f[jr + t]! * f[jr + t]!;
    if (!usable(d)) return j;
    d = Math.sqrt(d);
    f[jr + j] = d;
    const inv = 1 / d;
    for (let r = jr + ld, end = g + rows * ld; r < end; r += ld) {
      let x = f[r + j]!;
      for (let t = 0; t < j; t++) x -= f[r + t]! * f[jr + t]!;
      f[r + j] = x * inv;
    }
  }
  return -1;
}

/**
 * Partial Cholesky of the symmetric `m x m` matrix F (row-major, lower triangle used, leading
 * dimension `m`, at offset `fo`): factors the leading `w` columns in place,
 * `F = [L11; L21] [L11; L21]^T + [0, 0; 0, S]`, leaving the Schur complement
 * `S = F22 - L21 L21^T` in the trailing block's lower triangle (`w = m`: a full Cholesky).
 * `choleskyPanel` on the leading columns, then one `gemmNT` for the trailing block.
 * Returns -1 on success, else the local index of the first pivot that is not positive and finite.
 */
export function partialCholesky(f: Float64Array, fo: number, m: number, w: number): number {
  const bad = choleskyPanel(f, fo, m, m, w);
  if (bad >= 0) return bad;
  if (w < m) gemmNT(m - w, m - w, w, f, fo + w * m, m, f, fo + w * m, m, f, fo + w * m + w, m, true);
  return -1;
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
