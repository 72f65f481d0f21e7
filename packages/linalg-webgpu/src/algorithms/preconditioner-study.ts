import type { FactorRequest } from '@ohmlab/linalg-cpu';
import { buildLaplacianSystem } from '../host/laplacian-system.js';
import { freeRightHandSides } from '../host/right-hand-sides.js';
import { coarseLevel } from './coarse-space.js';
import { hostPcg, type HostCsr, type HostPreconditioner } from './host-pcg.js';
import { hostBlockChebyshev, hostJacobi, hostTwoLevelAdditive, hostTwoLevelHybrid } from './host-preconditioners.js';
import { growTiles, permuteCsr, TILE_ROWS, type TileOrdering } from './pcg-tiles.js';

/** Preconditioners of the float64 study: the GPU's `jacobi`, `block` and `two-level`, plus the hybrid variant. */
export type StudyPreconditioner = 'jacobi' | 'block' | 'two-level' | 'hybrid';

/** Options of {@link preconditionerStudy}. */
export interface PreconditionerStudyOptions {
  readonly preconditioners?: readonly StudyPreconditioner[];
  /** Relative residuals to count iterations to (default 1e-5, 1e-10). */
  readonly tolerances?: readonly number[];
  readonly maxIterations?: number;
  /** Rows per tile (default `TILE_ROWS` = 256, as the GPU). */
  readonly tileRows?: number;
  /** Chebyshev degree and interval lower end of the tile solve (defaults 8 and 0.02, as the GPU). */
  readonly degree?: number;
  readonly lower?: number;
}

/** One preconditioner's row of {@link preconditionerStudy}. */
export interface PreconditionerStudyRow {
  readonly preconditioner: StudyPreconditioner;
  /** Iterations to each tolerance (-1: not reached within `maxIterations`). */
  readonly iterations: number[];
  readonly residual: number;
  readonly tiles: number;
}

/** `L_FF` renumbered by the tiles (the GPU's row order) as a host CSR. */
export function tiledCsr(ffStart: Uint32Array, ffCol: Uint32Array, ffVal: Float64Array, tiles: TileOrdering): HostCsr {
  const perm = permuteCsr(ffStart, ffCol, tiles);
  return { start: perm.start, col: perm.col, val: Float64Array.from(perm.entry, (e) => ffVal[e]!) };
}

/** The host preconditioner `kind` on `a` (rows in tile order, tiles `tileStart`). */
export function hostPreconditioner(kind: StudyPreconditioner, a: HostCsr, tileStart: Uint32Array, degree: number, lower: number): HostPreconditioner {
  if (kind === 'jacobi') return hostJacobi(a);
  const block = hostBlockChebyshev(a, tileStart, degree, lower);
  if (kind === 'block') return block;
  const level = coarseLevel(a, tileStart);
  return kind === 'two-level' ? hostTwoLevelAdditive(block, level) : hostTwoLevelHybrid(a, block, level);
}

/**
 * Float64 host measurement of PCG iterations on `L_FF x = b` (free block of one system, original
 * row order) for each preconditioner, with the GPU's tiles (greedy graph growing) and tile
 * polynomial, so the counts compare with the GPU's up to float32 rounding.
 */
export function preconditionerStudy(ffStart: Uint32Array, ffCol: Uint32Array, ffVal: Float64Array, b: Float64Array, options: PreconditionerStudyOptions = {}): PreconditionerStudyRow[] {
  const tiles = growTiles(ffStart, ffCol, options.tileRows ?? TILE_ROWS);
  const a = tiledCsr(ffStart, ffCol, ffVal, tiles);
  const bt = Float64Array.from(tiles.order, (i) => b[i]!);
  const tolerances = options.tolerances ?? [1e-5, 1e-10];
  return (options.preconditioners ?? ['jacobi', 'block', 'two-level']).map((kind) => {
    const m = hostPreconditioner(kind, a, tiles.tileStart, options.degree ?? 8, options.lower ?? 0.02);
    const run = hostPcg(a, bt, m, tolerances, options.maxIterations ?? 20000);
    return { preconditioner: kind, iterations: run.iterations, residual: run.residual, tiles: tiles.tileStart.length - 1 };
  });
}

/**
 * {@link preconditionerStudy} on the free block of a circuit (`request`, as `SolverBackend.factor`
 * takes it) with the RHS of one set of held voltages `dirichletValues` (volts).
 */
export function preconditionerStudyOf(request: FactorRequest, dirichletValues: Float64Array, options: PreconditionerStudyOptions = {}): PreconditionerStudyRow[] {
  const sys = buildLaplacianSystem(request);
  const { b } = freeRightHandSides(sys, { count: 1, dirichletValues });
  return preconditionerStudy(sys.ffStart, sys.ffCol, sys.ffVal, Float64Array.from(b), options);
}
