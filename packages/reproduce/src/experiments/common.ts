import type { Circuit, Sample } from '@ohmlab/graph';
import { labFor, type Lab } from '../lab/index.js';
import type { Rng } from '../rng.js';
import type { ExperimentContext } from '../types.js';

/** The lab (numerical port) of an experiment context. */
export function lab(ctx: ExperimentContext<unknown>): Lab {
  return labFor(ctx.backend);
}

/** A random direction of Euclidean norm `size` (seeded), for perturbing conductances. */
export function perturbation(rng: Rng, length: number, size: number): Float64Array {
  const v = Float64Array.from({ length }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => (x / n) * size);
}

/** `k + delta`, elementwise. */
export function plus(k: ArrayLike<number>, delta: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: k.length }, (_, j) => (k[j] as number) + (delta[j] as number));
}

/**
 * `count` samples from a full-rank Gaussian over (free inputs, targets): covariance `A A^T + 0.01 I`
 * with a random `A`, mean 0.5 for inputs and targets. The last input (ground) stays at 0 V.
 */
export function gaussianSamples(c: Circuit, count: number, rng: Rng): Sample[] {
  const nIn = c.inputNodes.length - 1;
  const nOut = c.outputNodes.length;
  const d = nIn + nOut;
  const a = Float64Array.from({ length: d * d }, () => 0.3 * rng.normal());
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = i === j ? 0.1 * 0.1 : 0;
    for (let q = 0; q < d; q++) s += (a[i * d + q] as number) * (a[j * d + q] as number);
    cov[i * d + j] = s;
  }
  // Cholesky of the covariance.
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) {
    let s = cov[i * d + j] as number;
    for (let q = 0; q < j; q++) s -= (l[i * d + q] as number) * (l[j * d + q] as number);
    l[i * d + j] = i === j ? Math.sqrt(s) : s / (l[j * d + j] as number);
  }
  return Array.from({ length: count }, () => {
    const z = Float64Array.from({ length: d }, () => rng.normal());
    const x = Float64Array.from({ length: d }, (_, i) => {
      let s = 0.5;
      for (let q = 0; q <= i; q++) s += (l[i * d + q] as number) * (z[q] as number);
      return s;
    });
    return { inputs: Float64Array.from([...x.subarray(0, nIn), 0]), targets: x.slice(nIn) };
  });
}

/** Evenly spaced samples of a trajectory's conductances of one edge. */
export function edgeSeries(conductances: readonly Float64Array[], edge: number): Float64Array {
  return Float64Array.from(conductances, (k) => k[edge] as number);
}
