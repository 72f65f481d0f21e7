import { reduceSystem, systemPattern } from '@ohmlab/linalg-cpu';
import type { FactorRequest, Network, SystemPattern } from '@ohmlab/linalg-cpu';

/**
 * The Laplacian `L = A^T K A` (shared/THEORY.md "Circuit") split into free (F) and Dirichlet (D)
 * nodes, in float64 on the host. `rowStart/colIndex/values` hold the full Laplacian (CSR, rows =
 * nodes, diagonal first); `ffStart/ffCol/ffVal` the free block `L_FF` over free indices, which the
 * GPU solves (as float32) and the host uses for float64 residuals.
 */
export interface LaplacianSystem {
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  /** `free[k]`: node of free index k. */
  readonly free: Uint32Array;
  /** Free index of each node, -1 for Dirichlet nodes. */
  readonly freeIndex: Int32Array;
  readonly rowStart: Uint32Array;
  readonly colIndex: Uint32Array;
  readonly values: Float64Array;
  readonly ffStart: Uint32Array;
  readonly ffCol: Uint32Array;
  readonly ffVal: Float64Array;
}

/** The same integers seen as u32 (GPU buffers take them as they are; all indices are >= 0). */
function asUint32(a: Int32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/**
 * Builds the float64 Laplacian and its free block for one conductance vector, through
 * `@ohmlab/linalg-cpu`'s `reduceSystem` (the same validation, reachability check and parallel-edge
 * merging as the CPU backend). `pattern`: the wiring's pattern, when the caller builds many systems
 * of one wiring (only the conductances are then checked). The index arrays may be shared with that
 * pattern: read them, never write them.
 */
export function buildLaplacianSystem(request: FactorRequest, pattern?: SystemPattern): LaplacianSystem {
  const r = reduceSystem(request, pattern);
  return {
    nodeCount: r.nodeCount,
    dirichletNodes: r.dirichletNodes,
    free: r.free,
    freeIndex: r.freeIndex,
    rowStart: asUint32(r.rowStart),
    colIndex: asUint32(r.colIndex),
    values: r.values,
    ffStart: asUint32(r.ffStart),
    ffCol: asUint32(r.ffCol),
    ffVal: r.ffVal,
  };
}

/**
 * The free blocks of `systems` conductance vectors of one wiring (`conductances` is
 * `systems x m`): the first system's whole `LaplacianSystem` and every system's `L_FF` values,
 * system-major, on the first system's pattern (the wiring is analysed once).
 */
export function batchedFreeBlocks(network: Network, conductances: Float64Array, dirichletNodes: Uint32Array, systems: number): { first: LaplacianSystem; values: Float64Array } {
  const m = network.edgeFrom.length;
  const slice = (s: number): FactorRequest => ({ network, conductances: conductances.subarray(s * m, (s + 1) * m), dirichletNodes });
  const pattern = systemPattern(slice(0));
  const first = buildLaplacianSystem(slice(0), pattern);
  const nnz = first.ffVal.length;
  const values = new Float64Array(systems * nnz);
  values.set(first.ffVal);
  for (let s = 1; s < systems; s++) values.set(buildLaplacianSystem(slice(s), pattern).ffVal, s * nnz);
  return { first, values };
}

/**
 * `out = b - L_FF x` for `count` RHS-major vectors (float64, the refinement residual), and returns
 * nothing; `x`, `b`, `out` are `count x nf`.
 */
export function freeResidual(sys: LaplacianSystem, b: Float64Array, x: Float64Array, count: number, out: Float64Array): void {
  const nf = sys.free.length;
  for (let r = 0; r < count; r++) {
    const o = r * nf;
    for (let k = 0; k < nf; k++) {
      let s = 0;
      for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) s += sys.ffVal[p]! * x[o + sys.ffCol[p]!]!;
      out[o + k] = b[o + k]! - s;
    }
  }
}
