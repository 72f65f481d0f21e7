import { describe, expect, it } from 'vitest';
import { randomCircuit } from '../test/helpers.js';
import { PLAN_CACHE_SIZE, structurePlan, type StructurePlan } from './plan-cache.js';
import type { PcgLayout } from './preconditioners.js';

describe('structure plan cache', () => {
  it('computes once per wiring, Dirichlet set and key; recomputes after an in-place edit', () => {
    const request = randomCircuit(200, 1, 2);
    let computed = 0;
    const compute = (): StructurePlan => {
      computed++;
      return { kind: 'pcg', layout: {} as PcgLayout };
    };
    structurePlan(request, 'a', compute);
    structurePlan({ ...request, conductances: request.conductances.map((k) => 2 * k) }, 'a', compute);
    expect(computed).toBe(1);
    structurePlan(request, 'b', compute); // another key
    structurePlan({ ...request, dirichletNodes: request.dirichletNodes.slice(0, 1) }, 'a', compute); // another Dirichlet set
    expect(computed).toBe(3);
    structurePlan(request, 'a', compute);
    expect(computed).toBe(3);
    request.network.edgeTo[3] = (request.network.edgeTo[3]! + 1) % 200; // edited in place
    structurePlan(request, 'a', compute);
    expect(computed).toBe(4);
    structurePlan(request, 'a', compute);
    expect(computed).toBe(4);
  });

  it('finds plans by content (rebuilt arrays hit) and keeps the most recently used ones', () => {
    const request = randomCircuit(150, 9, 2);
    let computed = 0;
    const compute = (): StructurePlan => {
      computed++;
      return { kind: 'pcg', layout: {} as PcgLayout };
    };
    structurePlan(request, 'k', compute);
    const rebuilt = { ...request, network: { nodeCount: 150, edgeFrom: request.network.edgeFrom.slice(), edgeTo: request.network.edgeTo.slice() }, dirichletNodes: request.dirichletNodes.slice() };
    structurePlan(rebuilt, 'k', compute);
    expect(computed).toBe(1);
    // fill the cache with other structures: the first plan is evicted
    for (let i = 0; i < PLAN_CACHE_SIZE; i++) structurePlan(randomCircuit(150, 100 + i, 2), 'k', compute);
    expect(computed).toBe(1 + PLAN_CACHE_SIZE);
    structurePlan(request, 'k', compute);
    expect(computed).toBe(2 + PLAN_CACHE_SIZE);
  });
});
