import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { randomBatch, randomCircuit } from '../test/helpers.js';
import { factorSync } from './cpu-backend.js';
import { SolverError } from './errors.js';
import type { FactorRequest } from './solver.js';

describe('pcg', () => {
  it('throws SolverError with the residual reached when the iteration cap is hit', () => {
    const network = gridNetwork(40, 40);
    const request: FactorRequest = { network, conductances: randomConductances(network.edgeFrom.length, 3), dirichletNodes: Uint32Array.of(0), options: { method: 'pcg', maxIterations: 5 } };
    const f = factorSync(request);
    const rhs = randomBatch(request, 2, 1, 2);
    expect(() => f.solveSync(rhs)).toThrow(SolverError);
    expect(() => f.solveSync(rhs)).toThrow(/did not reach the relative residual 1e-10 in 5 iterations \(reached \d\.\d+e-?\d+\)/);
  });

  it('meets the requested tolerance, and a tighter one costs more iterations', () => {
    const request = randomCircuit(3000, 5, 4);
    const rhs = randomBatch(request, 4, 2, 3);
    const loose = factorSync({ ...request, options: { method: 'pcg', tolerance: 1e-6 } }).solveSync(rhs);
    const tight = factorSync({ ...request, options: { method: 'pcg', tolerance: 1e-12 } }).solveSync(rhs);
    expect(loose.maxResidual).toBeLessThan(1e-5);
    expect(tight.maxResidual).toBeLessThan(1e-11);
    expect(tight.iterations).toBeGreaterThan(loose.iterations);
    expect(loose.iterations).toBeGreaterThan(0);
  });

  it('a zero right-hand side needs no iterations and gives zero voltages', () => {
    const request = { ...randomCircuit(500, 6, 2), options: { method: 'pcg' as const } };
    const res = factorSync(request).solveSync({ count: 1, dirichletValues: new Float64Array(2) });
    expect(res.iterations).toBe(0);
    expect(res.voltages.every((v) => v === 0)).toBe(true);
    expect(res.maxResidual).toBe(0);
  });
});
