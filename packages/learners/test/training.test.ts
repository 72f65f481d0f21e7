import { describe, expect, it } from 'vitest';
import {
  MiniBatchSchedule,
  conductancesFromParameters,
  freeState,
  openStateSolver,
  outputLoss,
  parametersFromConductances,
  parametrisationKinds,
  sampleBatch,
  trainContinuous,
  trainDiscrete,
  type Parametrisation,
} from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, randomCircuit } from './circuits.js';
import { definitionLosses } from './reference-states.js';
import { expectAllClose } from './close.js';

const backend = createDenseBackend();
const circuit = randomCircuit(8, 6, 2, 4, 5);

async function lossAtTheta(kinds: Uint8Array, theta: Float64Array): Promise<number> {
  const solver = openStateSolver(backend, circuit, { conductances: conductancesFromParameters(kinds, theta) });
  const L = outputLoss(await freeState(solver, sampleBatch(circuit)));
  solver.dispose();
  return L;
}

describe('discrete step and parametrisations (chain rule)', () => {
  it.each<Parametrisation>(['conductance', 'resistance', 'log'])('EP zero-nudge step in %s is -alpha dL/dtheta (finite differences)', async (p) => {
    const alpha = 1e-3;
    const res = await trainDiscrete(backend, circuit, { rule: 'ep', nudge: 'zero', alpha, steps: 1, parametrisation: p });
    const kinds = parametrisationKinds(p, circuit.edgeFrom.length);
    const theta0 = parametersFromConductances(kinds, circuit.conductances);
    const step = res.final.parameters.map((t, j) => (t - theta0[j]!) / alpha);
    const grad = new Float64Array(theta0.length);
    for (let j = 0; j < theta0.length; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta0[j]!));
      const tp = theta0.slice();
      const tm = theta0.slice();
      tp[j]! += h;
      tm[j]! -= h;
      grad[j] = -((await lossAtTheta(kinds, tp)) - (await lossAtTheta(kinds, tm))) / (2 * h);
    }
    expectAllClose(step, grad, 1e-5, 1e-9);
  });

  it('mixed per-edge parametrisation: the mixed mass is conserved to second order in alpha', async () => {
    const m = circuit.edgeFrom.length;
    const spec = Array.from({ length: m }, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!);
    const drift = async (alpha: number) => {
      const r = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'zero', alpha, steps: 1, parametrisation: spec });
      return Math.abs(r.history.mass[1]! - r.history.mass[0]!);
    };
    const [d1, d2] = [await drift(1e-2), await drift(5e-3)];
    expect(d1).toBeGreaterThan(0);
    expect(d1 / d2).toBeGreaterThan(3.5); // O(alpha^2): halving alpha quarters the drift
  });
});

describe('mini-batches', () => {
  it('each epoch of the seeded schedule visits every sample exactly once; same seed, same order', () => {
    const a = new MiniBatchSchedule(10, 3, 42);
    const b = new MiniBatchSchedule(10, 3, 42);
    const c = new MiniBatchSchedule(10, 3, 43);
    const seqA: number[] = [];
    const seqC: number[] = [];
    for (let i = 0; i < 3; i++) {
      const x = a.next();
      expect(Array.from(b.next())).toEqual(Array.from(x));
      seqA.push(...x);
      seqC.push(...c.next());
    }
    expect(new Set(seqA).size).toBe(9);
    expect(seqC).not.toEqual(seqA);
  });

  it('a full-size mini-batch equals the full-batch step (mean over samples, paper 2 eq. 4.13)', async () => {
    const full = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'finite', eta: 0.2, alpha: 0.1, steps: 3 });
    const mini = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'finite', eta: 0.2, alpha: 0.1, steps: 3, batchSize: 4, seed: 9 });
    expectAllClose(mini.final.parameters, full.final.parameters, 1e-12, 1e-14);
    const half = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'finite', eta: 0.2, alpha: 0.1, steps: 3, batchSize: 2, seed: 9 });
    expect(Math.max(...half.final.parameters.map((t, j) => Math.abs(t - full.final.parameters[j]!)))).toBeGreaterThan(1e-6);
  });
});

describe('stopping rules', () => {
  const crossbar = makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k: [1, 0.7, 0.4], inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [0.25] });

  it('continuous: loss tolerance stops at an accepted point whose loss (by definition) meets it', async () => {
    const res = await trainContinuous(backend, crossbar, { rule: 'cl', nudge: 'zero', duration: 100, record: 11, lossTolerance: 1e-6 });
    expect(res.stop.reason).toBe('loss-tolerance');
    expect(res.final.time!).toBeLessThan(100);
    const { L } = await definitionLosses(backend, crossbar, res.final.conductances);
    expect(L).toBeLessThanOrEqual(1e-6);
    expect(res.final.loss).toBeCloseTo(L, 15);
    expect(res.history.time!.at(-1)).toBe(res.final.time);
  });

  it('discrete: stagnation stops when the loss falls by less than the fraction over the window', async () => {
    // incommensurate samples: the loss levels off at a positive value
    const c = makeCircuit({ n: 3, edges: [[0, 1], [1, 2]], k: [1, 1], inputs: [0, 2], u: [1, 0], outputs: [1], t: [0.3], samples: [{ inputs: [1, 0], targets: [0.3] }, { inputs: [2, 0], targets: [1] }] });
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 5000, stagnation: { window: 10, tolerance: 1e-6 } });
    expect(res.stop.reason).toBe('stagnation');
    expect(res.final.step!).toBeLessThan(5000);
    expect(res.final.loss).toBeGreaterThan(1e-3);
  });
});
