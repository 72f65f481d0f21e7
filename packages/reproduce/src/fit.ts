/**
 * Least-squares fit of `log y = a - rate * t` over the points with `y > floor` and `t` in
 * `[tFrom, tTo]`: the exponential decay rate of a loss curve (paper 1, Fig. 4). NaN if < 3 points.
 */
export function fitDecayRate(t: ArrayLike<number>, y: ArrayLike<number>, options: { floor?: number; tFrom?: number; tTo?: number } = {}): { rate: number; intercept: number; points: number } {
  const floor = options.floor ?? 1e-28;
  let n = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (let i = 0; i < Math.min(t.length, y.length); i++) {
    const ti = t[i] as number;
    const yi = y[i] as number;
    if (!(yi > floor) || ti < (options.tFrom ?? -Infinity) || ti > (options.tTo ?? Infinity)) continue;
    const ly = Math.log(yi);
    n++; st += ti; sy += ly; stt += ti * ti; sty += ti * ly;
  }
  if (n < 3) return { rate: Number.NaN, intercept: Number.NaN, points: n };
  const slope = (n * sty - st * sy) / (n * stt - st * st);
  return { rate: -slope, intercept: (sy - slope * st) / n, points: n };
}

/** Largest `|x_i - x_0| / |x_0|`: the relative drift of a conserved quantity. */
export function maxRelativeChange(x: ArrayLike<number>): number {
  const x0 = x[0] as number;
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - x0) / Math.abs(x0));
  return worst;
}

/**
 * Fit the asymptotic decay rate: keep the points above `relativeFloor * y[0]` (round-off floor),
 * drop the first `skip` fraction of them (transient) and fit `log y` linearly on the rest.
 * Also returns the largest deviation of `log y` from the fitted line (0 = perfectly exponential).
 */
export function fitLateDecay(t: ArrayLike<number>, y: ArrayLike<number>, skip = 0.5, relativeFloor = 1e-20): { rate: number; points: number; maxLogDeviation: number } {
  const y0 = y[0] as number;
  const keep: number[] = [];
  for (let i = 0; i < Math.min(t.length, y.length); i++) if ((y[i] as number) > relativeFloor * y0) keep.push(i);
  const late = keep.slice(Math.floor(keep.length * skip));
  const lt = late.map((i) => t[i] as number);
  const ly = late.map((i) => y[i] as number);
  const fit = fitDecayRate(lt, ly, { floor: 0 });
  let dev = 0;
  for (let i = 0; i < lt.length; i++) dev = Math.max(dev, Math.abs(Math.log(ly[i] as number) - (fit.intercept - fit.rate * (lt[i] as number))));
  return { rate: fit.rate, points: fit.points, maxLogDeviation: fit.points >= 3 ? dev : Number.NaN };
}
