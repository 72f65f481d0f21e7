import { SolverError } from '@ohmlab/linalg-cpu';
import type { FusedTrainerRequest } from '@ohmlab/linalg-cpu';

/** Per-edge parametrisation of a fused run (the shared `FusedTrainerRequest['parametrisation']` entries). */
export type FusedParametrisation = 'conductance' | 'resistance' | 'log';

/** Kind codes per edge (the kernel's `kindOf`): 0 conductance `k = theta`, 1 resistance `k = 1/theta`, 2 log `k = exp(theta)`. */
export const CONDUCTANCE = 0;
export const RESISTANCE = 1;
export const LOG = 2;
/** The kernel's uniform-kind constant when the edges mix kinds (read per edge from the topology). */
export const MIXED = 3;

const CODES: Record<FusedParametrisation, number> = { conductance: CONDUCTANCE, resistance: RESISTANCE, log: LOG };

function codeOf(name: string, value: unknown): number {
  const c = CODES[value as FusedParametrisation];
  if (c === undefined) throw new SolverError(`${name} must be "conductance", "resistance" or "log", got ${JSON.stringify(value)}`);
  return c;
}

/** Per-edge kind codes of a request (default conductance); throws `SolverError` for a bad entry. */
export function parametrisationKinds(spec: FusedTrainerRequest['parametrisation'], m: number): Uint8Array {
  const kinds = new Uint8Array(m);
  if (spec === undefined) return kinds;
  if (typeof spec === 'string') return kinds.fill(codeOf('parametrisation', spec));
  if (spec.length !== m) throw new SolverError(`parametrisation has ${spec.length} entries; the network has ${m} edges (one per edge, or one string for all)`);
  spec.forEach((s, j) => (kinds[j] = codeOf(`parametrisation[${j}]`, s)));
  return kinds;
}

/** One kind shared by every edge, or MIXED. */
export function uniformKind(kinds: Uint8Array): number {
  const first = kinds[0] ?? CONDUCTANCE;
  return kinds.every((k) => k === first) ? first : MIXED;
}

/** `k = f(theta)` of one edge as `@ohmlab/learners` computes it: theta, 1/theta, exp(theta). */
export function conductanceOf(kind: number, theta: number): number {
  return kind === CONDUCTANCE ? theta : kind === RESISTANCE ? 1 / theta : Math.exp(theta);
}

/** `f'(theta) = dk/dtheta` as `@ohmlab/learners` computes it: 1, -1/theta^2, exp(theta). */
export function conductanceSlope(kind: number, theta: number): number {
  return kind === CONDUCTANCE ? 1 : kind === RESISTANCE ? -1 / (theta * theta) : Math.exp(theta);
}

/** theta from a positive conductance: k, 1/k, log k (0 for a resistance edge whose k is 0). */
export function parameterOf(kind: number, k: number): number {
  return kind === CONDUCTANCE ? k : kind === RESISTANCE ? (k > 0 ? 1 / k : 0) : Math.log(k);
}

/**
 * Initial parameters (`circuits x m`): the request's `parameters`, or theta from `conductances`.
 * Throws `SolverError` for a value that is not finite, a conductance <= 0, or a resistance <= 0.
 */
export function initialParameters(request: FusedTrainerRequest, kinds: Uint8Array): Float64Array {
  const { conductances, parameters } = request;
  const m = kinds.length;
  conductances.forEach((k, i) => {
    if (!(k > 0 && Number.isFinite(k))) throw new SolverError(`conductances[${i}] is ${k}; initial conductances must be finite and > 0`);
  });
  if (parameters !== undefined && parameters.length !== conductances.length) {
    throw new SolverError(`parameters has ${parameters.length} entries; expected ${conductances.length}, as conductances`);
  }
  const theta = parameters ? parameters.slice() : conductances.map((k, i) => parameterOf(kinds[i % m]!, k));
  theta.forEach((t, i) => {
    if (!Number.isFinite(t) || (kinds[i % m] !== LOG && !(t > 0))) throw new SolverError(`parameters[${i}] is ${t}; conductances and resistances must start finite and > 0`);
  });
  return theta;
}

/** Conductances of a step: `f(theta)`, or 0 for removed edges and conductance/resistance parameters <= 0. */
export function stepConductances(kinds: Uint8Array, theta: Float64Array, removed: Uint8Array): Float64Array {
  const m = kinds.length;
  return theta.map((t, i) => (removed[i] || (kinds[i % m] !== LOG && t <= 0) ? 0 : conductanceOf(kinds[i % m]!, t)));
}
