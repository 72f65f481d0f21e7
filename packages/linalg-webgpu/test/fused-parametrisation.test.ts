import type { Circuit } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { computeStates, edgeContrast, sampleBatch, trainDiscrete, type DiscreteTrainerOptions, type Nudge, type Parametrisation, type Rule } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { planFusedTraining } from '../src/fused/fused-request.js';
import { hostStep } from '../src/fused/host-step.js';
import type { FusedTrainerRequest } from '../src/index.js';
import { fusedEr, fusedSparse } from './fused-circuits.js';
import { relDiff, releaseShared, sharedWebGpu } from './helpers.js';

/**
 * The fused training step on resistance (`k = 1/R`), log-conductance (`k = exp(theta)`) and mixed
 * per-edge parameters (README "Fused training step") against `@ohmlab/learners` on the float64
 * CPU backend: one step against `theta - alpha f'(theta) g` with learners' `edgeContrast`, short
 * runs against `trainDiscrete` (conductances, losses, boundary events, the short-circuit stop).
 * Same tolerances as fused-trainer.test.ts: 1e-12 relative per step, 1e-10 after tens of steps.
 */
const gpu = await sharedWebGpu();
const cpu = createCpuBackend();
afterAll(() => releaseShared());

const er = fusedEr;
const sparse = fusedSparse;
/** Conductance, resistance and log edges in turn. */
const mixedOf = (c: Circuit): Parametrisation[] => Array.from(c.edgeFrom, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!);

/** The fused request of a learners run (initial conductances of the circuit, all samples). */
function request(circuit: Circuit, o: Omit<DiscreteTrainerOptions, 'steps'>): FusedTrainerRequest {
  return {
    network: circuit,
    inputNodes: circuit.inputNodes,
    outputNodes: circuit.outputNodes,
    conductances: circuit.conductances,
    samples: sampleBatch(circuit),
    rule: o.rule,
    nudge: o.nudge,
    ...(o.eta !== undefined ? { eta: o.eta } : {}),
    alpha: o.alpha,
    ...(o.parametrisation !== undefined ? { parametrisation: o.parametrisation } : {}),
    ...(o.boundary !== undefined ? { boundary: o.boundary } : {}),
    ...(o.floor !== undefined ? { floor: o.floor } : {}),
    verifyEvery: 4,
  };
}

/** theta of one edge and `dk/dtheta` there, from the definitions (THEORY.md "Invariants"). */
function chain(kind: Parametrisation, k: number): { theta: number; slope: number } {
  if (kind === 'resistance') return { theta: 1 / k, slope: -(k * k) };
  if (kind === 'log') return { theta: Math.log(k), slope: k };
  return { theta: k, slope: 1 };
}

const kindsOf = (c: Circuit, p: Parametrisation | Parametrisation[]): Parametrisation[] => (typeof p === 'string' ? Array.from(c.edgeFrom, () => p) : p);

describe('fused float64 host path (the CPU continuation) and request checks, without a GPU', () => {
  it.each([
    ['mixed, CL zero, clipping', sparse, { rule: 'cl', nudge: 'zero', alpha: 50, parametrisation: mixedOf(sparse), boundary: 'clip', floor: 0.01 }],
    ['log, AL finite', er, { rule: 'al', nudge: 'finite', eta: 0.1, alpha: 0.2, parametrisation: 'log' }],
  ] as [string, Circuit, Omit<DiscreteTrainerOptions, 'steps'>][])('%s: 12 host steps are the steps of trainDiscrete', async (_label, circuit, options) => {
    const plan = planFusedTraining(request(circuit, options));
    const theta = plan.theta.slice();
    const removed = new Uint8Array(plan.m);
    const hits: [number, number][] = [];
    for (let step = 0; step < 12; step++) hits.push(...hostStep(plan, theta, removed, step).hits.map((h): [number, number] => [h.edge, h.step]));
    const want = await trainDiscrete(cpu, circuit, { ...options, steps: 12 });
    expect(hits).toEqual(want.events.map((e) => [e.edge, e.step]));
    expect(relDiff(theta, want.final.parameters)).toBeLessThan(1e-12);
    expect(relDiff(want.final.parameters, plan.theta)).toBeGreaterThan(1e-4);
  });

  it('a resistance crossing 0 without clip throws a short-circuit error and leaves theta as it was', () => {
    const plan = planFusedTraining(request(er, { rule: 'cl', nudge: 'zero', alpha: 1e6, parametrisation: 'resistance' }));
    const theta = plan.theta.slice();
    expect(() => hostStep(plan, theta, new Uint8Array(plan.m), 0)).toThrow(/short circuit/);
    expect(theta).toEqual(plan.theta);
  });

  it('rejects a bad parametrisation, parameters of the wrong length and a resistance below the clip floor', () => {
    const base = request(er, { rule: 'ep', nudge: 'zero', alpha: 0.1 });
    expect(() => planFusedTraining({ ...base, parametrisation: 'ohm' as never })).toThrow(/parametrisation must be "conductance", "resistance" or "log"/);
    expect(() => planFusedTraining({ ...base, parametrisation: ['log', 'resistance'] })).toThrow(/parametrisation has 2 entries; the network has \d+ edges/);
    expect(() => planFusedTraining({ ...base, parameters: Float64Array.of(1) })).toThrow(/parameters has 1 entries/);
    const big = Float64Array.from(er.conductances, () => 100);
    expect(() => planFusedTraining({ ...base, conductances: big, parametrisation: 'resistance', boundary: 'clip', floor: 0.02 })).toThrow(/starts at or below the clip floor/);
    // default floor: 1e-6 max |theta| over all edges, as learners
    const plan = planFusedTraining({ ...base, conductances: big, parametrisation: 'resistance', boundary: 'clip' });
    expect(plan.level).toBeCloseTo(1e-8, 20);
  });
});

describe.skipIf(!gpu.backend)(`fused step on resistances and log-conductances${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  const backend = gpu.backend!;
  const mixed = mixedOf(er);

  it.each([
    ['resistance', 'ep', 'zero'],
    ['log', 'cl', 'finite'],
    ['mixed', 'al', 'symmetric'],
  ] as const)('one %s step (%s/%s) is theta - alpha f\'(theta) g with learners\' edgeContrast', async (name, rule, nudge: Nudge) => {
    const parametrisation = name === 'mixed' ? mixed : name;
    const trainer = await backend.fusedTrainer(request(er, { rule: rule as Rule, nudge, eta: 0.05, alpha: 0.2, parametrisation }));
    await trainer.step(1);
    const got = await trainer.read();
    trainer.dispose();
    expect(got.runsOn).toBe('webgpu');
    const g = edgeContrast(er, await computeStates(cpu, er, { rule, nudge, eta: 0.05 }));
    const kinds = kindsOf(er, parametrisation);
    const before = Float64Array.from(er.conductances, (k, j) => chain(kinds[j]!, k).theta);
    const want = Float64Array.from(er.conductances, (k, j) => before[j]! - 0.2 * chain(kinds[j]!, k).slope * g[j]!);
    expect(relDiff(got.parameters, want)).toBeLessThan(1e-12);
    expect(relDiff(before, want)).toBeGreaterThan(1e-6);
  });

  it.each([
    ['Erdos-Renyi 18 nodes, EP finite, resistances', er, { rule: 'ep', nudge: 'finite', eta: 0.05, alpha: 0.2, steps: 20, parametrisation: 'resistance' }, []],
    ['Erdos-Renyi 18 nodes, CL zero, log-conductances', er, { rule: 'cl', nudge: 'zero', alpha: 0.2, steps: 20, parametrisation: 'log' }, []],
    ['Erdos-Renyi 18 nodes, AL finite, mixed', er, { rule: 'al', nudge: 'finite', eta: 0.1, alpha: 0.2, steps: 20, parametrisation: mixed }, []],
    ['Erdos-Renyi 14 nodes, CL zero, mixed, clipping', sparse, { rule: 'cl', nudge: 'zero', alpha: 50, steps: 12, parametrisation: mixedOf(sparse), boundary: 'clip', floor: 0.01 }, ['clipped']],
  ] as [string, Circuit, DiscreteTrainerOptions, string[]][])('%s: the steps of trainDiscrete', async (_label, circuit, options, kinds) => {
    const trainer = await backend.fusedTrainer(request(circuit, options));
    await trainer.step(options.steps!);
    const got = await trainer.read();
    trainer.dispose();
    const want = await trainDiscrete(cpu, circuit, { ...options, recordEvery: 1 });
    for (const kind of kinds) expect(want.events.map((e) => e.kind)).toContain(kind);
    const hits = got.events.filter((e) => e.kind !== 'fallback');
    expect(hits.map((e) => [e.kind, (e as { edge: number }).edge, e.step])).toEqual(want.events.map((e) => [e.kind, e.edge, e.step]));
    expect(got.runsOn).toBe('webgpu');
    expect(got.steps[0]).toBe(options.steps);
    expect(relDiff(got.parameters, want.final.parameters)).toBeLessThan(1e-10);
    expect(relDiff(got.conductances, want.final.conductances)).toBeLessThan(1e-10);
    // the fused loss is the rule's base loss: L, or L_AL for AL
    expect(relDiff(got.loss[0]!, want.history[options.rule === 'al' ? 'adjointLoss' : 'loss'].slice(0, options.steps))).toBeLessThan(1e-10);
    expect(got.checks.count).toBeGreaterThanOrEqual(3);
    expect(got.checks.update).toBeLessThan(1e-9);
    expect(relDiff(want.final.conductances, circuit.conductances)).toBeGreaterThan(1e-4);
  });

  it('a resistance reaching 0 without clip stops the circuit before that step, where trainDiscrete stops with "boundary"', async () => {
    const options: DiscreteTrainerOptions = { rule: 'cl', nudge: 'zero', alpha: 30, steps: 12, parametrisation: 'resistance' };
    const want = await trainDiscrete(cpu, er, options);
    expect(want.stop.reason).toBe('boundary');
    const stopStep = want.final.step!;
    const before = await trainDiscrete(cpu, er, { ...options, steps: stopStep });
    const trainer = await backend.fusedTrainer(request(er, options));
    await trainer.step(12);
    const got = await trainer.read();
    trainer.dispose();
    expect(got.steps[0]).toBe(stopStep);
    // the GPU saw the hit after its chunk; the float64 host path redid the chunk and stopped there
    expect(got.runsOn).toBe('cpu');
    expect(got.events.find((e) => e.kind === 'fallback')).toMatchObject({ reason: expect.stringMatching(/a resistance reached 0/) });
    expect(got.events.filter((e) => e.kind === 'stopped').map((e) => [e.step, (e as { message: string }).message])).toEqual([[stopStep, expect.stringMatching(/short circuit/)]]);
    expect(relDiff(got.parameters, before.final.parameters)).toBeLessThan(1e-10);
  });
});
