import { compensatedWgsl } from './compensated.wgsl.js';

/**
 * Batched Jacobi-preconditioned conjugate gradient on `L_FF` (CSR, float32), two dispatches per
 * iteration, all scalars on the GPU (dispatch grid: x = row blocks, y = right-hand side).
 *
 * Iteration k (standard PCG, z = D^-1 r, recast so that no vector z is stored):
 *  - `pcgDirection`: rho_k = r.z and rho_{k-1} from the workgroup partials, beta = rho_k / rho_{k-1};
 *    p_new = z + beta p_old (own rows) and q = L_FF p_new computed from the neighbours' r and p_old
 *    (no global barrier needed); partials of p_new.q.
 *  - `pcgUpdate`: alpha = rho_k / (p.q); x += alpha p; r -= alpha q; partials of r.z and r.r.
 * Partial sums are compensated pairs (compensated.wgsl.ts). `scalars` holds, per RHS and
 * workgroup, sections RZ[0], RZ[1] (ping-pong by parity), PQ, RR, then one total |r|^2 per RHS.
 * `structure` = [rowStart (nf + 1) | col (nnz)], `values` = [val (nnz) | 1 / diag (nf)].
 */
const header = /* wgsl */ `
const WG: u32 = 256u;
struct Params { nf: u32, nnz: u32, count: u32, W: u32, cur: u32, other: u32, pad0: u32, pad1: u32 }
${compensatedWgsl}
fn sect(s: u32, rhs: u32) -> u32 { return (s * params.count * params.W + rhs * params.W) * 2u; }

/** Sum of the W partial pairs at base, by the whole workgroup. */
fn sumPartials(lid: u32, base: u32) -> vec2<f32> {
  var v = vec2<f32>(0.0, 0.0);
  for (var w = lid; w < params.W; w = w + WG) {
    v = addPair(v, vec2<f32>(scalars[base + 2u * w], scalars[base + 2u * w + 1u]));
  }
  return workgroupSum(lid, v);
}
`;

const RZ = 0;
const PQ = 2;
const RR = 3;

/** Partials of r.z into RZ[0] and r.r into RR; zeroes RZ[1] (so beta = 0 at the first step). */
export const pcgInitWgsl = /* wgsl */ `
@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> r: array<f32>;
@group(0) @binding(2) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
${header}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rhs = wid.y;
  let o = rhs * params.nf;
  var rz = vec2<f32>(0.0, 0.0);
  var rr = vec2<f32>(0.0, 0.0);
  for (var i = wid.x * WG + lid; i < params.nf; i = i + nwg.x * WG) {
    let ri = r[o + i];
    rz = addProduct(rz, ri, ri * values[params.nnz + i]);
    rr = addProduct(rr, ri, ri);
  }
  let srz = workgroupSum(lid, rz);
  let srr = workgroupSum(lid, rr);
  if (lid == 0u) {
    let a = sect(${RZ}u, rhs) + 2u * wid.x;
    scalars[a] = srz.x; scalars[a + 1u] = srz.y;
    let b = sect(${RZ + 1}u, rhs) + 2u * wid.x;
    scalars[b] = 0.0; scalars[b + 1u] = 0.0;
    let c = sect(${RR}u, rhs) + 2u * wid.x;
    scalars[c] = srr.x; scalars[c + 1u] = srr.y;
  }
}
`;

/** Dispatch 1 of an iteration: new direction and q = L_FF p. `cur` = parity of rho_k. */
export const pcgDirectionWgsl = /* wgsl */ `
@group(0) @binding(0) var<storage, read> structure: array<u32>;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read> r: array<f32>;
@group(0) @binding(3) var<storage, read> pOld: array<f32>;
@group(0) @binding(4) var<storage, read_write> pNew: array<f32>;
@group(0) @binding(5) var<storage, read_write> q: array<f32>;
@group(0) @binding(6) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;
${header}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rhs = wid.y;
  let o = rhs * params.nf;
  let rho = sumPartials(lid, sect(${RZ}u + params.cur, rhs));
  let rhoPrev = sumPartials(lid, sect(${RZ}u + params.other, rhs));
  let num = rho.x + rho.y;
  let den = rhoPrev.x + rhoPrev.y;
  let beta = select(num / den, 0.0, den == 0.0);
  let colBase = params.nf + 1u;
  var pq = vec2<f32>(0.0, 0.0);
  for (var i = wid.x * WG + lid; i < params.nf; i = i + nwg.x * WG) {
    let pi = values[params.nnz + i] * r[o + i] + beta * pOld[o + i];
    pNew[o + i] = pi;
    var acc = vec2<f32>(0.0, 0.0);
    for (var e = structure[i]; e < structure[i + 1u]; e = e + 1u) {
      let c = structure[colBase + e];
      let pc = values[params.nnz + c] * r[o + c] + beta * pOld[o + c];
      acc = addProduct(acc, values[e], pc);
    }
    let qi = acc.x + acc.y;
    q[o + i] = qi;
    pq = addProduct(pq, pi, qi);
  }
  let s = workgroupSum(lid, pq);
  if (lid == 0u) {
    let a = sect(${PQ}u, rhs) + 2u * wid.x;
    scalars[a] = s.x; scalars[a + 1u] = s.y;
  }
}
`;

/** Dispatch 2 of an iteration: step along p; partials of the next rho into RZ[other] and of |r|^2. */
export const pcgUpdateWgsl = /* wgsl */ `
@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> r: array<f32>;
@group(0) @binding(3) var<storage, read> p: array<f32>;
@group(0) @binding(4) var<storage, read> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;
${header}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rhs = wid.y;
  let o = rhs * params.nf;
  let rho = sumPartials(lid, sect(${RZ}u + params.cur, rhs));
  let pqs = sumPartials(lid, sect(${PQ}u, rhs));
  let num = rho.x + rho.y;
  let den = pqs.x + pqs.y;
  let alpha = select(num / den, 0.0, den <= 0.0 || num == 0.0);
  var rz = vec2<f32>(0.0, 0.0);
  var rr = vec2<f32>(0.0, 0.0);
  for (var i = wid.x * WG + lid; i < params.nf; i = i + nwg.x * WG) {
    x[o + i] = x[o + i] + alpha * p[o + i];
    let ri = r[o + i] - alpha * q[o + i];
    r[o + i] = ri;
    rz = addProduct(rz, ri, ri * values[params.nnz + i]);
    rr = addProduct(rr, ri, ri);
  }
  let srz = workgroupSum(lid, rz);
  let srr = workgroupSum(lid, rr);
  if (lid == 0u) {
    let a = sect(${RZ}u + params.other, rhs) + 2u * wid.x;
    scalars[a] = srz.x; scalars[a + 1u] = srz.y;
    let c = sect(${RR}u, rhs) + 2u * wid.x;
    scalars[c] = srr.x; scalars[c + 1u] = srr.y;
  }
}
`;

/** Before a convergence readback: |r|^2 per RHS into the totals (grid: 1 x count). */
export const pcgResidualTotalWgsl = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;
${header}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rhs = wid.y;
  let s = sumPartials(lid, sect(${RR}u, rhs));
  if (lid == 0u) {
    scalars[8u * params.count * params.W + rhs] = s.x + s.y;
  }
}
`;

/** Float32 words of the `scalars` buffer for `count` RHS and `W` row blocks. */
export function pcgScalarWords(count: number, W: number): number {
  return 8 * count * W + count;
}
