import { SolverError, validateRequest } from '@ohmlab/linalg-cpu';
import type { BatchFactorRequest, BatchRightHandSides, Network } from '@ohmlab/linalg-cpu';
import { buildLaplacianSystem } from './host/laplacian-system.js';
import type { FactorContext } from './webgpu-factorization.js';

/** Free-node count past which the batched dense path refuses (O(nf^3) work per workgroup). */
export const DENSE_BATCH_LIMIT = 1024;

/** The GPU path of a batch factorization. */
export type BatchMethod = 'webgpu-dense-batch' | 'webgpu-pcg-batch';

/**
 * A validated batch request with what every solve of it needs: `systems` conductance vectors
 * (`k`, system-major, `m` edges each) of one network with `n` nodes, `nf` free and `nd` held.
 */
export interface BatchSetup {
  readonly fc: FactorContext;
  readonly network: Network;
  /** The request's held nodes (not copied). */
  readonly dirichletNodes: Uint32Array;
  /** A copy of the request's conductances (S), `systems x m`. */
  readonly k: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly systems: number;
  /** `free[q]`: node of free index q. */
  readonly free: Uint32Array;
  /** Free index of each node, -1 for Dirichlet nodes. */
  readonly freeIndex: Int32Array;
  readonly nf: number;
  readonly nd: number;
  readonly dense: boolean;
  readonly method: BatchMethod;
  /** Relative residual target per RHS. */
  readonly tolerance: number;
  /** Cap on each PCG correction solve. */
  readonly maxIterations: number;
}

/**
 * Whether the batch takes the dense path: `options.method` is `dense`, or `auto` with at most
 * `denseLimit` free nodes (`sparse-cholesky` maps to `pcg`). Throws on an unknown method and on
 * a dense batch past {@link DENSE_BATCH_LIMIT} free nodes.
 */
function choosesDense(asked: string, nf: number, denseLimit: number): boolean {
  if (!['auto', 'dense', 'sparse-cholesky', 'pcg'].includes(asked)) throw new SolverError(`unknown batch method "${String(asked)}"; use auto, dense, sparse-cholesky or pcg`);
  const requested = asked === 'sparse-cholesky' ? 'pcg' : asked;
  const dense = requested === 'dense' || (requested === 'auto' && nf <= denseLimit);
  if (dense && nf > DENSE_BATCH_LIMIT) throw new SolverError(`the dense batch path takes at most ${DENSE_BATCH_LIMIT} free nodes per system, got ${nf}; use method "pcg"`);
  return dense;
}

/** Validates a batch request (network, conductances, held nodes, method) and derives its {@link BatchSetup}. */
export function prepareBatch(fc: FactorContext, request: BatchFactorRequest): BatchSetup {
  const { network, dirichletNodes } = request;
  const k = request.conductances.slice();
  validateRequest(network, k, dirichletNodes);
  const m = network.edgeFrom.length;
  const systems = m > 0 ? k.length / m : 0;
  if (!(systems >= 1)) throw new SolverError(`conductances must hold systems x ${m} entries with at least one system, got ${k.length}`);
  const { free, freeIndex } = buildLaplacianSystem({ network, conductances: k.subarray(0, m), dirichletNodes });
  const nf = free.length;
  const dense = choosesDense(request.options?.method ?? 'auto', nf, fc.denseLimit);
  return {
    fc,
    network,
    dirichletNodes,
    k,
    m,
    n: network.nodeCount,
    systems,
    free,
    freeIndex,
    nf,
    nd: dirichletNodes.length,
    dense,
    method: dense ? 'webgpu-dense-batch' : 'webgpu-pcg-batch',
    tolerance: request.options?.tolerance ?? fc.refinement.tolerance,
    maxIterations: request.options?.maxIterations ?? Math.max(1000, 10 * nf),
  };
}

/** Checks a batch's right-hand sides against its setup; throws a `SolverError` saying what to fix. */
export function validateBatchRhs(rhs: BatchRightHandSides, systems: number, nd: number, freeIndex: Int32Array): void {
  const P = rhs.perSystem;
  if (!Number.isInteger(P) || P < 1) throw new SolverError(`perSystem must be a positive integer, got ${P}`);
  if (rhs.dirichletValues.length !== systems * P * nd) {
    throw new SolverError(`dirichletValues has ${rhs.dirichletValues.length} entries; expected systems x perSystem x dirichletNodes = ${systems} x ${P} x ${nd}`);
  }
  if (!rhs.dirichletValues.every(Number.isFinite)) throw new SolverError('dirichletValues has a non-finite entry; held voltages must be finite');
  if (!rhs.injection) return;
  const { nodes, values } = rhs.injection;
  if (values.length !== systems * P * nodes.length) throw new SolverError(`injection.values has ${values.length} entries; expected ${systems} x ${P} x ${nodes.length}`);
  for (const node of nodes) {
    if (!(node < freeIndex.length) || freeIndex[node]! < 0) throw new SolverError(`injection node ${node} is out of range or a Dirichlet node; inject only at free nodes`);
  }
  if (!values.every(Number.isFinite)) throw new SolverError('injection.values has a non-finite entry; currents must be finite');
}
