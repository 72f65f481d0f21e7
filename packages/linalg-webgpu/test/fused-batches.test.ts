import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { computeStates, edgeContrast, MiniBatchSchedule, sampleBatch, trainDiscrete, type DiscreteTrainerOptions } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { batchPlan, checkBatches, planFusedTraining } from '../src/fused/fused-request.js';
import { hostStep } from '../src/fused/host-step.js';
import type { FusedTrainerRequest } from '../src/index.js';
import { fusedEr } from './fused-circuits.js';
import { relDiff, releaseShared, sharedWebGpu } from './helpers.js';

/**
 * Mini-batches in the fused trainer (README "Fused training step"): the caller names each step's
 * samples (`batchSize`, `step(n, batches)`); the step is learners' step on those samples. Against
 * learners on the float64 CPU backend: one step against `theta - alpha g` with `edgeContrast` of
 * the mini-batch (1e-12), and 24 steps with learners' seeded schedule against `trainDiscrete`
 * with the same `batchSize` and `seed` (1e-10, as the other fused suites).
 */
const gpu = await sharedWebGpu();
const cpu = createCpuBackend();
afterAll(() => releaseShared());

const er = fusedEr;

function request(o: Omit<DiscreteTrainerOptions, 'steps'>, batchSize: number): FusedTrainerRequest {
  const { rule, nudge, eta, alpha } = o;
  return { network: er, inputNodes: er.inputNodes, outputNodes: er.outputNodes, conductances: er.conductances, samples: sampleBatch(er), rule, nudge, ...(eta !== undefined ? { eta } : {}), alpha, batchSize, verifyEvery: 3 };
}

/** The batches learners' seeded schedule gives for `steps` steps (`count x batchSize`). */
function scheduled(batchSize: number, seed: number, steps: number): Uint32Array {
  const schedule = new MiniBatchSchedule(er.samples!.length, batchSize, seed);
  const out = new Uint32Array(steps * batchSize);
  for (let i = 0; i < steps; i++) out.set(schedule.next(), i * batchSize);
  return out;
}

describe('mini-batch requests and the float64 host path, without a GPU', () => {
  it('batchSize in 1..samples; step(n, batches) needs n x batchSize indices in range, and none without batchSize', () => {
    const plan = planFusedTraining(request({ rule: 'ep', nudge: 'zero', alpha: 0.2 }, 2));
    expect(plan.batch).toBe(2);
    expect(() => planFusedTraining(request({ rule: 'ep', nudge: 'zero', alpha: 0.2 }, 4))).toThrow(/batchSize must be an integer in 1\.\.3/);
    expect(() => checkBatches(plan, 2, Uint32Array.of(0, 1, 2))).toThrow(/needs 2 x 2 sample indices, got 3/);
    expect(() => checkBatches(plan, 1, undefined)).toThrow(/got none/);
    expect(() => checkBatches(plan, 1, Uint32Array.of(0, 3))).toThrow(/batches\[1\] is 3, out of range 0\.\.2/);
    expect(() => checkBatches(plan, 2, Uint32Array.of(0, 1, 2, 0))).not.toThrow();
    const { batchSize: _dropped, ...fullBatch } = request({ rule: 'ep', nudge: 'zero', alpha: 0.2 }, 2);
    const full = planFusedTraining(fullBatch);
    expect(() => checkBatches(full, 1, Uint32Array.of(0, 1, 2))).toThrow(/the request has no batchSize/);
  });

  it('24 host steps on the scheduled batches are the steps of trainDiscrete with batchSize and seed', async () => {
    const options = { rule: 'cl', nudge: 'finite', eta: 0.05, alpha: 0.3 } as const;
    const plan = planFusedTraining(request(options, 2));
    const batches = scheduled(2, 9, 24);
    const theta = plan.theta.slice();
    for (let step = 0; step < 24; step++) hostStep(batchPlan(plan, batches.subarray(2 * step, 2 * step + 2)), theta, new Uint8Array(plan.m), step);
    const want = await trainDiscrete(cpu, er, { ...options, steps: 24, batchSize: 2, seed: 9 });
    expect(relDiff(theta, want.final.parameters)).toBeLessThan(1e-12);
    // the batches matter: the full-batch run is elsewhere
    const full = await trainDiscrete(cpu, er, { ...options, steps: 24 });
    expect(relDiff(full.final.parameters, want.final.parameters)).toBeGreaterThan(1e-6);
  });
});

describe.skipIf(!gpu.backend)(`fused mini-batches on the GPU${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  const backend = gpu.backend!;

  it('one step on samples [2, 0] is theta - alpha g with the edgeContrast of those samples', async () => {
    const trainer = await backend.fusedTrainer(request({ rule: 'al', nudge: 'finite', eta: 0.1, alpha: 0.2 }, 2));
    await expect(trainer.step(1)).rejects.toThrow(/batches needs 1 x 2 sample indices/);
    await expect(trainer.step(1, Uint32Array.of(2, 3))).rejects.toThrow(/out of range 0\.\.2/);
    await trainer.step(1, Uint32Array.of(2, 0));
    const got = await trainer.read();
    trainer.dispose();
    expect(got.runsOn).toBe('webgpu');
    const sub = { ...er, samples: [er.samples![2]!, er.samples![0]!] };
    const g = edgeContrast(er, await computeStates(cpu, sub, { rule: 'al', nudge: 'finite', eta: 0.1 }));
    const want = er.conductances.map((k, j) => k - 0.2 * g[j]!);
    expect(relDiff(got.parameters, want)).toBeLessThan(1e-12);
    expect(relDiff(er.conductances, want)).toBeGreaterThan(1e-6);
  });

  it.each([
    ['EP zero, batches of 1', { rule: 'ep', nudge: 'zero', alpha: 0.3 }, 1],
    ['CL symmetric, batches of 2', { rule: 'cl', nudge: 'symmetric', eta: 0.1, alpha: 0.3 }, 2],
  ] as const)('%s: 24 steps with learners\' schedule (chunks 7 + 17) are trainDiscrete with batchSize and seed', async (_label, options, size) => {
    const batches = scheduled(size, 4, 24);
    const trainer = await backend.fusedTrainer(request(options, size));
    await trainer.step(7, batches.subarray(0, 7 * size));
    await trainer.step(17, batches.subarray(7 * size));
    const got = await trainer.read();
    trainer.dispose();
    const want = await trainDiscrete(cpu, er, { ...options, steps: 24, batchSize: size, seed: 4, recordEvery: 1 });
    expect(got.runsOn).toBe('webgpu');
    expect(relDiff(got.parameters, want.final.parameters)).toBeLessThan(1e-10);
    expect(got.checks.count).toBeGreaterThanOrEqual(6);
    expect(got.checks.update).toBeLessThan(1e-9);
    expect(relDiff(want.final.conductances, er.conductances)).toBeGreaterThan(1e-4);
  });
});
