import { erdosRenyi, grid2d } from '@ohmlab/graph';
import { createCpuBackend, factorSync } from '@ohmlab/linalg-cpu';
import { sampleBatch, trainDiscrete } from '@ohmlab/learners';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { acquireDevice } from '../src/device/acquire-device.js';
import { createWebGpuBackend, requestWebGpuBackend, WebGpuUnavailableError, type WebGpuEvent } from '../src/index.js';
import { maxAbsDiff, releaseShared, sharedWebGpu } from './helpers.js';

const circuit = erdosRenyi({ nodes: 40, meanDegree: 4, seed: 21 });
const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes };
const rhs = { count: 2, dirichletValues: Float64Array.of(1, 0, 0.3, -0.7) };
const want = factorSync(request).solveSync(rhs);
const cpu = createCpuBackend();

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

const probe = await sharedWebGpu();
afterAll(() => releaseShared());

/** A backend on its own device (the caller may destroy it) with its events. */
async function ownDevice(options: { watchdogMs?: number } = {}) {
  const { device } = await acquireDevice();
  const events: WebGpuEvent[] = [];
  const backend = await createWebGpuBackend({ device, onEvent: (e) => events.push(e), ...options });
  return { device, backend, events };
}

/** Waits until the device-lost promise has been seen (bounded). */
async function untilLost(stats: { deviceLost: string | undefined }): Promise<void> {
  for (let i = 0; i < 200 && stats.deviceLost === undefined; i++) await new Promise((r) => setTimeout(r, 10));
}

describe.skipIf(!probe.backend)(`GPU fallbacks${probe.reason ? `: ${probe.reason}` : ''}`, () => {
  it('device lost between factor and solve: the solve and later calls run on the CPU, reported', async () => {
    const { device, backend, events } = await ownDevice();
    const f = await backend.factor(request);
    expect(f.method).toBe('webgpu-dense');
    device.destroy();
    await untilLost(backend.stats);
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

  it('device lost mid-run of a learners training: the run finishes on the CPU, same result, event reported', async () => {
    const { device, backend, events } = await ownDevice();
    const c = erdosRenyi({ nodes: 20, meanDegree: 4, seed: 4, outputs: 2 });
    const run = { rule: 'cl' as const, nudge: 'zero' as const, alpha: 0.5, steps: 6, recordEvery: 1 };
    const got = await trainDiscrete(backend, c, { ...run, onProgress: (p) => p.step === 2 && device.destroy() });
    const wantRun = await trainDiscrete(cpu, c, run);
    expect(got.stop.reason).toBe('budget');
    expect(maxAbsDiff(got.final.conductances, wantRun.final.conductances) / Math.max(...wantRun.final.conductances)).toBeLessThan(1e-8);
    expect(events.some((e) => e.type === 'device-lost')).toBe(true);
    expect(backend.stats.fallbacks).toBeGreaterThan(0);
  });

  it('a GPU promise that never settles: the watchdog marks the device lost and the solve runs on the CPU', async () => {
    const { device, backend, events } = await ownDevice({ watchdogMs: 400 });
    const f = await backend.factor(request);
    // From now on every readback buffer's mapAsync hangs forever (a lost Dawn callback).
    const create = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      const buffer = create(descriptor);
      if (descriptor.usage & 0x1) buffer.mapAsync = () => new Promise<undefined>(() => {});
      return buffer;
    };
    const t0 = performance.now();
    const got = await f.solve(rhs);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(350);
    expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-12);
    expect(events[0]).toMatchObject({ type: 'device-lost' });
    expect((events[0] as { message: string }).message).toMatch(/mapAsync.*watchdog/);
    expect(events[1]).toMatchObject({ type: 'fallback', method: 'webgpu-dense' });
    expect((await backend.factor(request)).method).toBe('dense');
    device.destroy();
  });

  it('tolerance not met by refinement: CPU result, flagged, counted', async () => {
    const events: WebGpuEvent[] = [];
    const backend = await createWebGpuBackend({ refinement: { maxRefinements: 1 }, onEvent: (e) => events.push(e) });
    const grid = grid2d({ rows: 8, cols: 8, seed: 4 });
    const req = { network: grid, conductances: grid.conductances, dirichletNodes: grid.inputNodes, options: { method: 'pcg' as const } };
    const f = await backend.factor(req);
    const got = await f.solve({ count: 1, dirichletValues: grid.inputValues });
    const cpuResult = factorSync(req).solveSync({ count: 1, dirichletValues: grid.inputValues });
    expect(maxAbsDiff(got.voltages, cpuResult.voltages)).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fallback', method: 'webgpu-pcg' });
    expect((events[0] as { reason: string }).reason).toMatch(/refinement reached relative residual .* > 1e-10/);
    expect(backend.stats.fallbacks).toBe(1);
    await backend.disposeAsync();
  });

  it('invalid requests throw the same SolverError as the CPU backend', async () => {
    const backend = probe.backend!;
    const bad = { ...request, dirichletNodes: Uint32Array.of(0, 0) };
    await expect(backend.factor(bad)).rejects.toThrow(/listed twice/);
    const f = await backend.factor(request);
    await expect(f.solve({ count: 1, dirichletValues: Float64Array.of(1) })).rejects.toThrow(/dirichletValues has 1 entries/);
    await expect(backend.fusedTrainer({ network: circuit, inputNodes: circuit.inputNodes, outputNodes: circuit.outputNodes, conductances: circuit.conductances, samples: sampleBatch(circuit), rule: 'ep', nudge: 'finite', alpha: 0.1 })).rejects.toThrow(/needs a finite nonzero eta/);
  });
});

describe.skipIf(!probe.backend)(`fused trainer fallbacks${probe.reason ? `: ${probe.reason}` : ''}`, () => {
  const samples = [
    { inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.3, 0.6) },
    { inputs: Float64Array.of(0.5, 0), targets: Float64Array.of(0.2, 0.45) },
  ];
  const er = erdosRenyi({ nodes: 16, meanDegree: 4, seed: 8, outputs: 2, samples });
  const base = { network: er, inputNodes: er.inputNodes, outputNodes: er.outputNodes, conductances: er.conductances, samples: sampleBatch(er), rule: 'ep', nudge: 'zero', alpha: 0.3, verifyEvery: 4 } as const;
  const relDiff = (a: Float64Array, b: Float64Array) => maxAbsDiff(a, b) / Math.max(...b);

  it('device lost mid-run: the run continues on the CPU from the last checked conductances, nothing lost', async () => {
    const { device, backend, events } = await ownDevice();
    const trainer = await backend.fusedTrainer(base);
    await trainer.step(6);
    expect(trainer.runsOn).toBe('webgpu');
    device.destroy();
    await trainer.step(9);
    const got = await trainer.read();
    expect(got.runsOn).toBe('cpu');
    expect(got.steps[0]).toBe(15);
    expect(got.loss[0]!.length).toBe(15);
    expect(got.events.filter((e) => e.kind === 'fallback')).toHaveLength(1);
    expect(events.some((e) => e.type === 'fallback' && e.method === 'fused-trainer')).toBe(true);
    const want = await trainDiscrete(cpu, er, { rule: 'ep', nudge: 'zero', alpha: 0.3, steps: 15, recordEvery: 1 });
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-10);
    expect(relDiff(got.loss[0]!, Float64Array.from(want.history.loss.slice(0, 15)))).toBeLessThan(1e-10);
  });

  it('a GPU step that misses its residual target stops the GPU run; the CPU takes over from that step', async () => {
    const trainer = await probe.backend!.fusedTrainer({ ...base, tolerance: 1e-18, maxSweeps: 3 });
    await trainer.step(5);
    const got = await trainer.read();
    expect(got.runsOn).toBe('cpu');
    const fallback = got.events.find((e) => e.kind === 'fallback');
    expect(fallback).toMatchObject({ kind: 'fallback', step: 0 });
    expect((fallback as { reason: string }).reason).toMatch(/missed the relative residual 1e-18/);
    const want = await trainDiscrete(cpu, er, { rule: 'ep', nudge: 'zero', alpha: 0.3, steps: 5, recordEvery: 1 });
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-12);
  });

  it.each([
    ['EP: a removal cuts the outputs off', 10, 'ep'],
    ['AL: a removal cuts an output off (held in AL: no singular GPU factor)', 2, 'al'],
  ] as const)('%s: the host finds it from the removal events and stops where trainDiscrete stops', async (_label, seed, rule) => {
    const c = erdosRenyi({ nodes: 12, meanDegree: 2.5, seed, outputs: 2, samples, conductanceRange: [0.02, 1] });
    const trainer = await probe.backend!.fusedTrainer({ ...base, network: c, inputNodes: c.inputNodes, outputNodes: c.outputNodes, conductances: c.conductances, samples: sampleBatch(c), rule, alpha: 20 });
    await trainer.step(12);
    const got = await trainer.read();
    const want = await trainDiscrete(cpu, c, { rule, nudge: 'zero', alpha: 20, steps: 12, recordEvery: 1 });
    expect(want.stop.reason).toBe('disconnected');
    expect(got.steps[0]).toBe(want.final.step);
    expect(got.events.filter((e) => e.kind === 'removed').map((e) => [(e as { edge: number }).edge, e.step])).toEqual(want.events.filter((e) => e.kind === 'removed').map((e) => [e.edge, e.step]));
    expect(got.events.find((e) => e.kind === 'stopped')?.step).toBe(want.final.step);
    expect((got.events.find((e) => e.kind === 'fallback') as { reason: string }).reason).toMatch(/cut a node off from the inputs/);
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-10);
  });
});
