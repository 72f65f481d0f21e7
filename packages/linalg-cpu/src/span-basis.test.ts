import { describe, expect, it } from 'vitest';
import { randomValues } from '../bench/networks.mjs';
import { expectAllClose, injectedCurrents, laplacianScale, laplacianTimes, randomCircuit } from '../test/helpers.js';
import { factorSync } from './cpu-backend.js';
import { reduceSystem } from './reduced-system.js';
import type { FactorRequest, RightHandSides, SolverMethod } from './solver.js';
import { chooseFreeSolver, type FreeSolver } from './choose-method.js';
import { freeRightHandSides } from './batch.js';
import { solveThroughBasis, spanBasis } from './span-basis.js';

/** S samples over the Dirichlet nodes (the last one grounded) plus p unit currents at `outputs`: a training batch. */
function trainingBatch(request: FactorRequest, samples: number, outputs: number[], seed: number): RightHandSides {
  const nd = request.dirichletNodes.length;
  const count = samples + outputs.length;
  const dirichletValues = new Float64Array(count * nd);
  const u = randomValues(samples * nd, seed);
  for (let s = 0; s < samples; s++) for (let d = 0; d < nd - 1; d++) dirichletValues[s * nd + d] = u[s * nd + d]!;
  const values = new Float64Array(count * outputs.length);
  outputs.forEach((_, o) => (values[(samples + o) * outputs.length + o] = 1));
  return { count, dirichletValues, injection: { nodes: Uint32Array.from(outputs), values } };
}

const methods: { method: SolverMethod; tolerance?: number }[] = [{ method: 'dense' }, { method: 'sparse-cholesky' }, { method: 'pcg', tolerance: 1e-12 }];

describe('span basis', () => {
  it('has one vector per coupled Dirichlet node with a non-zero value and per distinct injection node', () => {
    const request = randomCircuit(300, 3, 4);
    const sys = reduceSystem(request);
    const rhs = trainingBatch(request, 20, [5, 6], 1);
    const basis = spanBasis(sys, rhs)!;
    expect(basis.size).toBe(3 + 2); // the grounded node never contributes
    // the same injection node twice counts once; a batch with as many directions as RHS gets no basis
    const twice = { ...rhs, injection: { nodes: Uint32Array.of(5, 5), values: rhs.injection!.values } };
    expect(spanBasis(sys, twice)!.size).toBe(3 + 1);
    expect(spanBasis(sys, { count: 2, dirichletValues: randomValues(8, 2) })).toBeNull();
    expect(spanBasis(sys, { count: 3, dirichletValues: new Float64Array(12) })).toBeNull();
  });

  describe.each(methods.map((o) => [o.method, o] as const))('method %s', (_name, options) => {
    it('a training batch solved through its basis equals the batch solved right-hand side by right-hand side', () => {
      const request = { ...randomCircuit(900, 21, 3), options };
      const rhs = trainingBatch(request, 40, [10, 11, 12], 2);
      const viaBasis = factorSync(request).solveSync(rhs);
      const direct = factorSync({ ...request, options: { ...options, basisSolve: false } }).solveSync(rhs);
      expectAllClose(viaBasis.voltages, direct.voltages, 1e-10, 1e-11);
      expectAllClose(viaBasis.dirichletCurrents, direct.dirichletCurrents, 1e-9, 1e-10);
      expect(viaBasis.maxResidual).toBeLessThanOrEqual(options.method === 'pcg' ? 1e-12 : 1e-12);
      // KCL at free nodes, from the edge list
      const n = request.network.nodeCount;
      const held = new Set(request.dirichletNodes);
      for (const r of [0, 17, 40, 42]) {
        const x = viaBasis.voltages.subarray(r * n, (r + 1) * n);
        const lx = laplacianTimes(request.network, request.conductances, x);
        const scale = laplacianScale(request.network, request.conductances, x);
        const b = injectedCurrents(rhs, r, n);
        for (let i = 0; i < n; i++) if (!held.has(i)) expect(Math.abs(lx[i]! - b[i]!)).toBeLessThanOrEqual(1e-10 * (scale[i]! + Math.abs(b[i]!)) + 1e-300);
      }
    });

    it('right-hand sides whose combination cancels are solved again and still meet the target', () => {
      // Two held nodes A, B hang off free node 0 only, at +-1e6: every free node sits at (x_A + x_B) / 2,
      // a small number made of two large ones, so the basis combination loses digits.
      const { network, conductances } = randomCircuit(400, 5, 0);
      const n = network.nodeCount;
      const request: FactorRequest = {
        network: { nodeCount: n + 2, edgeFrom: Uint32Array.from([...network.edgeFrom, n, n + 1]), edgeTo: Uint32Array.from([...network.edgeTo, 0, 0]) },
        conductances: Float64Array.from([...conductances, 1, 1]),
        dirichletNodes: Uint32Array.of(n, n + 1),
        options: { ...options, ...(options.method === 'pcg' ? { tolerance: 1e-4, preconditioner: 'jacobi' as const } : {}) },
      };
      const count = 6;
      const dirichletValues = Float64Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? 1e6 + i : -1e6 + 0.5));
      const res = factorSync(request).solveSync({ count, dirichletValues });
      const target = options.method === 'pcg' ? 1e-4 : 1e-12;
      expect(res.maxResidual).toBeLessThanOrEqual(target);
      for (let r = 0; r < count; r++) {
        const exact = (dirichletValues[2 * r]! + dirichletValues[2 * r + 1]!) / 2;
        const tol = options.method === 'pcg' ? 1e-2 : 1e-6;
        for (let i = 0; i < n; i++) expect(Math.abs(res.voltages[r * (n + 2) + i]! - exact)).toBeLessThanOrEqual(tol * Math.abs(exact));
      }
    });
  });

  it('solves again, alone and warm-started, exactly the right-hand sides whose combined residual misses the target', () => {
    const request = randomCircuit(300, 8, 3);
    const sys = reduceSystem(request);
    const exact = chooseFreeSolver(sys, { method: 'sparse-cholesky' }, request);
    const calls: { count: number; warm: boolean }[] = [];
    // a solver whose basis solutions carry a 1e-6 error in basis vector 1 only
    const sloppy: FreeSolver = {
      ...exact,
      solve(b, count, x0) {
        calls.push({ count, warm: x0 !== undefined });
        const out = exact.solve(b, count);
        if (calls.length === 1) for (let i = 0; i < out.x.length; i += count) out.x[i + 1]! *= 1 + 1e-6;
        return out;
      },
    };
    const count = 8;
    const dirichletValues = new Float64Array(count * 3);
    for (let r = 0; r < count; r++) dirichletValues[r * 3] = 1; // basis vector 0
    for (const r of [2, 5]) dirichletValues[r * 3 + 1] = 0.5; // only RHS 2 and 5 use basis vector 1
    const rhs = { count, dirichletValues };
    const result = solveThroughBasis(sys, sloppy, rhs, freeRightHandSides(sys, rhs))!;
    expect(calls).toEqual([{ count: 2, warm: false }, { count: 2, warm: true }]);
    expect(result.maxResidual).toBeLessThanOrEqual(1e-12);
    const reference = factorSync({ ...request, options: { method: 'dense', basisSolve: false } }).solveSync(rhs);
    expectAllClose(result.voltages, reference.voltages, 1e-11, 1e-12);
  });
});
