import { erdosRenyi, grid2d, type Circuit } from '@ohmlab/graph';
import { factorSync } from '@ohmlab/linalg-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.js';
import { kclDefect, maxAbsDiff, probeWebGpu, releaseShared, seeded, sharedWebGpu } from './helpers.js';

/** `systems x m` conductances: the circuit's, each scaled by a random factor in [0.2, 5). */
function sweep(circuit: Circuit, systems: number, seed: number): Float64Array {
  const rand = seeded(seed);
  const m = circuit.conductances.length;
  return Float64Array.from({ length: systems * m }, (_, i) => circuit.conductances[i % m]! * rand(0.2, 5));
}

/** Each system against its own float64 CPU solve and against Kirchhoff's law. */
async function checkBatch(backend: WebGpuBackend, circuit: Circuit, systems: number, perSystem: number, method: 'auto' | 'dense' | 'pcg' = 'auto'): Promise<void> {
  const m = circuit.conductances.length;
  const held = circuit.inputNodes;
  const k = sweep(circuit, systems, systems + perSystem);
  const f = await backend.factorBatch({ network: circuit, conductances: k, dirichletNodes: held, options: { method } });
  expect(f.systems).toBe(systems);
  expect(f.method).toBe(method === 'pcg' ? 'webgpu-pcg-batch' : 'webgpu-dense-batch');
  const rand = seeded(3);
  const dirichletValues = Float64Array.from({ length: systems * perSystem * held.length }, () => rand(-1, 1));
  const nodes = circuit.outputNodes;
  const values = Float64Array.from({ length: systems * perSystem * nodes.length }, () => rand(-0.2, 0.2));
  const got = await f.solve({ perSystem, dirichletValues, injection: { nodes, values } });
  expect(got.count).toBe(systems * perSystem);
  expect(got.cpuSystems).toBe(0);
  expect(got.maxResidual).toBeLessThanOrEqual(1e-10);
  const n = circuit.nodeCount;
  const nd = held.length;
  for (let s = 0; s < systems; s++) {
    const ks = k.subarray(s * m, (s + 1) * m);
    const want = factorSync({ network: circuit, conductances: ks, dirichletNodes: held }).solveSync({
      count: perSystem,
      dirichletValues: dirichletValues.subarray(s * perSystem * nd, (s + 1) * perSystem * nd),
      injection: { nodes, values: values.subarray(s * perSystem * nodes.length, (s + 1) * perSystem * nodes.length) },
    });
    expect(maxAbsDiff(got.voltages.subarray(s * perSystem * n, (s + 1) * perSystem * n), want.voltages)).toBeLessThan(1e-8);
    expect(maxAbsDiff(got.dirichletCurrents.subarray(s * perSystem * nd, (s + 1) * perSystem * nd), want.dirichletCurrents)).toBeLessThan(1e-7);
    const u = s * perSystem;
    const inj = { nodes, values: values.subarray(u * nodes.length, (u + 1) * nodes.length) };
    expect(kclDefect(circuit, ks, held, got.voltages.subarray(u * n, (u + 1) * n), inj)).toBeLessThan(1e-9);
  }
  f.dispose();
}

const gpu = await sharedWebGpu();
const chunked = await probeWebGpu({ limits: { maxBindingBytes: 4096, maxWorkgroups: 3 } });
afterAll(async () => {
  await chunked.backend?.disposeAsync();
  await releaseShared();
});

describe.skipIf(!gpu.backend)(`batched PCG over many circuits of one topology (webgpu)${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  it('5 grids of 10 x 10 nodes x 3 RHS in one PCG batch', async () => {
    await checkBatch(gpu.backend!, grid2d({ rows: 10, cols: 10, seed: 2 }), 5, 3, 'pcg');
  });
  it('4 Erdos-Renyi circuits of 40 nodes x 2 RHS in one PCG batch', async () => {
    await checkBatch(gpu.backend!, erdosRenyi({ nodes: 40, meanDegree: 4, seed: 6, outputs: 2 }), 4, 2, 'pcg');
  });
  it('chunks systems and RHS when the device limits are small (4 KiB bindings, 3 workgroups)', async () => {
    await checkBatch(chunked.backend!, grid2d({ rows: 6, cols: 6, seed: 3 }), 7, 2, 'pcg');
    expect(chunked.events).toEqual([]);
  });
});

describe.skipIf(!gpu.backend)(`batched dense Cholesky (webgpu)${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  it('40 Erdos-Renyi circuits of 24 nodes, 2 RHS each, in workgroup memory', async () => {
    await checkBatch(gpu.backend!, erdosRenyi({ nodes: 24, meanDegree: 4, seed: 4, outputs: 2 }), 40, 2);
  });
  it('3 grids of 12 x 12 nodes (142 free: factor in global memory)', async () => {
    await checkBatch(gpu.backend!, grid2d({ rows: 12, cols: 12, seed: 8 }), 3, 1);
  });
  it('chunks batches when the device limits are small (4 KiB bindings, 3 workgroups)', async () => {
    await checkBatch(chunked.backend!, erdosRenyi({ nodes: 20, meanDegree: 3, seed: 9 }), 10, 3);
    const grid = grid2d({ rows: 9, cols: 9, seed: 1 });
    const f = await chunked.backend!.factor({ network: grid, conductances: grid.conductances, dirichletNodes: grid.inputNodes, options: { method: 'pcg' } });
    const rhs = { count: 4, dirichletValues: Float64Array.from({ length: 8 }, (_, i) => i / 7) };
    const got = await f.solve(rhs);
    const want = factorSync({ network: grid, conductances: grid.conductances, dirichletNodes: grid.inputNodes }).solveSync(rhs);
    expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-8);
    expect(chunked.events).toEqual([]);
  });
  it('rejects conductance arrays that are not systems x edges', async () => {
    const c = erdosRenyi({ nodes: 10, seed: 1 });
    const k = new Float64Array(c.conductances.length + 1).fill(1);
    await expect(gpu.backend!.factorBatch({ network: c, conductances: k, dirichletNodes: c.inputNodes })).rejects.toThrow(/conductances has/);
  });
});
