import type { Circuit } from '@ohmlab/graph';
import type { NudgeSpec, Rule } from '../lab.js';
import { reachable } from '../circuits.js';
import { drops, nodeCurrent, solveDense } from './dense-solve.js';

/** One input/target pair (the circuit's own values when it has no `samples`). */
export interface SampleIO {
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

/** The dataset of a circuit: its `samples`, or its own inputs and targets as one sample. */
export function samplesOf(c: Circuit): readonly SampleIO[] {
  return c.samples !== undefined && c.samples.length > 0 ? c.samples : [{ inputs: c.inputValues, targets: c.targets }];
}

/** Per-sample states of THEORY.md "States": base state x^0 (free or reference) and clamped xh. */
export function states(c: Circuit, k: Float64Array, s: SampleIO, rule: Rule): { x0: Float64Array; xh: Float64Array; residual: Float64Array; mu: Float64Array } {
  const inNodes = Array.from(c.inputNodes);
  const outNodes = Array.from(c.outputNodes);
  const zerosIn = inNodes.map(() => 0);
  const reached = reachable(c, k, inNodes);
  for (const o of outNodes) if (!reached.has(o)) throw new Error(`output node ${o} has no path to an input (edges removed)`);
  if (rule === 'AL') {
    const xr = solveDense(c, k, [...inNodes, ...outNodes], [...s.inputs, ...s.targets]);
    const mu = Float64Array.from(outNodes, (o) => nodeCurrent(c, k, xr, o));
    const xh = solveDense(c, k, [...inNodes, ...outNodes], [...zerosIn, ...mu]);
    return { x0: xr, xh, residual: new Float64Array(outNodes.length), mu };
  }
  const xf = solveDense(c, k, inNodes, Array.from(s.inputs));
  const residual = Float64Array.from(outNodes, (o, i) => (xf[o] as number) - (s.targets[i] as number));
  const err = Array.from(residual, (r) => -r);
  const xh = rule === 'EP'
    ? solveDense(c, k, inNodes, zerosIn, new Map(outNodes.map((o, i) => [o, err[i] as number])))
    : solveDense(c, k, [...inNodes, ...outNodes], [...zerosIn, ...err]);
  return { x0: xf, xh, residual, mu: new Float64Array(0) };
}

/** Batched `dk/dt` of a rule (THEORY.md "Learning rules"); removed edges (k = 0) stay at 0. */
export function velocityOf(c: Circuit, k: Float64Array, spec: NudgeSpec): Float64Array {
  const m = k.length;
  const v = new Float64Array(m);
  const all = samplesOf(c);
  for (const s of all) {
    const { x0, xh } = states(c, k, s, spec.rule);
    const dv0 = drops(c, x0);
    const dvh = drops(c, xh);
    const correction = spec.symmetric === true ? 0 : spec.eta / 2;
    for (let j = 0; j < m; j++) {
      if (k[j] === 0) continue;
      v[j] = (v[j] as number) - ((dv0[j] as number) * (dvh[j] as number) + correction * (dvh[j] as number) ** 2) / all.length;
    }
  }
  return v;
}

/** Batched EP/CL loss or AL adjoint loss. */
export function lossOf(c: Circuit, k: Float64Array, rule: Rule): number {
  const all = samplesOf(c);
  let total = 0;
  for (const s of all) {
    const st = states(c, k, s, rule === 'AL' ? 'AL' : 'EP');
    const vec = rule === 'AL' ? st.mu : st.residual;
    total += 0.5 * vec.reduce((a, r) => a + r * r, 0);
  }
  return total / all.length;
}

/** `sum_j k_j^2`. */
export function mass(k: Float64Array): number {
  return k.reduce((a, x) => a + x * x, 0);
}

/** `1/2 r^T D r`, D = G^{-1}, G = output block of the grounded-input response (small p, dense). */
export function weightedLossOf(c: Circuit, k: Float64Array): number {
  const inNodes = Array.from(c.inputNodes);
  const outNodes = Array.from(c.outputNodes);
  const p = outNodes.length;
  const g = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const xh = solveDense(c, k, inNodes, inNodes.map(() => 0), new Map([[outNodes[i] as number, 1]]));
    for (let q = 0; q < p; q++) g[q * p + i] = xh[outNodes[q] as number] as number;
  }
  const all = samplesOf(c);
  let total = 0;
  for (const s of all) {
    const { residual } = states(c, k, s, 'EP');
    // Solve G z = r by elimination (G is SPD and tiny), then 1/2 r^T z.
    const a = Float64Array.from(g);
    const z = Float64Array.from(residual);
    for (let col = 0; col < p; col++) {
      const piv = a[col * p + col] as number;
      for (let r = col + 1; r < p; r++) {
        const f = (a[r * p + col] as number) / piv;
        for (let q = col; q < p; q++) a[r * p + q] = (a[r * p + q] as number) - f * (a[col * p + q] as number);
        z[r] = (z[r] as number) - f * (z[col] as number);
      }
    }
    for (let r = p - 1; r >= 0; r--) {
      let acc = z[r] as number;
      for (let q = r + 1; q < p; q++) acc -= (a[r * p + q] as number) * (z[q] as number);
      z[r] = acc / (a[r * p + r] as number);
    }
    total += 0.5 * residual.reduce((acc, r, i) => acc + r * (z[i] as number), 0);
  }
  return total / all.length;
}
