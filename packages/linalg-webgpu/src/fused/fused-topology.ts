import type { FusedPlan } from './fused-request.js';

/** Marks "no index" in the u32 tables (a Dirichlet node, a node that is no output). */
export const NONE = 0xffffffff;

/** Offsets (in u32 words) of the tables packed into one `topology` buffer. */
export interface TopologyOffsets {
  /** Incidence by node: `nodeStart[n + 1]` then `(edge, other node)` pairs. */
  readonly nodeStart: number;
  readonly adjacency: number;
  /** Node of each free index, for system A (Dirichlet = inputs) and B (inputs + outputs). */
  readonly freeA: number;
  readonly freeB: number;
  /** Free index of each node or NONE, per system. */
  readonly freeIndexA: number;
  readonly freeIndexB: number;
  /** Assembly rows per system: `start[nf + 1]` then `(edge, free index of the other end or NONE)`. */
  readonly rowsA: number;
  readonly rowsB: number;
  /** Output index of each node or NONE. */
  readonly outputIndex: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly edgeFrom: number;
  readonly edgeTo: number;
  /** Parametrisation code of each edge (0 conductance, 1 resistance, 2 log). */
  readonly kinds: number;
}

/** The wiring of a fused training run as GPU tables, with the free-node counts of both systems. */
export interface FusedTopology {
  readonly table: Uint32Array;
  readonly offsets: TopologyOffsets;
  readonly nfA: number;
  readonly nfB: number;
}

function freeIndexOf(n: number, held: Uint32Array[]): { free: Uint32Array; index: Uint32Array } {
  const index = new Uint32Array(n).fill(0);
  for (const list of held) for (const v of list) index[v] = NONE;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (index[i] !== NONE) index[i] = free.push(i) - 1;
  return { free: Uint32Array.from(free), index };
}

/** Per free row: the incident edges with the free index of the other end (NONE if held). */
function assemblyRows(plan: FusedPlan, free: Uint32Array, index: Uint32Array): Uint32Array {
  const { network } = plan.request;
  const nf = free.length;
  const start = new Uint32Array(nf + 1);
  const lists: number[][] = Array.from({ length: nf }, () => []);
  for (let j = 0; j < plan.m; j++) {
    const a = index[network.edgeFrom[j]!]!;
    const b = index[network.edgeTo[j]!]!;
    if (a !== NONE) lists[a]!.push(j, b);
    if (b !== NONE) lists[b]!.push(j, a);
  }
  for (let q = 0; q < nf; q++) start[q + 1] = start[q]! + lists[q]!.length / 2;
  const out = new Uint32Array(nf + 1 + 2 * start[nf]!);
  out.set(start);
  let at = nf + 1;
  for (const list of lists) for (const v of list) out[at++] = v;
  return out;
}

/** Builds the topology tables of a validated plan. */
export function buildFusedTopology(plan: FusedPlan): FusedTopology {
  const { network, inputNodes, outputNodes } = plan.request;
  const { n, m } = plan;
  const nodeStart = new Uint32Array(n + 1);
  for (let j = 0; j < m; j++) {
    nodeStart[network.edgeFrom[j]! + 1]!++;
    nodeStart[network.edgeTo[j]! + 1]!++;
  }
  for (let i = 0; i < n; i++) nodeStart[i + 1] = nodeStart[i + 1]! + nodeStart[i]!;
  const adjacency = new Uint32Array(4 * m);
  const fill = nodeStart.slice(0, n);
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    adjacency.set([j, w], 2 * fill[u]!++);
    adjacency.set([j, u], 2 * fill[w]!++);
  }
  const a = freeIndexOf(n, [inputNodes]);
  const b = freeIndexOf(n, [inputNodes, outputNodes]);
  const outputIndex = new Uint32Array(n).fill(NONE);
  outputNodes.forEach((v, o) => (outputIndex[v] = o));
  const parts: [keyof TopologyOffsets, Uint32Array][] = [
    ['nodeStart', nodeStart],
    ['adjacency', adjacency],
    ['freeA', a.free],
    ['freeB', b.free],
    ['freeIndexA', a.index],
    ['freeIndexB', b.index],
    ['rowsA', assemblyRows(plan, a.free, a.index)],
    ['rowsB', assemblyRows(plan, b.free, b.index)],
    ['outputIndex', outputIndex],
    ['inputs', inputNodes],
    ['outputs', outputNodes],
    ['edgeFrom', network.edgeFrom],
    ['edgeTo', network.edgeTo],
    ['kinds', Uint32Array.from(plan.kinds)],
  ];
  const offsets = {} as Record<keyof TopologyOffsets, number>;
  let total = 0;
  for (const [name, data] of parts) {
    offsets[name] = total;
    total += data.length;
  }
  const table = new Uint32Array(Math.max(total, 4));
  for (const [name, data] of parts) table.set(data, offsets[name]);
  return { table, offsets, nfA: a.free.length, nfB: b.free.length };
}
