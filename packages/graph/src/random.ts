/** A seeded uniform generator on [0, 1): Mulberry32 (32-bit state; deterministic for a seed). */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform generator. */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `count` conductances drawn uniformly from `[low, high)`. */
export function uniformConductances(count: number, random: Random, low = 0.5, high = 1.5): Float64Array {
  const k = new Float64Array(count);
  for (let j = 0; j < count; j++) k[j] = low + (high - low) * random();
  return k;
}
