import { describe, expect, it } from 'vitest';
import { trainContinuous, type Parametrisation, type Rule, type Nudge } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { randomCircuit } from './circuits.js';

const backend = createDenseBackend();
const circuit = randomCircuit(8, 6, 2, 3, 11);

function relDrift(mass: number[]): number {
  const m0 = mass[0]!;
  return Math.max(...mass.map((m) => Math.abs(m - m0))) / Math.abs(m0);
}

describe('conservation along continuous training (THEORY.md "Invariants")', () => {
  const cases: [Rule, Nudge, Parametrisation][] = [
    ['ep', 'zero', 'conductance'],
    ['cl', 'zero', 'conductance'],
    ['cl', 'symmetric', 'conductance'],
    ['ep', 'zero', 'resistance'],
    ['cl', 'zero', 'resistance'],
    ['ep', 'zero', 'log'],
    ['cl', 'zero', 'log'],
  ];
  it.each(cases)('%s %s %s conserves its mass to 1e-8 relative', async (rule, nudge, parametrisation) => {
    const res = await trainContinuous(backend, circuit, {
      rule, nudge, eta: 0.3, parametrisation, duration: 3, record: 7, rtol: 1e-11, atol: 1e-14, boundary: 'clip',
    });
    expect(res.stop.reason).toBe('budget');
    expect(res.events.length).toBe(0);
    // the conductances must actually move, or conservation would be trivial
    const k0 = res.history.conductances![0]!;
    const k1 = res.history.conductances!.at(-1)!;
    const moved = Math.max(...k0.map((k, j) => Math.abs(k1[j]! - k) / k));
    expect(moved).toBeGreaterThan(0.05);
    expect(relDrift(res.history.mass)).toBeLessThan(1e-8);
  });

  it('the mass is the right one: sum k^2 is NOT conserved under the log parametrisation', async () => {
    const res = await trainContinuous(backend, circuit, { rule: 'ep', nudge: 'zero', parametrisation: 'log', duration: 3, record: 3 });
    const k0 = res.history.conductances![0]!;
    const k1 = res.history.conductances!.at(-1)!;
    const s = (k: Float64Array) => k.reduce((a, b) => a + b * b, 0);
    expect(Math.abs(s(k1) - s(k0)) / s(k0)).toBeGreaterThan(1e-4);
  });

  it('AL: d/dt sum k^2 = -4 L_AL along the trajectory', async () => {
    const n = 41;
    const res = await trainContinuous(backend, circuit, { rule: 'al', nudge: 'zero', duration: 2, record: n, rtol: 1e-11, atol: 1e-14, boundary: 'clip' });
    expect(res.events.length).toBe(0);
    const { mass, adjointLoss, time } = res.history;
    // Simpson's rule on the recorded adjoint loss: M(T) - M(0) = -4 int L_AL dt
    const h = time![1]! - time![0]!;
    let integral = adjointLoss[0]! + adjointLoss[n - 1]!;
    for (let i = 1; i < n - 1; i++) integral += (i % 2 === 1 ? 4 : 2) * adjointLoss[i]!;
    integral *= h / 3;
    const change = mass[n - 1]! - mass[0]!;
    expect(change).toBeLessThan(0);
    expect(Math.abs(change + 4 * integral) / Math.abs(change)).toBeLessThan(1e-5);
  });
});
