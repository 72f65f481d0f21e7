import type uPlot from 'uplot';

/**
 * Range, ticks and labels of logarithmic uPlot axes that hold any positive magnitude. uPlot's
 * own log ticks round to at most 16 decimals and loop forever below ~1e-16 (a loss trained to
 * 1e-30 is common), so the lab gives its own.
 */

/** Whole decades around the data (one decade when min = max); [1e-3, 1] without data. */
export function logRange(_plot: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null || !(min > 0) || !(max > 0)) return [1e-3, 1];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  return [10 ** lo, 10 ** hi];
}

/** Decade ticks (every few decades when the range is wide; 2× and 5× ticks when it is narrow). */
export function logSplits(_plot: uPlot, _axis: number, min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const stride = Math.max(1, Math.ceil((hi - lo) / 6));
  const inside = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const splits: number[] = [];
  for (let k = lo; k <= hi; k += stride) if (inside(10 ** k)) splits.push(10 ** k);
  if (hi - lo <= 2) {
    for (let k = lo - 1; k <= hi; k += 1) for (const m of [2, 5]) if (inside(m * 10 ** k)) splits.push(m * 10 ** k);
  }
  return splits.sort((a, b) => a - b);
}

/** Tick labels: plain numbers in [1e-3, 1e4), else `2e-5`-style. */
export function logAxisValues(_plot: uPlot, splits: number[]): string[] {
  return splits.map((v) => {
    if (v === null || !Number.isFinite(v) || v <= 0) return '';
    return v >= 1e-3 && v < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(0).replace('e+', 'e');
  });
}

/** Keeps every tick of {@link logSplits} labelled (uPlot's log default labels decades only). */
export function logFilter(_plot: uPlot, splits: number[]): Array<number | null> {
  return splits;
}
