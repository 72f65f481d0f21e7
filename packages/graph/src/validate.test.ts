import { describe, expect, it } from 'vitest';
import type { Circuit } from './circuit.js';
import { CircuitError } from './errors.js';
import { validateCircuit } from './validate.js';

/** A valid circuit: source 0 and ground 1 feed a chain 0 - 2 - 3 - 1, output 3. */
const base: Circuit = {
  nodeCount: 4,
  edgeFrom: Uint32Array.of(0, 2, 3),
  edgeTo: Uint32Array.of(2, 3, 1),
  conductances: Float64Array.of(1, 2, 3),
  inputNodes: Uint32Array.of(0, 1),
  inputValues: Float64Array.of(1, 0),
  outputNodes: Uint32Array.of(3),
  targets: Float64Array.of(0.25),
  samples: [
    { inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.25) },
    { inputs: Float64Array.of(2, 0), targets: Float64Array.of(0.5) },
  ],
};

function circuitError(c: Circuit): CircuitError {
  try {
    validateCircuit(c);
  } catch (e) {
    expect(e).toBeInstanceOf(CircuitError);
    expect((e as Error).name).toBe('CircuitError');
    return e as CircuitError;
  }
  return expect.fail('validateCircuit accepted an invalid circuit');
}

const sample = (inputs: number[], targets: number[]) => ({ inputs: Float64Array.from(inputs), targets: Float64Array.from(targets) });

describe('validateCircuit', () => {
  it('accepts a valid circuit and returns it unchanged', () => {
    expect(validateCircuit(base)).toBe(base);
  });

  it.each<[string, Partial<Circuit>, string, number, RegExp]>([
    ['edge endpoint out of range (to)', { edgeTo: Uint32Array.of(2, 3, 4) }, 'edges', 2, /^edges\[2\]: endpoint 4 is out of range: the circuit has nodes 0\.\.3$/],
    ['edge endpoint out of range (from)', { edgeFrom: Uint32Array.of(0, 9, 3) }, 'edges', 1, /^edges\[1\]: endpoint 9 is out of range/],
    ['self-loop', { edgeTo: Uint32Array.of(2, 2, 1) }, 'edges', 1, /^edges\[1\]: is a self-loop at node 2; remove it/],
    ['duplicate edge, same orientation', { edgeFrom: Uint32Array.of(0, 2, 3, 0), edgeTo: Uint32Array.of(2, 3, 1, 2), conductances: Float64Array.of(1, 2, 3, 4) }, 'edges', 3, /^edges\[3\]: duplicates edge 0 between nodes 0 and 2; merge them into one edge \(conductances add\)$/],
    ['duplicate edge, opposite orientation', { edgeFrom: Uint32Array.of(0, 2, 3, 1), edgeTo: Uint32Array.of(2, 3, 1, 3), conductances: Float64Array.of(1, 2, 3, 4) }, 'edges', 3, /^edges\[3\]: duplicates edge 2 between nodes 1 and 3/],
    ['edge arrays of different lengths', { edgeTo: Uint32Array.of(2, 3) }, 'edges', -1, /^edges: edgeFrom has 3 entries but edgeTo has 2/],
    ['conductance zero', { conductances: Float64Array.of(1, 0, 3) }, 'conductances', 1, /^conductances\[1\]: must be > 0, got 0; remove the edge instead/],
    ['conductance negative', { conductances: Float64Array.of(1, 2, -3) }, 'conductances', 2, /^conductances\[2\]: must be > 0, got -3/],
    ['conductance NaN', { conductances: Float64Array.of(NaN, 2, 3) }, 'conductances', 0, /^conductances\[0\]: must be a finite number, got NaN$/],
    ['conductance Infinity', { conductances: Float64Array.of(1, Infinity, 3) }, 'conductances', 1, /^conductances\[1\]: must be a finite number, got Infinity$/],
    ['conductance count', { conductances: Float64Array.of(1, 2) }, 'conductances', -1, /^conductances: has 2 entries but there are 3 edges$/],
    ['input value NaN', { inputValues: Float64Array.of(1, NaN) }, 'inputs.values', 1, /^inputs\.values\[1\]: must be a finite number, got NaN$/],
    ['input value -Infinity', { inputValues: Float64Array.of(-Infinity, 0) }, 'inputs.values', 0, /^inputs\.values\[0\]: must be a finite number, got -Infinity$/],
    ['target NaN', { targets: Float64Array.of(NaN) }, 'outputs.targets', 0, /^outputs\.targets\[0\]: must be a finite number, got NaN$/],
    ['sample input Infinity', { samples: [sample([1, 0], [0.2]), sample([1, Infinity], [0.2])] }, 'samples[1].inputs', 1, /^samples\[1\]\.inputs\[1\]: must be a finite number, got Infinity$/],
    ['sample target NaN', { samples: [sample([1, 0], [NaN])] }, 'samples[0].targets', 0, /^samples\[0\]\.targets\[0\]: must be a finite number, got NaN$/],
    ['input and output overlap', { outputNodes: Uint32Array.of(1), targets: Float64Array.of(0) }, 'outputs.nodes', 0, /^outputs\.nodes\[0\]: node 1 is both an input and an output; input and output sets must be disjoint$/],
    ['input listed twice', { inputNodes: Uint32Array.of(0, 0), inputValues: Float64Array.of(1, 0) }, 'inputs.nodes', 1, /^inputs\.nodes\[1\]: node 0 is listed twice$/],
    ['output out of range', { outputNodes: Uint32Array.of(4) }, 'outputs.nodes', 0, /^outputs\.nodes\[0\]: node 4 is out of range: the circuit has nodes 0\.\.3$/],
    ['no inputs', { inputNodes: new Uint32Array(0), inputValues: new Float64Array(0) }, 'inputs.nodes', -1, /^inputs\.nodes: is empty; a circuit needs at least one input/],
    ['input values of the wrong length', { inputValues: Float64Array.of(1) }, 'inputs.values', -1, /^inputs\.values: has 1 entries but there are 2 input nodes$/],
    ['targets of the wrong length', { targets: Float64Array.of(0.1, 0.2) }, 'outputs.targets', -1, /^outputs\.targets: has 2 entries but there are 1 output nodes$/],
    ['sample with too few inputs', { samples: [sample([1, 0], [0.1]), sample([1], [0.1])] }, 'samples[1].inputs', -1, /^samples\[1\]\.inputs: has 1 entries but there are 2 input nodes$/],
    ['sample with too many targets', { samples: [sample([1, 0], [0.1, 0.2])] }, 'samples[0].targets', -1, /^samples\[0\]\.targets: has 2 entries but there are 1 output nodes$/],
    ['node count below 2', { nodeCount: 1 }, 'nodes', -1, /^nodes: must be an integer node count in 2\.\.2147483647, got 1$/],
    ['fractional node count', { nodeCount: 4.5 }, 'nodes', -1, /^nodes: must be an integer node count/],
  ])('%s', (_name, change, field, index, message) => {
    const e = circuitError({ ...base, ...change });
    expect(e.field).toBe(field);
    expect(e.index).toBe(index);
    expect(e.message).toMatch(message);
  });

  it('names a node with no path to any input (an island, or an isolated node)', () => {
    // nodes 4 - 5 form an island
    const island = circuitError({ ...base, nodeCount: 6, edgeFrom: Uint32Array.of(0, 2, 3, 4), edgeTo: Uint32Array.of(2, 3, 1, 5), conductances: Float64Array.of(1, 2, 3, 1) });
    expect([island.field, island.index]).toEqual(['nodes', 4]);
    expect(island.message).toMatch(/^nodes\[4\]: node 4 \(and 1 other node\(s\)\) has no path to any input, so its voltage is undetermined \(singular system\); connect it or remove it$/);
    // an output cut off from the inputs
    const cut = circuitError({ ...base, edgeFrom: Uint32Array.of(0, 2), edgeTo: Uint32Array.of(2, 1), conductances: Float64Array.of(1, 2) });
    expect([cut.field, cut.index]).toEqual(['nodes', 3]);
    expect(cut.message).toMatch(/node 3 \(and 0 other node\(s\)\) has no path to any input/);
  });

  it('checks in a fixed order: the first problem is reported', () => {
    const e = circuitError({ ...base, edgeTo: Uint32Array.of(2, 2, 9), conductances: Float64Array.of(1, NaN, 3) });
    expect([e.field, e.index]).toEqual(['edges', 1]); // the self-loop at edge 1 comes before edge 2 and the conductances
  });
});
