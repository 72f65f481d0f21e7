import { describe, expect, it } from 'vitest';
import { freeVoltages } from '../test/dense.js';
import type { Circuit } from './circuit.js';
import { connectedComponents } from './connectivity.js';
import { CircuitError } from './errors.js';
import { circuitToJson } from './json.js';
import { crossbar, erdosRenyi, grid2d, kite, validateCircuit, voltageDivider } from './index.js';

const same = (a: Circuit, b: Circuit) => JSON.stringify(circuitToJson(a)) === JSON.stringify(circuitToJson(b));

describe('builders: determinism and validity', () => {
  const builders: [string, (seed: number) => Circuit][] = [
    ['erdosRenyi', (seed) => erdosRenyi({ nodes: 300, meanDegree: 4, seed })],
    ['grid2d', (seed) => grid2d({ rows: 7, cols: 9, seed })],
    ['crossbar', (seed) => crossbar({ inputs: 4, outputs: 3, seed })],
  ];
  it.each(builders)('%s: same seed, same circuit; another seed, another circuit; always valid', (_name, build) => {
    expect(same(build(5), build(5))).toBe(true);
    expect(same(build(5), build(6))).toBe(false);
    for (const seed of [1, 2, 3]) expect(validateCircuit(build(seed))).toBeDefined();
  });

  it('voltage divider and kite are fixed circuits (the seed only draws what is random)', () => {
    expect(same(voltageDivider({ seed: 1 }), voltageDivider({ seed: 2 }))).toBe(true);
    expect(same(kite({ seed: 1 }), kite({ seed: 9 }))).toBe(true);
  });

  it('shared options: explicit conductances, input values, targets and samples; wrong lengths are CircuitErrors', () => {
    const c = grid2d({ rows: 2, cols: 2, conductances: [1, 2, 3, 4], inputValues: [5, -1], targets: [0.3], samples: [{ inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.5) }] });
    expect(Array.from(c.conductances)).toEqual([1, 2, 3, 4]);
    expect(Array.from(c.inputValues)).toEqual([5, -1]);
    expect(Array.from(c.targets)).toEqual([0.3]);
    expect(c.samples).toHaveLength(1);
    expect(() => grid2d({ rows: 2, cols: 2, conductances: [1, 2] })).toThrow(CircuitError);
    expect(() => grid2d({ rows: 2, cols: 2, conductances: [1, 2] })).toThrow(/conductances: has 2 entries; this builder needs 4/);
    expect(() => voltageDivider({ targets: [0.1, 0.2] })).toThrow(/outputs\.targets: has 2 entries; this builder needs 1/);
    const range = erdosRenyi({ nodes: 100, conductanceRange: [2, 3] });
    expect(Math.min(...range.conductances)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...range.conductances)).toBeLessThan(3);
    expect(() => voltageDivider({ conductances: [1, 0] })).toThrow(/conductances\[1\]: must be > 0/);
  });
});

describe('voltageDivider', () => {
  it('nodes 0 (source, 1 V) and 1 (ground), output 2; free output V k1 / (k1 + k2)', () => {
    const c = voltageDivider({ conductances: [3, 1] });
    expect([Array.from(c.edgeFrom), Array.from(c.edgeTo)]).toEqual([[0, 2], [2, 1]]);
    expect([Array.from(c.inputNodes), Array.from(c.inputValues), Array.from(c.outputNodes), Array.from(c.targets)]).toEqual([[0, 1], [1, 0], [2], [0.5]]);
    expect(freeVoltages(c)[2]).toBeCloseTo(3 / 4, 15);
    expect(Array.from(voltageDivider().conductances)).toEqual([1, 1]);
  });
});

describe('kite (paper 1, section 6; README "The kite")', () => {
  it('numbering: s = 0 (1 V), g = 1 (0 V), side corners a = 2 and b = 3, output o = 4; edges s-a, a-g, s-b, b-g, a-o, o-b', () => {
    const c = kite();
    expect(c.nodeCount).toBe(5);
    expect(Array.from(c.edgeFrom)).toEqual([0, 2, 0, 3, 2, 4]);
    expect(Array.from(c.edgeTo)).toEqual([2, 1, 3, 1, 4, 3]);
    expect([Array.from(c.inputNodes), Array.from(c.inputValues), Array.from(c.outputNodes), Array.from(c.targets)]).toEqual([[0, 1], [1, 0], [4], [0.5]]);
    expect(Array.from(c.conductances)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('ratio condition k1/k2 = k3/k4: x_a = x_b = x_o = k1 / (k1 + k2) and the strut a-o-b carries no free current', () => {
    for (const k of [
      [1, 2, 1, 2, 1.3, 0.7], // the reproduce slice base point with r = 0.3
      [2, 1, 4, 2, 5, 0.1],
    ]) {
      const x = freeVoltages(kite({ conductances: k }));
      const expected = k[0]! / (k[0]! + k[1]!);
      for (const node of [2, 3, 4]) expect(x[node]).toBeCloseTo(expected, 14);
    }
  });

  it('off the ratio condition and with k5 = k6 the output sits half-way between the side corners', () => {
    const x = freeVoltages(kite({ conductances: [1, 2, 3, 1, 0.8, 0.8] }));
    expect(x[2]).not.toBeCloseTo(x[3]!, 3);
    expect(x[4]).toBeCloseTo((x[2]! + x[3]!) / 2, 14);
  });
});

describe('crossbar', () => {
  it('complete bipartite inputs x outputs, edge o * n + i from input i to output n + o', () => {
    const n = 5;
    const m = 3;
    const c = crossbar({ inputs: n, outputs: m, seed: 2 });
    expect(c.nodeCount).toBe(n + m);
    expect(c.edgeFrom.length).toBe(n * m);
    for (let o = 0; o < m; o++) {
      for (let i = 0; i < n; i++) {
        expect(c.edgeFrom[o * n + i]).toBe(i);
        expect(c.edgeTo[o * n + i]).toBe(n + o);
      }
    }
    expect(Array.from(c.inputNodes)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(c.outputNodes)).toEqual([5, 6, 7]);
    expect([c.inputValues[0], c.inputValues[1]]).toEqual([1, 0]); // source and ground
    for (const v of c.inputValues) expect(v >= 0 && v <= 1).toBe(true);
    for (const t of c.targets) expect(t >= 0.25 && t < 0.75).toBe(true);
    expect(() => crossbar({ inputs: 1, outputs: 2 })).toThrow(RangeError);
  });

  it('each output is the conductance-weighted mean of the inputs (no edge between outputs)', () => {
    const c = crossbar({ inputs: 3, outputs: 2, seed: 4 });
    const x = freeVoltages(c);
    for (let o = 0; o < 2; o++) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < 3; i++) {
        num += c.conductances[o * 3 + i]! * c.inputValues[i]!;
        den += c.conductances[o * 3 + i]!;
      }
      expect(x[3 + o]).toBeCloseTo(num / den, 14);
    }
  });
});

describe('grid2d', () => {
  it('rows x cols nodes, rows (cols - 1) + (rows - 1) cols edges, right then down, corners as inputs, centre as output', () => {
    const c = grid2d({ rows: 4, cols: 5, seed: 1 });
    expect(c.nodeCount).toBe(20);
    expect(c.edgeFrom.length).toBe(4 * 4 + 3 * 5);
    for (let j = 0; j < c.edgeFrom.length; j++) {
      const d = c.edgeTo[j]! - c.edgeFrom[j]!;
      expect(j < 16 ? d === 1 && c.edgeFrom[j]! % 5 !== 4 : d === 5).toBe(true);
    }
    expect(Array.from(c.inputNodes)).toEqual([0, 19]);
    expect(Array.from(c.outputNodes)).toEqual([2 * 5 + 2]);
    expect(() => grid2d({ rows: 1, cols: 2 })).toThrow(RangeError);
    // a 1 x 3 line: the centre node is 1
    expect(Array.from(grid2d({ rows: 1, cols: 3 }).outputNodes)).toEqual([1]);
  });
});

describe('erdosRenyi', () => {
  it('is kept connected, with mean degree near the request, edges from lower to higher ids', () => {
    for (const [nodes, meanDegree] of [
      [2000, 4],
      [3000, 2],
      [500, 10],
    ] as const) {
      const c = erdosRenyi({ nodes, meanDegree, seed: 11 });
      expect(connectedComponents(c).count).toBe(1);
      const mean = (2 * c.edgeFrom.length) / nodes;
      // G(n, p) edges are binomial: sd of the mean degree ~ sqrt(2 meanDegree / n); joining adds at most #components - 1 edges
      expect(Math.abs(mean - meanDegree)).toBeLessThan(5 * Math.sqrt((2 * meanDegree) / nodes) + (2 * nodes * Math.exp(-meanDegree)) / nodes + 0.05);
      for (let j = 0; j < c.edgeFrom.length; j++) expect(c.edgeFrom[j]!).toBeLessThan(c.edgeTo[j]!);
    }
    const byP = erdosRenyi({ nodes: 1000, p: 0.006, seed: 2 });
    expect((2 * byP.edgeFrom.length) / 1000).toBeCloseTo(0.006 * 999, 0);
  });

  it('defaults: 2 inputs (source 1 V, ground 0 V) and 1 output, all distinct; counts configurable', () => {
    const c = erdosRenyi({ nodes: 50, seed: 3 });
    expect(c.inputNodes.length).toBe(2);
    expect(c.outputNodes.length).toBe(1);
    expect(Array.from(c.inputValues)).toEqual([1, 0]);
    for (let seed = 1; seed < 30; seed++) {
      const d = erdosRenyi({ nodes: 6, inputs: 3, outputs: 3, seed });
      expect(new Set([...d.inputNodes, ...d.outputNodes]).size).toBe(6);
    }
    expect(() => erdosRenyi({ nodes: 3, inputs: 2, outputs: 2 })).toThrow(RangeError);
    expect(() => erdosRenyi({ nodes: 10, p: 1.5 })).toThrow(/edge probability must be in \[0, 1\]/);
  });

  it('p = 0 still gives a connected circuit (a tree of joining edges)', () => {
    const c = erdosRenyi({ nodes: 100, p: 0, seed: 5 });
    expect(c.edgeFrom.length).toBe(99);
    expect(connectedComponents(c).count).toBe(1);
  });
});
