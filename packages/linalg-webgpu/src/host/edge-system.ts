import type { Network } from '@ohmlab/linalg-cpu';

/**
 * Float64 host arithmetic on a network with per-system conductances, straight from the edges
 * (THEORY.md "Circuit": `(L v)_u += k (v_u - v_w)`, `(L v)_w -= k (v_u - v_w)`). Used by the
 * batched dense path, where building a CSR Laplacian per system would cost more than the solve.
 */
export function laplacianTimes(network: Network, k: Float64Array, kOffset: number, v: Float64Array, vOffset: number, out: Float64Array): void {
  out.fill(0);
  const m = network.edgeFrom.length;
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const flow = k[kOffset + j]! * (v[vOffset + u]! - v[vOffset + w]!);
    out[u]! += flow;
    out[w]! -= flow;
  }
}

/**
 * Free-node residual `injected_F - (L v)_F` of full voltages `v` (Dirichlet entries held), into
 * `res` (free indexing); `lv` receives `L v` (length nodeCount).
 */
export function freeResidualFromEdges(
  network: Network,
  k: Float64Array,
  kOffset: number,
  v: Float64Array,
  vOffset: number,
  free: Uint32Array,
  injected: Float64Array,
  injOffset: number,
  lv: Float64Array,
  res: Float64Array,
): void {
  laplacianTimes(network, k, kOffset, v, vOffset, lv);
  for (let q = 0; q < free.length; q++) res[q] = injected[injOffset + q]! - lv[free[q]!]!;
}

/** `(L_FD v_D)` at the free nodes (coupling to held voltages), into `out` (free indexing). */
export function dirichletCoupling(
  network: Network,
  k: Float64Array,
  kOffset: number,
  v: Float64Array,
  vOffset: number,
  freeIndex: Int32Array,
  out: Float64Array,
): void {
  out.fill(0);
  const m = network.edgeFrom.length;
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const fu = freeIndex[u]!;
    const fw = freeIndex[w]!;
    if (fu >= 0 && fw < 0) out[fu]! -= k[kOffset + j]! * v[vOffset + w]!;
    if (fw >= 0 && fu < 0) out[fw]! -= k[kOffset + j]! * v[vOffset + u]!;
  }
}
