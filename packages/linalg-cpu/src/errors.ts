/** A solve that cannot be done as asked: bad request, singular system, or no convergence. */
export class SolverError extends Error {
  override name = 'SolverError';
}
