import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { randomCircuit } from '../test/helpers.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';
import type { FactorRequest } from './solver.js';
import { systemPattern } from './system-pattern.js';

/** The Laplacian as a map `i,j -> value`, summed straight from the edge list (independent of the CSR code). */
function laplacianEntries(request: FactorRequest): Map<string, number> {
  const entries = new Map<string, number>();
  const add = (i: number, j: number, v: number): void => {
    entries.set(`${i},${j}`, (entries.get(`${i},${j}`) ?? 0) + v);
  };
  const { edgeFrom, edgeTo } = request.network;
  for (let j = 0; j < edgeFrom.length; j++) {
    const k = request.conductances[j]!;
    add(edgeFrom[j]!, edgeFrom[j]!, k);
    add(edgeTo[j]!, edgeTo[j]!, k);
    add(edgeFrom[j]!, edgeTo[j]!, -k);
    add(edgeTo[j]!, edgeFrom[j]!, -k);
  }
  return entries;
}

function expectSameSystem(a: ReducedSystem, b: ReducedSystem): void {
  for (const key of ['free', 'freeIndex', 'rowStart', 'colIndex', 'values', 'ffStart', 'ffCol', 'ffVal', 'fdStart', 'fdCol', 'fdVal'] as const) {
    expect(Array.from(a[key]), key).toEqual(Array.from(b[key]));
  }
}

/** A wiring with parallel edges in both orientations and a hub of high degree. */
function tangled(): FactorRequest {
  const from: number[] = [];
  const to: number[] = [];
  for (let v = 1; v < 300; v++) {
    from.push(0);
    to.push(v); // hub
    if (v + 1 < 300) {
      from.push(v);
      to.push(v + 1);
    }
  }
  from.push(5, 9, 7, 0);
  to.push(4, 10, 8, 3); // 4-5 reversed, 9-10, 7-8 and 0-3 repeated
  return {
    network: { nodeCount: 300, edgeFrom: Uint32Array.from(from), edgeTo: Uint32Array.from(to) },
    conductances: Float64Array.from(from, (_, j) => 0.5 + ((j * 37) % 11) / 7),
    dirichletNodes: Uint32Array.of(299, 0),
  };
}

describe('system pattern', () => {
  it('assembles the Laplacian of the edge list: diagonal first, every neighbour once, parallel edges summed', () => {
    for (const request of [tangled(), randomCircuit(400, 4, 3)]) {
      const sys = reduceSystem(request);
      const want = laplacianEntries(request);
      let stored = 0;
      for (let i = 0; i < request.network.nodeCount; i++) {
        expect(sys.colIndex[sys.rowStart[i]!]).toBe(i);
        const seen = new Set<number>();
        for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) {
          const j = sys.colIndex[p]!;
          expect(seen.has(j)).toBe(false);
          seen.add(j);
          expect(sys.values[p]).toBeCloseTo(want.get(`${i},${j}`)!, 12);
          stored++;
        }
      }
      expect(stored).toBe(want.size);
    }
  });

  it('a cached pattern with new conductances gives exactly the system built from scratch', () => {
    const network = gridNetwork(23, 17);
    const cases: FactorRequest[] = [tangled(), randomCircuit(500, 7, 4), { network, conductances: randomConductances(network.edgeFrom.length, 3), dirichletNodes: Uint32Array.of(3, 200) }];
    for (const request of cases) {
      const pattern = systemPattern(request);
      for (let seed = 0; seed < 3; seed++) {
        const conductances = request.conductances.map((k, j) => k * (0.25 + ((j * 13 + seed * 5) % 17) / 4));
        const next = { ...request, conductances };
        expectSameSystem(reduceSystem(next, pattern), reduceSystem(next));
      }
    }
  });

  it('with a cached pattern, the conductances are still checked', () => {
    const request = randomCircuit(100, 2, 2);
    const pattern = systemPattern(request);
    const bad = request.conductances.slice();
    bad[7] = -1;
    expect(() => reduceSystem({ ...request, conductances: bad }, pattern)).toThrow(/conductance of edge 7 must be finite and > 0, got -1/);
    expect(() => reduceSystem({ ...request, conductances: bad.subarray(1) }, pattern)).toThrow(/conductances has \d+ entries but the network has \d+ edges/);
    const huge = request.conductances.slice().fill(1e308);
    expect(() => reduceSystem({ ...request, conductances: huge }, pattern)).toThrow(/sum to Infinity, beyond float64 range/);
  });
});
