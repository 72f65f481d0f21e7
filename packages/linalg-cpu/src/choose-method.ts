import { denseCholesky, denseSymbolic } from './dense-cholesky.js';
import { SolverError } from './errors.js';
import { pcgSolve } from './pcg.js';
import { incompleteCholesky, jacobi, pcgLayout, permuteFreeBlock, type PcgLayout, type Preconditioner } from './preconditioners.js';
import type { ReducedSystem } from './reduced-system.js';
import { findStructure, planOf, rememberStructure, type StructureEntry, type StructurePlan } from './plan-cache.js';
import { fillLowerGuess, separatorEstimate } from './separator-estimate.js';
import { analyseCholesky, sparseCholesky } from './sparse-cholesky.js';
import type { FactorOptions, FactorRequest } from './solver.js';

/**
 * Free-node count up to which `auto` uses the dense path. Measured (README "The automatic
 * choice"): a dense factorization plus a 4-RHS solve costs about what the sparse one costs at
 * 30-40 free nodes (ER and grids: 17-23 us vs 13-18 us), and 2-4x more from 64 on (n = 128:
 * 0.3 ms vs 0.07 ms), since the sparse path skips the zeros of the free block.
 */
export const DENSE_LIMIT = 40;
/** Largest free block the dense path accepts even when asked for explicitly (8 * n^2 bytes, ~n^3/3 flops). */
export const DENSE_MAX = 6000;
/** `auto` keeps sparse Cholesky while nnz(L) is at most this many times nnz(L_FF) (small separators)... */
export const FILL_RATIO_LIMIT = 20;
/** ...or while the factorization is cheap anyway: at most this many operations (~0.1 s)... */
export const CHEAP_FACTOR_FLOPS = 2e8;
/** ...and never beyond this many factor nonzeros (8 bytes each plus indices: ~3 GB). */
export const AUTO_FACTOR_NONZEROS = 250_000_000;
/** Hard cap on nnz(L) when sparse Cholesky is asked for explicitly (~7 GB). */
export const MAX_FACTOR_NONZEROS = 600_000_000;
/** Factor nonzeros a factorization of CHEAP_FACTOR_FLOPS can have at most (a dense front of ~840). */
const CHEAP_FACTOR_NONZEROS = 400_000;

/** How the free block is solved, as chosen for one factorization. */
export interface FreeSolver {
  readonly method: 'dense' | 'sparse-cholesky' | 'pcg';
  /** Nonzeros of the Cholesky factor (0 for PCG). */
  readonly nnz: number;
  /** Operation count of the factorization (0 for PCG). */
  readonly flops: number;
  readonly ordering: 'amd' | 'nested-dissection' | 'natural' | null;
  readonly preconditioner: Preconditioner['name'] | null;
  /** Relative residual a solve must reach: the PCG tolerance, or 1e-12 for direct solves. */
  readonly target: number;
  /** Solves `L_FF X = B` (node-major interleaved); `x0` warm-starts iterative solves. */
  solve(b: Float64Array, count: number, x0?: Float64Array): { x: Float64Array; iterations: number };
  /** Hands the factor's storage back for reuse (direct paths); `solve` must not be called afterwards. */
  release(): void;
}

const METHODS = new Set(['auto', 'dense', 'sparse-cholesky', 'pcg']);
const ORDERINGS = new Set(['auto', 'amd', 'nested-dissection']);
const PRECONDITIONERS = new Set(['auto', 'jacobi', 'incomplete-cholesky']);

/** Rows of an interleaved block (`n x count`) moved to `perm` order (`back`: from it). */
function permuteRows(v: Float64Array, perm: Int32Array, count: number, back: boolean): Float64Array {
  const out = new Float64Array(v.length);
  for (let k = 0; k < perm.length; k++) {
    const a = k * count;
    const b = perm[k]! * count;
    if (back) for (let r = 0; r < count; r++) out[b + r] = v[a + r]!;
    else for (let r = 0; r < count; r++) out[a + r] = v[b + r]!;
  }
  return out;
}

function pcgSolver(sys: ReducedSystem, options: FactorOptions, layout: PcgLayout): FreeSolver {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? Math.max(1000, 10 * sys.nodeCount);
  if (!(tolerance > 0 && tolerance < 1)) throw new SolverError(`tolerance must be in (0, 1), got ${tolerance}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new SolverError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  const wanted = options.preconditioner ?? 'auto';
  // renumbered for locality (and a better IC(0)); solves permute in and out
  const { perm } = layout;
  const block = permuteFreeBlock(sys, layout);
  const preconditioner = (wanted === 'jacobi' ? null : incompleteCholesky(block)) ?? jacobi(block);
  const solve = (b: Float64Array, count: number, x0?: Float64Array) => {
    const res = pcgSolve(block, permuteRows(b, perm, count, false), count, { tolerance, maxIterations, preconditioner }, x0 && permuteRows(x0, perm, count, false));
    return { x: permuteRows(res.x, perm, count, true), iterations: res.iterations };
  };
  return { method: 'pcg', nnz: 0, flops: 0, ordering: null, preconditioner: preconditioner.name, target: tolerance, solve, release() {} };
}

function denseSolver(sys: ReducedSystem, entry: StructureEntry): FreeSolver {
  const nf = sys.free.length;
  if (nf > DENSE_MAX) {
    throw new SolverError(`method "dense" on ${nf} free nodes needs ${((8 * nf * nf) / 2 ** 30).toFixed(1)} GiB and ~${nf}^3/3 flops; use "sparse-cholesky" or "pcg" (dense accepts at most ${DENSE_MAX})`);
  }
  const plan = planOf(entry, 'dense', () => ({ kind: 'sparse', symbolic: denseSymbolic(nf) }));
  const f = denseCholesky(sys, plan.kind === 'sparse' ? plan.symbolic : undefined);
  return direct('dense', (nf * (nf + 1)) / 2, (nf * nf * nf) / 3, 'natural', f.solve, f.release);
}

const NOTHING = (): void => {};

function direct(method: FreeSolver['method'], nnz: number, flops: number, ordering: FreeSolver['ordering'], solve: (b: Float64Array, count: number) => Float64Array, release = NOTHING): FreeSolver {
  return { method, nnz, flops, ordering, preconditioner: null, target: 1e-12, solve: (b, count) => ({ x: solve(b, count), iterations: 0 }), release };
}

function checkOptions(options: FactorOptions): void {
  const method = options.method ?? 'auto';
  if (!METHODS.has(method)) throw new SolverError(`unknown method "${String(method)}"; use auto, dense, sparse-cholesky or pcg`);
  if (!ORDERINGS.has(options.ordering ?? 'auto')) throw new SolverError(`unknown ordering "${String(options.ordering)}"; use auto, amd or nested-dissection`);
  if (!PRECONDITIONERS.has(options.preconditioner ?? 'auto')) {
    throw new SolverError(`unknown preconditioner "${String(options.preconditioner)}"; use auto, jacobi or incomplete-cholesky`);
  }
}

/**
 * The structural part of the choice (cached per wiring by `plan-cache.ts`): for `auto`, a quick
 * separator estimate first rejects factors that clearly cannot fit the budget (expanders), then
 * the symbolic analysis predicts the factor, which is used while it is cheap
 * (`CHEAP_FACTOR_FLOPS`) or fills little (nnz(L) <= FILL_RATIO_LIMIT * nnz(L_FF)); else PCG.
 */
function planStructure(sys: ReducedSystem, options: FactorOptions, maxFactorNonzeros: number): StructurePlan {
  const auto = (options.method ?? 'auto') === 'auto';
  const fillBudget = Math.max(FILL_RATIO_LIMIT * sys.ffVal.length, CHEAP_FACTOR_NONZEROS);
  const budget = auto ? Math.min(fillBudget, AUTO_FACTOR_NONZEROS, maxFactorNonzeros) : maxFactorNonzeros;
  if (auto && fillLowerGuess(separatorEstimate(sys.free.length, sys.ffStart, sys.ffCol)) > budget) return { kind: 'pcg', layout: pcgLayout(sys) };
  const symbolic = analyseCholesky(sys, budget, options.ordering ?? 'auto');
  const fits = symbolic.supernodes !== null && (symbolic.flops <= CHEAP_FACTOR_FLOPS || symbolic.nnzL <= FILL_RATIO_LIMIT * sys.ffVal.length);
  if (auto && !fits) return { kind: 'pcg', layout: pcgLayout(sys) };
  if (!symbolic.supernodes) {
    throw new SolverError(`sparse Cholesky would need more than ${maxFactorNonzeros} factor nonzeros (~${((12 * maxFactorNonzeros) / 2 ** 30).toFixed(1)} GiB); use method "pcg"`);
  }
  return { kind: 'sparse', symbolic };
}

/**
 * The automatic choice (README "Choosing a method"): dense up to `DENSE_LIMIT` free nodes; else
 * sparse Cholesky where the factor is cheap or fills little (`planStructure`), otherwise PCG,
 * whose iteration count stays low exactly where factors fill (expanders such as random graphs).
 * Explicit methods are honoured (dense up to `DENSE_MAX`, sparse up to `maxFactorNonzeros`).
 */
export function chooseFreeSolver(
  sys: ReducedSystem,
  options: FactorOptions,
  request: FactorRequest,
  maxFactorNonzeros = MAX_FACTOR_NONZEROS,
  entry: StructureEntry = findStructure(request) ?? rememberStructure(request, null),
): FreeSolver {
  checkOptions(options);
  const method = options.method ?? 'auto';
  const nf = sys.free.length;
  if (nf === 0) return direct(method === 'pcg' ? 'pcg' : method === 'sparse-cholesky' ? 'sparse-cholesky' : 'dense', 0, 0, null, () => new Float64Array(0));
  if (method === 'dense' || (method === 'auto' && nf <= DENSE_LIMIT)) return denseSolver(sys, entry);
  if (method === 'pcg') {
    const plan = planOf(entry, 'pcg', () => ({ kind: 'pcg', layout: pcgLayout(sys) }));
    return pcgSolver(sys, options, plan.kind === 'pcg' ? plan.layout : pcgLayout(sys));
  }
  const plan = planOf(entry, `${method}|${options.ordering ?? 'auto'}|${maxFactorNonzeros}`, () => planStructure(sys, options, maxFactorNonzeros));
  if (plan.kind === 'pcg') return pcgSolver(sys, options, plan.layout);
  const f = sparseCholesky(sys, plan.symbolic);
  return direct('sparse-cholesky', plan.symbolic.nnzL, plan.symbolic.flops, plan.symbolic.ordering, f.solve, f.release);
}
