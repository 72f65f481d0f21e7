import { crossbar, erdosRenyi, voltageDivider, type Circuit } from '@ohmlab/graph';
import { trainDiscrete, type BoundaryRule, type ExperimentConfig, type Parametrisation, type Rule } from '@ohmlab/learners';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { describe, expect, test } from 'vitest';
import { ChunkedTrainer, type ChunkPoint } from './chunked-trainer.js';
import { clipFloor } from './experiment.js';

/**
 * The Lab continues a run chunk by chunk; the result must be the run @ohmlab/learners'
 * `trainDiscrete` gives in one call (the reference here), whatever the chunk sizes, including
 * across edge removals, reflections, clips and a disconnection.
 */
interface Scenario {
  readonly name: string;
  readonly circuit: () => Circuit;
  readonly rule: Rule;
  readonly alpha: number;
  readonly boundary: BoundaryRule;
  readonly parametrisation?: Parametrisation;
  readonly steps: number;
  /** Boundary events the reference run must have (so the scenario tests what it claims). */
  readonly minEvents: number;
}

const er12 = (): Circuit => erdosRenyi({ nodes: 12, meanDegree: 3, seed: 2, outputs: 2 });
const scenarios: Scenario[] = [
  { name: 'ER-12 EP, no event', circuit: er12, rule: 'ep', alpha: 1, boundary: 'remove', steps: 30, minEvents: 0 },
  { name: 'ER-12 AL, two removals', circuit: er12, rule: 'al', alpha: 2, boundary: 'remove', steps: 30, minEvents: 2 },
  { name: 'ER-12 AL, many removals', circuit: er12, rule: 'al', alpha: 10, boundary: 'remove', steps: 20, minEvents: 5 },
  { name: 'divider EP, reflecting', circuit: () => voltageDivider({ conductances: [1, 0.3], targets: [0.95] }), rule: 'ep', alpha: 4, boundary: 'reflect', steps: 20, minEvents: 5 },
  { name: 'divider EP, clipping', circuit: () => voltageDivider({ conductances: [1, 0.3], targets: [0.95] }), rule: 'ep', alpha: 4, boundary: 'clip', steps: 20, minEvents: 5 },
  { name: 'ER-12 CL, log-conductances', circuit: er12, rule: 'cl', alpha: 2, boundary: 'remove', parametrisation: 'log', steps: 25, minEvents: 0 },
  { name: 'crossbar AL, disconnection', circuit: () => crossbar({ inputs: 3, outputs: 2, seed: 1 }), rule: 'al', alpha: 5, boundary: 'remove', steps: 20, minEvents: 4 },
];

function experimentOf(s: Scenario, circuit: Circuit): ExperimentConfig & { circuit: Circuit } {
  const parametrisation = s.parametrisation ?? 'conductance';
  return {
    circuit, rule: s.rule, nudge: 'finite', eta: 0.1, alpha: s.alpha, time: 'discrete', steps: s.steps, parametrisation, boundary: s.boundary, seed: 0,
    ...(s.boundary === 'clip' ? { floor: clipFloor(circuit, parametrisation) } : {}),
  };
}

async function chunked(e: ExperimentConfig & { circuit: Circuit }, sizes: readonly number[]): Promise<{ points: ChunkPoint[]; events: string[]; stop: string }> {
  const trainer = new ChunkedTrainer(createCpuBackend(), e);
  const first = await trainer.start();
  const points = [...first.points];
  const events: string[] = [];
  let stop = '';
  for (let i = 0; trainer.step < (e.steps ?? 0) && stop === ''; i += 1) {
    const outcome = await trainer.advance(Math.min(sizes[i % sizes.length] ?? 1, (e.steps ?? 0) - trainer.step));
    points.push(...outcome.points);
    events.push(...outcome.events.map((ev) => `${ev.kind}@${ev.step}:${ev.edge}`));
    stop = outcome.stopReason.split(':')[0] ?? '';
  }
  return { points, events, stop: stop === '' ? 'budget' : stop };
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

describe.each(scenarios)('chunked training = one trainDiscrete call: $name', (s) => {
  test.each([[[1]], [[3]], [[2, 5, 1, 7]], [[1000]]])('chunk sizes %j', async (sizes) => {
    const circuit = s.circuit();
    const e = experimentOf(s, circuit);
    const reference = await trainDiscrete(createCpuBackend(), circuit, {
      rule: e.rule, nudge: e.nudge, eta: 0.1, alpha: s.alpha, steps: s.steps, recordEvery: 1, boundary: s.boundary, parametrisation: e.parametrisation,
      ...(e.floor !== undefined ? { floor: e.floor } : {}),
    });
    expect(reference.events.length).toBeGreaterThanOrEqual(s.minEvents);
    const run = await chunked(e, sizes);
    expect(run.stop).toBe(reference.stop.reason);
    expect(run.events).toEqual(reference.events.map((ev) => `${ev.kind}@${ev.step}:${ev.edge}`));
    expect(run.points.map((p) => p.step)).toEqual(reference.history.step);
    run.points.forEach((point, i) => {
      expect(relativeError(point.loss, reference.history.loss[i] ?? Number.NaN)).toBeLessThan(1e-9);
      expect(relativeError(point.mass, reference.history.mass[i] ?? Number.NaN)).toBeLessThan(1e-9);
      const k = reference.history.conductances?.[i] ?? new Float64Array();
      point.conductances.forEach((value, j) => expect(Math.abs(value - (k[j] ?? Number.NaN))).toBeLessThan(1e-9 * Math.max(1, Math.abs(value))));
      // The active circuit leaves out exactly the removed edges and carries the conductances.
      expect(point.activeCircuit.edgeFrom.length).toBe(point.removed.length - point.removed.reduce((a, b) => a + b, 0));
      point.activeEdges.forEach((original, j) => expect(point.activeCircuit.conductances[j]).toBe(point.conductances[original]));
    });
  });
});
