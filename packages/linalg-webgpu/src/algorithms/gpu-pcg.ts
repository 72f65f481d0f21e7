import { GpuComputeError } from '../errors.js';
import type { GpuContext } from '../gpu/gpu-context.js';
import { pcgCoarseOffset, pcgParams, pcgScalarWords, type PcgKernelOptions } from '../kernels/pcg.wgsl.js';
import { bindPcgChunk, iteratePcgChunk, residualThresholds, type PcgChunkBuffers } from './pcg-chunk-run.js';
import { coarseInverses } from './coarse-space.js';
import { contiguousTiles, growTiles, permuteCsr, tileLocality, TILE_ROWS, type TileOrdering } from './pcg-tiles.js';

/**
 * `auto` picks the block preconditioner when graph growing made full tiles (mean size at least half
 * of 256 rows) that hold at least 60% of the couplings: grids and meshes (measured 0.91-0.96 on 2-D
 * grids), not random graphs (their tiles fragment: 12-14 rows on average at 300-5000 nodes).
 */
function worthBlocks(start: Uint32Array, col: Uint32Array, tiles: TileOrdering): boolean {
  const count = tiles.tileStart.length - 1;
  return (start.length - 1) / count >= TILE_ROWS / 2 && tileLocality(start, col, tiles) >= 0.6;
}

/**
 * PCG preconditioner: `jacobi` (diagonal), or `block`: block-Jacobi over compact tiles of up to
 * 256 rows with `degree` Chebyshev steps on the tile in workgroup memory (see pcg.wgsl.ts);
 * `two-level`: `block` plus the coarse correction `P A_c^-1 P^T` on the tiles (pcg-coarse.wgsl.ts;
 * iterations nearly independent of the grid size; falls back to `block`, with `note` set, past
 * `TWO_LEVEL_TILE_LIMIT` tiles or when `A_c` is unusable in float32);
 * `auto`: `block` when at least 60% of the couplings fall inside full tiles (grids, meshes), else
 * `jacobi` (random graphs, where tiles capture little).
 */
export interface PcgPreconditioner {
  readonly kind: 'jacobi' | 'block' | 'two-level' | 'auto';
  /** Chebyshev steps of the tile solve (block only; default 8). */
  readonly degree?: number;
  /** Lower end of the Chebyshev interval of `D^-1 A_tt` (block only; default 0.02). */
  readonly lower?: number;
}

/** Options of one batched float32 PCG run. */
export interface GpuPcgOptions {
  /** Stop when `|r| <= tolerance * |b|` for every RHS (recursive float32 residual). */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Iterations between convergence readbacks (default 10). */
  readonly checkEvery?: number;
}

/** Result of one batched PCG run: `x` is `units x nf` float32 in the caller's row order. */
export interface GpuPcgResult {
  readonly x: Float32Array;
  /** Largest iteration count over the batch. */
  readonly iterations: number;
}

interface SystemGroup {
  readonly first: number;
  readonly count: number;
  readonly values: GPUBuffer;
}

/**
 * `L_FF` of one topology for one or many conductance vectors ("systems"), resident on the GPU
 * (CSR, float32, rows in tile order), solved by the batched PCG of pcg.wgsl.ts. Systems are
 * grouped and right-hand sides chunked so that every binding stays under
 * `maxStorageBufferBindingSize` and the RHS grid dimension under `maxComputeWorkgroupsPerDimension`.
 */
export class GpuPcgMatrix {
  readonly nf: number;
  readonly nnz: number;
  readonly systems: number;
  readonly tiles: TileOrdering;
  /** The preconditioner in use (`auto` resolved; `block` when `two-level` fell back). */
  readonly preconditioner: 'jacobi' | 'block' | 'two-level';
  /** Why `two-level` fell back to `block` (undefined otherwise). */
  readonly note: string | undefined;
  /** Coarse unknowns (tiles) of the two-level preconditioner, 0 without it. */
  readonly coarseSize: number;
  private readonly kernel: PcgKernelOptions;
  private readonly structure: GPUBuffer;
  private readonly groups: SystemGroup[] = [];

  /** `ffVal` holds `systems x nnz` float64 values of `L_FF` (rows `ffStart`, columns `ffCol`, diagonal included). */
  constructor(
    private readonly ctx: GpuContext,
    ffStart: Uint32Array,
    ffCol: Uint32Array,
    ffVal: Float64Array,
    preconditioner: PcgPreconditioner = { kind: 'jacobi' },
  ) {
    this.nf = ffStart.length - 1;
    this.nnz = ffCol.length;
    this.systems = ffVal.length / Math.max(1, this.nnz);
    let block = preconditioner.kind !== 'jacobi';
    const grown = block ? growTiles(ffStart, ffCol) : undefined;
    if (preconditioner.kind === 'auto' && !worthBlocks(ffStart, ffCol, grown!)) block = false;
    this.tiles = block ? grown! : contiguousTiles(this.nf);
    const degree = preconditioner.degree ?? 8;
    const lower = preconditioner.lower ?? 0.02;
    if (block && !(Number.isInteger(degree) && degree >= 1 && lower > 0 && lower < 2)) {
      throw new GpuComputeError(`block preconditioner needs an integer degree >= 1 and 0 < lower < 2, got ${degree}, ${lower}`);
    }
    const perm = permuteCsr(ffStart, ffCol, this.tiles);
    const tileCount = this.tiles.tileStart.length - 1;
    const base = this.nnz + this.nf;
    const inverses = preconditioner.kind === 'two-level' ? coarseInverses(perm, ffVal, this.systems, this.tiles.tileStart, Math.floor(ctx.maxBindingBytes / 4) - base) : undefined;
    this.note = typeof inverses === 'string' ? `two-level preconditioner not used, block-Jacobi instead: ${inverses}` : undefined;
    this.coarseSize = inverses instanceof Float32Array ? tileCount : 0;
    this.preconditioner = this.coarseSize > 0 ? 'two-level' : block ? 'block' : 'jacobi';
    this.kernel = block ? { degree, lower, coarse: this.coarseSize > 0 } : { degree: 1, lower: 1 };
    const words = this.nf + 1 + this.nnz + tileCount + 1;
    if (4 * words > ctx.maxBindingBytes || 4 * (base + this.coarseSize * this.coarseSize) > ctx.maxBindingBytes) {
      throw new GpuComputeError(`L_FF with ${this.nnz} nonzeros exceeds the GPU binding limit of ${ctx.maxBindingBytes} bytes; use the CPU backend`);
    }
    const structure = new Uint32Array(words);
    structure.set(perm.start, 0);
    structure.set(perm.col, this.nf + 1);
    structure.set(this.tiles.tileStart, this.nf + 1 + this.nnz);
    this.structure = ctx.upload(structure);
    this.uploadGroups(ffVal, perm, inverses instanceof Float32Array ? inverses : undefined);
  }

  /** Per-system values `[val | 1 / diag | A_c^-1 (two-level)]`, in groups that fit one binding each. */
  private uploadGroups(ffVal: Float64Array, perm: { start: Uint32Array; col: Uint32Array; entry: Uint32Array }, inverses: Float32Array | undefined): void {
    const base = this.nnz + this.nf;
    const square = this.coarseSize * this.coarseSize;
    const per = base + square;
    const perGroup = Math.max(1, Math.floor(this.ctx.maxBindingBytes / (4 * per)));
    for (let first = 0; first < this.systems; first += perGroup) {
      const count = Math.min(perGroup, this.systems - first);
      const values = new Float32Array(count * per);
      for (let s = 0; s < count; s++) {
        this.fillValues(ffVal.subarray((first + s) * this.nnz, (first + s + 1) * this.nnz), perm, values.subarray(s * per, (s + 1) * per));
        if (inverses) values.set(inverses.subarray((first + s) * square, (first + s + 1) * square), s * per + base);
      }
      this.groups.push({ first, count, values: this.ctx.upload(values) });
    }
  }

  /** [val (nnz, tile order) | 1 / diag (nf)] of one system (then the coarse inverse, set by the caller). */
  private fillValues(val: Float64Array, perm: { start: Uint32Array; col: Uint32Array; entry: Uint32Array }, out: Float32Array): void {
    for (let a = 0; a < this.nf; a++) {
      for (let w = perm.start[a]!; w < perm.start[a + 1]!; w++) {
        const v = val[perm.entry[w]!]!;
        out[w] = v;
        if (perm.col[w] === a) out[this.nnz + a] = 1 / v;
      }
    }
  }

  /**
   * Workgroups per RHS: enough tiles per workgroup that the O(W) partial sums stay cheap; on a
   * software adapter a handful (barriers cost one switch per emulated thread there).
   */
  private workgroupsPerRhs(count: number): number {
    const tiles = this.tiles.tileStart.length - 1;
    const cap = this.ctx.software ? Math.max(1, Math.floor(8 / count)) : Math.max(16, Math.min(1024, Math.floor(4096 / count)));
    return Math.max(1, Math.min(tiles, cap, this.ctx.maxWorkgroups));
  }

  /** Largest RHS chunk the device limits allow (vectors and scalar partials under one binding). */
  chunkSize(count: number): number {
    const byVector = Math.floor(this.ctx.maxBindingBytes / (4 * Math.max(1, this.nf)));
    let c = Math.max(1, Math.min(count, byVector, this.ctx.maxWorkgroups));
    while (c > 1 && 4 * pcgScalarWords(c, this.workgroupsPerRhs(c), this.coarseSize) > this.ctx.maxBindingBytes) c = Math.ceil(c / 2);
    return c;
  }

  /**
   * Solves `L_FF(system) x = b` for `units = systems x perSystem` RHS-major float32 vectors (unit
   * `u` belongs to system `floor(u / perSystem)`), in the caller's row order.
   */
  async solve(b: Float32Array, units: number, perSystem: number, options: GpuPcgOptions): Promise<GpuPcgResult> {
    const nf = this.nf;
    const x = new Float32Array(units * nf);
    let iterations = 0;
    for (const g of this.groups) {
      const first = g.first * perSystem;
      const last = Math.min(units, (g.first + g.count) * perSystem);
      for (let u = first; u < last; ) {
        const c = Math.min(this.chunkSize(last - u), last - u);
        const part = await this.solveChunk(g, this.permute(b, u, c), c, u - first, perSystem, options);
        this.unpermute(part.x, x, u, c);
        iterations = Math.max(iterations, part.iterations);
        u += c;
      }
    }
    return { x, iterations };
  }

  private permute(b: Float32Array, first: number, count: number): Float32Array {
    const nf = this.nf;
    const out = new Float32Array(count * nf);
    for (let r = 0; r < count; r++) for (let a = 0; a < nf; a++) out[r * nf + a] = b[(first + r) * nf + this.tiles.order[a]!]!;
    return out;
  }

  private unpermute(part: Float32Array, x: Float32Array, first: number, count: number): void {
    const nf = this.nf;
    for (let r = 0; r < count; r++) for (let a = 0; a < nf; a++) x[(first + r) * nf + this.tiles.order[a]!] = part[r * nf + a]!;
  }

  /** Solves one chunk of `count` RHS (tile order) of one system group: buffers, bind groups, iterations, readback. */
  private async solveChunk(group: SystemGroup, b: Float32Array, count: number, firstUnit: number, perSystem: number, options: GpuPcgOptions): Promise<GpuPcgResult> {
    const W = this.workgroupsPerRhs(count);
    const threshold = residualThresholds(b, count, this.nf, options.tolerance);
    const buffers = this.chunkBuffers(b, count, W, firstUnit, perSystem);
    try {
      const passes = bindPcgChunk(this.ctx, this.kernel, this.structure, group.values, buffers);
      const checkEvery = Math.max(1, options.checkEvery ?? 10);
      const iterations = await iteratePcgChunk(this.ctx, passes, buffers.scalars, { W, count, threshold, maxIterations: options.maxIterations, checkEvery });
      return { x: await this.ctx.readFloat32(buffers.x, 0, 4 * count * this.nf), iterations };
    } finally {
      for (const buf of [buffers.x, buffers.r, buffers.z, buffers.p[0], buffers.p[1], buffers.q, buffers.scalars, ...buffers.params]) buf.destroy();
    }
  }

  /** The work buffers of one chunk: `r = b`, the scalars (with `P^T b` for two-level), the parameters of both parities. */
  private chunkBuffers(b: Float32Array, count: number, W: number, firstUnit: number, perSystem: number): PcgChunkBuffers {
    const { ctx, nf } = this;
    const bytes = 4 * count * nf;
    const tiles = this.tiles.tileStart.length - 1;
    const x = ctx.storage(bytes);
    const r = ctx.storage(bytes, b);
    const z = ctx.storage(bytes);
    const p = [ctx.storage(bytes), ctx.storage(bytes)] as const;
    const q = ctx.storage(bytes);
    const scalarWords = pcgScalarWords(count, W, this.coarseSize);
    const scalars = ctx.storage(4 * scalarWords, this.coarseSize > 0 ? this.initialScalars(b, count, W, scalarWords) : undefined);
    const params = [0, 1].map((par) => ctx.uniform(pcgParams(nf, this.nnz, count, W, par, perSystem, firstUnit, tiles, this.coarseSize)));
    return { x, r, z, p, q, scalars, params };
  }

  /** Scalars with the coarse right-hand sides `s_0 = P^T b` (parity 0) of a two-level solve, the rest 0. */
  private initialScalars(b: Float32Array, count: number, W: number, words: number): Float32Array {
    const out = new Float32Array(words);
    const ts = this.tiles.tileStart;
    for (let r = 0; r < count; r++) {
      const at = pcgCoarseOffset(count, W, this.coarseSize, 0, r);
      for (let t = 0; t < this.coarseSize; t++) {
        let s = 0;
        for (let a = ts[t]!; a < ts[t + 1]!; a++) s += b[r * this.nf + a]!;
        out[at + t] = s;
      }
    }
    return out;
  }

  /** Frees the matrix buffers. */
  dispose(): void {
    this.structure.destroy();
    for (const g of this.groups) g.values.destroy();
    this.groups.length = 0;
  }
}

