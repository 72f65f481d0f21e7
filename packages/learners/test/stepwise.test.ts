import { describe, expect, it } from 'vitest';
import { createDiscreteTrainer, trainDiscrete, type TrainingHistory, type TrainingResult } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { hangingOutput, randomCircuit, voltageDivider } from './circuits.js';
import type { Scenario } from './training-scenario.js';

/**
 * `createDiscreteTrainer` advanced chunk by chunk must give exactly the run of one `trainDiscrete`
 * call (steps, events, stop reason, values to 1e-12), whatever the chunk sizes: across removals,
 * reflections, clips, log-conductances, mini-batches (the shuffle continues across chunks),
 * a disconnection stop, the `restrict` policy, and a loss-tolerance stop.
 */
const backend = createDenseBackend();

const hang = hangingOutput([{ u: 1, t: [0.3, 0.6] }, { u: 0.8, t: [0.2, 0.5] }, { u: 1.2, t: [0.5, 0.75] }]);
const random = randomCircuit(10, 6, 2, 6, 3);


const scenarios: Scenario[] = [
  { name: 'AL, removals', circuit: random, options: { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 3, steps: 40, recordEvery: 1 }, kinds: ['removed'], stop: 'budget' },
  { name: 'AL, mini-batches of 4 of 6, record every 3', circuit: random, options: { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 3, steps: 40, batchSize: 4, seed: 7, recordEvery: 3 }, kinds: ['removed'], stop: 'budget' },
  { name: 'EP, reflecting', circuit: voltageDivider(1, 0.3, [{ v: 1, t: 0.95 }]), options: { rule: 'ep', nudge: 'finite', eta: 0.1, alpha: 4, steps: 20, boundary: 'reflect', recordEvery: 1 }, kinds: ['reflected'], stop: 'budget' },
  { name: 'EP, clipping', circuit: voltageDivider(1, 0.3, [{ v: 1, t: 0.95 }]), options: { rule: 'ep', nudge: 'finite', eta: 0.1, alpha: 4, steps: 20, boundary: 'clip', floor: 1e-3, recordEvery: 2 }, kinds: ['clipped'], stop: 'budget' },
  { name: 'CL, log-conductances, mini-batches', circuit: random, options: { rule: 'cl', nudge: 'finite', eta: 0.1, alpha: 2, steps: 25, parametrisation: 'log', batchSize: 4, seed: 2, recordEvery: 1 }, kinds: [], stop: 'budget' },
  { name: 'EP, disconnection stop', circuit: random, options: { rule: 'ep', nudge: 'finite', eta: 2, alpha: 2, steps: 60, recordEvery: 1 }, kinds: ['removed', 'stopped'], stop: 'disconnected' },
  { name: 'EP, restrict: an output cut, training goes on', circuit: hang, options: { rule: 'ep', nudge: 'finite', eta: 1, alpha: 0.5, steps: 30, onDisconnect: 'restrict', recordEvery: 1 }, kinds: ['removed', 'output-cut'], stop: 'budget' },
  { name: 'CL, restrict until no output is left, mini-batches', circuit: randomCircuit(9, 4, 3, 5, 11), options: { rule: 'cl', nudge: 'finite', eta: 1, alpha: 2, steps: 80, onDisconnect: 'restrict', batchSize: 2, seed: 3, recordEvery: 1 }, kinds: ['removed', 'output-cut', 'stopped'], stop: 'disconnected' },
  { name: 'EP, loss tolerance, record every 4', circuit: random, options: { rule: 'ep', nudge: 'zero', alpha: 5, steps: 200, lossTolerance: 0.0379, recordEvery: 4 }, kinds: [], stop: 'loss-tolerance' },
];

function expectSameHistory(a: TrainingHistory, b: TrainingHistory): void {
  expect(a.step).toEqual(b.step);
  for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'mass'] as const) {
    a[key].forEach((v, i) => expect(Math.abs(v - b[key][i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    expect(a[key].length).toBe(b[key].length);
  }
  expect(a.conductances!.length).toBe(b.conductances!.length);
  a.conductances!.forEach((k, i) => k.forEach((v, j) => expect(Math.abs(v - b.conductances![i]![j]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)))));
}

function describeEvents(r: { events: readonly { kind: string; edge: number; node?: number; step?: number }[] }): string[] {
  return r.events.map((e) => `${e.kind}:${e.edge}:${e.node ?? ''}@${e.step}`);
}

/** Runs `s` in chunks of `sizes` (cycled); returns the result and the concatenated chunk outputs. */
async function chunked(s: Scenario, sizes: readonly number[]): Promise<{ result: TrainingResult; points: TrainingHistory[]; events: string[] }> {
  const trainer = createDiscreteTrainer(backend, s.circuit, s.options);
  const points: TrainingHistory[] = [];
  const events: string[] = [];
  const first = await trainer.step(0);
  points.push(first.history);
  for (let i = 0; trainer.stop === null; i++) {
    const chunk = await trainer.step(sizes[i % sizes.length]!);
    expect(chunk.step).toBe(trainer.stepCount);
    points.push(chunk.history);
    events.push(...describeEvents(chunk));
  }
  return { result: await trainer.finish(), points, events };
}

function concat(parts: TrainingHistory[]): TrainingHistory {
  const cat = <T>(f: (h: TrainingHistory) => readonly T[]): T[] => parts.flatMap((p) => [...f(p)]);
  return {
    step: cat((h) => h.step!), loss: cat((h) => h.loss), weightedLoss: cat((h) => h.weightedLoss),
    adjointLoss: cat((h) => h.adjointLoss), mass: cat((h) => h.mass), conductances: cat((h) => h.conductances!),
  };
}

describe.each(scenarios)('chunked discrete training = one trainDiscrete call: $name', (s) => {
  it.each([[[1]], [[3]], [[2, 5, 1, 7]], [[1000]]])('chunk sizes %j', async (sizes) => {
    const reference = await trainDiscrete(backend, s.circuit, s.options);
    for (const kind of s.kinds) expect(reference.events.map((e) => e.kind)).toContain(kind);
    expect(reference.stop.reason).toBe(s.stop);
    const run = await chunked(s, sizes);
    expect(run.result.stop).toEqual(reference.stop);
    expect(describeEvents(run.result)).toEqual(describeEvents(reference));
    expect(run.events).toEqual(describeEvents(reference));
    expectSameHistory(run.result.history, reference.history);
    expectSameHistory(concat(run.points), reference.history);
    expect(run.result.final.step).toBe(reference.final.step);
    expect(Array.from(run.result.final.parameters)).toEqual(Array.from(reference.final.parameters));
    expect(Object.is(run.result.final.loss, reference.final.loss)).toBe(true);
    expect(run.result.removedEdges).toEqual(reference.removedEdges);
    expect(run.result.cutOutputs).toEqual(reference.cutOutputs);
  });
});

describe('the step-wise trainer', () => {
  it('snapshot: parameters, resting and removed edges, step count, history so far, stop state', async () => {
    const trainer = createDiscreteTrainer(backend, voltageDivider(1, 0.3, [{ v: 1, t: 0.95 }]), { rule: 'ep', nudge: 'finite', eta: 0.1, alpha: 4, boundary: 'reflect' });
    await trainer.step(1);
    const snap = trainer.snapshot();
    expect(snap.step).toBe(1);
    expect(snap.stop).toBeNull();
    // the strong update drives k1 = 0.3 through 0 in the first step: it rests there
    expect(snap.events.map((e) => e.kind)).toEqual(['reflected']);
    expect(Array.from(snap.resting)).toEqual([0, 1]);
    expect(snap.conductances[1]).toBe(0);
    expect(Array.from(snap.removed)).toEqual([0, 0]);
    expect(snap.history.step).toEqual([0, 1]);
    snap.parameters[0] = 123; // a copy
    expect(trainer.snapshot().parameters[0]).not.toBe(123);
    // without a budget the trainer goes on until the caller finishes it
    await trainer.step(4);
    const result = await trainer.finish();
    expect(result.stop.reason).toBe('budget');
    expect(result.stop.message).toMatch(/stopped by the caller at step 5/);
    expect(result.history.step).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await trainer.step(3)).history.step).toEqual([]);
  });

  it('a second step() while one runs is refused with a clear error', async () => {
    const trainer = createDiscreteTrainer(backend, random, { rule: 'ep', nudge: 'zero', alpha: 0.1 });
    const pending = trainer.step(2);
    await expect(trainer.step(1)).rejects.toThrow(/still running/);
    await pending;
    await expect(trainer.step(-1)).rejects.toThrow(/n: must be an integer >= 0/);
    expect(() => createDiscreteTrainer(backend, random, { rule: 'ep', nudge: 'zero', alpha: 0 })).toThrow(/alpha/);
  });
});
