import type { Circuit } from './circuit.js';

/** Minimal wiring for graph queries (a `Circuit` or a solver `Network` satisfies it). */
export interface Wiring {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
}

/**
 * Connected components by union-find. Returns `component[i]` in `0..count-1`, numbered in order
 * of their smallest node. `activeEdges` (optional) masks edges out (0 = absent).
 */
export function connectedComponents(w: Wiring, activeEdges?: ArrayLike<number>): { count: number; component: Int32Array } {
  const parent = new Int32Array(w.nodeCount);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a]! !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  for (let j = 0; j < w.edgeFrom.length; j++) {
    if (activeEdges && !activeEdges[j]) continue;
    const a = find(w.edgeFrom[j]!);
    const b = find(w.edgeTo[j]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const label = new Int32Array(w.nodeCount).fill(-1);
  const component = new Int32Array(w.nodeCount);
  let count = 0;
  for (let i = 0; i < w.nodeCount; i++) {
    const r = find(i);
    if (label[r] === -1) label[r] = count++;
    component[i] = label[r]!;
  }
  return { count, component };
}

/**
 * Nodes with no path to any of `sources` (e.g. the input nodes): where the grounded Laplacian block
 * is singular (shared/THEORY.md "Circuit"). Sorted ascending; empty when every node reaches one.
 */
export function nodesWithoutPathTo(w: Wiring, sources: ArrayLike<number>, activeEdges?: ArrayLike<number>): number[] {
  const { count, component } = connectedComponents(w, activeEdges);
  const reached = new Uint8Array(count);
  for (let i = 0; i < sources.length; i++) reached[component[sources[i]!]!] = 1;
  const out: number[] = [];
  for (let i = 0; i < w.nodeCount; i++) if (!reached[component[i]!]) out.push(i);
  return out;
}

/** True when every output node lies in a component that contains an input node. */
export function outputsReachInputs(c: Circuit, activeEdges?: ArrayLike<number>): boolean {
  const lost = new Set(nodesWithoutPathTo(c, c.inputNodes, activeEdges));
  return Array.from(c.outputNodes).every((o) => !lost.has(o));
}
