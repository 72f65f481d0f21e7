/**
 * Triangular-solve kernels of the supernodal factor for narrow blocks of right-hand sides (the
 * common case: a training step solves 2-4 basis vectors): one right-hand side (`...1`), or four
 * held in a padded block with stride 4 (`...4`, row k at `y[4k .. 4k + 3]`; fewer than four are
 * padded with zeros), so every inner loop is unrolled over the four columns in registers.
 * Panels are row-major: the supernode's `w x w` triangle at `lo` (leading dimension w) and the
 * `u x w` block L21 below it at `lo + w * w`; `rows[ro + i]` is the factor row of L21's row i;
 * the supernode's own rows start at factor row `f` (`yo = f` or `4 f`).
 */

/** `L11 y = y` in place, one right-hand side (row form: dot products along rows of L11). */
export function lowerSolve1(l: Float64Array, lo: number, w: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < w; i++) {
    const lr = lo + i * w;
    let s = y[yo + i]!;
    for (let j = 0; j < i; j++) s -= l[lr + j]! * y[yo + j]!;
    y[yo + i] = s / l[lr + i]!;
  }
}

/** `y[rows] -= L21 y_top`, one right-hand side. */
export function belowForward1(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < u; i++) {
    const lr = lo + i * w;
    let s = 0;
    for (let t = 0; t < w; t++) s += l[lr + t]! * y[yo + t]!;
    y[rows[ro + i]!]! -= s;
  }
}

/** `y_top -= L21^T y[rows]`, one right-hand side; two rows of L21 per pass over y_top. */
export function belowBackward1(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number): void {
  let i = 0;
  for (; i + 2 <= u; i += 2) {
    const a = lo + i * w;
    const b = a + w;
    const ya = y[rows[ro + i]!]!;
    const yb = y[rows[ro + i + 1]!]!;
    for (let t = 0; t < w; t++) y[yo + t]! -= l[a + t]! * ya + l[b + t]! * yb;
  }
  if (i < u) {
    const a = lo + i * w;
    const ya = y[rows[ro + i]!]!;
    for (let t = 0; t < w; t++) y[yo + t]! -= l[a + t]! * ya;
  }
}

/** `L11^T y = y` in place, one right-hand side (column form: axpys along rows of L11). */
export function lowerTransposeSolve1(l: Float64Array, lo: number, w: number, y: Float64Array, yo: number): void {
  for (let i = w - 1; i >= 0; i--) {
    const lr = lo + i * w;
    const v = (y[yo + i] = y[yo + i]! / l[lr + i]!);
    if (v === 0) continue;
    for (let j = 0; j < i; j++) y[yo + j]! -= l[lr + j]! * v;
  }
}

/** `L11 Y = Y` in place for the padded 4-column block. */
export function lowerSolve4(l: Float64Array, lo: number, w: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < w; i++) {
    const lr = lo + i * w;
    const yi = yo + 4 * i;
    let s0 = y[yi]!, s1 = y[yi + 1]!, s2 = y[yi + 2]!, s3 = y[yi + 3]!;
    for (let j = 0, yj = yo; j < i; j++, yj += 4) {
      const v = l[lr + j]!;
      s0 -= v * y[yj]!;
      s1 -= v * y[yj + 1]!;
      s2 -= v * y[yj + 2]!;
      s3 -= v * y[yj + 3]!;
    }
    const d = l[lr + i]!;
    y[yi] = s0 / d;
    y[yi + 1] = s1 / d;
    y[yi + 2] = s2 / d;
    y[yi + 3] = s3 / d;
  }
}

/** `Y[rows] -= L21 Y_top` for the padded 4-column block. */
export function belowForward4(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < u; i++) {
    const lr = lo + i * w;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = 0, yt = yo; t < w; t++, yt += 4) {
      const v = l[lr + t]!;
      s0 += v * y[yt]!;
      s1 += v * y[yt + 1]!;
      s2 += v * y[yt + 2]!;
      s3 += v * y[yt + 3]!;
    }
    const to = 4 * rows[ro + i]!;
    y[to]! -= s0;
    y[to + 1]! -= s1;
    y[to + 2]! -= s2;
    y[to + 3]! -= s3;
  }
}

/** `Y_top -= L21^T Y[rows]` for the padded 4-column block. */
export function belowBackward4(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < u; i++) {
    const lr = lo + i * w;
    const from = 4 * rows[ro + i]!;
    const b0 = y[from]!, b1 = y[from + 1]!, b2 = y[from + 2]!, b3 = y[from + 3]!;
    for (let t = 0, yt = yo; t < w; t++, yt += 4) {
      const v = l[lr + t]!;
      y[yt]! -= v * b0;
      y[yt + 1]! -= v * b1;
      y[yt + 2]! -= v * b2;
      y[yt + 3]! -= v * b3;
    }
  }
}

/** `L11^T Y = Y` in place for the padded 4-column block. */
export function lowerTransposeSolve4(l: Float64Array, lo: number, w: number, y: Float64Array, yo: number): void {
  for (let i = w - 1; i >= 0; i--) {
    const lr = lo + i * w;
    const yi = yo + 4 * i;
    const d = l[lr + i]!;
    const b0 = (y[yi] = y[yi]! / d);
    const b1 = (y[yi + 1] = y[yi + 1]! / d);
    const b2 = (y[yi + 2] = y[yi + 2]! / d);
    const b3 = (y[yi + 3] = y[yi + 3]! / d);
    for (let j = 0, yj = yo; j < i; j++, yj += 4) {
      const v = l[lr + j]!;
      y[yj]! -= v * b0;
      y[yj + 1]! -= v * b1;
      y[yj + 2]! -= v * b2;
      y[yj + 3]! -= v * b3;
    }
  }
}
