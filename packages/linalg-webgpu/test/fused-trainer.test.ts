import { erdosRenyi, type Circuit } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { computeStates, edgeContrast, sampleBatch, trainDiscrete, type BoundaryRule, type Nudge, type Rule } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type FusedTrainerRequest } from '../src/index.js';
import { fusedEr, fusedGrid, fusedSamples } from './fused-circuits.js';
import { releaseShared, sharedWebGpu } from './helpers.js';

/**
 * The fused training step (README "Fused training step") against `@ohmlab/learners` on the float64
 * CPU backend: one step against `theta - alpha g` with learners' own `edgeContrast`, short runs
 * against `trainDiscrete` (conductances, loss history, boundary events). Documented tolerance:
 * 1e-12 relative per step, 1e-10 relative after tens of steps.
 */
const gpu = await sharedWebGpu();
const cpu = createCpuBackend();
afterAll(() => releaseShared());

const samples = fusedSamples;
const er = fusedEr;
const grid = fusedGrid;

function request(circuit: Circuit, rule: Rule, nudge: Nudge, extra: Partial<FusedTrainerRequest> = {}): FusedTrainerRequest {
  return { network: circuit, inputNodes: circuit.inputNodes, outputNodes: circuit.outputNodes, conductances: circuit.conductances, samples: sampleBatch(circuit), rule, nudge, eta: 0.05, alpha: 0.2, verifyEvery: 4, ...extra };
}

function relDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

describe.skipIf(!gpu.backend)(`fused training step on the GPU${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  const backend = gpu.backend!;
  const steps: [Rule, Nudge][] = [['ep', 'zero'], ['ep', 'finite'], ['cl', 'zero'], ['cl', 'finite'], ['cl', 'symmetric'], ['al', 'zero'], ['al', 'finite']];

  it.each(steps)('one %s/%s step is theta - alpha g with learners\' edgeContrast (float64 CPU)', async (rule, nudge) => {
    const trainer = await backend.fusedTrainer(request(er, rule, nudge));
    await trainer.step(1);
    const got = await trainer.read();
    trainer.dispose();
    expect(got.runsOn).toBe('webgpu');
    const states = await computeStates(cpu, er, { rule, nudge, eta: 0.05 });
    const g = edgeContrast(er, states);
    const want = er.conductances.map((k, j) => k - 0.2 * g[j]!);
    expect(relDiff(got.parameters, want)).toBeLessThan(1e-12);
    // The step moved the conductances by far more than the tolerance (the check can fail).
    expect(relDiff(er.conductances, want)).toBeGreaterThan(1e-6);
  });

  it.each([
    ['Erdos-Renyi 18 nodes, 3 samples, EP zero', er, 'ep', 'zero'],
    ['Erdos-Renyi 18 nodes, 3 samples, CL finite', er, 'cl', 'finite'],
    ['grid 5 x 5, EP finite', grid, 'ep', 'finite'],
    ['grid 5 x 5, CL zero', grid, 'cl', 'zero'],
  ] as const)('%s: 24 steps match trainDiscrete', async (_label, circuit, rule, nudge) => {
    const trainer = await backend.fusedTrainer(request(circuit, rule, nudge));
    await trainer.step(10);
    await trainer.step(14);
    const got = await trainer.read();
    trainer.dispose();
    const want = await trainDiscrete(cpu, circuit, { rule, nudge, eta: 0.05, alpha: 0.2, steps: 24, recordEvery: 1 });
    expect(got.runsOn).toBe('webgpu');
    expect(got.steps[0]).toBe(24);
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-10);
    expect(relDiff(got.loss[0]!, Float64Array.from(want.history.loss.slice(0, 24)))).toBeLessThan(1e-10);
    expect(got.checks.count).toBeGreaterThanOrEqual(6);
    expect(got.checks.residual).toBeLessThan(1e-9);
    expect(got.checks.update).toBeLessThan(1e-9);
  });

  it.each([
    ['one run', {}],
    ['split into runs under a 2 KiB binding limit', { limits: { maxBindingBytes: 2048 } }],
  ] as const)('many circuits of one topology train at once (%s), each as its own trainDiscrete run', async (_label, options) => {
    const m = er.conductances.length;
    const k = Float64Array.from({ length: 3 * m }, (_, i) => er.conductances[i % m]! * (1 + 0.4 * Math.sin(i)));
    const own = 'limits' in options ? await createWebGpuBackend(options) : undefined;
    const trainer = await (own ?? backend).fusedTrainer(request(er, 'ep', 'zero', { conductances: k }));
    await trainer.step(12);
    const got = await trainer.read();
    trainer.dispose();
    await own?.disposeAsync();
    expect(got.runsOn).toBe('webgpu');
    for (let c = 0; c < 3; c++) {
      const circuit = { ...er, conductances: k.slice(c * m, (c + 1) * m) };
      const want = await trainDiscrete(cpu, circuit, { rule: 'ep', nudge: 'zero', alpha: 0.2, steps: 12, recordEvery: 1 });
      expect(relDiff(got.conductances.subarray(c * m, (c + 1) * m), want.final.conductances)).toBeLessThan(1e-10);
    }
  });

  it.each(['remove', 'reflect', 'clip'] as BoundaryRule[])('boundary rule %s: same events and conductances as trainDiscrete', async (boundary) => {
    const circuit = erdosRenyi({ nodes: 14, meanDegree: 5, seed: 5, outputs: 2, samples, conductanceRange: [0.02, 1] });
    const options = { rule: 'ep' as const, nudge: 'zero' as const, alpha: 12, boundary, floor: 0.01 };
    const trainer = await backend.fusedTrainer(request(circuit, 'ep', 'zero', options));
    await trainer.step(8);
    const got = await trainer.read();
    trainer.dispose();
    const want = await trainDiscrete(cpu, circuit, { ...options, steps: 8, recordEvery: 1 });
    const hits = got.events.filter((e) => e.kind !== 'fallback' && e.kind !== 'stopped');
    expect(hits.length).toBeGreaterThan(0);
    expect(got.lostEvents).toBe(0);
    expect(hits.map((e) => [e.kind, (e as { edge: number }).edge, e.step])).toEqual(want.events.map((e) => [e.kind, e.edge, e.step]));
    expect(got.runsOn).toBe('webgpu');
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-10);
  });
});
