import { SolverError } from '@ohmlab/linalg-cpu';
import type { FusedBoundary, FusedNudge, FusedParametrisation, FusedRule, FusedTrainerRequest } from '@ohmlab/linalg-cpu';
import { initialParameters, LOG, parametrisationKinds } from './fused-parameters.js';

/**
 * The request, rule, nudge and boundary types are the shared ones of `linalg-cpu/src/solver.ts`
 * (`SolverBackend.fusedTrainer`): this backend implements exactly that contract.
 */
export type { FusedTrainerRequest, FusedRule, FusedNudge, FusedBoundary, FusedParametrisation };

/** A validated request with its derived sizes. */
export interface FusedPlan {
  readonly request: FusedTrainerRequest;
  readonly circuits: number;
  readonly n: number;
  readonly m: number;
  /** Samples in the request. */
  readonly samples: number;
  /** Samples per step: `batchSize`, or all of them. */
  readonly batch: number;
  /** Whether the caller names each step's samples (`batchSize` set). */
  readonly batched: boolean;
  readonly eta: number;
  readonly boundary: FusedBoundary;
  /** 0 for remove/reflect, the floor for clip (on theta of conductance and resistance edges; log edges have no level). */
  readonly level: number;
  /** Per-edge parametrisation codes (`fused-parameters.ts`). */
  readonly kinds: Uint8Array;
  /** Initial parameters theta, `circuits x m`. */
  readonly theta: Float64Array;
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
  const kinds = parametrisationKinds(request.parametrisation, m);
  const theta = initialParameters(request, kinds);
  let scale = 0;
  for (const t of theta) scale = Math.max(scale, Math.abs(t));
  const S = samples.count;
  if (!Number.isInteger(S) || S < 1) throw new SolverError(`samples.count must be a positive integer, got ${S}`);
  if (samples.inputs.length !== S * inputNodes.length || samples.targets.length !== S * outputNodes.length) {
    throw new SolverError(`samples need inputs of ${S} x ${inputNodes.length} and targets of ${S} x ${outputNodes.length} values`);
  }
  if (![...samples.inputs, ...samples.targets].every(Number.isFinite)) throw new SolverError('samples hold a non-finite value');
  const batch = request.batchSize ?? S;
  if (!Number.isInteger(batch) || batch < 1 || batch > S) throw new SolverError(`batchSize must be an integer in 1..${S} (samples.count), got ${request.batchSize}`);
  const boundary = request.boundary ?? 'remove';
  if (!['remove', 'reflect', 'clip'].includes(boundary)) throw new SolverError(`boundary must be "remove", "reflect" or "clip", got ${JSON.stringify(boundary)}`);
  const level = boundary === 'clip' ? (request.floor ?? 1e-6 * scale) : 0;
  if (boundary === 'clip') {
    if (!(level > 0 && Number.isFinite(level))) throw new SolverError(`floor must be finite and > 0 for boundary "clip", got ${level}`);
    if (!theta.every((t, i) => kinds[i % m] === LOG || t > level)) throw new SolverError(`a conductance or resistance starts at or below the clip floor ${level}; lower "floor"`);
  }
  const tolerance = request.tolerance ?? 1e-12;
  if (!(tolerance > 0 && tolerance < 1)) throw new SolverError(`tolerance must be in (0, 1), got ${tolerance}`);
  const maxSweeps = request.maxSweeps ?? 12;
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1 || maxSweeps > 100) throw new SolverError(`maxSweeps must be an integer in 1..100, got ${maxSweeps}`);
  const verifyEvery = request.verifyEvery ?? 25;
  if (!Number.isInteger(verifyEvery) || verifyEvery < 0) throw new SolverError(`verifyEvery must be an integer >= 0, got ${verifyEvery}`);
  return { request, circuits: conductances.length / m, n, m, samples: S, batch, batched: request.batchSize !== undefined, eta, boundary, level, kinds, theta, tolerance, maxSweeps, verifyEvery };
}

/**
 * Checks the per-step sample indices of `step(count, batches)`: required (count x batch) when the
 * request set `batchSize`, refused otherwise. Throws `SolverError` saying what was wrong.
 */
export function checkBatches(plan: FusedPlan, count: number, batches: Uint32Array | undefined): void {
  if (!plan.batched) {
    if (batches !== undefined) throw new SolverError('step(count, batches): batches given, but the request has no batchSize (full batch); leave them out or set batchSize');
    return;
  }
  if (batches === undefined || batches.length !== count * plan.batch) {
    throw new SolverError(`step(count, batches): batchSize is ${plan.batch}, so batches needs ${count} x ${plan.batch} sample indices, got ${batches?.length ?? 'none'}`);
  }
  const bad = batches.findIndex((i) => !(i < plan.samples));
  if (bad >= 0) throw new SolverError(`batches[${bad}] is ${batches[bad]}, out of range 0..${plan.samples - 1}`);
}

/** The plan of one step on the samples `indices` (in that order): what the float64 host path solves. */
export function batchPlan(plan: FusedPlan, indices: Uint32Array | undefined): FusedPlan {
  if (!indices) return plan;
  const { inputNodes, outputNodes, samples } = plan.request;
  const nIn = inputNodes.length;
  const p = outputNodes.length;
  const inputs = new Float64Array(indices.length * nIn);
  const targets = new Float64Array(indices.length * p);
  indices.forEach((q, k) => {
    inputs.set(samples.inputs.subarray(q * nIn, (q + 1) * nIn), k * nIn);
    targets.set(samples.targets.subarray(q * p, (q + 1) * p), k * p);
  });
  const request = { ...plan.request, samples: { count: indices.length, inputs, targets } };
  return { ...plan, request, samples: indices.length, batch: indices.length };
}
