import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { expectAllClose, injectedCurrents, laplacianScale, laplacianTimes, randomBatch, randomCircuit } from '../test/helpers.js';
import { createCpuBackend, factorSync, DENSE_LIMIT } from './cpu-backend.js';
import type { FactorRequest, SolverMethod } from './solver.js';

const all: { method: SolverMethod; tolerance?: number }[] = [{ method: 'dense' }, { method: 'sparse-cholesky' }, { method: 'pcg', tolerance: 1e-13 }];
const label = (o: { method: SolverMethod }) => o.method;

describe.each(all.map((o) => [label(o), o] as const))('method %s', (_name, options) => {
  it('voltage divider: x_out = V k1 / (k1 + k2), source current V k1 k2 / (k1 + k2)', () => {
    // node 0 held at V, node 2 grounded, node 1 the output; k1 on 0-1, k2 on 1-2
    const [k1, k2, V] = [3, 0.5, 2.5];
    const f = factorSync({
      network: { nodeCount: 3, edgeFrom: Uint32Array.of(0, 1), edgeTo: Uint32Array.of(1, 2) },
      conductances: Float64Array.of(k1, k2),
      dirichletNodes: Uint32Array.of(0, 2),
      options,
    });
    expect(f.method).toBe(options.method);
    const res = f.solveSync({ count: 1, dirichletValues: Float64Array.of(V, 0) });
    const out = (V * k1) / (k1 + k2);
    expectAllClose(res.voltages, [V, out, 0], 1e-14, 1e-15);
    const i = (V * k1 * k2) / (k1 + k2);
    expectAllClose(res.dirichletCurrents, [i, -i], 1e-13);
    expect(res.maxResidual).toBeLessThan(1e-13);
  });

  it('series chain with injected current: x_2 = I (1/k1 + 1/k2), ground sinks -I', () => {
    const [k1, k2, I] = [2, 4, 0.3];
    const f = factorSync({
      network: { nodeCount: 3, edgeFrom: Uint32Array.of(0, 1), edgeTo: Uint32Array.of(1, 2) },
      conductances: Float64Array.of(k1, k2),
      dirichletNodes: Uint32Array.of(0),
      options,
    });
    const res = f.solveSync({ count: 1, dirichletValues: Float64Array.of(0), injection: { nodes: Uint32Array.of(2), values: Float64Array.of(I) } });
    expectAllClose(res.voltages, [0, I / k1, I / k1 + I / k2], 1e-13, 1e-15);
    expectAllClose(res.dirichletCurrents, [-I], 1e-13);
  });

  it("Kirchhoff's current law holds at free nodes to 1e-10 (componentwise) on random circuits", () => {
    for (const seed of [11, 12, 13]) {
      const request = { ...randomCircuit(600, seed, 5), options };
      const rhs = randomBatch(request, 3, seed + 100, 4);
      const res = factorSync(request).solveSync(rhs);
      const n = request.network.nodeCount;
      const held = new Set(request.dirichletNodes);
      for (let r = 0; r < rhs.count; r++) {
        const x = res.voltages.subarray(r * n, (r + 1) * n);
        const lx = laplacianTimes(request.network, request.conductances, x);
        const scale = laplacianScale(request.network, request.conductances, x);
        const b = injectedCurrents(rhs, r, n);
        for (let i = 0; i < n; i++) {
          if (held.has(i)) continue;
          expect(Math.abs(lx[i]! - b[i]!)).toBeLessThanOrEqual(1e-10 * (scale[i]! + Math.abs(b[i]!)));
        }
        // held nodes keep their values; reported Dirichlet currents are (L x)_D
        request.dirichletNodes.forEach((node, d) => {
          expect(x[node]).toBe(rhs.dirichletValues[r * request.dirichletNodes.length + d]);
          expect(res.dirichletCurrents[r * request.dirichletNodes.length + d]).toBeCloseTo(lx[node]!, 12);
        });
      }
    }
  });

  it('conservation: Dirichlet currents plus injected currents sum to zero', () => {
    const request = { ...randomCircuit(500, 21, 4), options };
    const rhs = randomBatch(request, 4, 7, 6);
    const res = factorSync(request).solveSync(rhs);
    const nd = request.dirichletNodes.length;
    for (let r = 0; r < rhs.count; r++) {
      let sources = 0;
      let magnitude = 0;
      for (let d = 0; d < nd; d++) {
        sources += res.dirichletCurrents[r * nd + d]!;
        magnitude += Math.abs(res.dirichletCurrents[r * nd + d]!);
      }
      const injected = injectedCurrents(rhs, r, request.network.nodeCount).reduce((a, v) => a + v, 0);
      expect(Math.abs(sources + injected)).toBeLessThan(1e-10 * magnitude);
    }
  });

  it('a batch equals its right-hand sides solved one by one', () => {
    const request = { ...randomCircuit(700, 31, 3), options };
    const f = factorSync(request);
    const rhs = randomBatch(request, 5, 3, 3);
    const batch = f.solveSync(rhs);
    const n = request.network.nodeCount;
    const nd = request.dirichletNodes.length;
    const ni = rhs.injection!.nodes.length;
    for (let r = 0; r < rhs.count; r++) {
      const one = f.solveSync({
        count: 1,
        dirichletValues: rhs.dirichletValues.slice(r * nd, (r + 1) * nd),
        injection: { nodes: rhs.injection!.nodes, values: rhs.injection!.values.slice(r * ni, (r + 1) * ni) },
      });
      const rtol = options.method === 'pcg' ? 1e-9 : 1e-13;
      expectAllClose(batch.voltages.subarray(r * n, (r + 1) * n), one.voltages, rtol, rtol);
      expectAllClose(batch.dirichletCurrents.subarray(r * nd, (r + 1) * nd), one.dirichletCurrents, rtol * 100, rtol * 100);
      expect(batch.residuals[r]).toBeLessThan(1e-10);
    }
    expect(batch.maxResidual).toBe(Math.max(...batch.residuals));
  });

  it('reports residuals equal to an independent float64 recomputation', () => {
    const request = { ...randomCircuit(300, 41, 3), options: { ...options, ...(options.method === 'pcg' ? { tolerance: 1e-4 } : {}) } };
    const rhs = randomBatch(request, 2, 9, 2);
    const res = factorSync(request).solveSync(rhs);
    const n = request.network.nodeCount;
    const held = new Set(request.dirichletNodes);
    for (let r = 0; r < 2; r++) {
      const x = res.voltages.subarray(r * n, (r + 1) * n);
      const lx = laplacianTimes(request.network, request.conductances, x);
      const b = injectedCurrents(rhs, r, n);
      // L_FD x_D = (L x_D-only)_F
      const xd = new Float64Array(n);
      for (const node of held) xd[node] = x[node]!;
      const coupling = laplacianTimes(request.network, request.conductances, xd);
      let err = 0;
      let bb = 0;
      let cc = 0;
      for (let i = 0; i < n; i++) {
        if (held.has(i)) continue;
        err += (b[i]! - lx[i]!) ** 2;
        bb += b[i]! ** 2;
        cc += coupling[i]! ** 2;
      }
      expect(res.residuals[r]).toBeCloseTo(Math.sqrt(err) / (Math.sqrt(bb) + Math.sqrt(cc)), 14);
      if (options.method === 'pcg') expect(res.residuals[r]).toBeGreaterThan(1e-10); // loose tolerance shows
    }
  });
});

describe('paths agree', () => {
  it('dense, sparse-cholesky and pcg agree to 1e-9 on Erdos-Renyi circuits of 2,000 nodes', () => {
    for (const seed of [1, 2]) {
      const request = randomCircuit(2000, seed, 6);
      const rhs = randomBatch(request, 3, seed, 5);
      const dense = factorSync({ ...request, options: { method: 'dense' } }).solveSync(rhs);
      const sparse = factorSync({ ...request, options: { method: 'sparse-cholesky' } }).solveSync(rhs);
      const pcg = factorSync({ ...request, options: { method: 'pcg', tolerance: 1e-12 } }).solveSync(rhs);
      expectAllClose(sparse.voltages, dense.voltages, 1e-9, 1e-9);
      expectAllClose(pcg.voltages, dense.voltages, 1e-9, 1e-9);
      expectAllClose(sparse.dirichletCurrents, dense.dirichletCurrents, 1e-9, 1e-9);
      expectAllClose(pcg.dirichletCurrents, dense.dirichletCurrents, 1e-9, 1e-9);
      expect(pcg.iterations).toBeGreaterThan(0);
      expect(dense.iterations).toBe(0);
    }
  });

  it('sparse Cholesky and pcg agree on a 60 x 60 grid', () => {
    const network = gridNetwork(60, 60);
    const request: FactorRequest = { network, conductances: randomConductances(network.edgeFrom.length, 5), dirichletNodes: Uint32Array.of(0, 3599, 1800) };
    const rhs = randomBatch(request, 2, 4, 3);
    const sparse = factorSync({ ...request, options: { method: 'sparse-cholesky' } }).solveSync(rhs);
    const pcg = factorSync({ ...request, options: { method: 'pcg', tolerance: 1e-12 } }).solveSync(rhs);
    expectAllClose(pcg.voltages, sparse.voltages, 1e-9, 1e-9);
  });
});

describe('automatic choice', () => {
  it('uses dense for small systems, sparse Cholesky for grids and pcg for large random graphs', () => {
    const small = randomCircuit(DENSE_LIMIT, 3, 2);
    expect(factorSync(small).method).toBe('dense');
    const network = gridNetwork(100, 100);
    const grid = factorSync({ network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.of(0, 9999) });
    expect(grid.method).toBe('sparse-cholesky');
    expect(grid.factorNonzeros).toBeGreaterThan(0);
    expect(factorSync(randomCircuit(20_000, 4, 2)).method).toBe('pcg');
    // a random graph of 2,000 nodes still factors cheaply
    expect(factorSync(randomCircuit(2000, 4, 2)).method).toBe('sparse-cholesky');
  });

  it('reports the ordering, preconditioner and factor size of the path it took', () => {
    const network = gridNetwork(50, 50);
    const grid = factorSync({ network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.of(0) });
    expect(grid.ordering).toBe('amd');
    expect(grid.preconditioner).toBeNull();
    expect(grid.factorFlops).toBeGreaterThan(grid.factorNonzeros);
    const pcg = factorSync({ ...randomCircuit(500, 1, 2), options: { method: 'pcg' } });
    expect([pcg.ordering, pcg.preconditioner, pcg.factorNonzeros, pcg.factorFlops]).toEqual([null, 'incomplete-cholesky', 0, 0]);
    const dense = factorSync({ ...randomCircuit(100, 1, 2), options: { method: 'dense' } });
    expect([dense.method, dense.ordering, dense.factorNonzeros]).toEqual(['dense', 'natural', (98 * 99) / 2]);
    // above DENSE_LIMIT free nodes, auto skips the zeros of the free block
    expect(factorSync(randomCircuit(DENSE_LIMIT + 3, 1, 2)).method).toBe('sparse-cholesky');
  });

  it('repeated factorizations of one wiring reuse its analysis, and notice arrays edited in place', () => {
    const request = randomCircuit(1500, 6, 3);
    const rhs = randomBatch(request, 2, 5); // held voltages only
    const first = factorSync(request).solveSync(rhs);
    const k2 = request.conductances.map((k) => k * 1.5);
    const again = factorSync({ ...request, conductances: k2 }).solveSync(rhs);
    const fresh = factorSync({ network: { ...request.network, edgeFrom: request.network.edgeFrom.slice() }, conductances: k2, dirichletNodes: request.dirichletNodes }).solveSync(rhs);
    expectAllClose(again.voltages, fresh.voltages, 1e-12, 1e-13);
    // voltages are invariant under scaling all conductances; currents scale with them
    expectAllClose(again.voltages, first.voltages, 1e-10, 1e-11);
    expectAllClose(again.dirichletCurrents, first.dirichletCurrents.map((c) => 1.5 * c), 1e-9, 1e-10);
    // rewire one edge in place: the cached ordering must not be reused blindly
    const network = { ...request.network, edgeTo: request.network.edgeTo.slice() };
    const req2 = { ...request, network };
    factorSync(req2);
    network.edgeTo[0] = (network.edgeTo[0]! + 7) % network.nodeCount === network.edgeFrom[0] ? (network.edgeTo[0]! + 8) % network.nodeCount : (network.edgeTo[0]! + 7) % network.nodeCount;
    const edited = factorSync(req2).solveSync(rhs);
    const reference = factorSync({ ...req2, network: { ...network, edgeFrom: network.edgeFrom.slice() }, options: { method: 'dense' } }).solveSync(rhs);
    expectAllClose(edited.voltages, reference.voltages, 1e-10, 1e-11);
  });

  it('parallel edges act as one conductor with the summed conductance', () => {
    const twin = factorSync({ network: { nodeCount: 3, edgeFrom: Uint32Array.of(0, 1, 2, 1), edgeTo: Uint32Array.of(1, 2, 1, 0) }, conductances: Float64Array.of(1, 2, 3, 4), dirichletNodes: Uint32Array.of(0, 2), options: { method: 'sparse-cholesky' } });
    const res = twin.solveSync({ count: 1, dirichletValues: Float64Array.of(1, 0) });
    // k(0-1) = 1 + 4 = 5, k(1-2) = 2 + 3 = 5: node 1 at 1/2
    expectAllClose(res.voltages, [1, 0.5, 0], 1e-15);
  });

  it('an all-Dirichlet network solves trivially', () => {
    const f = factorSync({ network: { nodeCount: 2, edgeFrom: Uint32Array.of(0), edgeTo: Uint32Array.of(1) }, conductances: Float64Array.of(2), dirichletNodes: Uint32Array.of(0, 1) });
    const res = f.solveSync({ count: 1, dirichletValues: Float64Array.of(1, 0) });
    expectAllClose(res.dirichletCurrents, [2, -2], 1e-15);
    expect(res.maxResidual).toBe(0);
  });
});

describe('createCpuBackend', () => {
  it("is named 'cpu', factors asynchronously and applies its defaults", async () => {
    const backend = createCpuBackend({ method: 'pcg', tolerance: 1e-12 });
    expect(backend.name).toBe('cpu');
    const request = randomCircuit(200, 8, 2);
    const f = await backend.factor(request);
    expect(f.method).toBe('pcg');
    const rhs = randomBatch(request, 2, 1);
    const res = await f.solve(rhs);
    const reference = factorSync({ ...request, options: { method: 'dense' } }).solveSync(rhs);
    expectAllClose(res.voltages, reference.voltages, 1e-9, 1e-9);
    expect((await backend.factor({ ...request, options: { method: 'dense' } })).method).toBe('dense');
    f.dispose();
    f.dispose();
    await expect(f.solve(rhs)).rejects.toThrow(/disposed/);
    backend.dispose();
  });
});
