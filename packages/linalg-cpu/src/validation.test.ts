import { describe, expect, it } from 'vitest';
import { randomCircuit } from '../test/helpers.js';
import { chooseFreeSolver } from './choose-method.js';
import { factorSync } from './cpu-backend.js';
import { SolverError } from './errors.js';
import { pcgSolve } from './pcg.js';
import { jacobi } from './preconditioners.js';
import { reduceSystem } from './reduced-system.js';
import { validateRequest } from './validate-request.js';
import { analyseCholesky, sparseCholesky } from './sparse-cholesky.js';
import type { FactorRequest, RightHandSides } from './solver.js';

/** Path 0-1-2-3 with node 0 held; node 3 is reachable. */
const base: FactorRequest = {
  network: { nodeCount: 4, edgeFrom: Uint32Array.of(0, 1, 2), edgeTo: Uint32Array.of(1, 2, 3) },
  conductances: Float64Array.of(1, 2, 3),
  dirichletNodes: Uint32Array.of(0, 3),
};

function factorError(request: FactorRequest): SolverError {
  try {
    factorSync(request);
  } catch (e) {
    expect(e).toBeInstanceOf(SolverError);
    expect((e as Error).name).toBe('SolverError');
    return e as SolverError;
  }
  return expect.fail('factorSync accepted an invalid request');
}

function solveError(rhs: RightHandSides): SolverError {
  const f = factorSync(base);
  expect(() => f.solveSync(rhs)).toThrow(SolverError);
  try {
    f.solveSync(rhs);
  } catch (e) {
    return e as SolverError;
  }
  return expect.fail('unreachable');
}

describe('factor request validation', () => {
  it.each([
    ['edgeTo length', { network: { ...base.network, edgeTo: Uint32Array.of(1, 2) } }, /edgeFrom has 3 entries but edgeTo has 2/],
    ['conductance count', { conductances: Float64Array.of(1, 2) }, /conductances has 2 entries but the network has 3 edges/],
    ['zero conductance', { conductances: Float64Array.of(1, 0, 3) }, /conductance of edge 1 must be finite and > 0, got 0/],
    ['negative conductance', { conductances: Float64Array.of(1, 2, -3) }, /edge 2 .* got -3/],
    ['NaN conductance', { conductances: Float64Array.of(NaN, 2, 3) }, /edge 0 .* got NaN/],
    ['infinite conductance', { conductances: Float64Array.of(1, Infinity, 3) }, /edge 1 .* got Infinity/],
    ['endpoint out of range', { network: { ...base.network, edgeTo: Uint32Array.of(1, 2, 9) } }, /edge 2 has endpoint 9 out of range 0..3/],
    ['self-loop', { network: { ...base.network, edgeTo: Uint32Array.of(1, 2, 2) } }, /edge 2 is a self-loop at node 2/],
    ['Dirichlet node out of range', { dirichletNodes: Uint32Array.of(0, 4) }, /Dirichlet node 4 .* out of range/],
    ['repeated Dirichlet node', { dirichletNodes: Uint32Array.of(3, 0, 3) }, /Dirichlet node 3 is listed twice/],
    ['bad node count', { network: { ...base.network, nodeCount: 0 } }, /nodeCount must be a positive integer/],
    ['unknown method', { options: { method: 'lu' as never } }, /unknown method "lu"/],
    ['bad tolerance', { options: { method: 'pcg', tolerance: 0 } }, /tolerance must be in \(0, 1\)/],
    ['bad iteration cap', { options: { method: 'pcg', maxIterations: 0.5 } }, /maxIterations must be a positive integer/],
    ['unknown ordering', { options: { ordering: 'metis' as never } }, /unknown ordering "metis"; use auto, amd or nested-dissection/],
    ['unknown preconditioner', { options: { preconditioner: 'ilu' as never } }, /unknown preconditioner "ilu"; use auto, jacobi or incomplete-cholesky/],
    ['conductances summing beyond float64', { conductances: Float64Array.of(1, 1e308, 1e308) }, /the conductances at node 2 sum to Infinity, beyond float64 range; rescale the conductances/],
  ] as const)('rejects %s', (_name, change, message) => {
    expect(factorError({ ...base, ...change } as FactorRequest).message).toMatch(message);
  });

  it('names a node of a component without a Dirichlet node (singular free block)', () => {
    // nodes 4-5 form a floating island; node 0 is held
    const request: FactorRequest = {
      network: { nodeCount: 6, edgeFrom: Uint32Array.of(0, 1, 2, 4), edgeTo: Uint32Array.of(1, 2, 3, 5) },
      conductances: Float64Array.of(1, 1, 1, 1),
      dirichletNodes: Uint32Array.of(0),
    };
    for (const method of ['auto', 'dense', 'sparse-cholesky', 'pcg'] as const) {
      expect(factorError({ ...request, options: { method } }).message).toMatch(/node 4 \(and 1 other node\(s\)\) has no path to any Dirichlet node: the system is singular/);
    }
    expect(factorError({ ...base, dirichletNodes: new Uint32Array(0) }).message).toMatch(/node 0 \(and 3 other/);
  });

  it('refuses dense beyond DENSE_MAX with a reason', () => {
    const n = 7000;
    const edgeFrom = Uint32Array.from({ length: n - 1 }, (_, i) => i);
    const edgeTo = Uint32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const request: FactorRequest = { network: { nodeCount: n, edgeFrom, edgeTo }, conductances: new Float64Array(n - 1).fill(1), dirichletNodes: Uint32Array.of(0), options: { method: 'dense' } };
    expect(factorError(request).message).toMatch(/method "dense" on 6999 free nodes needs .* GiB/);
  });
});

describe('numerical failures', () => {
  it('a residual that overflows float64 is an error, not a silent NaN', () => {
    const f = factorSync({ ...base, conductances: Float64Array.of(1e200, 1e200, 1e200) });
    expect(() => f.solveSync({ count: 1, dirichletValues: Float64Array.of(1e200, 0) })).toThrow(SolverError);
    expect(() => f.solveSync({ count: 1, dirichletValues: Float64Array.of(1e200, 0) })).toThrow(/the residual of right-hand side 0 is NaN: its currents overflow float64; rescale/);
  });

  it('sparse Cholesky beyond its factor cap says so and points to pcg', () => {
    const request = randomCircuit(400, 3, 2);
    expect(() => chooseFreeSolver(reduceSystem(request), { method: 'sparse-cholesky' }, request, 1000)).toThrow(
      /sparse Cholesky would need more than 1000 factor nonzeros .*; use method "pcg"/,
    );
    expect(() => sparseCholesky(reduceSystem(request), analyseCholesky(reduceSystem(request), 1000))).toThrow(/exceeded its fill budget; use method "pcg"/);
  });

  it('PCG stops with an error when its residual is not finite', () => {
    const sys = reduceSystem(randomCircuit(100, 4, 2));
    const broken = { ...sys, ffVal: sys.ffVal.map((v, p) => (p === 0 ? NaN : v)) };
    const b = new Float64Array(sys.free.length).fill(1);
    expect(() => pcgSolve(broken, b, 1, { tolerance: 1e-10, maxIterations: 100, preconditioner: jacobi(sys) })).toThrow(/PCG produced a non-finite residual; the system is singular or badly scaled/);
  });
});

describe('right-hand side validation', () => {
  it.each([
    ['zero count', { count: 0, dirichletValues: new Float64Array(0) }, /count must be a positive integer, got 0/],
    ['fractional count', { count: 1.5, dirichletValues: new Float64Array(3) }, /count must be a positive integer/],
    ['short dirichletValues', { count: 2, dirichletValues: Float64Array.of(1, 0, 1) }, /dirichletValues has 3 entries; expected count x dirichletNodes = 2 x 2/],
    ['NaN held voltage', { count: 1, dirichletValues: Float64Array.of(1, NaN) }, /dirichletValues\[1\] is NaN/],
    ['injection at a Dirichlet node', { count: 1, dirichletValues: Float64Array.of(1, 0), injection: { nodes: Uint32Array.of(3), values: Float64Array.of(1) } }, /injection at node 3, which is a Dirichlet node/],
    ['injection out of range', { count: 1, dirichletValues: Float64Array.of(1, 0), injection: { nodes: Uint32Array.of(7), values: Float64Array.of(1) } }, /injection node 7 is out of range 0..3/],
    ['injection length', { count: 2, dirichletValues: Float64Array.of(1, 0, 1, 0), injection: { nodes: Uint32Array.of(1), values: Float64Array.of(1) } }, /injection.values has 1 entries; expected count x injection.nodes = 2 x 1/],
    ['NaN injected current', { count: 1, dirichletValues: Float64Array.of(1, 0), injection: { nodes: Uint32Array.of(1, 2), values: Float64Array.of(1, NaN) } }, /injection.values\[1\] is NaN/],
  ] as const)('rejects %s', (_name, rhs, message) => {
    expect(solveError(rhs as RightHandSides).message).toMatch(message);
  });
});

describe('batch request validation (validateRequest, shared with factorBatch on the GPU)', () => {
  const { network, dirichletNodes } = base;
  it('accepts systems x m conductances and names the edge, not the flat index, of a bad one', () => {
    expect(() => validateRequest(network, Float64Array.of(1, 2, 3, 4, 5, 6), dirichletNodes)).not.toThrow();
    expect(() => validateRequest(network, Float64Array.of(1, 2, 3, 4, -5, 6), dirichletNodes)).toThrow(/conductance of edge 1 must be finite and > 0, got -5/);
  });
  it('rejects a length that is not a multiple of the edge count', () => {
    expect(() => validateRequest(network, Float64Array.of(1, 2, 3, 4), dirichletNodes)).toThrow(/conductances has 4 entries but the network has 3 edges/);
  });
  it('a single factorization still wants exactly m conductances', () => {
    expect(factorError({ ...base, conductances: Float64Array.of(1, 2, 3, 4, 5, 6) }).message).toMatch(/conductances has 6 entries but the network has 3 edges/);
  });
});
