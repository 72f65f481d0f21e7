import type { Rng } from '../rng.js';
import type { ExperimentContext } from '../types.js';

/** A random direction of Euclidean norm `size` (seeded), for perturbing conductances. */
export function perturbation(rng: Rng, length: number, size: number): Float64Array {
  const v = Float64Array.from({ length }, () => rng.normal());
  const n = norm(v);
  return v.map((x) => (x / n) * size);
}

/** `a + b`, elementwise. */
export function plus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, j) => (a[j] as number) + (b[j] as number));
}

/** `a - b`, elementwise. */
export function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, j) => (a[j] as number) - (b[j] as number));
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

/**
 * Progress of run `index` of `count` runs inside an experiment, as the fraction callback the
 * trainers take (forwards to `ctx.progress`, which throws when the run was aborted).
 */
export function runProgress(ctx: ExperimentContext<unknown>, index: number, count: number, message: string): (fraction: number) => void {
  ctx.progress(index, count, message);
  return (fraction) => ctx.progress(index + fraction, count, message);
}

/** Display name of a learners rule. */
export function ruleName(rule: 'ep' | 'cl' | 'al'): string {
  return rule.toUpperCase();
}
