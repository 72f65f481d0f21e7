import { GpuComputeError } from '../errors.js';
import type { ComputePass, GpuContext } from '../gpu/gpu-context.js';
import { pcgDirectionWgsl, pcgInitWgsl, pcgResidualTotalWgsl, pcgScalarWords, pcgUpdateWgsl, type PcgKernelOptions } from '../kernels/pcg.wgsl.js';

/** The work buffers of one RHS chunk of the batched PCG (pcg.wgsl.ts), `count x nf` float32 each but `scalars` and `params`. */
export interface PcgChunkBuffers {
  readonly x: GPUBuffer;
  readonly r: GPUBuffer;
  readonly z: GPUBuffer;
  /** Search directions, ping-ponged by iteration parity. */
  readonly p: readonly [GPUBuffer, GPUBuffer];
  readonly q: GPUBuffer;
  readonly scalars: GPUBuffer;
  /** Uniform parameters of parity 0 and 1. */
  readonly params: readonly GPUBuffer[];
}

/** Pipelines and bind groups of one chunk's PCG run (direction and update groups indexed by parity). */
export interface PcgChunkPasses {
  readonly init: GPUComputePipeline;
  readonly dir: GPUComputePipeline;
  readonly upd: GPUComputePipeline;
  readonly tot: GPUComputePipeline;
  readonly initGroup: GPUBindGroup;
  readonly dirGroups: readonly GPUBindGroup[];
  readonly updGroups: readonly GPUBindGroup[];
  readonly totGroup: GPUBindGroup;
}

/** Shape of one chunk's dispatches: `W` workgroups per RHS, `count` RHS, and its stopping rule. */
export interface PcgChunkShape {
  readonly W: number;
  readonly count: number;
  /** Squared stopping residual of each RHS: `(tolerance |b|)^2`. */
  readonly threshold: Float64Array;
  readonly maxIterations: number;
  readonly checkEvery: number;
}

/** `(tolerance |b_r|)^2` for each of the `count` RHS of `b` (`count x nf`): the squared stopping residual. */
export function residualThresholds(b: Float32Array, count: number, nf: number, tolerance: number): Float64Array {
  const threshold = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let k = r * nf; k < (r + 1) * nf; k++) s += b[k]! * b[k]!;
    threshold[r] = tolerance * tolerance * s;
  }
  return threshold;
}

/** Compiles (cached) the four PCG kernels and binds them to the matrix `structure`, the group's `values` and the chunk's buffers. */
export function bindPcgChunk(ctx: GpuContext, kernel: PcgKernelOptions, structure: GPUBuffer, values: GPUBuffer, buffers: PcgChunkBuffers): PcgChunkPasses {
  const { x, r, z, p, q, scalars, params } = buffers;
  const init = ctx.pipeline(pcgInitWgsl(kernel), 'main');
  const dir = ctx.pipeline(pcgDirectionWgsl(kernel), 'main');
  const upd = ctx.pipeline(pcgUpdateWgsl(kernel), 'main');
  const tot = ctx.pipeline(pcgResidualTotalWgsl(kernel), 'main');
  const s = structure;
  const v = values;
  const initGroup = ctx.bind(init, [s, v, r, z, scalars, params[0]!]);
  const dirGroups = [0, 1].map((par) => ctx.bind(dir, [s, v, z, p[par]!, p[1 - par]!, q, scalars, params[par]!]));
  const updGroups = [0, 1].map((par) => ctx.bind(upd, [s, v, x, r, z, p[1 - par]!, q, scalars, params[par]!]));
  const totGroup = ctx.bind(tot, [scalars, params[0]!]);
  return { init, dir, upd, tot, initGroup, dirGroups, updGroups, totGroup };
}

/** Records one pass: the init kernel (first pass only), iterations `from` to `until` (direction, update), then the residual total. */
function encodeSweep(pass: ComputePass, passes: PcgChunkPasses, first: boolean, from: number, until: number, W: number, count: number): void {
  if (first) {
    pass.setPipeline(passes.init);
    pass.setBindGroup(0, passes.initGroup);
    pass.dispatchWorkgroups(W, count);
  }
  for (let it = from; it < until; it++) {
    pass.setPipeline(passes.dir);
    pass.setBindGroup(0, passes.dirGroups[it % 2]!);
    pass.dispatchWorkgroups(W, count);
    pass.setPipeline(passes.upd);
    pass.setBindGroup(0, passes.updGroups[it % 2]!);
    pass.dispatchWorkgroups(W, count);
  }
  pass.setPipeline(passes.tot);
  pass.setBindGroup(0, passes.totGroup);
  pass.dispatchWorkgroups(1, count);
}

/** Whether every RHS met its threshold; throws `GpuComputeError` on a non-finite residual total. */
function allConverged(totals: Float32Array, threshold: Float64Array, count: number): boolean {
  let done = true;
  for (let i = 0; i < count; i++) {
    const t = totals[i]!;
    if (!Number.isFinite(t)) throw new GpuComputeError(`GPU PCG produced a non-finite residual (${t}) for right-hand side ${i}`);
    if (t > threshold[i]!) done = false;
  }
  return done;
}

/**
 * Runs the PCG iterations of one chunk: one submitted pass per `checkEvery` iterations, each
 * followed by a readback of the residual totals; stops when every RHS met its threshold or at
 * `maxIterations`. Returns the iterations run.
 */
export async function iteratePcgChunk(ctx: GpuContext, passes: PcgChunkPasses, scalars: GPUBuffer, shape: PcgChunkShape): Promise<number> {
  const { W, count, threshold, maxIterations, checkEvery } = shape;
  let it = 0;
  let first = true;
  for (;;) {
    const until = Math.min(maxIterations, it + checkEvery);
    const from = it;
    ctx.submitPass((pass) => encodeSweep(pass, passes, first, from, until, W, count));
    it = Math.max(it, until);
    first = false;
    const totals = await ctx.readFloat32(scalars, 4 * (pcgScalarWords(count, W) - count), 4 * count);
    if (allConverged(totals, threshold, count) || it >= maxIterations) return it;
  }
}
