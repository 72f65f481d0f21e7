import { finishSolve, freeRightHandSides } from './batch.js';
import { denseCholesky } from './dense-cholesky.js';
import { SolverError } from './errors.js';
import { pcgSolve } from './pcg.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';
import { analyseCholesky, sparseCholesky } from './sparse-cholesky.js';
import type { FactorOptions, FactorRequest, Factorization, RightHandSides, SolveResult, SolverBackend } from './solver.js';

/**
 * Free-node count up to which `auto` uses the dense path. Measured (README): ml-matrix's dense
 * Cholesky costs ~n^3/3 flops at well under 1 GFlop/s, so the sparse path overtakes it on
 * Erdos-Renyi circuits between 300 and 500 free nodes (and much earlier on grids).
 */
export const DENSE_LIMIT = 400;
/** Largest free block the dense path accepts even when asked for explicitly (8 * n^2 bytes, ~n^3/3 flops). */
export const DENSE_MAX = 6000;
/** `auto` keeps sparse Cholesky while nnz(L) is at most this many times nnz(L_FF)... */
export const FILL_RATIO_LIMIT = 40;
/** ...and at most this many nonzeros in all (12 bytes each: ~3 GB). */
export const AUTO_FACTOR_NONZEROS = 250_000_000;
/** Hard cap on nnz(L) when sparse Cholesky is asked for explicitly (~7 GB). */
export const MAX_FACTOR_NONZEROS = 600_000_000;

/** A CPU factorization with a synchronous solve as well (for hot loops in analysis). */
export interface CpuFactorization extends Factorization {
  /** Same as `solve`, synchronously (float64, on the calling thread). */
  solveSync(rhs: RightHandSides): SolveResult;
  /** Nonzeros of the Cholesky factor: n(n+1)/2 for dense, nnz(L) for sparse, 0 for PCG. */
  readonly factorNonzeros: number;
  /** Free (non-Dirichlet) node count: the order of the system actually factored. */
  readonly freeCount: number;
}

type FreeSolve = (b: Float64Array, count: number) => { x: Float64Array; iterations: number };
interface Chosen {
  readonly method: string;
  readonly solve: FreeSolve;
  readonly nnz: number;
}

const METHODS = new Set(['auto', 'dense', 'sparse-cholesky', 'pcg']);

function pcgSolver(sys: ReducedSystem, options: FactorOptions): Chosen {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? Math.max(1000, 10 * sys.nodeCount);
  if (!(tolerance > 0 && tolerance < 1)) throw new SolverError(`tolerance must be in (0, 1), got ${tolerance}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new SolverError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  return { method: 'pcg', nnz: 0, solve: (b, count) => pcgSolve(sys, b, count, { tolerance, maxIterations }) };
}

function denseSolver(sys: ReducedSystem): Chosen {
  const nf = sys.free.length;
  if (nf > DENSE_MAX) {
    throw new SolverError(`method "dense" on ${nf} free nodes needs ${((8 * nf * nf) / 2 ** 30).toFixed(1)} GiB and ~${nf}^3/3 flops; use "sparse-cholesky" or "pcg" (dense accepts at most ${DENSE_MAX})`);
  }
  const f = denseCholesky(sys);
  return { method: 'dense', nnz: (nf * (nf + 1)) / 2, solve: (b, count) => ({ x: f.solve(b, count), iterations: 0 }) };
}

/**
 * The automatic choice (README "Choosing a method"): dense up to `DENSE_LIMIT` free nodes; else the
 * nested-dissection symbolic analysis predicts nnz(L), and sparse Cholesky is used while
 * nnz(L) <= min(FILL_RATIO_LIMIT * nnz(L_FF), AUTO_FACTOR_NONZEROS); otherwise Jacobi-PCG.
 */
function chooseFreeSolver(sys: ReducedSystem, options: FactorOptions): Chosen {
  const method = options.method ?? 'auto';
  if (!METHODS.has(method)) throw new SolverError(`unknown method "${String(method)}"; use auto, dense, sparse-cholesky or pcg`);
  const nf = sys.free.length;
  if (nf === 0) return { method: method === 'auto' ? 'dense' : method, nnz: 0, solve: () => ({ x: new Float64Array(0), iterations: 0 }) };
  if (method === 'dense' || (method === 'auto' && nf <= DENSE_LIMIT)) return denseSolver(sys);
  if (method === 'pcg') return pcgSolver(sys, options);
  const budget = method === 'auto' ? Math.min(FILL_RATIO_LIMIT * sys.ffVal.length, AUTO_FACTOR_NONZEROS) : MAX_FACTOR_NONZEROS;
  const symbolic = analyseCholesky(sys, budget);
  if (!symbolic.columnCounts) {
    if (method === 'auto') return pcgSolver(sys, options);
    throw new SolverError(`sparse Cholesky would need more than ${MAX_FACTOR_NONZEROS} factor nonzeros (~${((12 * MAX_FACTOR_NONZEROS) / 2 ** 30).toFixed(0)} GiB); use method "pcg"`);
  }
  const f = sparseCholesky(sys, symbolic);
  return { method: 'sparse-cholesky', nnz: symbolic.nnzL, solve: (b, count) => ({ x: f.solve(b, count), iterations: 0 }) };
}

/**
 * Factors the free block `L_FF` of the Laplacian for one network, conductance vector and Dirichlet
 * set (THEORY.md "Circuit"; solver.ts conventions), in float64, and returns a factorization whose
 * solves reduce to `L_FF x_F = b_F - L_FD x_D`. Synchronous twin of `SolverBackend.factor`.
 * `defaults` fill in options the request leaves out. Throws `SolverError` on an invalid request or
 * a singular free block (a component without a Dirichlet node).
 */
export function factorSync(request: FactorRequest, defaults?: FactorOptions): CpuFactorization {
  const sys = reduceSystem(request);
  const chosen = chooseFreeSolver(sys, { ...defaults, ...request.options });
  let disposed = false;
  const solveSync = (rhs: RightHandSides): SolveResult => {
    if (disposed) throw new SolverError('this factorization was disposed; factor again');
    const b = freeRightHandSides(sys, rhs);
    const { x, iterations } = chosen.solve(b, rhs.count);
    return finishSolve(sys, rhs, x, iterations);
  };
  return {
    method: chosen.method,
    nodeCount: sys.nodeCount,
    dirichletNodes: sys.dirichletNodes,
    factorNonzeros: chosen.nnz,
    freeCount: sys.free.length,
    solveSync,
    solve: async (rhs) => solveSync(rhs),
    dispose() {
      disposed = true;
    },
  };
}

/** The CPU backend: a `SolverBackend` that also offers the synchronous `factorSync`. */
export interface CpuBackend extends SolverBackend {
  factor(request: FactorRequest): Promise<CpuFactorization>;
  factorSync(request: FactorRequest): CpuFactorization;
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
    dispose() {},
  };
}
