import {
  connectedComponents,
  crossbar as graphCrossbar,
  erdosRenyi as graphErdosRenyi,
  voltageDivider as graphVoltageDivider,
  type Circuit,
  type Sample,
} from '@ohmlab/graph';
import { createRng, type Rng } from './rng.js';

/**
 * The circuits of the experiments, built with `@ohmlab/graph`'s builders. Graph seeds are drawn
 * from the experiment's own generator, so every run is deterministic for its seed.
 */
function graphSeed(rng: Rng): number {
  return Math.floor(rng.uniform() * 2 ** 31);
}

/**
 * Paper 2, Fig. 3 voltage divider (graph's `voltageDivider`): source (node 0, `v` volts), ground
 * (node 1), output (node 2); edges k1 = source-output, k2 = output-ground.
 */
export function voltageDivider(k1: number, k2: number, v = 1, target = 0.5): Circuit {
  return graphVoltageDivider({ conductances: [k1, k2], inputValues: [v, 0], targets: [target] });
}

/**
 * Crossbar (paper 2, Sec. 4.1.1; graph's `crossbar`): inputs `0..nIn-1`, outputs after them, one
 * edge per input-output pair (index `o * nIn + i`), conductances uniform in [0.5, 1.5).
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

/**
 * Connected Erdos-Renyi circuit (graph's `erdosRenyi`): `n` nodes, edge probability `p`, `nIn`
 * inputs (the first at 1 V, the others grounded), `nOut` outputs, conductances in [0.5, 1.5).
 */
export function erdosRenyi(n: number, p: number, nIn: number, nOut: number, rng: Rng): Circuit {
  return graphErdosRenyi({ nodes: n, p, inputs: nIn, outputs: nOut, seed: graphSeed(rng) });
}

/**
 * `count` samples from a full-rank Gaussian over (free inputs, targets): covariance `A A^T + 0.01 I`
 * with a random `A` (entries N(0, 0.09)), mean 0.5. The last input (ground) stays at 0 V.
 */
export function gaussianSamples(c: Circuit, count: number, rng: Rng): Sample[] {
  const nIn = c.inputNodes.length - 1;
  const d = nIn + c.outputNodes.length;
  const a = Float64Array.from({ length: d * d }, () => 0.3 * rng.normal());
  const l = new Float64Array(d * d);
  // Cholesky factor of A A^T + 0.01 I, row by row.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? 0.01 : 0;
      for (let q = 0; q < d; q++) s += (a[i * d + q] as number) * (a[j * d + q] as number);
      for (let q = 0; q < j; q++) s -= (l[i * d + q] as number) * (l[j * d + q] as number);
      l[i * d + j] = i === j ? Math.sqrt(s) : s / (l[j * d + j] as number);
    }
  }
  return Array.from({ length: count }, () => {
    const z = Float64Array.from({ length: d }, () => rng.normal());
    const x = Float64Array.from({ length: d }, (_, i) => {
      let s = 0.5;
      for (let q = 0; q <= i; q++) s += (l[i * d + q] as number) * (z[q] as number);
      return s;
    });
    return { inputs: Float64Array.from([...x.subarray(0, nIn), 0]), targets: x.slice(nIn) };
  });
}

/**
 * The random circuit of paper 2's Erdos-Renyi experiments: `erdosRenyi(nodes, edgeProbability, 3
 * inputs, 2 outputs)` with `samples` Gaussian samples, all drawn from one generator seeded `seed`.
 */
export function gaussianErdosRenyi(cfg: { readonly nodes: number; readonly edgeProbability: number; readonly samples: number }, seed: number): Circuit {
  const rng = createRng(seed);
  const base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
  return { ...base, samples: gaussianSamples(base, cfg.samples, rng) };
}

/**
 * For each output, the input nodes adjacent to its part of the circuit once the inputs are taken
 * out. An output can take values strictly between input voltages only when it sees at least two
 * different ones; otherwise it sits at the voltage of the inputs it sees, whatever k is.
 */
export function inputsSeenByOutputs(c: Circuit): Set<number>[] {
  const isInput = new Set(Array.from(c.inputNodes));
  const mask = Float64Array.from(c.edgeFrom, (a, j) => (isInput.has(a) || isInput.has(c.edgeTo[j] as number) ? 0 : 1));
  const { component } = connectedComponents(c, mask);
  return Array.from(c.outputNodes, (o) => {
    const seen = new Set<number>();
    for (let j = 0; j < c.edgeFrom.length; j++) {
      const a = c.edgeFrom[j] as number;
      const b = c.edgeTo[j] as number;
      if (isInput.has(a) && !isInput.has(b) && component[b] === component[o]) seen.add(a);
      if (isInput.has(b) && !isInput.has(a) && component[a] === component[o]) seen.add(b);
    }
    return seen;
  });
}

/** True when every output sees at least two different input voltages (its `inputValues`). */
export function everyOutputCanMove(c: Circuit): boolean {
  return inputsSeenByOutputs(c).every((seen) => new Set(Array.from(seen, (i) => c.inputValues[c.inputNodes.indexOf(i)])).size >= 2);
}

/**
 * An Erdos-Renyi circuit (see {@link erdosRenyi}) in which every output can move: draws are
 * repeated (at most 100 times) while some output sees a single input voltage. Returns the circuit
 * and how many draws were set aside.
 */
export function movableErdosRenyi(n: number, p: number, nIn: number, nOut: number, rng: Rng): { circuit: Circuit; redrawn: number } {
  let circuit = erdosRenyi(n, p, nIn, nOut, rng);
  let redrawn = 0;
  while (!everyOutputCanMove(circuit) && redrawn < 100) {
    redrawn++;
    circuit = erdosRenyi(n, p, nIn, nOut, rng);
  }
  if (!everyOutputCanMove(circuit)) throw new RangeError(`no Erdos-Renyi draw with n = ${n}, p = ${p} lets every output move; raise p`);
  return { circuit, redrawn };
}
