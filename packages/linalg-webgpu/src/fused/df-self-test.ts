import type { GpuContext } from '../gpu/gpu-context.js';
import { dfSelfTestWgsl, type ProductMode } from '../kernels/double-float.wgsl.js';

/** Float32 pairs that exercise rounding: mixed exponents and signs, near-cancelling sums. */
function testPairs(count: number): Float32Array {
  const out = new Float32Array(2 * count);
  let seed = 0x2545f491;
  const rand = (): number => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    // Exponents within +-12: a + b and a * b are then exact in float64 (at most 49 and 48 bits).
    const a = (1 + rand()) * 2 ** Math.floor(rand() * 24 - 12) * (rand() < 0.5 ? -1 : 1);
    const b = i % 7 === 0 ? -a * (1 + 2 ** -20) : (1 + rand()) * 2 ** Math.floor(rand() * 24 - 12);
    out[2 * i] = a;
    out[2 * i + 1] = b;
  }
  out[0] = 1 + 2 ** -23;
  out[1] = 1 - 2 ** -23;
  return out;
}

/**
 * Runs the double-float self-test on the device and returns the first product mode whose product
 * and sum errors are exact on every test pair (`fma`, then `split`), or undefined when neither is
 * (the device's float32 is not IEEE enough for error-free transformations).
 */
export async function pickProductMode(ctx: GpuContext): Promise<ProductMode | undefined> {
  const count = 512;
  const pairs = testPairs(count);
  for (const mode of ['fma', 'split'] as const) {
    const input = ctx.upload(pairs);
    const output = ctx.storage(16 * count);
    try {
      const pipeline = ctx.pipeline(dfSelfTestWgsl(mode), 'main');
      ctx.submitPass((pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, ctx.bind(pipeline, [input, output]));
        pass.dispatchWorkgroups(Math.ceil(count / 64));
      });
      const got = await ctx.readFloat32(output, 0, 16 * count);
      if (exactEverywhere(pairs, got)) return mode;
    } finally {
      input.destroy();
      output.destroy();
    }
  }
  return undefined;
}

function exactEverywhere(pairs: Float32Array, got: Float32Array): boolean {
  for (let i = 0; i < pairs.length / 2; i++) {
    const a = pairs[2 * i]!;
    const b = pairs[2 * i + 1]!;
    const p = got[4 * i]!;
    // a * b is exact in float64 (24 + 24 bits); its float32 rounding error must come back exactly.
    if (p !== Math.fround(a * b) || a * b - p !== got[4 * i + 1]!) return false;
    const s = got[4 * i + 2]!;
    if (s !== Math.fround(a + b) || a + b - s !== got[4 * i + 3]!) return false;
  }
  return true;
}
