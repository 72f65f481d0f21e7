import type { PcgLayout } from './preconditioners.js';
import type { CholeskySymbolic } from './sparse-cholesky.js';
import type { FactorRequest } from './solver.js';

/**
 * What the structure alone decides, so repeated factorizations of one wiring (a training loop:
 * same network and Dirichlet set, new conductances) skip the ordering and symbolic analysis:
 * `pcg` (with its renumbering) when PCG is used, else the symbolic analysis to reuse.
 */
export type StructurePlan = { readonly kind: 'pcg'; readonly layout: PcgLayout } | { readonly kind: 'sparse'; readonly symbolic: CholeskySymbolic };

interface Entry {
  readonly key: string;
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly dirichlet: Uint32Array;
  readonly plan: StructurePlan;
}

/** Plans kept (least recently used dropped first). Callers often rebuild their edge arrays each step, so entries are found by content. */
export const PLAN_CACHE_SIZE = 8;
const cache = new Map<number, Entry[]>();
let entries = 0;

function same(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a style hash of the structure (32 bits). */
function structureHash(request: FactorRequest, key: string): number {
  let h = 0x811c9dc5;
  const mix = (v: number): void => {
    h = Math.imul(h ^ v, 0x01000193);
  };
  mix(request.network.nodeCount);
  for (const arr of [request.network.edgeFrom, request.network.edgeTo, request.dirichletNodes]) {
    mix(arr.length);
    for (let i = 0; i < arr.length; i++) mix(arr[i]!);
  }
  for (let i = 0; i < key.length; i++) mix(key.charCodeAt(i));
  return h >>> 0;
}

function matches(e: Entry, request: FactorRequest, key: string): boolean {
  const { network, dirichletNodes } = request;
  return e.key === key && e.nodeCount === network.nodeCount && same(e.dirichlet, dirichletNodes) && same(e.edgeFrom, network.edgeFrom) && same(e.edgeTo, network.edgeTo);
}

/**
 * The plan for this request's structure under `key` (the method and ordering asked for): from
 * the cache when a request with identical node count, edges and Dirichlet nodes was seen
 * (compared in full, so arrays edited in place or rebuilt are handled correctly), else computed
 * and remembered. At most `PLAN_CACHE_SIZE` plans are kept.
 */
export function structurePlan(request: FactorRequest, key: string, compute: () => StructurePlan): StructurePlan {
  const h = structureHash(request, key);
  const list = cache.get(h);
  const hit = list?.find((e) => matches(e, request, key));
  if (hit) {
    cache.delete(h); // most recently used last
    cache.set(h, list!);
    return hit.plan;
  }
  const plan = compute();
  const { network, dirichletNodes } = request;
  const entry: Entry = { key, nodeCount: network.nodeCount, edgeFrom: network.edgeFrom.slice(), edgeTo: network.edgeTo.slice(), dirichlet: dirichletNodes.slice(), plan };
  cache.delete(h);
  cache.set(h, [...(list ?? []), entry]);
  entries++;
  while (entries > PLAN_CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value as [number, Entry[]];
    old.shift();
    entries--;
    if (old.length === 0) cache.delete(oldest);
  }
  return plan;
}

/** Forgets every cached plan (frees their memory; the next factorization of each wiring analyses it again). */
export function clearPlanCache(): void {
  cache.clear();
  entries = 0;
}
