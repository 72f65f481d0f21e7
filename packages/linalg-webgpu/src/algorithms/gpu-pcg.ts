import { GpuComputeError } from '../errors.js';
import { type GpuContext, workgroupsFor } from '../gpu/gpu-context.js';
import { pcgDirectionWgsl, pcgInitWgsl, pcgResidualTotalWgsl, pcgScalarWords, pcgUpdateWgsl } from '../kernels/pcg.wgsl.js';

const WG = 256;

/** Options of one batched float32 PCG run. */
export interface GpuPcgOptions {
  /** Stop when `|r| <= tolerance * |b|` for every RHS (recursive float32 residual). */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Iterations between convergence readbacks (default 10). */
  readonly checkEvery?: number;
}

/** Result of one batched PCG run: `x` is `count x nf` RHS-major float32. */
export interface GpuPcgResult {
  readonly x: Float32Array;
  readonly iterations: number;
}

/**
 * `L_FF` resident on the GPU (CSR, float32) with the batched Jacobi-PCG of pcg.wgsl.ts. Batches are
 * chunked so that every binding stays under `maxStorageBufferBindingSize` and the RHS grid
 * dimension under `maxComputeWorkgroupsPerDimension`.
 */
export class GpuPcgMatrix {
  readonly nf: number;
  readonly nnz: number;
  private readonly structure: GPUBuffer;
  private readonly values: GPUBuffer;

  constructor(
    private readonly ctx: GpuContext,
    ffStart: Uint32Array,
    ffCol: Uint32Array,
    ffVal: Float64Array,
  ) {
    this.nf = ffStart.length - 1;
    this.nnz = ffCol.length;
    if ((this.nf + 1 + this.nnz) * 4 > ctx.maxBindingBytes) {
      throw new GpuComputeError(`L_FF with ${this.nnz} nonzeros exceeds the GPU binding limit of ${ctx.maxBindingBytes} bytes; use the CPU backend`);
    }
    const structure = new Uint32Array(this.nf + 1 + this.nnz);
    structure.set(ffStart, 0);
    structure.set(ffCol, this.nf + 1);
    const values = new Float32Array(this.nnz + this.nf);
    for (let p = 0; p < this.nnz; p++) values[p] = ffVal[p]!;
    for (let k = 0; k < this.nf; k++) {
      for (let p = ffStart[k]!; p < ffStart[k + 1]!; p++) if (ffCol[p] === k) values[this.nnz + k] = 1 / ffVal[p]!;
    }
    this.structure = ctx.upload(structure);
    this.values = ctx.upload(values);
  }

  /** Largest RHS chunk the device limits allow (vectors and scalar partials under one binding). */
  chunkSize(count: number): number {
    const W = workgroupsFor(this.ctx, this.nf, WG);
    const byVector = Math.floor(this.ctx.maxBindingBytes / (4 * this.nf));
    const byScalars = Math.floor(this.ctx.maxBindingBytes / (4 * (8 * W + 1)));
    return Math.max(1, Math.min(count, byVector, byScalars, this.ctx.maxWorkgroups));
  }

  /** Solves `L_FF x = b` for `count` RHS-major float32 vectors; chunks the batch when needed. */
  async solve(b: Float32Array, count: number, options: GpuPcgOptions): Promise<GpuPcgResult> {
    const x = new Float32Array(count * this.nf);
    const chunk = this.chunkSize(count);
    let iterations = 0;
    for (let start = 0; start < count; start += chunk) {
      const c = Math.min(chunk, count - start);
      const part = await this.solveChunk(b.subarray(start * this.nf, (start + c) * this.nf), c, options);
      x.set(part.x, start * this.nf);
      iterations = Math.max(iterations, part.iterations);
    }
    return { x, iterations };
  }

  private async solveChunk(b: Float32Array, count: number, options: GpuPcgOptions): Promise<GpuPcgResult> {
    const { ctx, nf } = this;
    const W = workgroupsFor(ctx, nf, WG);
    const bytes = 4 * count * nf;
    const threshold = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      let s = 0;
      for (let k = r * nf; k < (r + 1) * nf; k++) s += b[k]! * b[k]!;
      threshold[r] = options.tolerance * options.tolerance * s;
    }
    const x = ctx.storage(bytes);
    const r = ctx.storage(bytes, b);
    const p = [ctx.storage(bytes), ctx.storage(bytes)] as const;
    const q = ctx.storage(bytes);
    const scalarWords = pcgScalarWords(count, W);
    const scalars = ctx.storage(4 * scalarWords);
    const params = [0, 1].map((par) => ctx.uniform(Uint32Array.of(nf, this.nnz, count, W, par, 1 - par, 0, 0)));
    const owned = [x, r, p[0], p[1], q, scalars, ...params];
    try {
      const init = ctx.pipeline(pcgInitWgsl, 'main');
      const dir = ctx.pipeline(pcgDirectionWgsl, 'main');
      const upd = ctx.pipeline(pcgUpdateWgsl, 'main');
      const tot = ctx.pipeline(pcgResidualTotalWgsl, 'main');
      const initGroup = ctx.bind(init, [this.values, r, scalars, params[0]!]);
      const dirGroups = [0, 1].map((par) => ctx.bind(dir, [this.structure, this.values, r, p[par]!, p[1 - par]!, q, scalars, params[par]!]));
      const updGroups = [0, 1].map((par) => ctx.bind(upd, [this.values, x, r, p[1 - par]!, q, scalars, params[par]!]));
      const totGroup = ctx.bind(tot, [scalars, params[0]!]);
      const checkEvery = Math.max(1, options.checkEvery ?? 10);
      let k = 0;
      let first = true;
      for (;;) {
        const enc = ctx.device.createCommandEncoder();
        const pass = enc.beginComputePass();
        if (first) {
          pass.setPipeline(init);
          pass.setBindGroup(0, initGroup);
          pass.dispatchWorkgroups(W, count);
          first = false;
        }
        const until = Math.min(options.maxIterations, k + checkEvery);
        for (; k < until; k++) {
          pass.setPipeline(dir);
          pass.setBindGroup(0, dirGroups[k % 2]!);
          pass.dispatchWorkgroups(W, count);
          pass.setPipeline(upd);
          pass.setBindGroup(0, updGroups[k % 2]!);
          pass.dispatchWorkgroups(W, count);
        }
        pass.setPipeline(tot);
        pass.setBindGroup(0, totGroup);
        pass.dispatchWorkgroups(1, count);
        pass.end();
        ctx.device.queue.submit([enc.finish()]);
        const totals = await ctx.readFloat32(scalars, 4 * (scalarWords - count), 4 * count);
        let done = true;
        for (let i = 0; i < count; i++) {
          const t = totals[i]!;
          if (!Number.isFinite(t)) throw new GpuComputeError(`GPU PCG produced a non-finite residual (${t}) for right-hand side ${i}`);
          if (t > threshold[i]!) done = false;
        }
        if (done || k >= options.maxIterations) break;
      }
      const out = await ctx.readFloat32(x, 0, bytes);
      return { x: out, iterations: k };
    } finally {
      for (const buf of owned) buf.destroy();
    }
  }

  /** Frees the matrix buffers. */
  dispose(): void {
    this.structure.destroy();
    this.values.destroy();
  }
}
