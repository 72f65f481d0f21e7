import { erdosRenyi, grid2d } from '@ohmlab/graph';
import type { Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import { openStateSolver, referenceState, sampleBatch, stepStates, trainDiscrete, trainingMetrics } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuInstance } from '../src/device/gpu-instance.js';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuEvent } from '../src/index.js';

/**
 * GPU buffer lifetime (README "Behaviour and lifetime"): a device whose `createBuffer` counts the
 * buffers not yet destroyed. Repeated open / solve / dispose cycles through learners' state solver,
 * and training runs on either path, must return to the same count (a leak would grow it and slow
 * later runs); a factorization disposed while its solve is in flight finishes that solve on the
 * GPU (no CPU fallback) and frees its buffers afterwards.
 */
async function countingDevice(): Promise<{ device?: GPUDevice; live: () => number; reason?: string }> {
  const gpu = await gpuInstance().catch(() => undefined);
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return { live: () => 0, reason: 'no WebGPU adapter (set VK_ICD_FILENAMES to SwiftShader)' };
  const device = await adapter.requestDevice({ requiredLimits: { maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize } });
  let live = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(descriptor);
    live++;
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) live--;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
  return { device, live: () => live };
}

const counted = await countingDevice();
if (counted.reason) console.warn(`lifetime tests skipped: ${counted.reason}`);
const events: WebGpuEvent[] = [];
const backend: WebGpuBackend | undefined = counted.device ? await createWebGpuBackend({ device: counted.device, onEvent: (e) => events.push(e) }) : undefined;
afterAll(async () => {
  await backend?.disposeAsync();
  counted.device?.destroy();
});

const settle = () => new Promise((r) => setTimeout(r, 20));

/** `inner` with a count of live factorizations. */
function countingFactors(inner: SolverBackend): SolverBackend & { live: number } {
  const out = {
    ...inner,
    live: 0,
    async factor(request: Parameters<SolverBackend['factor']>[0]): Promise<Factorization> {
      const f = await inner.factor(request);
      out.live++;
      let done = false;
      return {
        method: f.method,
        nodeCount: f.nodeCount,
        dirichletNodes: f.dirichletNodes,
        solve: (rhs) => f.solve(rhs),
        dispose() {
          if (!done) out.live--;
          done = true;
          f.dispose();
        },
      };
    },
  };
  return out;
}

describe.skipIf(!backend)(`GPU buffer lifetime${counted.reason ? `: ${counted.reason}` : ''}`, () => {
  it.each([
    ['dense', erdosRenyi({ nodes: 30, meanDegree: 4, seed: 1 }), 'dense'],
    ['PCG', grid2d({ rows: 12, cols: 12, seed: 1 }), 'pcg'],
  ] as const)('%s: dispose() during a solve lets it finish on the GPU, then frees the buffers', async (_label, c, method) => {
    await settle();
    const before = counted.live();
    events.length = 0;
    const f = await backend!.factor({ network: c, conductances: c.conductances, dirichletNodes: c.inputNodes, options: { method } });
    expect(counted.live()).toBeGreaterThan(before);
    const pending = f.solve({ count: 2, dirichletValues: Float64Array.from({ length: 2 * c.inputNodes.length }, (_, i) => i % 3) });
    f.dispose();
    const result = await pending;
    expect(result.maxResidual).toBeLessThanOrEqual(1e-10);
    expect(events).toEqual([]);
    await settle();
    expect(counted.live()).toBe(before);
    await expect(f.solve({ count: 1, dirichletValues: new Float64Array(c.inputNodes.length) })).rejects.toThrow(/disposed/);
  });

  it('60 open / solve / dispose cycles of the state solver return every buffer and factorization', async () => {
    const samples = Array.from({ length: 4 }, (_, s) => ({ inputs: Float64Array.of(1, 0.1 * s), targets: Float64Array.of(0.3 + 0.01 * s, 0.5) }));
    const circuit = erdosRenyi({ nodes: 24, meanDegree: 4, seed: 3, outputs: 2, samples });
    const batch = sampleBatch(circuit);
    const factors = countingFactors(backend!);
    await settle();
    const before = counted.live();
    events.length = 0;
    for (let c = 0; c < 60; c++) {
      const k = circuit.conductances.map((v, j) => v * (1 + 0.3 * Math.sin(c + j)));
      const solver = openStateSolver(factors, circuit, { conductances: k, strategy: c % 2 === 0 ? 'response' : 'direct' });
      const states = await stepStates(solver, batch, { rule: 'cl', nudge: 'zero' });
      await trainingMetrics(solver, batch, states.free);
      await referenceState(solver, batch);
      solver.dispose();
    }
    await settle();
    expect(factors.live).toBe(0);
    expect(counted.live()).toBe(before);
    expect(events).toEqual([]);
  });

  it('training runs on the fused and the generic path return every buffer', async () => {
    const circuit = erdosRenyi({ nodes: 14, meanDegree: 5, seed: 5, outputs: 2, conductanceRange: [0.02, 1] });
    await settle();
    const before = counted.live();
    const fused = await trainDiscrete(backend!, circuit, { rule: 'ep', nudge: 'zero', alpha: 12, steps: 12, recordEvery: 4 });
    const generic = await trainDiscrete(backend!, circuit, { rule: 'ep', nudge: 'zero', alpha: 12, steps: 12, recordEvery: 4, fused: 'never' });
    expect(fused.path?.kind).toBe('fused');
    expect(generic.path?.kind).toBe('generic');
    await settle();
    expect(counted.live()).toBe(before);
  });
});
