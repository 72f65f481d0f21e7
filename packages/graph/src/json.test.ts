import { describe, expect, it } from 'vitest';
import { erdosRenyi, kite } from './index.js';
import { CircuitError } from './errors.js';
import { circuitToJson, parseCircuit } from './json.js';

/** The example of issue 2, verbatim. Nodes 3 and 4 have no edge, so it is rejected (see README). */
const ISSUE_EXAMPLE = `{"nodes": 5, "edges": [[0,2],[2,1]], "conductances": [1,2],
 "inputs": {"nodes": [0,1], "values": [1,0]}, "outputs": {"nodes": [4], "targets": [0.5]},
 "samples": [{"inputs": [1,0], "targets": [0.5]}]}`;

/** The same example with the two unconnected nodes dropped: a voltage divider with its output at node 2. */
const EXAMPLE = `{"nodes": 3, "edges": [[0,2],[2,1]], "conductances": [1,2],
 "inputs": {"nodes": [0,1], "values": [1,0]}, "outputs": {"nodes": [2], "targets": [0.5]},
 "samples": [{"inputs": [1,0], "targets": [0.5]}]}`;

function parseError(json: unknown): CircuitError {
  try {
    parseCircuit(json);
  } catch (e) {
    expect(e).toBeInstanceOf(CircuitError);
    return e as CircuitError;
  }
  return expect.fail('parseCircuit accepted an invalid circuit');
}

describe('JSON I/O', () => {
  it('the issue example as written is rejected: nodes 3 and 4 have no path to an input', () => {
    const e = parseError(ISSUE_EXAMPLE);
    expect([e.field, e.index]).toEqual(['nodes', 3]);
    expect(e.message).toMatch(/node 3 \(and 1 other node\(s\)\) has no path to any input/);
  });

  it('parses the example into typed arrays, field by field', () => {
    const c = parseCircuit(EXAMPLE);
    expect(c.nodeCount).toBe(3);
    expect(Array.from(c.edgeFrom)).toEqual([0, 2]);
    expect(Array.from(c.edgeTo)).toEqual([2, 1]);
    expect(c.conductances).toEqual(Float64Array.of(1, 2));
    expect(Array.from(c.inputNodes)).toEqual([0, 1]);
    expect(c.inputValues).toEqual(Float64Array.of(1, 0));
    expect(Array.from(c.outputNodes)).toEqual([2]);
    expect(c.targets).toEqual(Float64Array.of(0.5));
    expect(c.samples).toEqual([{ inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.5) }]);
  });

  it('round trip parse -> toJson -> parse is exact (example, and circuits with awkward floats)', () => {
    const again = (json: string) => JSON.stringify(circuitToJson(parseCircuit(json)));
    expect(JSON.parse(again(EXAMPLE))).toEqual(JSON.parse(EXAMPLE));
    expect(again(again(EXAMPLE))).toBe(again(EXAMPLE));
    for (const c of [erdosRenyi({ nodes: 60, meanDegree: 3, seed: 4 }), kite({ conductances: [0.1, 1 / 3, 1e-300, 1e300, Math.PI, 5e-324] })]) {
      const text = JSON.stringify(circuitToJson(c));
      const back = parseCircuit(text);
      expect(back.conductances).toEqual(c.conductances); // bit-exact doubles
      expect(back.targets).toEqual(c.targets);
      expect(JSON.stringify(circuitToJson(back))).toBe(text);
    }
  });

  it('omits "samples" when the circuit has none and keeps an empty list when given', () => {
    const without = JSON.parse(EXAMPLE);
    delete without.samples;
    expect('samples' in circuitToJson(parseCircuit(without))).toBe(false);
    expect(circuitToJson(parseCircuit({ ...without, samples: [] })).samples).toEqual([]);
  });

  it.each<[string, unknown, string, number, RegExp]>([
    ['not JSON', '{"nodes": 3,', 'circuit', -1, /^circuit: is not valid JSON: /],
    ['not an object', '[1, 2]', 'circuit', -1, /^circuit: must be a JSON object$/],
    ['unknown field', { ...JSON.parse(EXAMPLE), resistors: [] }, 'resistors', -1, /^resistors: is not a field of a circuit; allowed: nodes, edges, conductances, inputs, outputs, samples$/],
    ['unknown field in inputs', { ...JSON.parse(EXAMPLE), inputs: { nodes: [0, 1], values: [1, 0], units: 'V' } }, 'inputs.units', -1, /^inputs\.units: is not a field of inputs; allowed: nodes, values$/],
    ['unknown field in a sample', { ...JSON.parse(EXAMPLE), samples: [{ inputs: [1, 0], targets: [0.5], weight: 2 }] }, 'samples[0].weight', -1, /is not a field of samples\[0\]/],
    ['node count as a string', { ...JSON.parse(EXAMPLE), nodes: '3' }, 'nodes', -1, /^nodes: must be an integer node count in 2\.\.2147483647, got "3"$/],
    ['edges not pairs', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [2, 1, 0]] }, 'edges', 1, /^edges\[1\]: must be a pair \[from, to\], got \[2,1,0\]$/],
    ['fractional endpoint', { ...JSON.parse(EXAMPLE), edges: [[0, 2.5], [2, 1]] }, 'edges', 0, /^edges\[0\]: endpoints must be node ids \(integers >= 0\), got 2\.5$/],
    ['negative endpoint', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [-1, 1]] }, 'edges', 1, /^edges\[1\]: endpoints must be node ids/],
    ['endpoint out of range', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [2, 3]] }, 'edges', 1, /^edges\[1\]: node 3 is out of range: the circuit has nodes 0\.\.2$/],
    ['endpoint 2^32 + 1 (would wrap to 1 in a Uint32Array)', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [2, 2 ** 32 + 1]] }, 'edges', 1, /^edges\[1\]: node 4294967297 is out of range/],
    ['self-loop', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [2, 2]] }, 'edges', 1, /^edges\[1\]: is a self-loop at node 2/],
    ['duplicate edge reversed', { ...JSON.parse(EXAMPLE), edges: [[0, 2], [2, 0]] }, 'edges', 1, /^edges\[1\]: duplicates edge 0 between nodes 2 and 0/],
    ['conductance 0', { ...JSON.parse(EXAMPLE), conductances: [1, 0] }, 'conductances', 1, /^conductances\[1\]: must be > 0, got 0/],
    ['conductance 1e999 (Infinity after JSON.parse)', '{"nodes": 3, "edges": [[0,2],[2,1]], "conductances": [1, 1e999], "inputs": {"nodes": [0,1], "values": [1,0]}, "outputs": {"nodes": [2], "targets": [0.5]}}', 'conductances', 1, /^conductances\[1\]: must be a finite number, got Infinity$/],
    ['conductance NaN (object input)', { ...JSON.parse(EXAMPLE), conductances: [NaN, 1] }, 'conductances', 0, /^conductances\[0\]: must be a finite number, got NaN$/],
    ['conductance as a string', { ...JSON.parse(EXAMPLE), conductances: [1, '2'] }, 'conductances', 1, /^conductances\[1\]: must be a finite number, got "2"$/],
    ['input value Infinity', { ...JSON.parse(EXAMPLE), inputs: { nodes: [0, 1], values: [Infinity, 0] } }, 'inputs.values', 0, /^inputs\.values\[0\]: must be a finite number/],
    ['target NaN', { ...JSON.parse(EXAMPLE), outputs: { nodes: [2], targets: [NaN] } }, 'outputs.targets', 0, /^outputs\.targets\[0\]: must be a finite number/],
    ['sample value -Infinity', { ...JSON.parse(EXAMPLE), samples: [{ inputs: [1, -Infinity], targets: [0.5] }] }, 'samples[0].inputs', 1, /^samples\[0\]\.inputs\[1\]: must be a finite number/],
    ['input node out of range', { ...JSON.parse(EXAMPLE), inputs: { nodes: [0, 7], values: [1, 0] } }, 'inputs.nodes', 1, /^inputs\.nodes\[1\]: node 7 is out of range/],
    ['output also an input', { ...JSON.parse(EXAMPLE), outputs: { nodes: [1], targets: [0.5] } }, 'outputs.nodes', 0, /node 1 is both an input and an output/],
    ['sample of the wrong length', { ...JSON.parse(EXAMPLE), samples: [{ inputs: [1, 0], targets: [0.5] }, { inputs: [1], targets: [0.5] }] }, 'samples[1].inputs', -1, /^samples\[1\]\.inputs: has 1 entries but there are 2 input nodes$/],
    ['sample not an object', { ...JSON.parse(EXAMPLE), samples: [[1, 0]] }, 'samples', 0, /^samples\[0\]: must be an object/],
    ['inputs missing', { ...JSON.parse(EXAMPLE), inputs: undefined }, 'inputs', -1, /^inputs: must be an object \{"nodes": \[\.\.\.\], "values": \[\.\.\.\]\}$/],
  ])('rejects %s', (_name, json, field, index, message) => {
    const e = parseError(json);
    expect(e.field).toBe(field);
    expect(e.index).toBe(index);
    expect(e.message).toMatch(message);
  });
});
