import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { randomCircuit } from '../test/helpers.js';
import { reduceSystem } from './reduced-system.js';
import { fillLowerGuess, separatorEstimate } from './separator-estimate.js';

describe('separator estimate', () => {
  it('a grid splits by a thin level (~ its side), a random graph by a fat one (a fraction of n)', () => {
    const network = gridNetwork(60, 60);
    const grid = reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.of(0) });
    const g = separatorEstimate(grid.free.length, grid.ffStart, grid.ffCol);
    expect(g.component).toBe(3599);
    expect(g.depth).toBeGreaterThan(100); // corner to corner
    expect(g.size).toBeLessThanOrEqual(61);
    const er = reduceSystem(randomCircuit(4000, 2, 2));
    const e = separatorEstimate(er.free.length, er.ffStart, er.ffCol);
    expect(e.depth).toBeLessThan(20);
    expect(e.size).toBeGreaterThan(0.15 * e.component);
    expect(fillLowerGuess(e)).toBeGreaterThan(100 * fillLowerGuess(g));
  });

  it('a path has levels of one node', () => {
    const network = { nodeCount: 10, edgeFrom: Uint32Array.from({ length: 9 }, (_, i) => i), edgeTo: Uint32Array.from({ length: 9 }, (_, i) => i + 1) };
    const sys = reduceSystem({ network, conductances: new Float64Array(9).fill(1), dirichletNodes: Uint32Array.of(0) });
    expect(separatorEstimate(sys.free.length, sys.ffStart, sys.ffCol)).toEqual({ size: 1, depth: 9, component: 9 });
  });
});
