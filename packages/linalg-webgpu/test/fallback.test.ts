import { erdosRenyi, grid2d } from '@ohmlab/graph';
import { factorSync } from '@ohmlab/linalg-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireDevice } from '../src/device/acquire-device.js';
import { createWebGpuBackend, requestWebGpuBackend, WebGpuUnavailableError, type WebGpuEvent } from '../src/index.js';
import { maxAbsDiff, probeWebGpu } from './helpers.js';

const circuit = erdosRenyi({ nodes: 40, meanDegree: 4, seed: 21 });
const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes };
const rhs = { count: 2, dirichletValues: Float64Array.of(1, 0, 0.3, -0.7) };
const want = factorSync(request).solveSync(rhs);

describe('no adapter: the CPU path with one message', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('option disableGpu: createWebGpuBackend throws, requestWebGpuBackend returns the CPU backend', async () => {
    await expect(createWebGpuBackend({ disableGpu: true })).rejects.toBeInstanceOf(WebGpuUnavailableError);
    const events: WebGpuEvent[] = [];
    const backend = await requestWebGpuBackend({ disableGpu: true, onEvent: (e) => events.push(e) });
    expect(backend.name).toBe('cpu');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fallback', method: 'backend' });
    const got = await (await backend.factor(request)).solve(rhs);
    expect(maxAbsDiff(got.voltages, want.voltages)).toBe(0);
  });

  it('env OHMLAB_WEBGPU=0 forces the adapter away; without a callback it warns once', async () => {
    vi.stubEnv('OHMLAB_WEBGPU', '0');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const backend = await requestWebGpuBackend();
    expect(backend.name).toBe('cpu');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/OHMLAB_WEBGPU=0.*CPU backend/);
    warn.mockRestore();
  });
});

const probe = await probeWebGpu();
probe.backend?.dispose();

describe.skipIf(!probe.backend)(`GPU fallbacks${probe.reason ? `: ${probe.reason}` : ''}`, () => {
  it('device lost between factor and solve: the solve and later calls run on the CPU, reported', async () => {
    const { device } = await acquireDevice();
    const events: WebGpuEvent[] = [];
    const backend = await createWebGpuBackend({ device, onEvent: (e) => events.push(e) });
    const f = await backend.factor(request);
    expect(f.method).toBe('webgpu-dense');
    device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const got = await f.solve(rhs);
    expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-12);
    expect(events.map((e) => e.type)).toEqual(['device-lost', 'fallback']);
    const later = await backend.factor(request);
    expect(later.method).toBe('dense');
    expect(backend.stats.fallbacks).toBe(2);
    expect(backend.stats.deviceLost).toMatch(/destroyed/);
    const batch = await backend.factorBatch({ ...request, conductances: Float64Array.from([...request.conductances, ...request.conductances]) });
    const b = await batch.solve({ perSystem: 2, dirichletValues: Float64Array.of(...rhs.dirichletValues, ...rhs.dirichletValues) });
    expect(b.cpuSystems).toBe(2);
    expect(maxAbsDiff(b.voltages.subarray(0, 2 * circuit.nodeCount), want.voltages)).toBeLessThan(1e-12);
  });

  it('tolerance not met by refinement: CPU result, flagged, counted', async () => {
    const events: WebGpuEvent[] = [];
    const backend = await createWebGpuBackend({ refinement: { maxRefinements: 1 }, onEvent: (e) => events.push(e) });
    const grid = grid2d({ rows: 8, cols: 8, seed: 4 });
    const req = { network: grid, conductances: grid.conductances, dirichletNodes: grid.inputNodes, options: { method: 'pcg' as const } };
    const f = await backend.factor(req);
    const got = await f.solve({ count: 1, dirichletValues: grid.inputValues });
    const cpu = factorSync(req).solveSync({ count: 1, dirichletValues: grid.inputValues });
    expect(maxAbsDiff(got.voltages, cpu.voltages)).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fallback', method: 'webgpu-pcg' });
    expect((events[0] as { reason: string }).reason).toMatch(/refinement reached relative residual .* > 1e-10/);
    expect(backend.stats.fallbacks).toBe(1);
    backend.dispose();
  });

  it('invalid requests throw the same SolverError as the CPU backend', async () => {
    const backend = await createWebGpuBackend();
    const bad = { ...request, dirichletNodes: Uint32Array.of(0, 0) };
    await expect(backend.factor(bad)).rejects.toThrow(/listed twice/);
    const f = await backend.factor(request);
    await expect(f.solve({ count: 1, dirichletValues: Float64Array.of(1) })).rejects.toThrow(/dirichletValues has 1 entries/);
    backend.dispose();
  });
});
