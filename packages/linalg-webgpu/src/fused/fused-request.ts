import { SolverError } from '@ohmlab/linalg-cpu';
import type { FusedBoundary, FusedNudge, FusedRule, FusedTrainerRequest } from '@ohmlab/linalg-cpu';

/**
 * The request, rule, nudge and boundary types are the shared ones of `linalg-cpu/src/solver.ts`
 * (`SolverBackend.fusedTrainer`): this backend implements exactly that contract.
 */
export type { FusedTrainerRequest, FusedRule, FusedNudge, FusedBoundary };

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
