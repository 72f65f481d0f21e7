/**
 * WGSL helpers for compensated (double-f32) sums: a value is a pair `(hi, lo)` with
 * `hi + lo` the sum; `twoSum` is Knuth's error-free addition, products carry their `fma` rounding
 * error. Reductions over a workgroup combine pairs in a tree, so a dot product of n terms has an
 * error of about `eps32^2 * n * sum|a_i b_i|` instead of `eps32 * n * ...` (Ogita, Rump, Oishi 2005).
 * Requires a `const WG: u32` in the including shader.
 */
export const compensatedWgsl = /* wgsl */ `
fn twoSum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  let e = (a - (s - bb)) + (b - bb);
  return vec2<f32>(s, e);
}

fn addPair(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = twoSum(a.x, b.x);
  let lo = s.y + (a.y + b.y);
  let h = s.x + lo;
  return vec2<f32>(h, lo - (h - s.x));
}

fn addProduct(acc: vec2<f32>, a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  return addPair(acc, vec2<f32>(p, fma(a, b, -p)));
}

var<workgroup> reduceScratch: array<vec2<f32>, WG>;

/** Sum of one pair per invocation over the workgroup; call from uniform control flow. */
fn workgroupSum(lid: u32, v: vec2<f32>) -> vec2<f32> {
  reduceScratch[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      reduceScratch[lid] = addPair(reduceScratch[lid], reduceScratch[lid + s]);
    }
    workgroupBarrier();
  }
  let out = reduceScratch[0];
  workgroupBarrier();
  return out;
}
`;
