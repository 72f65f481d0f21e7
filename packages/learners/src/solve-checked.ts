import type { Factorization, RightHandSides, SolveResult } from '@ohmlab/linalg-cpu';
import { LearnerNumericalError } from './errors.js';

/** Solves and rejects non-finite voltages with a clear error. */
export async function solveChecked(f: Factorization, rhs: RightHandSides, what: string): Promise<SolveResult> {
  const res = await f.solve(rhs);
  const v = res.voltages;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new LearnerNumericalError(
        `${what}: the solver returned a non-finite voltage (method ${f.method}); the conductances may be degenerate`,
      );
    }
  }
  return res;
}
