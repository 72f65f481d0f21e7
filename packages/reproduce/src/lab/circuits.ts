import {
  crossbar as graphCrossbar,
  erdosRenyi as graphErdosRenyi,
  kite as graphKite,
  nodesWithoutPathTo,
  voltageDivider as graphVoltageDivider,
  type Circuit,
  type Sample,
} from '@ohmlab/graph';
import type { Rng } from '../rng.js';

/**
 * The circuits of the experiments, built with `@ohmlab/graph`'s builders. Graph seeds are drawn
 * from the experiment's own generator so that every run is deterministic for its seed.
 */
function graphSeed(rng: Rng): number {
  return Math.floor(rng.uniform() * 2 ** 31);
}

/** Same circuit, new conductances. */
export function withConductances(c: Circuit, k: ArrayLike<number>): Circuit {
  return { ...c, conductances: Float64Array.from(k) };
}

/** Same circuit, a dataset of input/target pairs (batched updates, paper 2 eq. 4.13). */
export function withSamples(c: Circuit, samples: readonly Sample[]): Circuit {
  return { ...c, samples };
}

/**
 * Paper 2, Fig. 3 voltage divider (graph's `voltageDivider`): source (node 0, `v` volts), ground
 * (node 1), output (node 2); edges k1 = source-output, k2 = output-ground. Samples give `[u, 0]`.
 */
export function voltageDivider(k1: number, k2: number, v = 1, target = 0.5): Circuit {
  return graphVoltageDivider({ conductances: [k1, k2], inputValues: [v, 0], targets: [target] });
}

/**
 * Crossbar (paper 2, Sec. 4.1.1; graph's `crossbar`): inputs `0..nIn-1`, outputs after them, one
 * edge per input-output pair, conductances uniform in [0.5, 1.5).
 */
export function crossbar(nIn: number, nOut: number, rng: Rng, inputValues?: readonly number[], targets?: readonly number[]): Circuit {
  return graphCrossbar({
    inputs: nIn,
    outputs: nOut,
    seed: graphSeed(rng),
    ...(inputValues === undefined ? {} : { inputValues }),
    ...(targets === undefined ? {} : { targets }),
  });
}

/** Connected Erdos-Renyi circuit (graph's `erdosRenyi`): `n` nodes, edge probability `p`. */
export function erdosRenyi(n: number, p: number, nIn: number, nOut: number, rng: Rng): Circuit {
  return graphErdosRenyi({ nodes: n, p, inputs: nIn, outputs: nOut, seed: graphSeed(rng) });
}

/**
 * Kite of paper 1, Sec. 6 (graph's `kite`; Figure 2 was lost, both packages read the text the same
 * way): source s (1 V), ground g, side nodes a, b; edges s-a (k1), a-g (k2), s-b (k3), b-g (k4),
 * a-o (k5), o-b (k6) with the output o in the middle of the strut. Slice (paper's Fig. 3
 * parametrisation, base values reconstructed): k = (1 + s, 2, 1, 2, 1 + r, 1 - r); the paper's
 * degenerate point is s = r = 0 with target t* = 1/3.
 */
export function kite(s: number, r: number, target = 1 / 3): Circuit {
  return graphKite({ conductances: [1 + s, 2, 1, 2, 1 + r, 1 - r], inputValues: [1, 0], targets: [target] });
}

/** Nodes connected to `from` over edges with positive conductance (graph's connectivity). */
export function reachable(c: Circuit, k: ArrayLike<number>, from: readonly number[]): Set<number> {
  const mask = Float64Array.from({ length: c.edgeFrom.length }, (_, j) => ((k[j] as number) > 0 ? 1 : 0));
  const cut = new Set(nodesWithoutPathTo(c, from, mask));
  const out = new Set<number>();
  for (let i = 0; i < c.nodeCount; i++) if (!cut.has(i)) out.add(i);
  return out;
}
