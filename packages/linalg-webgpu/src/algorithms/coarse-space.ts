import { spdFactor, spdInverse } from '@ohmlab/linalg-cpu';
import { GpuComputeError } from '../errors.js';
import type { HostCsr } from './host-pcg.js';

/**
 * The coarse level of the two-level preconditioner: piecewise-constant prolongation `P` on the
 * tiles (`P[i][t] = 1` when row i lies in tile t) and the Galerkin matrix `A_c = P^T A P`, the
 * sum of the entries of `A` between two tiles (tiles x tiles, symmetric; positive definite when
 * `A` is, since `P` has full column rank). Factored and inverted in float64 on the host.
 */

/** Tile of each row for tiles of consecutive rows (`tileStart`, as in pcg-tiles.ts). */
export function tileOfRows(tileStart: Uint32Array): Uint32Array {
  const n = tileStart[tileStart.length - 1]!;
  const tileOf = new Uint32Array(n);
  for (let t = 0; t + 1 < tileStart.length; t++) tileOf.fill(t, tileStart[t]!, tileStart[t + 1]!);
  return tileOf;
}

/** `A_c = P^T A P` as a dense row-major `nc x nc` float64 matrix (rows of `a` in tile order). */
export function coarseMatrix(a: HostCsr, tileOf: Uint32Array, nc: number): Float64Array {
  const ac = new Float64Array(nc * nc);
  const n = a.start.length - 1;
  for (let i = 0; i < n; i++) {
    const ti = tileOf[i]! * nc;
    for (let e = a.start[i]!; e < a.start[i + 1]!; e++) {
      const k = ti + tileOf[a.col[e]!]!;
      ac[k] = ac[k]! + a.val[e]!;
    }
  }
  return ac;
}

/** A coarse level ready to apply: the factor and the ratio of the largest to smallest pivot squared. */
export interface CoarseLevel {
  readonly nc: number;
  readonly tileOf: Uint32Array;
  /** Cholesky factor of `A_c` (lower triangle, row-major). */
  readonly factor: Float64Array;
  /** `(max L_jj / min L_jj)^2`, a lower bound of the condition number of `A_c`. */
  readonly pivotRatio: number;
}

/** Assembles and factors `A_c` for the tiles of `tileStart` (rows of `a` in tile order). */
export function coarseLevel(a: HostCsr, tileStart: Uint32Array): CoarseLevel {
  const nc = tileStart.length - 1;
  const tileOf = tileOfRows(tileStart);
  const { factor, badPivot } = spdFactor(coarseMatrix(a, tileOf, nc), nc);
  if (badPivot >= 0) {
    throw new GpuComputeError(`coarse matrix is not positive definite (pivot at tile ${badPivot}); is a part of the circuit cut off from every Dirichlet node?`);
  }
  let lo = Infinity;
  let hi = 0;
  for (let j = 0; j < nc; j++) {
    lo = Math.min(lo, factor[j * nc + j]!);
    hi = Math.max(hi, factor[j * nc + j]!);
  }
  return { nc, tileOf, factor, pivotRatio: (hi / lo) ** 2 };
}

/** `A_c^-1` as a dense, exactly symmetric row-major float32 matrix (computed in float64, `spdInverse`). */
export function coarseInverse32(level: CoarseLevel): Float32Array {
  return Float32Array.from(spdInverse(level.factor, level.nc));
}

/** Most tiles the two-level preconditioner takes (dense float64 inverse on the host, nc^2 floats read per iteration and RHS). */
export const TWO_LEVEL_TILE_LIMIT = 2048;

/** Largest pivot ratio of `A_c` whose float32 inverse is used (float32 keeps ~7 digits). */
export const TWO_LEVEL_PIVOT_RATIO_LIMIT = 1e6;

/**
 * Float32 `A_c^-1` of every system (`systems x nc x nc`) for the GPU, or the reason the two-level
 * preconditioner cannot be used (too many tiles, binding too small, `A_c` not positive definite or
 * too ill-conditioned for float32). `entry` maps tile-order CSR entries to `ffVal` entries.
 */
export function coarseInverses(
  tiled: { start: Uint32Array; col: Uint32Array; entry: Uint32Array },
  ffVal: Float64Array,
  systems: number,
  tileStart: Uint32Array,
  maxFloatsPerSystem: number,
): Float32Array | string {
  const nc = tileStart.length - 1;
  const nnz = tiled.col.length;
  if (nc > TWO_LEVEL_TILE_LIMIT) return `${nc} tiles exceed the two-level limit of ${TWO_LEVEL_TILE_LIMIT} (TWO_LEVEL_TILE_LIMIT)`;
  if (nc * nc > maxFloatsPerSystem) return `the ${nc} x ${nc} coarse inverse does not fit the GPU binding limit`;
  const out = new Float32Array(systems * nc * nc);
  for (let s = 0; s < systems; s++) {
    const val = Float64Array.from(tiled.entry, (e) => ffVal[s * nnz + e]!);
    let level: CoarseLevel;
    try {
      level = coarseLevel({ start: tiled.start, col: tiled.col, val }, tileStart);
    } catch (e) {
      if (e instanceof GpuComputeError) return e.message;
      throw e;
    }
    if (level.pivotRatio > TWO_LEVEL_PIVOT_RATIO_LIMIT) return `coarse matrix too ill-conditioned for float32 (pivot ratio ${level.pivotRatio.toExponential(1)})`;
    out.set(coarseInverse32(level), s * nc * nc);
  }
  return out;
}
