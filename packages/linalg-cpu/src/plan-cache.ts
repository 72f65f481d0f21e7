import type { PcgLayout } from './preconditioners.js';
import type { CholeskySymbolic } from './sparse-cholesky.js';
import type { FactorRequest } from './solver.js';
import type { SystemPattern } from './system-pattern.js';

/**
 * What the structure alone decides, so repeated factorizations of one wiring (a training loop:
 * same network and Dirichlet set, new conductances) skip the ordering and symbolic analysis:
 * `pcg` (with its renumbering) when PCG is used, else the symbolic analysis to reuse (its
 * numeric workspace travels with it, `supernodal-cholesky.ts`).
 */
export type StructurePlan = { readonly kind: 'pcg'; readonly layout: PcgLayout } | { readonly kind: 'sparse'; readonly symbolic: CholeskySymbolic };

/** One wiring (node count, edges, Dirichlet set): its system pattern and its plans by key. */
export interface StructureEntry {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly dirichlet: Uint32Array;
  /** The reduced system's pattern (null until a factorization builds it). */
  pattern: SystemPattern | null;
  /** Plans by key (the method, ordering and caps asked for). */
  readonly plans: Map<string, StructurePlan>;
}

/** Wirings kept (least recently used dropped first). Callers often rebuild their edge arrays each step, so entries are found by content. */
export const PLAN_CACHE_SIZE = 8;
const cache = new Map<number, StructureEntry[]>();
let entries = 0;

function same(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mixArray(h: number, arr: Uint32Array): number {
  h = Math.imul(h ^ arr.length, 0x01000193);
  for (let i = 0; i < arr.length; i++) h = Math.imul(h ^ arr[i]!, 0x01000193);
  return h;
}

/** FNV-1a style hash of the structure (32 bits). */
function structureHash(request: FactorRequest): number {
  let h = Math.imul(0x811c9dc5 ^ request.network.nodeCount, 0x01000193);
  h = mixArray(h, request.network.edgeFrom);
  h = mixArray(h, request.network.edgeTo);
  h = mixArray(h, request.dirichletNodes);
  return h >>> 0;
}

function matches(e: StructureEntry, request: FactorRequest): boolean {
  const { network, dirichletNodes } = request;
  return e.nodeCount === network.nodeCount && same(e.dirichlet, dirichletNodes) && same(e.edgeFrom, network.edgeFrom) && same(e.edgeTo, network.edgeTo);
}

/**
 * The cached entry of this request's wiring, found by content (node count, edges and Dirichlet
 * nodes compared in full, so arrays edited in place or rebuilt are handled correctly), or null.
 * A hit becomes the most recently used entry.
 */
export function findStructure(request: FactorRequest): StructureEntry | null {
  const h = structureHash(request);
  const list = cache.get(h);
  const hit = list?.find((e) => matches(e, request));
  if (!hit) return null;
  cache.delete(h); // most recently used last
  cache.set(h, list!);
  return hit;
}

/** Remembers this request's wiring (with `pattern`, or none yet); at most `PLAN_CACHE_SIZE` are kept. */
export function rememberStructure(request: FactorRequest, pattern: SystemPattern | null): StructureEntry {
  const h = structureHash(request);
  const { network, dirichletNodes } = request;
  const entry: StructureEntry = {
    nodeCount: network.nodeCount,
    edgeFrom: network.edgeFrom.slice(),
    edgeTo: network.edgeTo.slice(),
    dirichlet: dirichletNodes.slice(),
    pattern,
    plans: new Map(),
  };
  const list = cache.get(h);
  cache.delete(h);
  cache.set(h, [...(list ?? []), entry]);
  entries++;
  while (entries > PLAN_CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value as [number, StructureEntry[]];
    old.shift();
    entries--;
    if (old.length === 0) cache.delete(oldest);
  }
  return entry;
}

/** The plan under `key` of a cached wiring, computed and remembered on first use. */
export function planOf(entry: StructureEntry, key: string, compute: () => StructurePlan): StructurePlan {
  let plan = entry.plans.get(key);
  if (!plan) {
    plan = compute();
    entry.plans.set(key, plan);
  }
  return plan;
}

/**
 * The plan for this request's structure under `key` (the method and ordering asked for): from
 * the cache when a request with identical node count, edges and Dirichlet nodes was seen, else
 * computed and remembered. At most `PLAN_CACHE_SIZE` wirings are kept.
 */
export function structurePlan(request: FactorRequest, key: string, compute: () => StructurePlan): StructurePlan {
  const entry = findStructure(request) ?? rememberStructure(request, null);
  return planOf(entry, key, compute);
}

/** Forgets every cached plan (frees their memory; the next factorization of each wiring analyses it again). */
export function clearPlanCache(): void {
  cache.clear();
  entries = 0;
}
