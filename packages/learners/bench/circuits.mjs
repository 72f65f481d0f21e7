// Benchmark circuits, generated here so that the JS and SciPy sides read the same JSON.
// er: random spanning tree plus uniformly random extra edges (mean degree ~ 4), i.e. an
//     Erdos-Renyi-like G(n, m) graph forced to be connected; grid: side x side 2-D grid.
// Inputs: 3 nodes (the last is ground, 0 V), outputs: `outputs` nodes (default 2); S random samples.

function mulberry(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchCircuit(kind, n, samples, seed = 1, outputs = 2) {
  const r = mulberry(seed);
  const from = [];
  const to = [];
  if (kind === 'grid') {
    const side = Math.round(Math.sqrt(n));
    n = side * side;
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const v = i * side + j;
        if (j + 1 < side) { from.push(v); to.push(v + 1); }
        if (i + 1 < side) { from.push(v); to.push(v + side); }
      }
    }
  } else {
    for (let v = 1; v < n; v++) { from.push(Math.floor(r() * v)); to.push(v); }
    const seen = new Set();
    for (let i = 0; i < from.length; i++) seen.add(from[i] * n + to[i]);
    while (from.length < 2 * n) {
      const a = Math.floor(r() * n);
      const b = Math.floor(r() * n);
      if (a === b) continue;
      const key = Math.min(a, b) * n + Math.max(a, b);
      if (seen.has(key)) continue;
      seen.add(key);
      from.push(Math.min(a, b));
      to.push(Math.max(a, b));
    }
  }
  const conductances = from.map(() => 0.5 + r());
  const picks = new Set();
  while (picks.size < 3 + outputs) picks.add(Math.floor(r() * n));
  const [i0, i1, g, ...outputNodes] = [...picks];
  const inputNodes = [i0, i1, g];
  const sampleInputs = [];
  const sampleTargets = [];
  for (let s = 0; s < samples; s++) {
    sampleInputs.push([0.5 + r(), -0.5 - r(), 0]);
    sampleTargets.push(outputNodes.map(() => r() - 0.5));
  }
  return { nodeCount: n, edgeFrom: from, edgeTo: to, conductances, inputNodes, outputNodes, sampleInputs, sampleTargets };
}

/** The JSON description as a Circuit (typed arrays) with samples. */
export function toCircuit(c) {
  return {
    nodeCount: c.nodeCount,
    edgeFrom: Uint32Array.from(c.edgeFrom),
    edgeTo: Uint32Array.from(c.edgeTo),
    conductances: Float64Array.from(c.conductances),
    inputNodes: Uint32Array.from(c.inputNodes),
    inputValues: Float64Array.from(c.sampleInputs[0]),
    outputNodes: Uint32Array.from(c.outputNodes),
    targets: Float64Array.from(c.sampleTargets[0]),
    samples: c.sampleInputs.map((u, s) => ({ inputs: Float64Array.from(u), targets: Float64Array.from(c.sampleTargets[s]) })),
  };
}
