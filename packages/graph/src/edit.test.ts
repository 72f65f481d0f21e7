import { describe, expect, it } from 'vitest';
import { connectedComponents, nodesWithoutPathTo, outputsReachInputs } from './connectivity.js';
import { removeEdges, samplesOf, withConductances, withSample, withSamples } from './edit.js';
import { CircuitError } from './errors.js';
import { kite } from './index.js';

describe('edits and connectivity queries', () => {
  it('removeEdges keeps the others in order and maps old to new indices', () => {
    const c = kite({ conductances: [1, 2, 3, 4, 5, 6] });
    const { circuit, edgeMap } = removeEdges(c, [1, 4]);
    expect(Array.from(edgeMap)).toEqual([0, -1, 1, 2, -1, 3]);
    expect(Array.from(circuit.conductances)).toEqual([1, 3, 4, 6]);
    expect(Array.from(circuit.edgeFrom)).toEqual([0, 0, 3, 4]);
    expect(Array.from(circuit.edgeTo)).toEqual([2, 3, 1, 3]);
    expect(c.edgeFrom.length).toBe(6); // the original is untouched
    expect(() => removeEdges(c, [6])).toThrow(CircuitError);
    expect(() => removeEdges(c, [6])).toThrow(/cannot remove edge 6: the circuit has edges 0\.\.5/);
  });

  it('connectivity: removing the strut a-o and o-b isolates the output; activeEdges masks the same way', () => {
    const c = kite();
    expect(outputsReachInputs(c)).toBe(true);
    expect(nodesWithoutPathTo(c, c.inputNodes)).toEqual([]);
    const { circuit } = removeEdges(c, [4, 5]);
    expect(connectedComponents(circuit).count).toBe(2);
    expect(nodesWithoutPathTo(circuit, circuit.inputNodes)).toEqual([4]);
    expect(outputsReachInputs(circuit)).toBe(false);
    const mask = [1, 1, 1, 1, 0, 0];
    expect(nodesWithoutPathTo(c, c.inputNodes, mask)).toEqual([4]);
    expect(outputsReachInputs(c, mask)).toBe(false);
    const { component } = connectedComponents(c, mask);
    expect(Array.from(component)).toEqual([0, 0, 0, 0, 1]); // numbered by smallest node
  });

  it('withConductances, withSample, withSamples and samplesOf check lengths', () => {
    const c = kite();
    expect(Array.from(withConductances(c, new Float64Array(6).fill(2)).conductances)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(() => withConductances(c, new Float64Array(5))).toThrow(/conductances: has 5 entries but the circuit has 6 edges/);
    const s = { inputs: Float64Array.of(2, 0), targets: Float64Array.of(0.7) };
    const one = withSample(c, s);
    expect([Array.from(one.inputValues), Array.from(one.targets)]).toEqual([[2, 0], [0.7]]);
    expect(() => withSample(c, { inputs: Float64Array.of(1), targets: Float64Array.of(0.7) })).toThrow(/sample has 1 inputs and 1 targets; expected 2 and 1/);
    expect(samplesOf(c)).toEqual([{ inputs: c.inputValues, targets: c.targets }]);
    const data = withSamples(c, [s, s]);
    expect(samplesOf(data)).toHaveLength(2);
    const bad = () => withSamples(c, [s, { inputs: Float64Array.of(1, 0), targets: Float64Array.of(1, 2) }]);
    expect(bad).toThrow(CircuitError);
    expect(bad).toThrow(/samples\[1\]\.targets: has 2 entries; expected 1/);
  });
});
