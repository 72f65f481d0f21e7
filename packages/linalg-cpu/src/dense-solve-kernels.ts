import { storeTile } from './dense-kernels.js';

/**
 * Dense kernels of the triangular solves with a block of right-hand sides (row-major
 * `Float64Array`, `(array, offset, leading dimension)` addressing as in `dense-kernels.ts`): the
 * panel products `C -= A B` and `C -= A^T B` with 4 x 4 register tiles, and in-place triangular
 * solves with the diagonal block of a supernode panel.
 */

/**
 * `C -= A B` for the `m x n` block C, with A `m x k` and B `k x n` (row-major): 4 x 4 register
 * tiles, the inner loop over k reads a column of A and a contiguous row piece of B.
 */
export function gemmNN(
  m: number, n: number, k: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
): void {
  if (n === 1) {
    for (let i = 0; i < m; i++) {
      const ar = ao + i * lda;
      let s0 = 0;
      let s1 = 0;
      let t = 0;
      for (; t + 1 < k; t += 2) {
        s0 += a[ar + t]! * b[bo + t * ldb]!;
        s1 += a[ar + t + 1]! * b[bo + (t + 1) * ldb]!;
      }
      if (t < k) s0 += a[ar + t]! * b[bo + t * ldb]!;
      c[co + i * ldc]! -= s0 + s1;
    }
    return;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let r = 0;
    for (; r + 4 <= n; r += 4) nn44(k, a, ao + i * lda, lda, b, bo + r, ldb, c, co + i * ldc + r, ldc);
    if (r < n) nnAny(4, n - r, k, a, ao + i * lda, lda, b, bo + r, ldb, c, co + i * ldc + r, ldc);
  }
  if (i < m) nnAny(m - i, n, k, a, ao + i * lda, lda, b, bo, ldb, c, co + i * ldc, ldc);
}

function nn44(k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let t = 0; t < k; t++) {
    const bt = bo + t * ldb;
    const y0 = b[bt]!, y1 = b[bt + 1]!, y2 = b[bt + 2]!, y3 = b[bt + 3]!;
    let x = a[ao + t]!;
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[ao + lda + t]!;
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[ao + 2 * lda + t]!;
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[ao + 3 * lda + t]!;
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  storeTile(c, co, ldc, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
}

function nnAny(ih: number, jw: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  for (let i = 0; i < ih; i++) {
    for (let t = 0; t < k; t++) {
      const x = a[ao + i * lda + t]!;
      if (x === 0) continue;
      const bt = bo + t * ldb;
      const ci = co + i * ldc;
      for (let r = 0; r < jw; r++) c[ci + r]! -= x * b[bt + r]!;
    }
  }
}

/**
 * `C -= A^T B` for the `m x n` block C, with A `k x m` and B `k x n` (row-major): 4 x 4 register
 * tiles, the inner loop over k reads contiguous row pieces of A and B.
 */
export function gemmTN(
  m: number, n: number, k: number,
  a: Float64Array, ao: number, lda: number,
  b: Float64Array, bo: number, ldb: number,
  c: Float64Array, co: number, ldc: number,
): void {
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    let r = 0;
    for (; r + 4 <= n; r += 4) tn44(k, a, ao + j, lda, b, bo + r, ldb, c, co + j * ldc + r, ldc);
    if (r < n) tnAny(4, n - r, k, a, ao + j, lda, b, bo + r, ldb, c, co + j * ldc + r, ldc);
  }
  if (j < m) tnAny(m - j, n, k, a, ao + j, lda, b, bo, ldb, c, co + j * ldc, ldc);
}

function tn44(k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let t = 0; t < k; t++) {
    const at = ao + t * lda;
    const bt = bo + t * ldb;
    const y0 = b[bt]!, y1 = b[bt + 1]!, y2 = b[bt + 2]!, y3 = b[bt + 3]!;
    let x = a[at]!;
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[at + 1]!;
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[at + 2]!;
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[at + 3]!;
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  storeTile(c, co, ldc, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
}

function tnAny(jh: number, rw: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, c: Float64Array, co: number, ldc: number): void {
  for (let t = 0; t < k; t++) {
    const at = ao + t * lda;
    const bt = bo + t * ldb;
    for (let j = 0; j < jh; j++) {
      const x = a[at + j]!;
      if (x === 0) continue;
      const cj = co + j * ldc;
      for (let r = 0; r < rw; r++) c[cj + r]! -= x * b[bt + r]!;
    }
  }
}

/**
 * `L11 y = y` in place for the `w x w` lower triangle of a panel (row-major, leading dimension
 * `ldl`, offset `lo`) and a block of `count` right-hand sides at `y[yo ..]` (row-major).
 */
export function lowerSolve(l: Float64Array, lo: number, ldl: number, w: number, y: Float64Array, yo: number, count: number): void {
  for (let i = 0; i < w; i++) {
    const lr = lo + i * ldl;
    const yi = yo + i * count;
    if (count === 1) {
      let s = y[yi]!;
      for (let j = 0; j < i; j++) s -= l[lr + j]! * y[yo + j]!;
      y[yi] = s / l[lr + i]!;
      continue;
    }
    for (let j = 0; j < i; j++) {
      const v = l[lr + j]!;
      if (v === 0) continue;
      const yj = yo + j * count;
      for (let r = 0; r < count; r++) y[yi + r]! -= v * y[yj + r]!;
    }
    const inv = 1 / l[lr + i]!;
    for (let r = 0; r < count; r++) y[yi + r]! *= inv;
  }
}

/** `L11^T y = y` in place (same storage as `lowerSolve`). */
export function lowerTransposeSolve(l: Float64Array, lo: number, ldl: number, w: number, y: Float64Array, yo: number, count: number): void {
  for (let i = w - 1; i >= 0; i--) {
    const lr = lo + i * ldl;
    const yi = yo + i * count;
    const inv = 1 / l[lr + i]!;
    if (count === 1) {
      const v = (y[yi]! *= inv);
      if (v !== 0) for (let j = 0; j < i; j++) y[yo + j]! -= l[lr + j]! * v;
      continue;
    }
    for (let r = 0; r < count; r++) y[yi + r]! *= inv;
    for (let j = 0; j < i; j++) {
      const v = l[lr + j]!;
      if (v === 0) continue;
      const yj = yo + j * count;
      for (let r = 0; r < count; r++) y[yj + r]! -= v * y[yi + r]!;
    }
  }
}

/**
 * Forward step of a supernode on a gathered block `y` (`rows x count`, row-major): with
 * `L` the `rows x w` panel (row-major, leading dimension `ldl`, offset `lo`), solves
 * `L11 y_top = y_top` and sets `y_bottom -= L21 y_top`.
 */
export function forwardPanel(l: Float64Array, lo: number, ldl: number, rows: number, w: number, y: Float64Array, count: number): void {
  lowerSolve(l, lo, ldl, w, y, 0, count);
  if (rows > w) gemmNN(rows - w, count, w, l, lo + w * ldl, ldl, y, 0, count, y, w * count, count);
}

/**
 * Backward step of a supernode on a gathered block `y` (`rows x count`): sets
 * `y_top -= L21^T y_bottom`, then solves `L11^T y_top = y_top` (same storage as `forwardPanel`).
 */
export function backwardPanel(l: Float64Array, lo: number, ldl: number, rows: number, w: number, y: Float64Array, count: number): void {
  if (rows > w) gemmTN(w, count, rows - w, l, lo + w * ldl, ldl, y, w * count, count, y, 0, count);
  lowerTransposeSolve(l, lo, ldl, w, y, 0, count);
}
