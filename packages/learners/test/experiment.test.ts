import { describe, expect, it } from 'vitest';
import { LearnerConfigError, historyToCsv, parseExperimentConfig, runExperiment } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { voltageDivider } from './circuits.js';

const circuit = voltageDivider(1, 2, [{ v: 1, t: 0.5 }]);

describe('experiment files', () => {
  it('rejects bad fields with a named error', () => {
    const base = { circuit, rule: 'ep', nudge: 'zero', time: 'discrete', alpha: 0.1, steps: 3 };
    expect(() => parseExperimentConfig({ ...base, rule: 'bp' })).toThrow(/rule: must be one of "ep", "cl", "al"/);
    expect(() => parseExperimentConfig({ ...base, nudge: 'finite' })).toThrow(/eta: is required/);
    expect(() => parseExperimentConfig({ ...base, stepz: 3 })).toThrow(LearnerConfigError);
    expect(() => parseExperimentConfig({ ...base, steps: undefined })).toThrow(/steps: is required/);
    expect(() => parseExperimentConfig({ ...base, time: 'continuous' })).toThrow(/duration: is required/);
    expect(parseExperimentConfig({ ...base, circuit: 'c.json' }).circuit).toBe('c.json');
  });

  it('runs a discrete and a continuous experiment; CSV has one row per record', async () => {
    const backend = createDenseBackend();
    const d = await runExperiment(parseExperimentConfig({ circuit, rule: 'cl', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 20, record: 5 }), { backend });
    expect(d.history.step).toEqual([0, 5, 10, 15, 20]);
    expect(d.final.loss!).toBeLessThan(d.history.loss[0]!);
    const c = await runExperiment(parseExperimentConfig({ circuit, rule: 'ep', nudge: 'zero', time: 'continuous', duration: 1, record: 3 }), { backend });
    expect(c.history.time).toEqual([0, 0.5, 1]);
    const csv = historyToCsv(c.history).trim().split('\n');
    expect(csv[0]).toBe('time,loss,weightedLoss,adjointLoss,mass,k0,k1');
    expect(csv.length).toBe(4);
    expect(Number(csv[3]!.split(',')[1])).toBeCloseTo(c.history.loss[2]!, 15);
    // mass column = sum k^2 of the recorded conductances
    const k = c.history.conductances![2]!;
    expect(c.history.mass[2]!).toBeCloseTo(k[0]! ** 2 + k[1]! ** 2, 12);
  });
});
