import type { Circuit } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { trainDiscrete, type DiscreteTrainerOptions, type TrainingResult } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { fusedEr, fusedGrid, fusedSparse } from './fused-circuits.js';
import { relDiff, releaseShared, sharedWebGpu } from './helpers.js';

/**
 * `@ohmlab/learners`' discrete trainer on this backend takes the fused path (`fused: 'auto'`,
 * `SolverBackend.fusedTrainer`): the steps between record points run in the fused GPU trainer,
 * the records are evaluated by learners on this backend. The run must be the float64 CPU
 * backend's own run (generic path): same steps, events, stop reason, record steps, conductances
 * to 1e-10 relative and recorded losses to 1e-8 relative (the records are GPU solves refined to a
 * relative residual of 1e-10, README "Precision"). Options the fused trainer does not cover run on
 * the generic path, and the result says so.
 */
const gpu = await sharedWebGpu();
const cpu = createCpuBackend();
afterAll(() => releaseShared());

const er = fusedEr;
const grid = fusedGrid;
const sparse = fusedSparse;

const describeEvents = (r: TrainingResult) => r.events.map((e) => `${e.kind}:${e.edge}@${e.step}`);

const cases: [string, Circuit, DiscreteTrainerOptions, string[]][] = [
  ['Erdos-Renyi 18 nodes, EP zero', er, { rule: 'ep', nudge: 'zero', alpha: 0.2, steps: 24, recordEvery: 6 }, []],
  ['Erdos-Renyi 18 nodes, CL finite', er, { rule: 'cl', nudge: 'finite', eta: 0.05, alpha: 0.2, steps: 24, recordEvery: 5 }, []],
  ['Erdos-Renyi 18 nodes, AL symmetric', er, { rule: 'al', nudge: 'symmetric', eta: 0.1, alpha: 0.2, steps: 20, recordEvery: 4 }, []],
  ['grid 5 x 5, EP finite', grid, { rule: 'ep', nudge: 'finite', eta: 0.05, alpha: 0.2, steps: 24, recordEvery: 8 }, []],
  ['grid 5 x 5, AL zero', grid, { rule: 'al', nudge: 'zero', alpha: 0.2, steps: 24, recordEvery: 6 }, []],
  ['Erdos-Renyi 14 nodes, EP zero, removals', sparse, { rule: 'ep', nudge: 'zero', alpha: 12, steps: 12, recordEvery: 3 }, ['removed']],
  ['Erdos-Renyi 14 nodes, CL zero, clipping', sparse, { rule: 'cl', nudge: 'zero', alpha: 12, steps: 12, recordEvery: 3, boundary: 'clip', floor: 0.01 }, ['clipped']],
  ['Erdos-Renyi 18 nodes, CL finite, mini-batches of 2', er, { rule: 'cl', nudge: 'finite', eta: 0.05, alpha: 0.2, steps: 16, recordEvery: 5, batchSize: 2, seed: 4 }, []],
  ['Erdos-Renyi 14 nodes, EP zero, mini-batches of 2, log and resistance edges, removals', sparse, { rule: 'ep', nudge: 'zero', alpha: 12, steps: 12, recordEvery: 4, batchSize: 2, seed: 1, parametrisation: Array.from(sparse.edgeFrom, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!) }, ['removed']],
  ['Erdos-Renyi 18 nodes, EP finite, resistances', er, { rule: 'ep', nudge: 'finite', eta: 0.05, alpha: 0.2, steps: 16, recordEvery: 8, parametrisation: 'resistance' }, []],
  ['grid 5 x 5, AL zero, log-conductances', grid, { rule: 'al', nudge: 'zero', alpha: 0.2, steps: 16, recordEvery: 8, parametrisation: 'log' }, []],
  ['Erdos-Renyi 14 nodes, CL zero, mixed per edge, clipping', sparse, { rule: 'cl', nudge: 'zero', alpha: 50, steps: 12, recordEvery: 4, parametrisation: Array.from(sparse.edgeFrom, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!), boundary: 'clip', floor: 0.01 }, ['clipped']],
];

describe.skipIf(!gpu.backend)(`trainDiscrete on WebGPU takes the fused path${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  const backend = gpu.backend!;

  it.each(cases)('%s: the CPU run (generic path), step for step', async (_label, circuit, options, kinds) => {
    const want = await trainDiscrete(cpu, circuit, options);
    const got = await trainDiscrete(backend, circuit, options);
    for (const kind of kinds) expect(describeEvents(want).join(' ')).toContain(kind);
    expect(want.path?.kind).toBe('generic');
    expect(got.path).toMatchObject({ kind: 'fused', runsOn: 'webgpu', fusedSteps: want.final.step, notes: [] });
    expect(got.stop).toEqual(want.stop);
    expect(got.final.step).toBe(want.final.step);
    expect(describeEvents(got)).toEqual(describeEvents(want));
    expect(got.history.step).toEqual(want.history.step);
    expect(relDiff(got.final.conductances, want.final.conductances)).toBeLessThan(1e-10);
    for (let i = 0; i < want.history.conductances!.length; i++) expect(relDiff(got.history.conductances![i]!, want.history.conductances![i]!)).toBeLessThan(1e-10);
    for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'mass'] as const) expect(relDiff(got.history[key], want.history[key])).toBeLessThan(1e-8);
    // the run moved the conductances far beyond the tolerance (the comparison can fail)
    expect(relDiff(want.final.conductances, circuit.conductances)).toBeGreaterThan(1e-4);
  });

  it('fewer GPU dispatches and readbacks: one dispatch per fused step, generic solves only at records', async () => {
    const options: DiscreteTrainerOptions = { rule: 'cl', nudge: 'zero', alpha: 0.2, steps: 24, recordEvery: 12 };
    const count = async (fused: 'never' | 'auto') => {
      const before = { ...backend.stats };
      const result = await trainDiscrete(backend, er, { ...options, fused });
      return { result, dispatches: backend.stats.dispatches - before.dispatches, readbacks: backend.stats.readbacks - before.readbacks };
    };
    const generic = await count('never');
    const fused = await count('auto');
    expect(relDiff(fused.result.final.conductances, generic.result.final.conductances)).toBeLessThan(1e-10);
    // generic: every step factors and solves on the GPU (>= 2 dispatches and readbacks per step)
    expect(generic.dispatches).toBeGreaterThanOrEqual(2 * 25);
    expect(fused.dispatches).toBeGreaterThanOrEqual(24);
    expect(fused.dispatches).toBeLessThan(generic.dispatches / 2);
    expect(fused.readbacks).toBeLessThan(generic.readbacks / 2);
  });

  it('a disconnection stop: same step, same events, same stop reason', async () => {
    const options: DiscreteTrainerOptions = { rule: 'ep', nudge: 'finite', eta: 2, alpha: 6, steps: 60, recordEvery: 5 };
    const want = await trainDiscrete(cpu, sparse, options);
    expect(want.stop.reason).toBe('disconnected');
    const got = await trainDiscrete(backend, sparse, options);
    expect(got.stop.reason).toBe('disconnected');
    expect(got.final.step).toBe(want.final.step);
    expect(describeEvents(got)).toEqual(describeEvents(want));
    expect(relDiff(got.final.conductances, want.final.conductances)).toBeLessThan(1e-10);
    expect(got.path?.kind).toBe('fused');
    expect(got.path?.summary).toMatch(/fused trainer stopped/);
  });

  it('a resistance reaching 0 (boundary stop): same step, same stop, the fused trainer hands the stop to the generic path', async () => {
    const options: DiscreteTrainerOptions = { rule: 'cl', nudge: 'zero', alpha: 30, steps: 12, recordEvery: 3, parametrisation: 'resistance' };
    const want = await trainDiscrete(cpu, er, options);
    expect(want.stop.reason).toBe('boundary');
    const got = await trainDiscrete(backend, er, options);
    expect(got.stop).toEqual(want.stop);
    expect(got.final.step).toBe(want.final.step);
    expect(describeEvents(got)).toEqual(describeEvents(want));
    expect(relDiff(got.final.parameters, want.final.parameters)).toBeLessThan(1e-10);
    expect(got.path?.kind).toBe('fused');
    expect(got.path?.fusedSteps).toBe(want.final.step);
    expect(got.path?.summary).toMatch(/fused trainer stopped/);
  });

  it.each([
    ['onDisconnect restrict', { onDisconnect: 'restrict' }, /onDisconnect "restrict" is set/],
    ['fused: never', { fused: 'never' }, /option fused: "never"/],
  ] as const)('%s: the generic path on the GPU, and the result says why', async (_label, extra, why) => {
    const options: DiscreteTrainerOptions = { rule: 'cl', nudge: 'zero', alpha: 0.2, steps: 6, recordEvery: 3, ...extra };
    const got = await trainDiscrete(backend, er, options);
    const want = await trainDiscrete(cpu, er, options);
    expect(got.path?.kind).toBe('generic');
    expect(got.path?.reason).toMatch(why);
    expect(got.path?.fusedSteps).toBe(0);
    expect(relDiff(got.final.conductances, want.final.conductances)).toBeLessThan(1e-8);
  });
});
