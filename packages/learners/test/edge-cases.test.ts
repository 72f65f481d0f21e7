import { describe, expect, it } from 'vitest';
import {
  LearnerConfigError,
  computeStates,
  openStateSolver,
  parseExperimentConfig,
  runExperiment,
  sampleBatch,
  trainContinuous,
  trainDiscrete,
} from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, randomCircuit, voltageDivider } from './circuits.js';

const backend = createDenseBackend();
const circuit = voltageDivider(1, 2, [{ v: 1, t: 0.5 }]);

/** Expects `f` to throw a LearnerConfigError whose `field` is `field`. */
async function expectField(f: () => unknown, field: string): Promise<void> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(LearnerConfigError);
    expect((e as LearnerConfigError).field).toBe(field);
    expect((e as Error).message.startsWith(`${field}: `)).toBe(true);
    return;
  }
  throw new Error(`expected a LearnerConfigError for ${field}`);
}

describe('bad experiment fields name the field', () => {
  const base = { circuit, rule: 'ep', nudge: 'zero', time: 'discrete', alpha: 0.1, steps: 3 };
  it.each<[string, Record<string, unknown>]>([
    ['rule', { rule: 'bp' }],
    ['nudge', { nudge: 'half' }],
    ['time', { time: 'weekly' }],
    ['eta', { nudge: 'finite' }],
    ['eta', { nudge: 'finite', eta: 0 }],
    ['eta', { nudge: 'symmetric', eta: Number.NaN }],
    ['alpha', { alpha: -1 }],
    ['alpha', { alpha: Number.POSITIVE_INFINITY }],
    ['alpha', { alpha: undefined }],
    ['steps', { steps: 2.5 }],
    ['duration', { duration: 3 }],
    ['duration', { time: 'continuous', steps: undefined }],
    ['steps', { time: 'continuous', duration: 1 }],
    ['record', { record: 1 }],
    ['parametrisation', { parametrisation: 'ohms' }],
    ['parametrisation[1]', { parametrisation: ['log', 'ohms'] }],
    ['boundary', { boundary: 'bounce' }],
    ['seed', { seed: 0.5 }],
    ['batchSize', { batchSize: 0 }],
    ['floor', { floor: 0 }],
    ['lossTolerance', { lossTolerance: -1 }],
    ['stagnation', { stagnation: { window: 0, tolerance: 0.1 } }],
    ['stepz', { stepz: 3 }],
    ['circuit', { circuit: 42 }],
  ])('%s', async (field, patch) => {
    await expectField(() => parseExperimentConfig({ ...base, ...patch }), field);
  });

  it('a path circuit must be resolved before runExperiment', async () => {
    const cfg = parseExperimentConfig({ ...base, circuit: 'c.json' });
    expect(cfg.circuit).toBe('c.json');
    await expectField(() => runExperiment(cfg, { backend }), 'circuit');
  });
});

describe('non-finite values anywhere give a clear error, never a NaN', () => {
  it('conductances: NaN, infinite, negative, wrong length', async () => {
    for (const [k, field] of [
      [[Number.NaN, 1], 'conductances[0]'],
      [[1, Number.POSITIVE_INFINITY], 'conductances[1]'],
      [[1, -1], 'conductances[1]'],
      [[1], 'conductances'],
    ] as const) {
      await expectField(() => openStateSolver(backend, circuit, { conductances: Float64Array.from(k) }), field);
    }
    const bad = { ...circuit, conductances: Float64Array.from([1, Number.NaN]) };
    await expectField(() => trainDiscrete(backend, bad, { rule: 'ep', nudge: 'zero', alpha: 0.1, steps: 1 }), 'conductances[1]');
  });

  it('inputs and targets: NaN in a sample or in the single pair', async () => {
    const c = voltageDivider(1, 1, [{ v: 1, t: 0.5 }, { v: Number.NaN, t: 0.2 }]);
    await expectField(() => sampleBatch(c), 'samples[1].inputs[0]');
    const single = { ...circuit, samples: [], targets: Float64Array.from([Number.POSITIVE_INFINITY]) };
    await expectField(() => computeStates(backend, single, { rule: 'cl', nudge: 'zero' }), 'targets[0]');
  });

  it('trainer options: eta, alpha, steps, tolerances, integrator settings', async () => {
    const c = circuit;
    await expectField(() => trainDiscrete(backend, c, { rule: 'ep', nudge: 'finite', eta: Number.NaN, alpha: 0.1, steps: 1 }), 'eta');
    await expectField(() => trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: Number.NaN, steps: 1 }), 'alpha');
    await expectField(() => trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: 0.1, steps: -1 }), 'steps');
    await expectField(() => trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: 0.1, steps: 1, lossTolerance: Number.NaN }), 'lossTolerance');
    await expectField(() => trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: 0.1, steps: 1, stagnation: { window: 2, tolerance: -1 } }), 'stagnation.tolerance');
    await expectField(() => trainContinuous(backend, c, { rule: 'ep', nudge: 'zero', duration: Number.NaN }), 'duration');
    await expectField(() => trainContinuous(backend, c, { rule: 'ep', nudge: 'zero', duration: 1, rtol: 0 }), 'rtol');
    await expectField(() => trainContinuous(backend, c, { rule: 'ep', nudge: 'zero', duration: 1, maxSteps: 0 }), 'maxSteps');
    await expectField(() => computeStates(backend, c, { rule: 'ep', nudge: 'zero', strategy: 'fast' as 'auto' }), 'strategy');
  });
});

describe('alpha so large that conductances blow up', () => {
  const c = randomCircuit(8, 6, 2, 3, 5);
  it.each<['conductance' | 'log', number]>([['conductance', 1e305], ['log', 1e6]])(
    '%s parametrisation, alpha %s: stops with reason non-finite at the last finite parameters',
    async (parametrisation, alpha) => {
      const res = await trainDiscrete(backend, c, { rule: 'cl', nudge: 'zero', alpha, steps: 5, parametrisation, recordEvery: 1 });
      expect(res.stop.reason).toBe('non-finite');
      expect(res.stop.message).toMatch(/alpha = .* is too large/);
      expect(res.events.at(-1)!.kind).toBe('stopped');
      expect(res.final.parameters.every(Number.isFinite)).toBe(true);
      expect(res.final.conductances.every(Number.isFinite)).toBe(true);
      for (const series of [res.history.loss, res.history.weightedLoss, res.history.adjointLoss, res.history.mass]) {
        expect(series.every(Number.isFinite)).toBe(true);
      }
      expect(Number.isFinite(res.final.loss)).toBe(true);
      // and the JSON of the CLI carries no nulls where numbers belong
      const out = await runExperiment(
        parseExperimentConfig({ circuit: c, rule: 'cl', nudge: 'zero', time: 'discrete', alpha, steps: 5, parametrisation }),
        { backend },
      );
      expect(out.stop.reason).toBe('non-finite');
      expect(JSON.stringify(out)).not.toMatch(/null/);
    },
  );

  it('a circuit that is fine but would need a huge step keeps going when alpha is moderate', async () => {
    const ok = await trainDiscrete(backend, makeCircuit({ n: 3, edges: [[0, 1], [1, 2]], k: [1, 1], inputs: [0, 2], u: [1, 0], outputs: [1], t: [0.3] }), {
      rule: 'cl', nudge: 'zero', alpha: 0.5, steps: 20,
    });
    expect(ok.stop.reason).toBe('budget');
  });
});
