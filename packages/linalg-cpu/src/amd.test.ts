import { describe, expect, it } from 'vitest';
import { erdosRenyiNetwork, gridNetwork, randomConductances } from '../bench/networks.mjs';
import { randomCircuit } from '../test/helpers.js';
import { approximateMinimumDegree } from './amd.js';
import { eliminationTreeOf } from './elimination-tree.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';
import type { Network } from './solver.js';

function isPermutation(perm: Int32Array): boolean {
  const seen = new Uint8Array(perm.length);
  for (const v of perm) {
    if (v < 0 || v >= perm.length || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

function fill(sys: ReducedSystem, order: Int32Array): number {
  return eliminationTreeOf(sys.free.length, sys.ffStart, sys.ffCol, order).nnz;
}

function system(network: Network, held: number[]): ReducedSystem {
  return reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.from(held) });
}

describe('approximate minimum degree', () => {
  it('returns a permutation on random circuits, grids and a graph with a dense row', () => {
    const star: Network = {
      nodeCount: 400,
      edgeFrom: Uint32Array.from({ length: 399 + 398 }, (_, j) => (j < 399 ? 0 : j - 398)),
      edgeTo: Uint32Array.from({ length: 399 + 398 }, (_, j) => (j < 399 ? j + 1 : j - 397)),
    };
    for (const sys of [reduceSystem(randomCircuit(1500, 3, 3)), system(gridNetwork(23, 31), [0]), system(star, [399])]) {
      const amd = approximateMinimumDegree(sys.free.length, sys.ffStart, sys.ffCol);
      expect(amd.complete).toBe(true);
      expect(isPermutation(amd.perm)).toBe(true);
    }
  });

  it('a tree factors with no fill (nnz(L) = n + edges)', () => {
    // random recursive tree on 2000 nodes, root held
    const n = 2000;
    const parent = erdosRenyiNetwork(n, 0, 1); // no random edges: only the joining edges, a tree
    const sys = system(parent, [0]);
    const amd = approximateMinimumDegree(sys.free.length, sys.ffStart, sys.ffCol);
    const edgesInFree = (sys.ffVal.length - sys.free.length) / 2;
    expect(fill(sys, amd.perm)).toBe(sys.free.length + edgesInFree);
  });

  it('fills far less than the natural order on random graphs and at most the band on grids', () => {
    const natural = (sys: ReducedSystem) => Int32Array.from({ length: sys.free.length }, (_, i) => i);
    const er = reduceSystem(randomCircuit(2000, 7, 2));
    const amdEr = fill(er, approximateMinimumDegree(er.free.length, er.ffStart, er.ffCol).perm);
    expect(amdEr).toBeLessThan(fill(er, natural(er)) / 5);
    const grid = system(gridNetwork(40, 40), [0]);
    const amdGrid = fill(grid, approximateMinimumDegree(grid.free.length, grid.ffStart, grid.ffCol).perm);
    expect(amdGrid).toBeLessThan(fill(grid, natural(grid)) / 2);
  });

  it('its factor-size estimate bounds the exact count from above, within a small factor', () => {
    const sys = reduceSystem(randomCircuit(1200, 5, 2));
    const amd = approximateMinimumDegree(sys.free.length, sys.ffStart, sys.ffCol);
    const exact = fill(sys, amd.perm);
    expect(amd.nnzEstimate).toBeGreaterThanOrEqual(exact);
    expect(amd.nnzEstimate).toBeLessThan(3 * exact);
  });

  it('stops once the budget is exceeded', () => {
    const sys = reduceSystem(randomCircuit(3000, 4, 2));
    const capped = approximateMinimumDegree(sys.free.length, sys.ffStart, sys.ffCol, 10_000);
    expect(capped.complete).toBe(false);
    expect(capped.nnzEstimate).toBeGreaterThan(10_000);
  });
});
