/**
 * WGSL of the coarse level of the two-level PCG preconditioner
 * `M^-1 = B + P A_c^-1 P^T` (B: block-Jacobi of pcg.wgsl.ts; P: piecewise constant on the tiles;
 * A_c = P^T L_FF P, inverted in float64 on the host, stored as a dense symmetric float32 matrix
 * after each system's `[val | 1 / diag]` in `values`).
 *
 * Schedule (keeps two dispatches per iteration): the coarse right-hand side `s = P^T r_k` is
 * needed in full by every tile, but r_k is only complete at the end of the update dispatch. Since
 * `r_k = r_{k-1} - alpha q_k`, `s_k = s_{k-1} - alpha P^T q_k`: the direction dispatch writes the
 * tile sums of `q_k`, the update dispatch of iteration k-1 wrote the tile sums of `r_{k-1}` (ping-pong
 * by parity), so the update dispatch of iteration k has `s_k` for every tile at its start, and the
 * workgroup owning tile t computes `y_t = (A_c^-1)_t . s_k` (one row, shared over the workgroup)
 * and adds it to z on its rows; `r.z` then includes `s.y` through the tiles' own partials.
 * The initial `s_0 = P^T b` comes from the host. Cost per iteration and RHS: one pass over the
 * `nc x nc` inverse and two workgroup reductions per tile (the coarse row
 * and the tile sum of r share one tree).
 *
 * Scalars layout after the PCG partials and totals (`coarseBase`): `s` for parity 0 and 1
 * (`count x nc` each), then the tile sums of q (`count x nc`). Needs `params.nc`, `values` and a
 * read-write `scalars`, `compensatedWgsl`.
 */
export const pcgCoarseWgsl = /* wgsl */ `
fn coarseBase() -> u32 { return 8u * params.count * params.W + params.count; }
fn coarseS(par: u32, rhs: u32, t: u32) -> u32 { return coarseBase() + (par * params.count + rhs) * params.nc + t; }
fn coarseQ(rhs: u32, t: u32) -> u32 { return coarseBase() + (2u * params.count + rhs) * params.nc + t; }

/** Sum over the workgroup of one f32 per invocation (compensated); call from uniform control flow. */
fn tileSum(lid: u32, v: f32) -> f32 {
  let s = workgroupSum(lid, vec2<f32>(v, 0.0));
  return s.x + s.y;
}

var<workgroup> pairScratch: array<vec4<f32>, WG>;

/** Two compensated sums in one reduction tree (half the barriers of two workgroupSum calls). */
fn workgroupSum2(lid: u32, a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  pairScratch[lid] = vec4<f32>(a, b);
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      let u = pairScratch[lid];
      let v = pairScratch[lid + s];
      pairScratch[lid] = vec4<f32>(addPair(u.xy, v.xy), addPair(u.zw, v.zw));
    }
    workgroupBarrier();
  }
  let out = pairScratch[0];
  workgroupBarrier();
  return vec2<f32>(out.x + out.y, out.z + out.w);
}

/**
 * (y_t, sum of v over the workgroup) with y_t = sum_j (A_c^-1)_tj (s_cur[j] - alpha qsum[j]) for
 * one RHS (the coarse value of tile t), by the whole workgroup.
 */
fn coarseValue(t: u32, lid: u32, vb: u32, rhs: u32, alpha: f32, v: f32) -> vec2<f32> {
  let row = vb + params.nnz + params.nf + t * params.nc;
  var acc = vec2<f32>(0.0, 0.0);
  for (var j = lid; j < params.nc; j = j + WG) {
    acc = addProduct(acc, values[row + j], scalars[coarseS(params.cur, rhs, j)] - alpha * scalars[coarseQ(rhs, j)]);
  }
  return workgroupSum2(lid, acc, vec2<f32>(v, 0.0));
}
`;

/** Update/init dispatch, inside the tile loop after `zi` (block part) and `ri` (new residual): add the coarse part; record the tile sum of r as s (update only). */
export function coarseUpdateWgsl(writeS: boolean, alpha: string): string {
  return /* wgsl */ `
    let yc = coarseValue(t, lid, vb, rhs, ${alpha}, ri);
    if (mine) { zi = zi + yc.x; }
    ${writeS ? 'if (lid == 0u) { scalars[coarseS(params.other, rhs, t)] = yc.y; }' : ''}`;
}

/** Direction dispatch, inside the tile loop after `qi`: the tile sum of q. */
export const coarseDirectionWgsl = /* wgsl */ `
    let qt = tileSum(lid, qi);
    if (lid == 0u) { scalars[coarseQ(rhs, t)] = qt; }`;
