/**
 * Losses recorded during training (THEORY.md "Circuit", "States"), each a mean over the samples:
 * - `loss`         `L = mean_s 1/2 |y^f - t|^2`;
 * - `weightedLoss` CL weighted loss `mean_s 1/2 r^T D r` with `D` the Dirichlet-to-Neumann map;
 * - `adjointLoss`  AL adjoint loss `mean_s 1/2 |mu|^2`, `mu = (L x^r)[O] = -D r`.
 */
import { applyMatrix } from './output-response.js';
import type { SampleBatch } from './samples.js';
import { solveChecked, type StateSolver } from './state-solver.js';
import type { FreeState, ReferenceState } from './state-types.js';
import { freeState, freeStateWithResponse, resolveStrategy, responseRhs } from './states.js';

/** Loss values of one conductance vector. */
export interface TrainingMetrics {
  readonly loss: number;
  readonly weightedLoss: number;
  readonly adjointLoss: number;
}

/** `mean_s 1/2 |r_s|^2` of a free state (the output loss L). */
export function outputLoss(free: FreeState): number {
  let s = 0;
  for (const r of free.residual) s += r * r;
  return (0.5 * s) / free.count;
}

/** `mean_s 1/2 |mu_s|^2` of an AL reference state (the adjoint loss L_AL). */
export function adjointLoss(reference: ReferenceState): number {
  let s = 0;
  for (const m of reference.adjointError) s += m * m;
  return (0.5 * s) / reference.count;
}

/**
 * All three losses. Strategy `response`: from the free states and `D` (one solve call of the
 * `q + p` basis right-hand sides of `state-basis.ts`, or none when they are cached):
 * `r^T D r` and `|D r|^2`. Strategy `direct`: the free solve plus one batch of `2 S` right-hand
 * sides on the inputs+outputs factorization (outputs held at `r`, whose output currents are `D r`,
 * and the AL reference states).
 */
export async function trainingMetrics(solver: StateSolver, batch: SampleBatch, free?: FreeState): Promise<TrainingMetrics> {
  const { count: S, inputCount: nIn, outputCount: p } = batch;
  if ((await resolveStrategy(solver, responseRhs(solver, batch, !free), (free ? 0 : S) + 2 * S)) === 'response') {
    const f = free ?? (await freeStateWithResponse(solver, batch));
    const Dr = applyMatrix((await solver.outputResponse()).dirichletToNeumann, f.residual, S, p);
    let w = 0;
    let a = 0;
    for (let i = 0; i < S * p; i++) {
      w += f.residual[i]! * Dr[i]!;
      a += Dr[i]! * Dr[i]!;
    }
    return { loss: outputLoss(f), weightedLoss: (0.5 * w) / S, adjointLoss: (0.5 * a) / S };
  }
  const f = free ?? (await freeState(solver, batch));
  const d = nIn + p;
  const vals = new Float64Array(2 * S * d);
  for (let s = 0; s < S; s++) {
    for (let o = 0; o < p; o++) vals[s * d + nIn + o] = f.residual[s * p + o]!;
    const row = (S + s) * d;
    vals.set(batch.inputs.subarray(s * nIn, (s + 1) * nIn), row);
    vals.set(batch.targets.subarray(s * p, (s + 1) * p), row + nIn);
  }
  const fac = await solver.inputsAndOutputs();
  const res = await solveChecked(fac, { count: 2 * S, dirichletValues: vals }, 'loss metrics');
  let w = 0;
  let a = 0;
  for (let s = 0; s < S; s++) {
    for (let o = 0; o < p; o++) {
      w += f.residual[s * p + o]! * res.dirichletCurrents[s * d + nIn + o]!;
      const mu = res.dirichletCurrents[(S + s) * d + nIn + o]!;
      a += mu * mu;
    }
  }
  return { loss: outputLoss(f), weightedLoss: (0.5 * w) / S, adjointLoss: (0.5 * a) / S };
}
