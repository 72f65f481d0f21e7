/**
 * Batched dense Cholesky `L_FF = C C^T` of many small circuits of one topology, one workgroup per
 * system (float32). The factor is stored packed by rows, entry (i, j <= i) at `i (i + 1) / 2 + j`.
 * When the packed factor fits in workgroup memory (`inWorkgroup`), the work happens there and is
 * copied out once; past that it runs in global memory with storage barriers.
 *
 * Assembly (THEORY.md "Circuit": `L = A^T K A`): thread of free row i sums the conductances of the
 * edges at node i on the diagonal and subtracts each from the entry of its free neighbour c < i,
 * from `rowEdges = [start (NF + 1) | (edge, free index of the other end or NONE) pairs]`.
 */
function memory(nf: number, inWorkgroup: boolean): string {
  const packed = (nf * (nf + 1)) / 2;
  return inWorkgroup
    ? `var<workgroup> A: array<f32, ${packed}u>;
fn ld(base: u32, idx: u32) -> f32 { return A[idx]; }
fn st(base: u32, idx: u32, v: f32) { A[idx] = v; }`
    : `fn ld(base: u32, idx: u32) -> f32 { return factor[base + idx]; }
fn st(base: u32, idx: u32, v: f32) { factor[base + idx] = v; }`;
}

const common = (nf: number) => /* wgsl */ `
const WG: u32 = 64u;
const NF: u32 = ${nf}u;
const PACKED: u32 = ${(nf * (nf + 1)) / 2}u;
fn at(i: u32, j: u32) -> u32 { return i * (i + 1u) / 2u + j; }
fn sync() { storageBarrier(); workgroupBarrier(); }
`;

/** Factor kernel for `nf` free nodes and `m` edges; writes `status[s] = 1` on a non-positive pivot. */
export function denseFactorWgsl(nf: number, m: number, inWorkgroup: boolean): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> rowEdges: array<u32>;
@group(0) @binding(1) var<storage, read> conductances: array<f32>;
@group(0) @binding(2) var<storage, read_write> factor: array<f32>;
@group(0) @binding(3) var<storage, read_write> status: array<f32>;
${common(nf)}
const M: u32 = ${m}u;
const NONE: u32 = 0xffffffffu;
${memory(nf, inWorkgroup)}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let s = wid.x;
  let base = s * PACKED;
  for (var i = lid; i < NF; i = i + WG) {
    for (var j = 0u; j <= i; j = j + 1u) { st(base, at(i, j), 0.0); }
    var diag = 0.0;
    for (var e = rowEdges[i]; e < rowEdges[i + 1u]; e = e + 1u) {
      let edge = rowEdges[NF + 1u + 2u * e];
      let other = rowEdges[NF + 2u + 2u * e];
      let k = conductances[s * M + edge];
      diag = diag + k;
      if (other != NONE && other < i) { st(base, at(i, other), ld(base, at(i, other)) - k); }
    }
    st(base, at(i, i), diag);
  }
  sync();
  var bad = 0.0;
  for (var k = 0u; k < NF; k = k + 1u) {
    let d = ld(base, at(k, k));
    if (!(d > 0.0)) { bad = 1.0; }
    let root = sqrt(max(d, 1e-30));
    sync();
    for (var i = k + 1u + lid; i < NF; i = i + WG) { st(base, at(i, k), ld(base, at(i, k)) / root); }
    if (lid == 0u) { st(base, at(k, k), root); }
    sync();
    for (var i = k + 1u + lid; i < NF; i = i + WG) {
      let lik = ld(base, at(i, k));
      for (var j = k + 1u; j <= i; j = j + 1u) { st(base, at(i, j), ld(base, at(i, j)) - lik * ld(base, at(j, k))); }
    }
    sync();
  }
  ${inWorkgroup ? 'for (var q = lid; q < PACKED; q = q + WG) { factor[base + q] = A[q]; }' : ''}
  if (lid == 0u) { status[s] = bad; }
}
`;
}

/**
 * Solve kernel: `C C^T x = b` for `perSystem` right-hand sides of each system, in place in `rhs`
 * (system-major, then RHS, then free index). Forward then backward substitution, parallel over
 * (row, RHS) pairs. `firstSystem.x`: index in `factor` of the first system of this dispatch.
 */
export function denseSolveWgsl(nf: number, perSystem: number, inWorkgroup: boolean): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> factor: array<f32>;
@group(0) @binding(1) var<storage, read_write> rhs: array<f32>;
@group(0) @binding(2) var<uniform> firstSystem: vec4<u32>;
${common(nf)}
const P: u32 = ${perSystem}u;
${memory(nf, inWorkgroup)}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let s = wid.x;
  let base = (s + firstSystem.x) * PACKED;
  ${inWorkgroup ? 'for (var q = lid; q < PACKED; q = q + WG) { A[q] = factor[base + q]; }' : ''}
  let o = s * P * NF;
  sync();
  for (var k = 0u; k < NF; k = k + 1u) {
    for (var t = lid; t < P; t = t + WG) { rhs[o + t * NF + k] = rhs[o + t * NF + k] / ld(base, at(k, k)); }
    sync();
    let rows = NF - k - 1u;
    for (var w = lid; w < rows * P; w = w + WG) {
      let i = k + 1u + w % rows;
      let t = w / rows;
      rhs[o + t * NF + i] = rhs[o + t * NF + i] - ld(base, at(i, k)) * rhs[o + t * NF + k];
    }
    sync();
  }
  for (var kk = 0u; kk < NF; kk = kk + 1u) {
    let k = NF - 1u - kk;
    for (var t = lid; t < P; t = t + WG) { rhs[o + t * NF + k] = rhs[o + t * NF + k] / ld(base, at(k, k)); }
    sync();
    for (var w = lid; w < k * P; w = w + WG) {
      let i = w % k;
      let t = w / k;
      rhs[o + t * NF + i] = rhs[o + t * NF + i] - ld(base, at(k, i)) * rhs[o + t * NF + k];
    }
    sync();
  }
}
`;
}

/** Bytes of workgroup memory the packed factor of `nf` free nodes needs. */
export function packedFactorBytes(nf: number): number {
  return 2 * nf * (nf + 1);
}
