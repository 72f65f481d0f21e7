/** Prints a vector compactly: the first `limit` entries, then how many were left out. */
export function formatVector(values: ArrayLike<number>, limit = 8): string {
  const shown = Array.from({ length: Math.min(limit, values.length) }, (_, i) => fmt(values[i]!));
  const more = values.length > limit ? ` ... (${values.length - limit} more)` : '';
  return `[${shown.join(', ')}]${more}`;
}

export function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toPrecision(6).replace(/\.?0+$/, '') : x.toExponential(4);
}
