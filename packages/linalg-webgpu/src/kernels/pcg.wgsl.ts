import { compensatedWgsl } from './compensated.wgsl.js';
import { coarseDirectionWgsl, coarseUpdateWgsl, pcgCoarseWgsl } from './pcg-coarse.wgsl.js';

/**
 * Batched preconditioned conjugate gradient on `L_FF` (CSR, float32) for many right-hand sides and
 * many conductance vectors of one topology; two dispatches per iteration, every scalar on the GPU
 * (grid: x = workgroups over row tiles, y = right-hand side). Rows are grouped in tiles of at most
 * 256 contiguous rows (host-side ordering, `pcg-tiles.ts`); a workgroup owns whole tiles.
 *
 * Preconditioner `z = M^-1 r`, block-Jacobi over the tiles with an inexact tile solve: `degree`
 * steps of Chebyshev iteration on `D^-1 A_tt z = D^-1 r_t` (A_tt: the tile's diagonal block,
 * D its diagonal) over the interval `[lo, 2]`, from z = 0, in workgroup memory. That is a fixed
 * polynomial `q(D^-1 A_tt) D^-1`, symmetric, and positive because `q > 0` on `(0, 2]` for any
 * `0 < lo < 2` (the Chebyshev residual polynomial stays in (0, 1) there), so CG theory holds.
 * `degree = 1` is plain Jacobi (`z = D^-1 r / theta`). With `coarse`, the two-level operator
 * `M^-1 = B + P A_c^-1 P^T` (pcg-coarse.wgsl.ts), in the same two dispatches.
 *
 * Iteration k (standard PCG):
 *  - `pcgDirection`: rho_k = r.z and rho_{k-1} from the partials, beta = rho_k / rho_{k-1};
 *    p = z + beta p_old (own rows) and q = A p from the neighbours' z and p_old (no global barrier
 *    needed); partials of p.q.
 *  - `pcgUpdate`: alpha = rho_k / (p.q); x += alpha p; r -= alpha q (own tile); z = M^-1 r (tile
 *    local); partials of the next r.z and of r.r.
 * Partial sums are compensated pairs. `scalars` holds, per RHS and workgroup, RZ[0], RZ[1]
 * (ping-pong by parity), PQ, RR, then one |r|^2 total per RHS. `structure` = [rowStart (nf + 1) |
 * col (nnz) | tileStart (tiles + 1)]; `values` = per system [val (nnz) | 1 / diag (nf)].
 */
export interface PcgKernelOptions {
  /** Chebyshev steps of the tile solve (1 = Jacobi). */
  readonly degree: number;
  /** Lower end of the Chebyshev interval for `D^-1 A_tt` (upper end 2). */
  readonly lower: number;
  /** Two-level: add the coarse correction `P A_c^-1 P^T r` (pcg-coarse.wgsl.ts); default false. */
  readonly coarse?: boolean;
}

/** Uniform `Params` words (see `pcgParams`; `nc`: coarse unknowns of the two-level preconditioner, else 0). */
export const PCG_PARAM_WORDS = 12;

function header(o: PcgKernelOptions): string {
  const theta = (2 + o.lower) / 2;
  const delta = (2 - o.lower) / 2;
  return /* wgsl */ `
const WG: u32 = 256u;
const DEGREE: u32 = ${o.degree}u;
const THETA: f32 = ${theta};
const DELTA: f32 = ${delta};
const SIGMA: f32 = ${theta / delta};
struct Params { nf: u32, nnz: u32, count: u32, W: u32, cur: u32, other: u32, perSystem: u32, firstUnit: u32, tiles: u32, nc: u32, pad1: u32, pad2: u32 }
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
}

const tiles = /* wgsl */ `
fn valueBase(rhs: u32) -> u32 { return ((params.firstUnit + rhs) / params.perSystem) * (params.nnz + params.nf + params.nc * params.nc); }
fn tileStart(t: u32) -> u32 { return structure[params.nf + 1u + params.nnz + t]; }
`;

/**
 * z = M^-1 r on tile t for RHS offset o (thread lid owns row start + lid); returns z of that row
 * (0 for threads past the tile). Call from uniform control flow.
 */
const precondition = /* wgsl */ `
var<workgroup> tileDir: array<f32, WG>;

fn preconditionTile(t: u32, lid: u32, o: u32, vb: u32, ri: f32) -> f32 {
  let start = tileStart(t);
  let size = tileStart(t + 1u) - start;
  let mine = lid < size;
  let i = start + lid;
  var inv = 0.0;
  if (mine) { inv = values[vb + params.nnz + i]; }
  var res = inv * ri;
  var dir = res / THETA;
  var acc = 0.0;
  var rho = 1.0 / SIGMA;
  for (var k = 0u; k < DEGREE; k = k + 1u) {
    acc = acc + dir;
    if (k + 1u == DEGREE) { break; }
    tileDir[lid] = dir;
    workgroupBarrier();
    if (mine) {
      var ad = 0.0;
      for (var e = structure[i]; e < structure[i + 1u]; e = e + 1u) {
        let c = structure[params.nf + 1u + e];
        if (c >= start && c < start + size) { ad = ad + values[vb + e] * tileDir[c - start]; }
      }
      res = res - inv * ad;
    }
    let rhoNew = 1.0 / (2.0 * SIGMA - rho);
    dir = rhoNew * rho * dir + (2.0 * rhoNew / DELTA) * res;
    rho = rhoNew;
    workgroupBarrier();
  }
  return select(0.0, acc, mine);
}
`;

const RZ = 0;
const PQ = 2;
const RR = 3;

const tileLoop = 'for (var t = wid.x; t < params.tiles; t = t + nwg.x)';
const entry = '@compute @workgroup_size(WG)\nfn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>)';

/** z = M^-1 r for the initial residual; partials of r.z into RZ[0] and r.r into RR; RZ[1] = 0. */
export function pcgInitWgsl(o: PcgKernelOptions): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> structure: array<u32>;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read> r: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@group(0) @binding(4) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
${header(o)}
${tiles}
${precondition}
${o.coarse ? pcgCoarseWgsl : ''}
${entry} {
  let rhs = wid.y;
  let o = rhs * params.nf;
  let vb = valueBase(rhs);
  var rz = vec2<f32>(0.0, 0.0);
  var rr = vec2<f32>(0.0, 0.0);
  ${tileLoop} {
    let i = tileStart(t) + lid;
    let mine = i < tileStart(t + 1u);
    var ri = 0.0;
    if (mine) { ri = r[o + i]; }
    var zi = preconditionTile(t, lid, o, vb, ri);${o.coarse ? coarseUpdateWgsl(false, '0.0') : ''}
    if (mine) { z[o + i] = zi; }
    rz = addProduct(rz, ri, zi);
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
}

/** Dispatch 1 of an iteration: new direction p and q = A p. `cur` = parity of rho_k. */
export function pcgDirectionWgsl(o: PcgKernelOptions): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> structure: array<u32>;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read> z: array<f32>;
@group(0) @binding(3) var<storage, read> pOld: array<f32>;
@group(0) @binding(4) var<storage, read_write> pNew: array<f32>;
@group(0) @binding(5) var<storage, read_write> q: array<f32>;
@group(0) @binding(6) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;
${header(o)}
${tiles}
${o.coarse ? pcgCoarseWgsl : ''}
${entry} {
  let rhs = wid.y;
  let o = rhs * params.nf;
  let vb = valueBase(rhs);
  let rho = sumPartials(lid, sect(${RZ}u + params.cur, rhs));
  let rhoPrev = sumPartials(lid, sect(${RZ}u + params.other, rhs));
  let num = rho.x + rho.y;
  let den = rhoPrev.x + rhoPrev.y;
  let beta = select(num / den, 0.0, den == 0.0);
  let colBase = params.nf + 1u;
  var pq = vec2<f32>(0.0, 0.0);
  ${tileLoop} {
    let i = tileStart(t) + lid;
    var qi = 0.0;
    if (i < tileStart(t + 1u)) {
      let pi = z[o + i] + beta * pOld[o + i];
      pNew[o + i] = pi;
      var acc = vec2<f32>(0.0, 0.0);
      for (var e = structure[i]; e < structure[i + 1u]; e = e + 1u) {
        let c = structure[colBase + e];
        acc = addProduct(acc, values[vb + e], z[o + c] + beta * pOld[o + c]);
      }
      qi = acc.x + acc.y;
      q[o + i] = qi;
      pq = addProduct(pq, pi, qi);
    }${o.coarse ? coarseDirectionWgsl : ''}
  }
  let s = workgroupSum(lid, pq);
  if (lid == 0u) {
    let a = sect(${PQ}u, rhs) + 2u * wid.x;
    scalars[a] = s.x; scalars[a + 1u] = s.y;
  }
}
`;
}

/** Dispatch 2 of an iteration: step along p, precondition the tile, partials of the next rho and |r|^2. */
export function pcgUpdateWgsl(o: PcgKernelOptions): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> structure: array<u32>;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> r: array<f32>;
@group(0) @binding(4) var<storage, read_write> z: array<f32>;
@group(0) @binding(5) var<storage, read> p: array<f32>;
@group(0) @binding(6) var<storage, read> q: array<f32>;
@group(0) @binding(7) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
${header(o)}
${tiles}
${precondition}
${o.coarse ? pcgCoarseWgsl : ''}
${entry} {
  let rhs = wid.y;
  let o = rhs * params.nf;
  let vb = valueBase(rhs);
  let rho = sumPartials(lid, sect(${RZ}u + params.cur, rhs));
  let pqs = sumPartials(lid, sect(${PQ}u, rhs));
  let num = rho.x + rho.y;
  let den = pqs.x + pqs.y;
  let alpha = select(num / den, 0.0, den <= 0.0 || num == 0.0);
  var rz = vec2<f32>(0.0, 0.0);
  var rr = vec2<f32>(0.0, 0.0);
  ${tileLoop} {
    let i = tileStart(t) + lid;
    let mine = i < tileStart(t + 1u);
    var ri = 0.0;
    if (mine) {
      x[o + i] = x[o + i] + alpha * p[o + i];
      ri = r[o + i] - alpha * q[o + i];
      r[o + i] = ri;
    }
    var zi = preconditionTile(t, lid, o, vb, ri);${o.coarse ? coarseUpdateWgsl(true, 'alpha') : ''}
    if (mine) { z[o + i] = zi; }
    rz = addProduct(rz, ri, zi);
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
}

/** Before a convergence readback: |r|^2 per RHS into the totals (grid: 1 x count). */
export function pcgResidualTotalWgsl(o: PcgKernelOptions): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> scalars: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;
${header(o)}
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rhs = wid.y;
  let s = sumPartials(lid, sect(${RR}u, rhs));
  if (lid == 0u) {
    scalars[8u * params.count * params.W + rhs] = s.x + s.y;
  }
}
`;
}

/**
 * Float32 words of the `scalars` buffer for `count` RHS and `W` workgroups per RHS (and `nc`
 * coarse unknowns for the two-level preconditioner: `s` in two parities and the tile sums of q).
 */
export function pcgScalarWords(count: number, W: number, nc = 0): number {
  return 8 * count * W + count + 3 * count * nc;
}

/** Offset (words) of the coarse right-hand side `s` of parity `par` and RHS `rhs` in `scalars` (pcg-coarse.wgsl.ts). */
export function pcgCoarseOffset(count: number, W: number, nc: number, par: number, rhs: number): number {
  return 8 * count * W + count + (par * count + rhs) * nc;
}

/** Uniform words of one parity (`cur` = parity of rho_k) for a chunk starting at batch unit `firstUnit`. */
export function pcgParams(nf: number, nnz: number, count: number, W: number, parity: number, perSystem: number, firstUnit: number, tiles: number, nc = 0): Uint32Array {
  return Uint32Array.of(nf, nnz, count, W, parity, 1 - parity, perSystem, firstUnit, tiles, nc, 0, 0);
}
