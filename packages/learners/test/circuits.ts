/** Small hand-built circuits for tests (independent of @ohmlab/graph's builders). */
import type { Circuit, Sample } from '@ohmlab/graph';

export function makeCircuit(c: {
  n: number;
  edges: [number, number][];
  k: number[];
  inputs: number[];
  u: number[];
  outputs: number[];
  t: number[];
  samples?: { inputs: number[]; targets: number[] }[];
}): Circuit {
  const samples: Sample[] | undefined = c.samples?.map((s) => ({ inputs: Float64Array.from(s.inputs), targets: Float64Array.from(s.targets) }));
  return {
    nodeCount: c.n,
    edgeFrom: Uint32Array.from(c.edges.map((e) => e[0])),
    edgeTo: Uint32Array.from(c.edges.map((e) => e[1])),
    conductances: Float64Array.from(c.k),
    inputNodes: Uint32Array.from(c.inputs),
    inputValues: Float64Array.from(c.u),
    outputNodes: Uint32Array.from(c.outputs),
    targets: Float64Array.from(c.t),
    ...(samples ? { samples } : {}),
  };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random connected circuit: a spanning path plus extra random edges; inputs 0 (at 1 V) and
 * 1 (ground); outputs the last `p` nodes; `S` samples with random inputs/targets.
 */
export function randomCircuit(n: number, extra: number, p: number, S: number, seed: number): Circuit {
  const r = rng(seed);
  const edges: [number, number][] = [];
  const perm = Array.from({ length: n }, (_, i) => i).sort(() => r() - 0.5);
  for (let i = 1; i < n; i++) edges.push([perm[i - 1]!, perm[i]!]);
  const seen = new Set(edges.map(([a, b]) => `${Math.min(a, b)},${Math.max(a, b)}`));
  while (edges.length < n - 1 + extra) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    const key = `${Math.min(a, b)},${Math.max(a, b)}`;
    if (a === b || seen.has(key) || (a < 2 && b < 2)) continue;
    seen.add(key);
    edges.push([a, b]);
  }
  const k = edges.map(() => 0.5 + r());
  const outputs = Array.from({ length: p }, (_, i) => n - p + i);
  const samples = Array.from({ length: S }, () => ({ inputs: [0.5 + r(), 0], targets: outputs.map(() => 0.2 + 0.5 * r()) }));
  return makeCircuit({ n, edges, k, inputs: [0, 1], u: samples[0]!.inputs, outputs, t: samples[0]!.targets, samples });
}

/** Voltage divider: input 0 -> output 1 -> ground 2 (paper 2, Fig. 3). */
export function voltageDivider(k1: number, k2: number, samples: { v: number; t: number }[]): Circuit {
  return makeCircuit({
    n: 3,
    edges: [[0, 1], [1, 2]],
    k: [k1, k2],
    inputs: [0, 2],
    u: [samples[0]!.v, 0],
    outputs: [1],
    t: [samples[0]!.t],
    samples: samples.map((s) => ({ inputs: [s.v, 0], targets: [s.t] })),
  });
}

/** Output 3 hangs on edge 2-3 off the divider 0-2-1; output 4 is its own divider 0-4-1. */
export function hangingOutput(samples: { u: number; t: [number, number] }[], k = [1, 1, 0.2, 1, 1]): Circuit {
  return makeCircuit({
    n: 5, edges: [[0, 2], [2, 1], [2, 3], [0, 4], [4, 1]], k, inputs: [0, 1], u: [samples[0]!.u, 0], outputs: [3, 4], t: samples[0]!.t,
    samples: samples.map((s) => ({ inputs: [s.u, 0], targets: s.t })),
  });
}
