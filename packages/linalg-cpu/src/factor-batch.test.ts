import { describe, expect, it } from 'vitest';
import { randomValues } from '../bench/networks.mjs';
import { expectAllClose, laplacianScale, laplacianTimes, randomCircuit } from '../test/helpers.js';
import { createCpuBackend, factorSync } from './cpu-backend.js';
import { factorBatchOf } from './factor-batch.js';
import type { BatchFactorRequest, BatchRightHandSides, FactorRequest, SolverBackend, SolverMethod } from './solver.js';

/** `systems` conductance vectors of one wiring: the circuit's, each edge scaled by a factor in [0.2, 5). */
function sweep(request: FactorRequest, systems: number, seed: number): Float64Array {
  const m = request.conductances.length;
  const factors = randomValues(systems * m, seed, 0.2, 5);
  return factors.map((f, i) => request.conductances[i % m]! * f);
}

/** Random held voltages and currents at `injected` free nodes, for every system. */
function batchRhs(request: FactorRequest, systems: number, perSystem: number, seed: number): BatchRightHandSides {
  const held = new Set(request.dirichletNodes);
  const nodes: number[] = [];
  for (let i = 0; nodes.length < 3; i++) if (!held.has(i) && !nodes.includes(i)) nodes.push(i);
  const units = systems * perSystem;
  return {
    perSystem,
    dirichletValues: randomValues(units * request.dirichletNodes.length, seed),
    injection: { nodes: Uint32Array.from(nodes), values: randomValues(units * nodes.length, seed + 1) },
  };
}

const methods: { method: SolverMethod; tolerance?: number }[] = [{ method: 'dense' }, { method: 'sparse-cholesky' }, { method: 'pcg', tolerance: 1e-13 }];

describe.each(methods.map((o) => [o.method, o] as const))('CPU factorBatch, method %s', (method, options) => {
  const base = randomCircuit(90, 5, 3);
  const systems = 7;
  const perSystem = 3;
  const request: BatchFactorRequest = { ...base, conductances: sweep(base, systems, 17), options };

  it('equals one factor + solve per system (1e-12) and satisfies Kirchhoff per system', async () => {
    const batch = await createCpuBackend().factorBatch(request);
    expect(batch.systems).toBe(systems);
    expect(batch.method).toBe(method);
    const rhs = batchRhs(base, systems, perSystem, 29);
    const got = await batch.solve(rhs);
    expect(got.count).toBe(systems * perSystem);
    expect([got.systems, got.perSystem]).toEqual([systems, perSystem]);
    const { nodeCount: n } = base.network;
    const nd = base.dirichletNodes.length;
    const m = base.conductances.length;
    const nq = rhs.injection!.nodes.length;
    for (let s = 0; s < systems; s++) {
      const k = request.conductances.subarray(s * m, (s + 1) * m);
      const want = factorSync({ ...base, conductances: k, options }).solveSync({
        count: perSystem,
        dirichletValues: rhs.dirichletValues.subarray(s * perSystem * nd, (s + 1) * perSystem * nd),
        injection: { nodes: rhs.injection!.nodes, values: rhs.injection!.values.subarray(s * perSystem * nq, (s + 1) * perSystem * nq) },
      });
      expectAllClose(got.voltages.subarray(s * perSystem * n, (s + 1) * perSystem * n), want.voltages, 1e-12, 1e-12);
      expectAllClose(got.dirichletCurrents.subarray(s * perSystem * nd, (s + 1) * perSystem * nd), want.dirichletCurrents, 1e-12, 1e-12);
      // Independent of the solver: KCL from the edge list with THIS system's conductances.
      for (let t = 0; t < perSystem; t++) {
        const u = s * perSystem + t;
        const x = got.voltages.subarray(u * n, (u + 1) * n);
        const lx = laplacianTimes(base.network, k, x);
        const scale = laplacianScale(base.network, k, x);
        const b = new Float64Array(n);
        rhs.injection!.nodes.forEach((node, q) => (b[node] = rhs.injection!.values[u * nq + q]!));
        for (let i = 0; i < n; i++) {
          if (base.dirichletNodes.includes(i)) expect(x[i]).toBe(rhs.dirichletValues[u * nd + base.dirichletNodes.indexOf(i)]);
          else expect(Math.abs(lx[i]! - b[i]!)).toBeLessThanOrEqual(1e-10 * (scale[i]! + Math.abs(b[i]!)));
        }
      }
    }
    expect(got.maxResidual).toBe(Math.max(...got.residuals));
    expect(got.maxResidual).toBeLessThan(1e-10);
    batch.dispose();
  });
});

describe('factorBatchOf', () => {
  const base = randomCircuit(40, 8, 2);
  const request: BatchFactorRequest = { ...base, conductances: sweep(base, 4, 3) };
  const rhs = batchRhs(base, 4, 2, 41);

  it('falls back to one factor per system on a backend without factorBatch (same numbers)', async () => {
    const cpu = createCpuBackend();
    let factored = 0;
    const minimal: SolverBackend = {
      name: 'minimal',
      description: 'factor only',
      factor: (r) => {
        factored++;
        return cpu.factor(r);
      },
      dispose() {},
    };
    const viaFallback = await (await factorBatchOf(minimal)(request)).solve(rhs);
    expect(factored).toBe(4);
    const direct = await (await cpu.factorBatch(request)).solve(rhs);
    expectAllClose(viaFallback.voltages, direct.voltages, 0, 0);
    expectAllClose(viaFallback.dirichletCurrents, direct.dirichletCurrents, 0, 0);
  });

  it("uses the backend's own factorBatch when it has one", async () => {
    const cpu = createCpuBackend();
    let batched = 0;
    const withBatch: SolverBackend = {
      ...cpu,
      factor: () => Promise.reject(new Error('factor must not be called')),
      factorBatch: (r) => {
        batched++;
        return cpu.factorBatch(r);
      },
    };
    const res = await (await factorBatchOf(withBatch)(request)).solve(rhs);
    expect(batched).toBe(1);
    expect(res.count).toBe(8);
  });
});

describe('factorBatch errors name what is wrong', () => {
  const base = randomCircuit(30, 2, 2);
  const cpu = createCpuBackend();
  const m = base.conductances.length;

  it('conductances not a whole number of systems, or a network without edges', async () => {
    await expect(cpu.factorBatch({ ...base, conductances: new Float64Array(m + 1).fill(1) })).rejects.toThrow(/expected systems x edgeCount/);
    await expect(cpu.factorBatch({ ...base, conductances: new Float64Array(0) })).rejects.toThrow(/systems >= 1/);
    const empty = { nodeCount: 2, edgeFrom: new Uint32Array(0), edgeTo: new Uint32Array(0) };
    await expect(cpu.factorBatch({ network: empty, conductances: new Float64Array(0), dirichletNodes: Uint32Array.of(0, 1) })).rejects.toThrow(/at least one edge/);
  });

  it('a bad conductance names its system', async () => {
    const k = sweep(base, 3, 5);
    k[2 * m + 4] = -1;
    await expect(cpu.factorBatch({ ...base, conductances: k })).rejects.toThrow(/^system 2: .*conductance/);
  });

  it('right-hand sides of the wrong shape, bad values, use after dispose', async () => {
    const batch = await cpu.factorBatch({ ...base, conductances: sweep(base, 2, 6) });
    const nd = base.dirichletNodes.length;
    await expect(batch.solve({ perSystem: 0, dirichletValues: new Float64Array(0) })).rejects.toThrow(/perSystem must be a positive integer/);
    await expect(batch.solve({ perSystem: 2, dirichletValues: new Float64Array(2 * nd) })).rejects.toThrow(/expected systems x perSystem x dirichletNodes = 2 x 2/);
    const bad = new Float64Array(2 * nd);
    bad[nd] = Number.NaN;
    await expect(batch.solve({ perSystem: 1, dirichletValues: bad })).rejects.toThrow(/^system 1: .*finite/);
    const injection = { nodes: Uint32Array.of(base.dirichletNodes[0]!), values: new Float64Array(2) };
    await expect(batch.solve({ perSystem: 1, dirichletValues: new Float64Array(2 * nd), injection })).rejects.toThrow(/Dirichlet node/);
    batch.dispose();
    batch.dispose();
    await expect(batch.solve({ perSystem: 1, dirichletValues: new Float64Array(2 * nd) })).rejects.toThrow(/disposed/);
  });
});
