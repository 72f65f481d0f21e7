import { finishSolve, freeRightHandSides } from './batch.js';
import { chooseFreeSolver } from './choose-method.js';
import { SolverError } from './errors.js';
import { factorEachSystem } from './factor-batch.js';
import { findStructure, rememberStructure } from './plan-cache.js';
import { reduceSystem } from './reduced-system.js';
import type { BatchFactorization, BatchFactorRequest, FactorOptions, FactorRequest, Factorization, RightHandSides, SolveResult, SolverBackend } from './solver.js';
import { solveThroughBasis } from './span-basis.js';
import { systemPattern } from './system-pattern.js';

export {
  DENSE_LIMIT,
  DENSE_MAX,
  FILL_RATIO_LIMIT,
  CHEAP_FACTOR_FLOPS,
  AUTO_FACTOR_NONZEROS,
  MAX_FACTOR_NONZEROS,
} from './choose-method.js';

/** A CPU factorization with a synchronous solve as well (for hot loops in analysis). */
export interface CpuFactorization extends Factorization {
  /** Same as `solve`, synchronously (float64, on the calling thread). */
  solveSync(rhs: RightHandSides): SolveResult;
  /** Nonzeros of the Cholesky factor: n(n+1)/2 for dense, nnz(L) for sparse, 0 for PCG. */
  readonly factorNonzeros: number;
  /** Free (non-Dirichlet) node count: the order of the system actually factored. */
  readonly freeCount: number;
  /** Operation count of the factorization (sum of squared column counts; 0 for PCG). */
  readonly factorFlops: number;
  /** Ordering of the direct paths (`natural` for dense), null for PCG. */
  readonly ordering: 'amd' | 'nested-dissection' | 'natural' | null;
  /** Preconditioner of PCG, null for the direct paths. */
  readonly preconditioner: 'jacobi' | 'incomplete-cholesky' | null;
}

/**
 * Factors the free block `L_FF` of the Laplacian for one network, conductance vector and Dirichlet
 * set (THEORY.md "Circuit"; solver.ts conventions), in float64, and returns a factorization whose
 * solves reduce to `L_FF x_F = b_F - L_FD x_D`. Synchronous twin of `SolverBackend.factor`.
 * `defaults` fill in options the request leaves out. Throws `SolverError` on an invalid request or
 * a singular free block (a component without a Dirichlet node). The wiring's pattern, analysis and
 * numeric workspace are cached by content (`plan-cache.ts`), so refactorizations of one wiring with
 * new conductances (a training loop) only scatter, assemble and factor; `dispose()` hands the
 * factor's storage to the next one.
 */
export function factorSync(request: FactorRequest, defaults?: FactorOptions): CpuFactorization {
  let entry = findStructure(request);
  if (!entry?.pattern) {
    const pattern = systemPattern(request); // validates the whole request
    entry ??= rememberStructure(request, pattern);
    entry.pattern = pattern;
  }
  const sys = reduceSystem(request, entry.pattern);
  const options: FactorOptions = { ...defaults, ...request.options };
  const solver = chooseFreeSolver(sys, options, request, undefined, entry);
  const useBasis = options.basisSolve ?? true;
  let disposed = false;
  const solveSync = (rhs: RightHandSides): SolveResult => {
    if (disposed) throw new SolverError('this factorization was disposed; factor again');
    const b = freeRightHandSides(sys, rhs);
    if (useBasis && sys.free.length > 0) {
      const viaBasis = solveThroughBasis(sys, solver, rhs, b);
      if (viaBasis) return viaBasis;
    }
    const { x, iterations } = solver.solve(b, rhs.count);
    return finishSolve(sys, rhs, x, iterations, b);
  };
  return {
    method: solver.method,
    nodeCount: sys.nodeCount,
    dirichletNodes: sys.dirichletNodes,
    factorNonzeros: solver.nnz,
    factorFlops: solver.flops,
    freeCount: sys.free.length,
    ordering: solver.ordering,
    preconditioner: solver.preconditioner,
    solveSync,
    solve: async (rhs) => solveSync(rhs),
    dispose() {
      if (disposed) return;
      disposed = true;
      solver.release();
    },
  };
}

/** The CPU backend: a `SolverBackend` that also offers the synchronous `factorSync`. */
export interface CpuBackend extends SolverBackend {
  factor(request: FactorRequest): Promise<CpuFactorization>;
  factorSync(request: FactorRequest): CpuFactorization;
  /**
   * Factors every system of the batch with `factorSync` (float64; the symbolic analysis of the
   * wiring is cached, so systems after the first refactor numerically only): same results as one
   * `factor` + `solve` per system. See `factorEachSystem` (factor-batch.ts).
   */
  factorBatch(request: BatchFactorRequest): Promise<BatchFactorization>;
}

/**
 * The float64 CPU backend named `cpu`, Ohmlab's ground truth. `defaults` (e.g. `{ method: 'pcg',
 * tolerance: 1e-12 }`) apply to every request that does not set them itself.
 */
export function createCpuBackend(defaults?: FactorOptions): CpuBackend {
  const factor = (request: FactorRequest): CpuFactorization => factorSync(request, defaults);
  return {
    name: 'cpu',
    description: 'cpu (float64; dense, sparse-cholesky, pcg)',
    factorSync: factor,
    factor: async (request) => factor(request),
    factorBatch: (request) => factorEachSystem(async (one) => factor(one), request),
    dispose() {},
  };
}
