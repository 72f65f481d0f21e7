import { factorSync, SolverError, validateRequest } from '@ohmlab/linalg-cpu';
import type {
  BatchFactorization as SharedBatchFactorization,
  BatchFactorRequest,
  BatchRightHandSides,
  BatchSolveResult as SharedBatchSolveResult,
  Network,
} from '@ohmlab/linalg-cpu';
import { GpuDenseBatch } from './algorithms/gpu-dense-batch.js';
import { GpuPcgMatrix } from './algorithms/gpu-pcg.js';
import { DeferredRelease } from './gpu/deferred-release.js';
import { refine, type CorrectionSolve } from './algorithms/refinement.js';
import { dirichletCoupling, freeResidualFromEdges, laplacianTimes } from './host/edge-system.js';
import { batchedFreeBlocks, buildLaplacianSystem } from './host/laplacian-system.js';
import type { FactorContext } from './webgpu-factorization.js';

/** Free-node count past which the batched dense path refuses (O(nf^3) work per workgroup). */
export const DENSE_BATCH_LIMIT = 1024;

/**
 * The batch request and right-hand sides are the shared types of the solver interface
 * (`@ohmlab/linalg-cpu` solver.ts), re-exported here for compatibility. On this backend
 * `options.method` is `dense` (batched dense Cholesky, one workgroup per system, up to
 * {@link DENSE_BATCH_LIMIT} free nodes), `pcg` (batched PCG over all systems x RHS at once: values
 * per system, one structure; `sparse-cholesky` maps here as in `factor`) or `auto` (default: dense
 * up to the backend's dense limit, 256 free nodes, else pcg); `tolerance` is the relative residual
 * target per RHS (default the backend's, 1e-10); `maxIterations` caps each PCG correction solve
 * (default max(1000, 10 nf)). Other options are ignored.
 */
export type { BatchFactorRequest, BatchRightHandSides };

/** The shared `BatchSolveResult` (system-major) with the GPU's provenance. */
export interface BatchSolveResult extends SharedBatchSolveResult {
  /** Correction solves used by the iterative refinement. */
  readonly refinements: number;
  /** Systems solved on the CPU instead (pivot failure, tolerance not met, device lost). */
  readonly cpuSystems: number;
}

/** The GPU side of a batch: float32 correction solves of all `systems x perSystem` units at once. */
interface BatchCorrector {
  /** Systems the GPU could not factor (dense: non-positive float32 pivot). */
  readonly failed: ReadonlySet<number>;
  solve(b: Float32Array, perSystem: number): Promise<{ x: Float32Array; iterations: number }>;
  dispose(): void;
}

async function denseCorrector(fc: FactorContext, network: Network, free: Uint32Array, freeIndex: Int32Array, k: Float64Array): Promise<BatchCorrector> {
  const batch = await GpuDenseBatch.factor(fc.ctx, network, free, freeIndex, k);
  return { failed: batch.failed, solve: async (b, P) => ({ x: await batch.solve(b, P), iterations: 0 }), dispose: () => batch.dispose() };
}

function pcgCorrector(fc: FactorContext, network: Network, dirichletNodes: Uint32Array, k: Float64Array, systems: number, maxIterations: number): BatchCorrector {
  const { first, values } = batchedFreeBlocks(network, k, dirichletNodes, systems);
  const matrix = new GpuPcgMatrix(fc.ctx, first.ffStart, first.ffCol, values, fc.preconditioner);
  const options = { tolerance: fc.innerTolerance, maxIterations, checkEvery: fc.checkEvery };
  return { failed: new Set(), solve: (b, P) => matrix.solve(b, systems * P, P, options), dispose: () => matrix.dispose() };
}

/** The shared `BatchFactorization` on the GPU: its method names the GPU path, its results carry provenance. */
export interface BatchFactorization extends SharedBatchFactorization {
  readonly method: 'webgpu-dense-batch' | 'webgpu-pcg-batch';
  solve(rhs: BatchRightHandSides): Promise<BatchSolveResult>;
}

function validateBatchRhs(rhs: BatchRightHandSides, systems: number, nd: number, freeIndex: Int32Array): void {
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

/**
 * Factors `systems` conductance vectors of one network on the GPU, with the batched dense Cholesky
 * (dense-cholesky.wgsl.ts) or the batched PCG (pcg.wgsl.ts; one structure, values per system), and
 * returns a factorization whose solves are refined in float64 per RHS, with per-system CPU fallback.
 */
export async function factorBatchOnGpu(fc: FactorContext, request: BatchFactorRequest): Promise<BatchFactorization> {
  const { network, dirichletNodes } = request;
  const k = request.conductances.slice();
  validateRequest(network, k, dirichletNodes);
  const m = network.edgeFrom.length;
  const n = network.nodeCount;
  const systems = m > 0 ? k.length / m : 0;
  if (!(systems >= 1)) throw new SolverError(`conductances must hold systems x ${m} entries with at least one system, got ${k.length}`);
  const sys = buildLaplacianSystem({ network, conductances: k.subarray(0, m), dirichletNodes });
  const { free, freeIndex } = sys;
  const nf = free.length;
  const asked = request.options?.method ?? 'auto';
  if (!['auto', 'dense', 'sparse-cholesky', 'pcg'].includes(asked)) throw new SolverError(`unknown batch method "${String(asked)}"; use auto, dense, sparse-cholesky or pcg`);
  const requested = asked === 'sparse-cholesky' ? 'pcg' : asked;
  const dense = requested === 'dense' || (requested === 'auto' && nf <= fc.denseLimit);
  if (dense && nf > DENSE_BATCH_LIMIT) throw new SolverError(`the dense batch path takes at most ${DENSE_BATCH_LIMIT} free nodes per system, got ${nf}; use method "pcg"`);
  const method = dense ? 'webgpu-dense-batch' : 'webgpu-pcg-batch';
  const tolerance = request.options?.tolerance ?? fc.refinement.tolerance;
  const maxIterations = request.options?.maxIterations ?? Math.max(1000, 10 * nf);
  let batch: BatchCorrector | undefined;
  if (nf > 0 && fc.ctx.lost === undefined) {
    try {
      batch = dense ? await denseCorrector(fc, network, free, freeIndex, k) : pcgCorrector(fc, network, dirichletNodes, k, systems, maxIterations);
    } catch (e) {
      fc.events.fallback(method, `GPU batch factorization failed (${(e as Error).message}); the CPU will solve`, 0);
    }
  }
  const nd = dirichletNodes.length;

  const lifetime = new DeferredRelease(() => batch?.dispose());
  const solveNow = async (rhs: BatchRightHandSides): Promise<BatchSolveResult> => {
    validateBatchRhs(rhs, systems, nd, freeIndex);
    const P = rhs.perSystem;
    const units = systems * P;
    const V = new Float64Array(units * n);
    const injected = new Float64Array(units * nf);
    const scale = new Float64Array(units);
    const coupling = new Float64Array(nf);
    const nq = rhs.injection?.nodes.length ?? 0;
    for (let u = 0; u < units; u++) {
      for (let d = 0; d < nd; d++) V[u * n + dirichletNodes[d]!] = rhs.dirichletValues[u * nd + d]!;
      for (let q = 0; q < nq; q++) injected[u * nf + freeIndex[rhs.injection!.nodes[q]!]!]! += rhs.injection!.values[u * nq + q]!;
      dirichletCoupling(network, k, Math.floor(u / P) * m, V, u * n, freeIndex, coupling);
      let s2 = 0;
      for (let q = 0; q < nf; q++) s2 += injected[u * nf + q]! ** 2 + coupling[q]! ** 2;
      scale[u] = Math.sqrt(s2);
    }
    const x = new Float64Array(units * nf);
    const lv = new Float64Array(n);
    const res = new Float64Array(nf);
    const residual = (list: readonly number[], out: Float64Array): void => {
      list.forEach((u, a) => {
        for (let q = 0; q < nf; q++) V[u * n + free[q]!] = x[u * nf + q]!;
        freeResidualFromEdges(network, k, Math.floor(u / P) * m, V, u * n, free, injected, u * nf, lv, res);
        out.set(res, a * nf);
      });
    };
    const correct: CorrectionSolve = async (packed, count, list) => {
      const full = new Float32Array(units * nf);
      list.forEach((u, a) => {
        if (!batch!.failed.has(Math.floor(u / P))) full.set(packed.subarray(a * nf, (a + 1) * nf), u * nf);
      });
      const solved = await batch!.solve(full, P);
      const out = new Float32Array(count * nf);
      list.forEach((u, a) => out.set(solved.x.subarray(u * nf, (u + 1) * nf), a * nf));
      return { x: out, iterations: solved.iterations };
    };
    let residuals = new Float64Array(units);
    let refinements = 0;
    let iterations = 0;
    let unmet = new Set<number>(Array.from({ length: systems }, (_, s) => s));
    if (batch && fc.ctx.lost === undefined) {
      try {
        const outcome = await refine(x, nf, scale, residual, correct, { ...fc.refinement, tolerance });
        residuals = new Float64Array(outcome.residuals);
        refinements = outcome.refinements;
        iterations = outcome.iterations;
        unmet = new Set();
        for (let u = 0; u < units; u++) if (!outcome.converged[u] || batch!.failed.has(Math.floor(u / P))) unmet.add(Math.floor(u / P));
      } catch (e) {
        fc.events.fallback(method, `GPU batch solve failed (${(e as Error).message}); solving every system on the CPU`, 0);
      }
    }
    if (nf > 0 && unmet.size > 0) fc.events.fallback(method, `${unmet.size} of ${systems} system(s) solved on the CPU`, unmet.size);
    for (const s of unmet) {
      const cpu = factorSync({ network, conductances: k.subarray(s * m, (s + 1) * m), dirichletNodes }).solveSync({
        count: P,
        dirichletValues: rhs.dirichletValues.subarray(s * P * nd, (s + 1) * P * nd),
        ...(rhs.injection ? { injection: { nodes: rhs.injection.nodes, values: rhs.injection.values.subarray(s * P * nq, (s + 1) * P * nq) } } : {}),
      });
      V.set(cpu.voltages, s * P * n);
      residuals.set(cpu.residuals, s * P);
    }
    const dirichletCurrents = new Float64Array(units * nd);
    let maxResidual = 0;
    for (let u = 0; u < units; u++) {
      if (!unmet.has(Math.floor(u / P))) for (let q = 0; q < nf; q++) V[u * n + free[q]!] = x[u * nf + q]!;
      laplacianTimes(network, k, Math.floor(u / P) * m, V, u * n, lv);
      for (let d = 0; d < nd; d++) dirichletCurrents[u * nd + d] = lv[dirichletNodes[d]!]!;
      if (!(residuals[u]! <= maxResidual)) maxResidual = residuals[u]!;
    }
    return { count: units, nodeCount: n, voltages: V, dirichletCurrents, residuals, maxResidual, iterations, systems, perSystem: P, refinements, cpuSystems: nf > 0 ? unmet.size : 0 };
  };
  return {
    method,
    systems,
    nodeCount: n,
    dirichletNodes: dirichletNodes.slice(),
    solve(rhs) {
      if (lifetime.disposed) return Promise.reject(new SolverError('this batch factorization was disposed; factor again'));
      return lifetime.track(() => solveNow(rhs));
    },
    /** Releases the GPU buffers, after any solve still in flight. */
    dispose: () => lifetime.dispose(),
  };
}
