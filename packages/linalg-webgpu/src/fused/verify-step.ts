import { parameterOf } from './fused-parameters.js';
import type { FusedPlan } from './fused-request.js';
import { applyUpdate, hostContrast } from './host-step.js';

/** What a float64 check of one GPU step found. */
export interface StepCheck {
  /** Largest float64 relative residual over states and samples (the solver's measure). */
  readonly residual: number;
  /** Largest |theta_gpu - theta_host| relative to max |theta|, theta_host from the GPU's states. */
  readonly update: number;
}

/** Position of each node in `nodes`, -1 elsewhere. */
function indexOf(nodes: Uint32Array, n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  nodes.forEach((v, i) => (out[v] = i));
  return out;
}

/** Held voltages and injected currents the rule prescribes for state `st`, given the base state and e. */
function boundaryOf(plan: FusedPlan, st: number, base: Float64Array, e: Float64Array) {
  const { request, eta } = plan;
  const { rule, nudge, inputNodes, outputNodes, samples } = request;
  const p = outputNodes.length;
  const nIn = inputNodes.length;
  const clamped = st > 0 && nudge === 'zero';
  const w = st === 0 ? 0 : nudge === 'zero' ? 1 : st === 1 ? eta : -eta;
  const systemB = st === 0 ? rule === 'al' : rule !== 'ep';
  const inputIndex = indexOf(inputNodes, plan.n);
  const outputIndex = indexOf(outputNodes, plan.n);
  const held = (s: number, node: number): number | undefined => {
    const i = inputIndex[node]!;
    if (i >= 0) return clamped ? 0 : samples.inputs[s * nIn + i]!;
    const o = outputIndex[node]!;
    if (o < 0 || !systemB) return undefined;
    const t = samples.targets[s * p + o]!;
    if (st === 0) return t;
    const anchor = clamped ? 0 : rule === 'al' ? t : base[s * plan.n + node]!;
    return anchor + w * e[s * p + o]!;
  };
  const injected = (s: number, node: number): number => {
    const o = outputIndex[node]!;
    return rule === 'ep' && st > 0 && o >= 0 ? w * e[s * p + o]! : 0;
  };
  return { held, injected };
}

/** e per sample and output from the base state: `t - y` (EP, CL) or `mu = (L x^r)_O` (AL). */
function errorSignal(plan: FusedPlan, k: Float64Array, base: Float64Array): Float64Array {
  const { network, outputNodes, samples, rule } = plan.request;
  const p = outputNodes.length;
  const n = plan.n;
  const e = new Float64Array(plan.samples * p);
  const outputIndex = indexOf(outputNodes, n);
  for (let s = 0; s < plan.samples; s++) {
    if (rule !== 'al') {
      for (let o = 0; o < p; o++) e[s * p + o] = samples.targets[s * p + o]! - base[s * n + outputNodes[o]!]!;
      continue;
    }
    for (let j = 0; j < plan.m; j++) {
      const a = network.edgeFrom[j]!;
      const b = network.edgeTo[j]!;
      const flow = k[j]! * (base[s * n + a]! - base[s * n + b]!);
      const oa = outputIndex[a]!;
      const ob = outputIndex[b]!;
      if (oa >= 0) e[s * p + oa]! += flow;
      if (ob >= 0) e[s * p + ob]! -= flow;
    }
  }
  return e;
}

/** Float64 relative residual (free nodes of the state's system) of one state, worst sample. */
function stateResidual(plan: FusedPlan, k: Float64Array, x: Float64Array, st: number, base: Float64Array, e: Float64Array): number {
  const { network } = plan.request;
  const n = plan.n;
  const { held, injected } = boundaryOf(plan, st, base, e);
  let worst = 0;
  for (let s = 0; s < plan.samples; s++) {
    const v = Float64Array.from({ length: n }, (_, i) => held(s, i) ?? x[s * n + i]!);
    const r = new Float64Array(n);
    const coupling = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = injected(s, i);
    for (let j = 0; j < plan.m; j++) {
      const a = network.edgeFrom[j]!;
      const b = network.edgeTo[j]!;
      const flow = k[j]! * (v[a]! - v[b]!);
      r[a]! -= flow;
      r[b]! += flow;
      if (held(s, b) !== undefined) coupling[a]! += k[j]! * v[b]!;
      if (held(s, a) !== undefined) coupling[b]! += k[j]! * v[a]!;
    }
    let rr = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      if (held(s, i) !== undefined) continue;
      rr += r[i]! ** 2;
      scale += injected(s, i) ** 2 + coupling[i]! ** 2;
    }
    const rel = scale > 0 ? Math.sqrt(rr / scale) : Math.sqrt(rr);
    if (!(rel <= worst)) worst = rel;
  }
  return worst;
}

/**
 * Float64 check of the last GPU step of one circuit: the residual of every state read back (with
 * the held voltages and injections recomputed on the host from the GPU's base state, so a wrong
 * boundary condition shows as a residual), and the update recomputed from those states.
 */
export function verifyStep(plan: FusedPlan, kUsed: Float64Array, states: readonly Float64Array[], thetaAfter: Float64Array, removedBefore: Uint8Array, step: number): StepCheck {
  const base = states[0]!;
  const e = errorSignal(plan, kUsed, base);
  let residual = 0;
  states.forEach((x, st) => {
    const r = stateResidual(plan, kUsed, x, st, base, e);
    if (!(r <= residual)) residual = r;
  });
  // theta before the step from the conductances it used (exact for conductance edges; ~1e-14 relative otherwise)
  const theta = kUsed.map((k, j) => parameterOf(plan.kinds[j]!, k));
  applyUpdate(plan, theta, removedBefore.slice(), hostContrast(plan, states), step);
  let scale = 0;
  let diff = 0;
  for (let j = 0; j < theta.length; j++) {
    scale = Math.max(scale, Math.abs(theta[j]!));
    const d = Math.abs(theta[j]! - thetaAfter[j]!);
    if (!(d <= diff)) diff = d;
  }
  return { residual, update: diff / Math.max(scale, 1e-300) };
}
