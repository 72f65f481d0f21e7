import type { Circuit } from '../circuit.js';
import { assemble, interiorTargets, sourceAndGrounds } from './assemble.js';
import type { BuilderOptions } from './options.js';

/**
 * Voltage divider: node 0 is the source (input, default 1 V), node 1 ground (input, 0 V), node 2
 * the output between them. Edges `0 -> 2` (k1) and `2 -> 1` (k2); free output `V k1 / (k1 + k2)`.
 * Default conductances `[1, 1]`, target 0.5 unless given.
 */
export function voltageDivider(options: BuilderOptions = {}): Circuit {
  return assemble(
    {
      nodeCount: 3,
      edgeFrom: Uint32Array.of(0, 2),
      edgeTo: Uint32Array.of(2, 1),
      inputNodes: Uint32Array.of(0, 1),
      outputNodes: Uint32Array.of(2),
      inputValues: () => sourceAndGrounds(2),
      targets: () => Float64Array.of(0.5),
    },
    { conductances: [1, 1], ...options },
  );
}

/**
 * The kite of paper 1, section 6 (our reading of its lost Figure 2; see the package README):
 * node 0 = source s (input, 1 V), node 1 = ground g (input, 0 V), nodes 2 = a and 3 = b the side
 * corners, node 4 = o the output in the middle of the cross-strut a - o - b.
 * Edges: 0 `s->a` (k1), 1 `a->g` (k2), 2 `s->b` (k3), 3 `b->g` (k4), 4 `a->o` (k5), 5 `o->b` (k6).
 * Ratio condition `k1/k2 = k3/k4` gives `x_a = x_b = x_o`: edges 4 and 5 carry no free current.
 * Default conductances all 1 and target 0.5 (the free output at the symmetric point).
 */
export function kite(options: BuilderOptions = {}): Circuit {
  return assemble(
    {
      nodeCount: 5,
      edgeFrom: Uint32Array.of(0, 2, 0, 3, 2, 4),
      edgeTo: Uint32Array.of(2, 1, 3, 1, 4, 3),
      inputNodes: Uint32Array.of(0, 1),
      outputNodes: Uint32Array.of(4),
      inputValues: () => sourceAndGrounds(2),
      targets: () => Float64Array.of(0.5),
    },
    { conductances: [1, 1, 1, 1, 1, 1], ...options },
  );
}

/** Options of {@link crossbar}. */
export interface CrossbarOptions extends BuilderOptions {
  /** Number of input nodes n (>= 2). */
  readonly inputs: number;
  /** Number of output nodes m (>= 1). */
  readonly outputs: number;
}

/**
 * Crossbar (paper 2, section 4): complete bipartite between n input nodes `0..n-1` and m output
 * nodes `n..n+m-1`, edge `i -> n+o` for every pair (index `o * n + i`). Ground is an input held at
 * 0 V. Default inputs: node 0 at 1 V, the others uniform in [0, 1); targets uniform in [0.25, 0.75).
 * Each output voltage is a convex combination of the inputs, so targets inside their range are reachable.
 */
export function crossbar(options: CrossbarOptions): Circuit {
  const n = options.inputs;
  const m = options.outputs;
  if (!Number.isInteger(n) || n < 2 || !Number.isInteger(m) || m < 1) {
    throw new RangeError(`crossbar needs inputs >= 2 and outputs >= 1 (integers), got ${n} x ${m}`);
  }
  const edgeFrom = new Uint32Array(n * m);
  const edgeTo = new Uint32Array(n * m);
  for (let o = 0; o < m; o++) {
    for (let i = 0; i < n; i++) {
      edgeFrom[o * n + i] = i;
      edgeTo[o * n + i] = n + o;
    }
  }
  return assemble(
    {
      nodeCount: n + m,
      edgeFrom,
      edgeTo,
      inputNodes: Uint32Array.from({ length: n }, (_, i) => i),
      outputNodes: Uint32Array.from({ length: m }, (_, o) => n + o),
      inputValues: (random) => Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : random())),
      targets: (random) => interiorTargets(m, random),
    },
    options,
  );
}
