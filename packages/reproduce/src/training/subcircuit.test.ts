import type { Circuit } from '@ohmlab/graph';
import { describe, expect, it } from 'vitest';
import { connectedPart } from './subcircuit.js';

// Source 0 (1 V), ground 1; output 2 between them; output 4 hangs from node 3, which hangs from
// the source; node 5 hangs from output 2. Edges: 0: 0-2, 1: 2-1, 2: 0-3, 3: 3-4, 4: 2-5.
const circuit: Circuit = {
  nodeCount: 6,
  edgeFrom: Uint32Array.of(0, 2, 0, 3, 2),
  edgeTo: Uint32Array.of(2, 1, 3, 4, 5),
  conductances: Float64Array.of(1, 2, 3, 4, 5),
  inputNodes: Uint32Array.of(0, 1),
  inputValues: Float64Array.of(1, 0),
  outputNodes: Uint32Array.of(2, 4),
  targets: Float64Array.of(0.3, 0.7),
  samples: [{ inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.3, 0.7) }, { inputs: Float64Array.of(2, 0), targets: Float64Array.of(0.4, 0.8) }],
};

describe('connectedPart', () => {
  it('drops removed edges, the nodes and outputs they cut off, and renumbers the rest', () => {
    const part = connectedPart(circuit, Float64Array.of(1, 2, 0, 4, 5));
    expect(part.cutOutputs).toEqual([4]);
    expect(part.floatingEdges).toEqual([3]);
    expect(part.edges).toEqual([0, 1, 4]);
    expect(part.nodes).toEqual([0, 1, 2, 5]);
    const c = part.circuit as Circuit;
    expect(c.nodeCount).toBe(4);
    expect(Array.from(c.edgeFrom)).toEqual([0, 2, 2]);
    expect(Array.from(c.edgeTo)).toEqual([2, 1, 3]);
    expect(Array.from(c.conductances)).toEqual([1, 2, 5]);
    expect(Array.from(c.outputNodes)).toEqual([2]);
    expect(Array.from(c.targets)).toEqual([0.3]);
    expect(c.samples?.map((s) => Array.from(s.targets))).toEqual([[0.3], [0.4]]);
  });

  it('returns no circuit when no output reaches an input', () => {
    const part = connectedPart(circuit, Float64Array.of(0, 0, 0, 4, 5));
    expect(part.circuit).toBeUndefined();
    expect([...part.cutOutputs].sort()).toEqual([2, 4]);
  });
});
