import { afterAll, describe, expect, it } from 'vitest';
import { GpuContext } from '../gpu/gpu-context.js';
import { dfSelfTestWgsl } from '../kernels/double-float.wgsl.js';
import { releaseShared, sharedWebGpu } from '../../test/helpers.js';
import { pickProductMode } from './df-self-test.js';

const gpu = await sharedWebGpu();
afterAll(() => releaseShared());

describe.skipIf(!gpu.backend)(`double-float self-test${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  it('finds an exact product-error mode on this device, and that mode recovers float32 rounding errors exactly', async () => {
    const { acquireDevice } = await import('../device/acquire-device.js');
    const { device } = await acquireDevice();
    const ctx = new GpuContext(device);
    const mode = await pickProductMode(ctx);
    expect(mode === 'fma' || mode === 'split').toBe(true);
    // Independent check: 1/3 * 3 in float32 rounds; the error term must equal the exact float64 difference.
    const a = Math.fround(1 / 3);
    const b = Math.fround(3.000001);
    const input = ctx.upload(Float32Array.of(a, b));
    const output = ctx.storage(16);
    const pipeline = ctx.pipeline(dfSelfTestWgsl(mode!), 'main');
    ctx.submitPass((pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, ctx.bind(pipeline, [input, output]));
      pass.dispatchWorkgroups(1);
    });
    const got = await ctx.readFloat32(output, 0, 16);
    expect(got[0]).toBe(Math.fround(a * b));
    expect(got[1]).toBe(a * b - Math.fround(a * b));
    expect(got[1]).not.toBe(0);
    device.destroy();
  });
});
