import type { Scenario } from './training-scenario.js';
import { describe, expect, it } from 'vitest';
import { createDiscreteTrainer, LearnerConfigError, parseExperimentConfig, runExperiment, trainDiscrete, type DiscreteTrainerOptions, type TrainingHistory, type TrainingResult } from '../src/index.js';
import { randomCircuit, voltageDivider } from './circuits.js';
import { createDenseBackend } from './dense-backend.js';
import { withFusedDouble, type Faults } from './fused-double.js';

/**
 * The fused path of the discrete trainer (README "Fused path") against the generic path on the
 * same backend: a backend with a `fusedTrainer` (here a float64 double written from the contract of
 * solver.ts) must give the run of `fused: 'never'` (steps, events, stop, history, conductances to
 * 1e-12), with only the record points solved here; uncovered options and failures of the fused
 * trainer go to the generic path and say so.
 */
const dense = createDenseBackend();
const random = randomCircuit(10, 6, 2, 6, 3);
const divider = voltageDivider(1, 0.3, [{ v: 1, t: 0.95 }]);
/** Conductance, resistance and log edges in turn (edges 3 and 9, conductances, are removed in the AL scenario). */
const mixed = Array.from(random.edgeFrom, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!);


const scenarios: Scenario[] = [
  { name: 'EP zero', circuit: random, options: { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 30, recordEvery: 4 }, kinds: [], stop: 'budget' },
  { name: 'CL symmetric', circuit: random, options: { rule: 'cl', nudge: 'symmetric', eta: 0.2, alpha: 1, steps: 25, recordEvery: 5 }, kinds: [], stop: 'budget' },
  { name: 'AL finite, removals', circuit: random, options: { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 3, steps: 40, recordEvery: 3 }, kinds: ['removed'], stop: 'budget' },
  { name: 'EP finite, reflecting', circuit: divider, options: { rule: 'ep', nudge: 'finite', eta: 0.1, alpha: 4, steps: 20, boundary: 'reflect', recordEvery: 3 }, kinds: ['reflected'], stop: 'budget' },
  { name: 'EP finite, clipping', circuit: divider, options: { rule: 'ep', nudge: 'finite', eta: 0.1, alpha: 4, steps: 20, boundary: 'clip', floor: 1e-3, recordEvery: 2 }, kinds: ['clipped'], stop: 'budget' },
  { name: 'EP finite, disconnection stop', circuit: random, options: { rule: 'ep', nudge: 'finite', eta: 2, alpha: 2, steps: 60, recordEvery: 7 }, kinds: ['removed', 'stopped'], stop: 'disconnected' },
  { name: 'EP zero, loss tolerance between records', circuit: random, options: { rule: 'ep', nudge: 'zero', alpha: 5, steps: 200, lossTolerance: 0.0379, recordEvery: 4 }, kinds: [], stop: 'loss-tolerance' },
  { name: 'CL zero, stagnation', circuit: random, options: { rule: 'cl', nudge: 'zero', alpha: 2, steps: 400, stagnation: { window: 10, tolerance: 0.01 }, recordEvery: 8 }, kinds: [], stop: 'stagnation' },
  { name: 'EP zero, resistances', circuit: random, options: { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 30, recordEvery: 4, parametrisation: 'resistance' }, kinds: [], stop: 'budget' },
  { name: 'CL finite, log-conductances', circuit: random, options: { rule: 'cl', nudge: 'finite', eta: 0.2, alpha: 1, steps: 25, recordEvery: 5, parametrisation: 'log' }, kinds: [], stop: 'budget' },
  { name: 'AL finite, mixed per edge, removals', circuit: random, options: { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 5, steps: 40, recordEvery: 3, parametrisation: mixed }, kinds: ['removed'], stop: 'budget' },
  { name: 'CL zero, resistances clipped', circuit: random, options: { rule: 'cl', nudge: 'zero', alpha: 20, steps: 20, recordEvery: 3, parametrisation: 'resistance', boundary: 'clip', floor: 0.05 }, kinds: ['clipped'], stop: 'budget' },
  { name: 'EP zero, mini-batches of 4', circuit: random, options: { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 30, recordEvery: 4, batchSize: 4, seed: 7 }, kinds: [], stop: 'budget' },
  { name: 'AL finite, mini-batches of 2, mixed per edge, removals', circuit: random, options: { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 5, steps: 40, recordEvery: 3, batchSize: 2, seed: 3, parametrisation: mixed }, kinds: ['removed'], stop: 'budget' },
  { name: 'EP finite, mini-batches of 3, disconnection stop', circuit: random, options: { rule: 'ep', nudge: 'finite', eta: 2, alpha: 2, steps: 60, recordEvery: 7, batchSize: 3, seed: 1 }, kinds: ['removed', 'stopped'], stop: 'disconnected' },
  { name: 'CL zero, mini-batches of 5, stagnation', circuit: random, options: { rule: 'cl', nudge: 'zero', alpha: 2, steps: 400, stagnation: { window: 10, tolerance: 0.01 }, recordEvery: 8, batchSize: 5, seed: 2 }, kinds: [], stop: 'stagnation' },
  { name: 'CL zero, a resistance reaches 0 (boundary stop)', circuit: random, options: { rule: 'cl', nudge: 'zero', alpha: 20, steps: 20, recordEvery: 3, parametrisation: 'resistance' }, kinds: ['stopped'], stop: 'boundary' },
];

function close(a: number, b: number): boolean {
  // a === b: the same infinite conductance (a resistance at 0 where a run stopped with `boundary`)
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
}

function expectSameRun(got: TrainingResult, want: TrainingResult): void {
  expect(got.stop).toEqual(want.stop);
  expect(got.events).toEqual(want.events);
  expect(got.removedEdges).toEqual(want.removedEdges);
  expect(got.final.step).toBe(want.final.step);
  const h = (r: TrainingResult): TrainingHistory => r.history;
  expect(h(got).step).toEqual(h(want).step);
  for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'mass'] as const) {
    expect(h(got)[key].length).toBe(h(want)[key].length);
    h(got)[key].forEach((v, i) => expect(close(v, h(want)[key][i]!), `${key}[${i}]: ${v} vs ${h(want)[key][i]}`).toBe(true));
  }
  got.final.conductances.forEach((k, j) => expect(close(k, want.final.conductances[j]!), `k[${j}]`).toBe(true));
  expect(close(got.final.loss, want.final.loss) || (Number.isNaN(got.final.loss) && Number.isNaN(want.final.loss))).toBe(true);
}

describe.each(scenarios)('fused path = generic path: $name', (s) => {
  it('one trainDiscrete call, and chunks of 1, 2-5-1-7 and 1000 steps', async () => {
    const want = await trainDiscrete(dense, s.circuit, { ...s.options, fused: 'never' });
    for (const kind of s.kinds) expect(want.events.map((e) => e.kind)).toContain(kind);
    expect(want.stop.reason).toBe(s.stop);
    expect(want.path?.kind).toBe('generic');
    const backend = withFusedDouble(dense);
    const got = await trainDiscrete(backend, s.circuit, s.options);
    expectSameRun(got, want);
    expect(got.path?.kind).toBe('fused');
    expect(got.path?.fusedSteps).toBeGreaterThan(0);
    // generic solves only at record points (and where a stop was redone), not at every step
    expect(backend.calls.factors).toBeLessThan(want.final.step!);
    for (const sizes of [[1], [2, 5, 1, 7], [1000]]) {
      const trainer = createDiscreteTrainer(withFusedDouble(dense), s.circuit, s.options);
      for (let i = 0; trainer.stop === null; i++) await trainer.step(sizes[i % sizes.length]);
      expectSameRun(await trainer.finish(), want);
    }
  });
});

describe('fused path: which path runs', () => {
  const base: DiscreteTrainerOptions = { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 12, recordEvery: 4 };

  it('a budget run: every step in the fused trainer, one chunk per record interval', async () => {
    const backend = withFusedDouble(dense);
    const got = await trainDiscrete(backend, random, base);
    expect(got.path).toMatchObject({ kind: 'fused', fusedSteps: 12, runsOn: 'test-device', notes: [] });
    expect(got.path?.summary).toBe('fused (test-device): 12 of 12 steps in the fused trainer');
    expect(backend.calls).toMatchObject({ trainers: 1, stepCalls: 3, steps: 12, disposed: 1 });
    // records at 0, 4, 8, 12: one generic factorization each (inputs-only, response strategy)
    expect(got.history.step).toEqual([0, 4, 8, 12]);
    expect(backend.calls.factors).toBe(4);
  });

  it.each([
    ['a backend without fusedTrainer', dense, {}, /backend "dense-test" has no fused trainer/],
    ['onDisconnect restrict', withFusedDouble(dense), { onDisconnect: 'restrict' }, /restrict/],
    ['a record at every step', withFusedDouble(dense), { recordEvery: 1 }, /recordEvery 1/],
    ['fused: never', withFusedDouble(dense), { fused: 'never' }, /option fused: "never"/],
  ] as const)('%s: the generic path, and the result says why', async (_label, backend, extra, why) => {
    const got = await trainDiscrete(backend, random, { ...base, ...extra });
    expect(got.path?.kind).toBe('generic');
    expect(got.path?.reason).toMatch(why);
    expect(got.path?.summary).toMatch(/^generic \(factor \+ solve per step\): /);
    expect(got.path?.fusedSteps).toBe(0);
    if ('calls' in backend) expect(backend.calls.trainers).toBe(0);
  });

  it('fused: require refuses uncovered options and unknown policies at once', () => {
    expect(() => createDiscreteTrainer(withFusedDouble(dense), random, { ...base, onDisconnect: 'restrict', fused: 'require' })).toThrow(LearnerConfigError);
    expect(() => createDiscreteTrainer(dense, random, { ...base, fused: 'require' })).toThrow(/fused: is "require", but backend "dense-test" has no fused trainer/);
    expect(() => createDiscreteTrainer(dense, random, { ...base, fused: 'always' as never })).toThrow(/fused: must be "auto", "never" or "require"/);
    // require with a record at every step is allowed (it is slower, not wrong)
    expect(createDiscreteTrainer(withFusedDouble(dense), random, { ...base, recordEvery: 1, fused: 'require' }).snapshot().path.kind).toBe('fused');
  });
});

describe('fused path: failures hand the run to the generic path, which redoes the chunk', () => {
  const options: DiscreteTrainerOptions = { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 3, steps: 40, recordEvery: 3 };
  let want: TrainingResult;
  it.each([
    ['step() throws at step 10', { failAt: 10 }, /generic from step 9: the fused trainer failed \(device failure/],
    ['a boundary event lost from step 7', { lostEventsFrom: 7 }, /generic from step 6: 1 boundary event\(s\) did not fit .* redoes steps 6\.\.9/],
    ['a NaN loss at step 5', { nanAt: 5 }, /generic from step 3: a loss or parameter is not finite/],
  ] as [string, Faults, RegExp][])('%s', async (_label, faults, note) => {
    want ??= await trainDiscrete(dense, random, { ...options, fused: 'never' });
    const backend = withFusedDouble(dense, faults);
    const got = await trainDiscrete(backend, random, options);
    expectSameRun(got, want);
    expect(got.path?.kind).toBe('fused');
    expect(got.path?.notes.join('\n')).toMatch(note);
    expect(got.path?.fusedSteps).toBeLessThan(40);
    expect(backend.calls.disposed).toBe(1);
  });

  it.each([
    ['step() throws at step 10', { failAt: 10 }],
    ['a boundary event lost from step 7', { lostEventsFrom: 7 }],
  ] as [string, Faults][])('mini-batches, %s: the schedule is rewound, the generic path draws the same batches', async (_label, faults) => {
    const batched: DiscreteTrainerOptions = { ...options, batchSize: 4, seed: 5 };
    const wantBatched = await trainDiscrete(dense, random, { ...batched, fused: 'never' });
    const got = await trainDiscrete(withFusedDouble(dense, faults), random, batched);
    expectSameRun(got, wantBatched);
    expect(got.path?.notes.join('\n')).toMatch(/generic from step/);
    // a different seed gives a different run (the comparison sees the batches)
    const other = await trainDiscrete(dense, random, { ...batched, seed: 6, fused: 'never' });
    expect(other.final.conductances).not.toEqual(wantBatched.final.conductances);
  });

  it('a fallback inside the fused trainer is reported, and the run goes on there', async () => {
    want ??= await trainDiscrete(dense, random, { ...options, fused: 'never' });
    const got = await trainDiscrete(withFusedDouble(dense, { fallbackAt: 8 }), random, options);
    expectSameRun(got, want);
    expect(got.path).toMatchObject({ kind: 'fused', fusedSteps: 40, runsOn: 'cpu' });
    expect(got.path?.notes).toEqual(['moved to the CPU at step 8: device lost (test double)']);
  });

  it('a device that declines at the start: auto goes generic, require keeps the fused trainer', async () => {
    want ??= await trainDiscrete(dense, random, { ...options, fused: 'never' });
    const auto = await trainDiscrete(withFusedDouble(dense, { startOnCpu: true }), random, options);
    expectSameRun(auto, want);
    expect(auto.path).toMatchObject({ kind: 'generic', fusedSteps: 0 });
    expect(auto.path?.reason).toMatch(/runs its fused trainer on the CPU \(no device \(test double\)\)/);
    const required = await trainDiscrete(withFusedDouble(dense, { startOnCpu: true }), random, { ...options, fused: 'require' });
    expectSameRun(required, want);
    expect(required.path).toMatchObject({ kind: 'fused', fusedSteps: 40, runsOn: 'cpu' });
  });

  it('dispose() releases the fused trainer of an abandoned run; later steps are generic', async () => {
    const backend = withFusedDouble(dense);
    const { steps: _budget, ...unbounded } = options;
    const trainer = createDiscreteTrainer(backend, random, { ...unbounded, recordEvery: 3 });
    const running = trainer.step(7);
    expect(() => trainer.dispose()).toThrow(/dispose: called while a step\(\) is still running/);
    await running;
    trainer.dispose();
    expect(backend.calls.disposed).toBe(1);
    await trainer.step(5);
    const done = await trainer.finish();
    expect(done.path?.fusedSteps).toBe(7);
    expect(backend.calls.steps).toBe(7);
    expect(done.final.step).toBe(12);
  });
});

describe('fused path in experiment files', () => {
  const base = { circuit: random, rule: 'cl', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 20, record: 5 };

  it('runExperiment reports the path; "fused" forces it', async () => {
    const auto = await runExperiment(parseExperimentConfig(base), { backend: withFusedDouble(dense) });
    expect(auto.path?.kind).toBe('fused');
    expect(auto.path?.summary).toBe('fused (test-device): 20 of 20 steps in the fused trainer');
    const never = await runExperiment(parseExperimentConfig({ ...base, fused: 'never' }), { backend: withFusedDouble(dense) });
    expect(never.path?.summary).toBe('generic (factor + solve per step): option fused: "never"');
    auto.final.conductances.forEach((k, j) => expect(close(k, never.final.conductances[j]!)).toBe(true));
    await expect(runExperiment(parseExperimentConfig({ ...base, fused: 'require' }), { backend: dense })).rejects.toThrow(/fused: is "require"/);
  });

  it('rejects a bad "fused" value and "fused" on a continuous run, naming the field', () => {
    expect(() => parseExperimentConfig({ ...base, fused: 'yes' })).toThrow(/fused: must be one of "auto", "never", "require"/);
    const { steps: _steps, ...continuous } = base;
    expect(() => parseExperimentConfig({ ...continuous, time: 'continuous', duration: 1, fused: 'auto' })).toThrow(/fused: the fused trainer applies to time "discrete" only/);
  });
});
