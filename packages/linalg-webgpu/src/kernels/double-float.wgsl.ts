/**
 * Double-float ("df32") arithmetic in WGSL: a value is an unevaluated pair `(hi, lo)` of float32
 * with `|lo| <= ulp(hi) / 2`, worth about 44 significant bits (relative 2^-44 ~ 6e-14 per
 * operation; Dekker 1971, Knuth's TwoSum, the "double-double" algorithms of Hida, Li, Bailey 2001).
 * Used where float32 is not enough: the residual of the fused trainer's iterative refinement, the
 * parameters it updates, and the edge contrasts.
 *
 * These are error-free transformations: they need IEEE rounding and no reassociation. WebGPU does
 * not promise that `fma` is fused, so the exact product error comes either from `fma`
 * (`productMode = 'fma'`) or from Veltkamp/Dekker splitting (`'split'`); {@link dfSelfTestWgsl}
 * checks both on the device and the host picks one that is exact there, or refuses the GPU path.
 */
export type ProductMode = 'fma' | 'split';

export function doubleFloatWgsl(mode: ProductMode): string {
  const productError =
    mode === 'fma'
      ? 'return fma(a, b, -p);'
      : `let ca = 4097.0 * a; let ah = ca - (ca - a); let al = a - ah;
  let cb = 4097.0 * b; let bh = cb - (cb - b); let bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;`;
  return /* wgsl */ `
fn dfTwoSum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}
fn dfQuick(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  return vec2<f32>(s, b - (s - a));
}
fn dfProductError(a: f32, b: f32, p: f32) -> f32 {
  ${productError}
}
fn dfAdd(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = dfTwoSum(a.x, b.x);
  let t = dfTwoSum(a.y, b.y);
  let u = dfQuick(s.x, s.y + t.x);
  return dfQuick(u.x, u.y + t.y);
}
fn dfSub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return dfAdd(a, -b); }
fn dfMul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = a.x * b.x;
  let e = dfProductError(a.x, b.x, p) + (a.x * b.y + a.y * b.x);
  return dfQuick(p, e);
}
fn dfFromF32(a: f32) -> vec2<f32> { return vec2<f32>(a, 0.0); }
/** a <= b, exactly for normalised pairs. */
fn dfLe(a: vec2<f32>, b: vec2<f32>) -> bool {
  let d = dfSub(a, b);
  return d.x < 0.0 || (d.x == 0.0 && d.y <= 0.0);
}
`;
}

/**
 * Self-test kernel: for pairs `(a_i, b_i)` writes `[p, productError, s, sumError]` per pair, to be
 * compared on the host with the exact float64 values (a product of two float32 is exact in float64).
 */
export function dfSelfTestWgsl(mode: ProductMode): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> inputs: array<f32>;
@group(0) @binding(1) var<storage, read_write> outputs: array<f32>;
${doubleFloatWgsl(mode)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (2u * i + 1u >= arrayLength(&inputs)) { return; }
  let a = inputs[2u * i];
  let b = inputs[2u * i + 1u];
  let p = a * b;
  outputs[4u * i] = p;
  outputs[4u * i + 1u] = dfProductError(a, b, p);
  let s = dfTwoSum(a, b);
  outputs[4u * i + 2u] = s.x;
  outputs[4u * i + 3u] = s.y;
}
`;
}

/** Splits a float64 into a df32 pair (hi = nearest float32, lo = float32 of the rest). */
export function toPair(x: number): [number, number] {
  const hi = Math.fround(x);
  return [hi, Math.fround(x - hi)];
}
