import { afterAll, describe, expect, it } from 'vitest';
import { acquireDevice } from '../device/acquire-device.js';
import { GpuContext } from '../gpu/gpu-context.js';
import { WebGpuUnavailableError } from '../errors.js';
import { contiguousTiles } from '../algorithms/pcg-tiles.js';
import { pcgInitWgsl, pcgParams, pcgResidualTotalWgsl, pcgScalarWords } from './pcg.wgsl.js';

const device = await acquireDevice().catch((e: unknown) => {
  if (e instanceof WebGpuUnavailableError) return e.message;
  throw e;
});
afterAll(() => {
  if (typeof device !== 'string') device.device.destroy();
});

/** |r|^2 of one vector through the PCG init and total kernels (the compensated reductions). */
async function gpuSquaredNorm(ctx: GpuContext, r: Float32Array): Promise<number> {
  const nf = r.length;
  // One workgroup: each invocation accumulates one row of every 256-row tile (~64 terms) in
  // sequence, where plain float32 loses them.
  const W = 1;
  const tiles = contiguousTiles(nf);
  const tileCount = tiles.tileStart.length - 1;
  const structure = new Uint32Array(nf + 1 + tileCount + 1);
  structure.set(tiles.tileStart, nf + 1);
  const kernel = { degree: 1, lower: 1 };
  const buffers = [ctx.upload(structure), ctx.upload(new Float32Array(nf).fill(1)), ctx.upload(r), ctx.storage(4 * nf)];
  const words = pcgScalarWords(1, W);
  const scalars = ctx.storage(4 * words);
  const params = ctx.uniform(pcgParams(nf, 0, 1, W, 0, 1, 0, tileCount));
  const init = ctx.pipeline(pcgInitWgsl(kernel), 'main');
  const tot = ctx.pipeline(pcgResidualTotalWgsl(kernel), 'main');
  ctx.submitPass((pass) => {
    pass.setPipeline(init);
    pass.setBindGroup(0, ctx.bind(init, [...buffers, scalars, params]));
    pass.dispatchWorkgroups(W, 1);
    pass.setPipeline(tot);
    pass.setBindGroup(0, ctx.bind(tot, [scalars, params]));
    pass.dispatchWorkgroups(1, 1);
  });
  const out = await ctx.readFloat32(scalars, 4 * (words - 1), 4);
  for (const b of [...buffers, scalars, params]) b.destroy();
  return out[0]!;
}

describe.skipIf(typeof device === 'string')(`compensated float32 reductions${typeof device === 'string' ? `: ${device}` : ''}`, () => {
  it('keeps the terms that a plain float32 sum drops (1 + 2^14 x 1e-8)', async () => {
    if (typeof device === 'string') return;
    const ctx = new GpuContext(device.device);
    const n = 1 + 16384;
    const r = new Float32Array(n).fill(1e-4);
    r[0] = 1;
    const exact = 1 + 16384 * Math.fround(1e-4) ** 2;
    // Plain float32 sums drop each 1e-8 added to 1 (half an ulp of 1 is 6e-8): invocation 0 holds
    // r[0]^2 = 1 and 64 such terms, so an uncompensated kernel would be off by ~6e-7 relative.
    let naive = Math.fround(0);
    for (let i = 0; i < n; i++) naive = Math.fround(naive + Math.fround(r[i]! * r[i]!));
    expect(Math.abs(naive - exact)).toBeGreaterThan(1e-4);
    const got = await gpuSquaredNorm(ctx, r);
    expect(Math.abs(got - exact) / exact).toBeLessThan(2e-7);
  });
});
