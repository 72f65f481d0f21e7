import { SolverError } from '@ohmlab/linalg-cpu';
import type { Network } from '@ohmlab/linalg-cpu';

/** The learning rules (shared/THEORY.md "Learning rules"): Equilibrium Propagation, Coupled Learning, Adjoint coupled Learning. */
export type FusedRule = 'ep' | 'cl' | 'al';
/** `zero`: clamped state `xh` (eta ignored); `finite`: `x^eta` vs the base state; `symmetric`: `x^{+eta}` vs `x^{-eta}`. */
export type FusedNudge = 'zero' | 'finite' | 'symmetric';
/** What happens when a conductance reaches its level (0, or `floor` for `clip`): as `@ohmlab/learners`. */
export type FusedBoundary = 'remove' | 'reflect' | 'clip';

/**
 * A discrete training run of one circuit topology, for one or many initial conductance vectors at
 * once (`circuits x edges`), on the conductance parametrisation `k = theta` (THEORY.md "Learning
 * rules"): `k <- k - alpha g` with `g` the rule's edge contrast averaged over all samples
 * (full batch), then the boundary rule. Same semantics as `trainDiscrete` of `@ohmlab/learners`
 * with `parametrisation: 'conductance'` and no `batchSize`.
 */
export interface FusedTrainerRequest {
  /** Wiring (a `Circuit` satisfies it). */
  readonly network: Network;
  readonly inputNodes: Uint32Array;
  readonly outputNodes: Uint32Array;
  /** Initial conductances in siemens, `circuits x edges`, all finite and > 0 (above `floor` for `clip`). */
  readonly conductances: Float64Array;
  /** All samples, in volts: `inputs` is `count x inputNodes`, `targets` is `count x outputNodes`. */
  readonly samples: { readonly count: number; readonly inputs: Float64Array; readonly targets: Float64Array };
  readonly rule: FusedRule;
  readonly nudge: FusedNudge;
  /** Nudge amplitude for `finite` / `symmetric` (finite, nonzero). */
  readonly eta?: number;
  /** Learning rate alpha (> 0): one step is `k <- k - alpha g`, `g` in V^2 (`dE/dk`), so alpha is in S/V^2. */
  readonly alpha: number;
  /** Default `remove`. */
  readonly boundary?: FusedBoundary;
  /** Level of `clip` in siemens (> 0); default `1e-6 * max k`. */
  readonly floor?: number;
  /** Relative residual every GPU state must reach (the solver's measure; default 1e-12). */
  readonly tolerance?: number;
  /** Cap on refinement sweeps per state and step (default 12). */
  readonly maxSweeps?: number;
  /** Steps between float64 host verifications of a GPU step (default 25; 0 = never, not advised). */
  readonly verifyEvery?: number;
}

/** A validated request with its derived sizes. */
export interface FusedPlan {
  readonly request: FusedTrainerRequest;
  readonly circuits: number;
  readonly n: number;
  readonly m: number;
  readonly samples: number;
  readonly eta: number;
  readonly boundary: FusedBoundary;
  /** 0 for remove/reflect, the floor for clip. */
  readonly level: number;
  readonly tolerance: number;
  readonly maxSweeps: number;
  readonly verifyEvery: number;
}

function checkNodes(name: string, nodes: Uint32Array, n: number, seen: Uint8Array): void {
  if (nodes.length === 0) throw new SolverError(`${name} is empty; a training run needs at least one`);
  for (const v of nodes) {
    if (!(v < n)) throw new SolverError(`${name} has node ${v}, out of range 0..${n - 1}`);
    if (seen[v]) throw new SolverError(`node ${v} appears twice in inputNodes/outputNodes; they must be distinct`);
    seen[v] = 1;
  }
}

/** Validates a request; throws `SolverError` naming the field and how to fix it. */
export function planFusedTraining(request: FusedTrainerRequest): FusedPlan {
  const { network, inputNodes, outputNodes, conductances, samples, rule, nudge, alpha } = request;
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  if (!Number.isInteger(n) || n < 2 || network.edgeTo.length !== m || m < 1) throw new SolverError('network needs >= 2 nodes and edgeFrom/edgeTo of one length >= 1');
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    if (!(u < n && w < n) || u === w) throw new SolverError(`edge ${j} (${u} -> ${w}) is out of range or a self-loop`);
  }
  const seen = new Uint8Array(n);
  checkNodes('inputNodes', inputNodes, n, seen);
  checkNodes('outputNodes', outputNodes, n, seen);
  if (!['ep', 'cl', 'al'].includes(rule)) throw new SolverError(`rule must be "ep", "cl" or "al", got ${JSON.stringify(rule)}`);
  if (!['zero', 'finite', 'symmetric'].includes(nudge)) throw new SolverError(`nudge must be "zero", "finite" or "symmetric", got ${JSON.stringify(nudge)}`);
  const eta = nudge === 'zero' ? 0 : (request.eta ?? Number.NaN);
  if (nudge !== 'zero' && !(Number.isFinite(eta) && eta !== 0)) throw new SolverError(`nudge "${nudge}" needs a finite nonzero eta, got ${request.eta}`);
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new SolverError(`alpha must be finite and > 0, got ${alpha}`);
  if (conductances.length === 0 || conductances.length % m !== 0) throw new SolverError(`conductances has ${conductances.length} entries; expected circuits x ${m} edges`);
  let kmax = 0;
  for (let i = 0; i < conductances.length; i++) {
    const k = conductances[i]!;
    if (!(k > 0 && Number.isFinite(k))) throw new SolverError(`conductances[${i}] is ${k}; initial conductances must be finite and > 0`);
    kmax = Math.max(kmax, k);
  }
  const S = samples.count;
  if (!Number.isInteger(S) || S < 1) throw new SolverError(`samples.count must be a positive integer, got ${S}`);
  if (samples.inputs.length !== S * inputNodes.length || samples.targets.length !== S * outputNodes.length) {
    throw new SolverError(`samples need inputs of ${S} x ${inputNodes.length} and targets of ${S} x ${outputNodes.length} values`);
  }
  if (![...samples.inputs, ...samples.targets].every(Number.isFinite)) throw new SolverError('samples hold a non-finite value');
  const boundary = request.boundary ?? 'remove';
  if (!['remove', 'reflect', 'clip'].includes(boundary)) throw new SolverError(`boundary must be "remove", "reflect" or "clip", got ${JSON.stringify(boundary)}`);
  const level = boundary === 'clip' ? (request.floor ?? 1e-6 * kmax) : 0;
  if (boundary === 'clip') {
    if (!(level > 0 && Number.isFinite(level))) throw new SolverError(`floor must be finite and > 0 for boundary "clip", got ${level}`);
    if (!conductances.every((k) => k > level)) throw new SolverError(`a conductance starts at or below the clip floor ${level}; lower "floor"`);
  }
  const tolerance = request.tolerance ?? 1e-12;
  if (!(tolerance > 0 && tolerance < 1)) throw new SolverError(`tolerance must be in (0, 1), got ${tolerance}`);
  const maxSweeps = request.maxSweeps ?? 12;
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1 || maxSweeps > 100) throw new SolverError(`maxSweeps must be an integer in 1..100, got ${maxSweeps}`);
  const verifyEvery = request.verifyEvery ?? 25;
  if (!Number.isInteger(verifyEvery) || verifyEvery < 0) throw new SolverError(`verifyEvery must be an integer >= 0, got ${verifyEvery}`);
  return { request, circuits: conductances.length / m, n, m, samples: S, eta, boundary, level, tolerance, maxSweeps, verifyEvery };
}
