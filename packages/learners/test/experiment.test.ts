import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCRETE_RECORDS, historyToCsv, parseExperimentConfig, runExperiment } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, randomCircuit, voltageDivider } from './circuits.js';
import { definitionLosses } from './reference-states.js';

const circuit = voltageDivider(1, 2, [{ v: 1, t: 0.5 }]);
const backend = createDenseBackend();

/** Parses the CSV into a header and numeric rows. */
function readCsv(csv: string): { header: string[]; rows: number[][] } {
  const lines = csv.trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

describe('experiment files', () => {
  it('JSON of `ohmlab train --json`: history.step/loss/mass, final.conductances/loss, events', async () => {
    const c = makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k: [0.05, 1, 1], inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [0.1] });
    const out = await runExperiment(parseExperimentConfig({ circuit: c, rule: 'cl', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 40, record: 5 }), { backend });
    const json = JSON.parse(JSON.stringify(out));
    expect(json.history.step).toEqual([0, 10, 20, 30, 40]);
    for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'mass', 'conductances']) expect(json.history[key]).toHaveLength(5);
    expect(json.final.conductances).toHaveLength(3);
    expect(typeof json.final.loss).toBe('number');
    expect(json.events).toEqual([{ kind: 'removed', edge: 0, step: expect.any(Number) }]);
    expect(json.stop.reason).toBe('budget');
    // each record against its definition at the recorded conductances
    for (let i = 0; i < 5; i++) {
      const k = Float64Array.from(json.history.conductances[i]);
      const d = await definitionLosses(backend, c, k);
      expect(json.history.loss[i]).toBeCloseTo(d.L, 14);
      expect(json.history.adjointLoss[i]).toBeCloseTo(d.LAL, 13);
      expect(json.history.mass[i]).toBeCloseTo(k.reduce((a, b) => a + b * b, 0), 13);
      // one output on a star: D = sum of active conductances, weighted loss = D r^2 / 2
      expect(json.history.weightedLoss[i]).toBeCloseTo(k.reduce((a, b) => a + b, 0) * d.L, 13);
    }
  });

  it('without `record`, a discrete run records every step up to 200 steps, then 201 evenly spaced points', async () => {
    const short = await runExperiment(parseExperimentConfig({ circuit, rule: 'ep', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 7 }), { backend });
    expect(short.history.step).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const long = await runExperiment(parseExperimentConfig({ circuit, rule: 'ep', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 1000 }), { backend });
    expect(long.history.step).toHaveLength(DEFAULT_DISCRETE_RECORDS);
    expect(long.history.step!.slice(0, 3)).toEqual([0, 5, 10]);
    expect(long.history.step!.at(-1)).toBe(1000);
  });

  it('a continuous run has `time`; the CSV carries every recorded column, row by row', async () => {
    const c = randomCircuit(8, 6, 2, 3, 9);
    const out = await runExperiment(parseExperimentConfig({ circuit: c, rule: 'al', nudge: 'symmetric', eta: 0.2, time: 'continuous', duration: 1, record: 3 }), { backend });
    expect(out.history.time).toEqual([0, 0.5, 1]);
    expect(out.history.step).toBeUndefined();
    const { header, rows } = readCsv(historyToCsv(out.history));
    const m = c.edgeFrom.length;
    expect(header).toEqual(['time', 'loss', 'weightedLoss', 'adjointLoss', 'mass', ...Array.from({ length: m }, (_, j) => `k${j}`)]);
    expect(rows).toHaveLength(3);
    rows.forEach((r, i) => {
      expect(r).toHaveLength(header.length);
      expect(r.slice(0, 5)).toEqual([out.history.time![i], out.history.loss[i], out.history.weightedLoss[i], out.history.adjointLoss[i], out.history.mass[i]]);
      expect(r.slice(5)).toEqual(out.history.conductances![i]);
    });
    // AL does not conserve sum k^2 (d/dt sum k^2 = -4 L_AL < 0)
    expect(out.history.mass[2]!).toBeLessThan(out.history.mass[0]!);
  });

  it('without recorded conductances the CSV has the scalar columns only', async () => {
    const out = await runExperiment(parseExperimentConfig({ circuit, rule: 'ep', nudge: 'zero', time: 'discrete', alpha: 0.5, steps: 4 }), {
      backend,
      recordConductances: false,
    });
    expect(historyToCsv(out.history).split('\n')[0]).toBe('step,loss,weightedLoss,adjointLoss,mass');
    expect(out.final.loss!).toBeLessThan(out.history.loss[0]!);
  });
});
