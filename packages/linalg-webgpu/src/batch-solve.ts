import { factorSync } from '@ohmlab/linalg-cpu';
import type { BatchRightHandSides, BatchSolveResult as SharedBatchSolveResult } from '@ohmlab/linalg-cpu';
import { refine, type CorrectionSolve, type ResidualFn } from './algorithms/refinement.js';
import type { BatchCorrector } from './batch-corrector.js';
import { validateBatchRhs, type BatchSetup } from './batch-setup.js';
import { dirichletCoupling, freeResidualFromEdges, laplacianTimes } from './host/edge-system.js';

/** The shared `BatchSolveResult` (system-major) with the GPU's provenance. */
export interface BatchSolveResult extends SharedBatchSolveResult {
  /** Correction solves used by the iterative refinement. */
  readonly refinements: number;
  /** Systems solved on the CPU instead (pivot failure, tolerance not met, device lost). */
  readonly cpuSystems: number;
}

/** Working arrays of one batch solve over its `units = systems x P` right-hand sides. */
interface BatchUnits {
  readonly P: number;
  readonly units: number;
  /** Node voltages (V), `units x n`: held values first, then the solution. */
  readonly V: Float64Array;
  /** Injected currents at the free nodes (A), `units x nf`. */
  readonly injected: Float64Array;
  /** Norm of each unit's free right-hand side (injection and Dirichlet coupling). */
  readonly scale: Float64Array;
  /** Free-node voltages being refined (V), `units x nf`. */
  readonly x: Float64Array;
}

/** What the GPU refinement left: per-unit relative residuals and the systems it did not settle. */
interface GpuOutcome {
  readonly residuals: Float64Array;
  readonly refinements: number;
  readonly iterations: number;
  /** Systems the CPU must solve. */
  readonly unmet: ReadonlySet<number>;
}

/** Scatters the held voltages and injections of every unit and measures its right-hand side. */
function loadUnits({ network, k, m, n, nf, nd, dirichletNodes, freeIndex, systems }: BatchSetup, rhs: BatchRightHandSides): BatchUnits {
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
  return { P, units, V, injected, scale, x: new Float64Array(units * nf) };
}

/** The float64 free-node residual of listed units at the current `x` (writes `x` into `V`). */
function residualOf({ network, k, m, n, nf, free }: BatchSetup, { P, V, injected, x }: BatchUnits): ResidualFn {
  const lv = new Float64Array(n);
  const res = new Float64Array(nf);
  return (list, out) => {
    list.forEach((u, a) => {
      for (let q = 0; q < nf; q++) V[u * n + free[q]!] = x[u * nf + q]!;
      freeResidualFromEdges(network, k, Math.floor(u / P) * m, V, u * n, free, injected, u * nf, lv, res);
      out.set(res, a * nf);
    });
  };
}

/** One GPU correction solve of the listed units, the others (and failed systems) held at zero. */
function correctionOf({ nf }: BatchSetup, { P, units }: BatchUnits, batch: BatchCorrector): CorrectionSolve {
  return async (packed, count, list) => {
    const full = new Float32Array(units * nf);
    list.forEach((u, a) => {
      if (!batch.failed.has(Math.floor(u / P))) full.set(packed.subarray(a * nf, (a + 1) * nf), u * nf);
    });
    const solved = await batch.solve(full, P);
    const out = new Float32Array(count * nf);
    list.forEach((u, a) => out.set(solved.x.subarray(u * nf, (u + 1) * nf), a * nf));
    return { x: out, iterations: solved.iterations };
  };
}

/**
 * Refines every unit on the GPU (float64 residual, float32 correction) when a corrector is alive;
 * a system is unmet when one of its units did not converge or the GPU failed it. Without a
 * corrector, or when the GPU throws (reported as a fallback event), every system is unmet.
 */
async function refineOnGpu(setup: BatchSetup, state: BatchUnits, batch: BatchCorrector | undefined): Promise<GpuOutcome> {
  const { fc, systems, nf, tolerance, method } = setup;
  const { P, units } = state;
  if (batch && fc.ctx.lost === undefined) {
    try {
      const outcome = await refine(state.x, nf, state.scale, residualOf(setup, state), correctionOf(setup, state, batch), { ...fc.refinement, tolerance });
      const unmet = new Set<number>();
      for (let u = 0; u < units; u++) if (!outcome.converged[u] || batch.failed.has(Math.floor(u / P))) unmet.add(Math.floor(u / P));
      return { residuals: new Float64Array(outcome.residuals), refinements: outcome.refinements, iterations: outcome.iterations, unmet };
    } catch (e) {
      fc.events.fallback(method, `GPU batch solve failed (${(e as Error).message}); solving every system on the CPU`, 0);
    }
  }
  return { residuals: new Float64Array(units), refinements: 0, iterations: 0, unmet: new Set(Array.from({ length: systems }, (_, s) => s)) };
}

/** Solves each unmet system in float64 on the CPU, writing its voltages and residuals in place. */
function solveUnmetOnCpu(setup: BatchSetup, rhs: BatchRightHandSides, { P, V }: BatchUnits, { unmet, residuals }: GpuOutcome): void {
  const { fc, network, k, m, n, nd, nf, dirichletNodes, systems, method } = setup;
  const nq = rhs.injection?.nodes.length ?? 0;
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
}

/** The result: GPU voltages of the settled systems, held-node currents `L V` (A) and the largest residual. */
function assembleResult({ network, k, m, n, nf, nd, free, dirichletNodes, systems }: BatchSetup, { P, units, V, x }: BatchUnits, outcome: GpuOutcome): BatchSolveResult {
  const { residuals, unmet } = outcome;
  const lv = new Float64Array(n);
  const dirichletCurrents = new Float64Array(units * nd);
  let maxResidual = 0;
  for (let u = 0; u < units; u++) {
    if (!unmet.has(Math.floor(u / P))) for (let q = 0; q < nf; q++) V[u * n + free[q]!] = x[u * nf + q]!;
    laplacianTimes(network, k, Math.floor(u / P) * m, V, u * n, lv);
    for (let d = 0; d < nd; d++) dirichletCurrents[u * nd + d] = lv[dirichletNodes[d]!]!;
    if (!(residuals[u]! <= maxResidual)) maxResidual = residuals[u]!;
  }
  const { refinements, iterations } = outcome;
  return { count: units, nodeCount: n, voltages: V, dirichletCurrents, residuals, maxResidual, iterations, systems, perSystem: P, refinements, cpuSystems: nf > 0 ? unmet.size : 0 };
}

/**
 * Solves a batch's right-hand sides: GPU refinement of every unit to the setup's tolerance, then
 * float64 CPU solves of the systems the GPU left unmet (reported), then the assembled result.
 */
export async function solveBatch(setup: BatchSetup, batch: BatchCorrector | undefined, rhs: BatchRightHandSides): Promise<BatchSolveResult> {
  validateBatchRhs(rhs, setup.systems, setup.nd, setup.freeIndex);
  const state = loadUnits(setup, rhs);
  const outcome = await refineOnGpu(setup, state, batch);
  solveUnmetOnCpu(setup, rhs, state, outcome);
  return assembleResult(setup, state, outcome);
}
