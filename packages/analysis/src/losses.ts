/**
 * The three losses from a linearisation (THEORY.md "Circuit", "States"), means over samples:
 * `L = |r|^2 / 2`, CL weighted loss `L_CL = r^T D r / 2` (D = Dirichlet-to-Neumann map),
 * AL adjoint loss `L_AL = |mu|^2 / 2`.
 */
import type { Linearisation } from './linearisation.js';

export function lossesOf(lin: Linearisation): { loss: number; weightedLoss: number; adjointLoss: number } {
  const { sampleCount: S, outputCount: p } = lin;
  const D = lin.dirichletToNeumann.data;
  let l = 0;
  let w = 0;
  let a = 0;
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < p; i++) {
      const ri = lin.residual[s * p + i]!;
      l += ri * ri;
      a += lin.adjointError[s * p + i]! ** 2;
      for (let q = 0; q < p; q++) w += ri * D[i * p + q]! * lin.residual[s * p + q]!;
    }
  }
  return { loss: l / (2 * S), weightedLoss: w / (2 * S), adjointLoss: a / (2 * S) };
}
