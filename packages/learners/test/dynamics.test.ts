import { describe, expect, it } from 'vitest';
import { trainContinuous, trainDiscrete } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, randomCircuit, voltageDivider } from './circuits.js';
import { coercivityEP } from './reference-states.js';

const backend = createDenseBackend();

/** Crossbar: inputs 0 (1 V), 1 (0.5 V), 2 (ground) each wired to the output 3. */
function crossbar(k: number[], target: number) {
  return makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k, inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [target] });
}

/** Largest per-interval decay rate bound: min over intervals of -log(L_{i+1}/L_i) / dt. */
function minRate(time: number[], loss: number[]): number {
  let c = Number.POSITIVE_INFINITY;
  // stop at the float64 floor (~1e-20), where the loss is round-off
  for (let i = 0; i + 1 < loss.length && loss[i + 1]! > 1e-18; i++) c = Math.min(c, -Math.log(loss[i + 1]! / loss[i]!) / (time[i + 1]! - time[i]!));
  return c;
}

/**
 * Paper 2, Theorem 4.4 and Remark 4.5, for one output wired to inputs at voltages v_i: with
 * K = sum of active conductances, dL/dt = -2 L sum_i (v_i - y)^2 / K (CL) and / K^2 (EP). While
 * y > t the edge to the lowest input v_min grows, so sum_i (v_i - y)^2 >= (t - v_min)^2, and
 * K <= sqrt(m sum k^2) with sum k^2 conserved: L(t) <= L(0) exp(-c t) with
 * c_CL = 2 (t - v_min)^2 / sqrt(m M), c_EP = 2 (t - v_min)^2 / (m M).
 */
function theoremRate(rule: 'cl' | 'ep', k: number[], target: number, vMin: number): number {
  const M = k.reduce((a, b) => a + b * b, 0);
  const m = k.length;
  return (2 * (target - vMin) ** 2) / (rule === 'cl' ? Math.sqrt(m * M) : m * M);
}

/**
 * Independent reference: RK4 (step 1e-3) on the crossbar flow dk_i/dt = -(v_i - y) r (CL) or
 * -(v_i - y) r / K (EP), y = sum k_i v_i / K, r = y - t; the time edge 0 reaches 0 (interpolated).
 */
function crossbarRemovalTime(rule: 'cl' | 'ep', k0: number[], v: number[], target: number): number {
  const rhs = (k: number[]) => {
    const K = k.reduce((a, b) => a + b, 0);
    const y = k.reduce((a, ki, i) => a + ki * v[i]!, 0) / K;
    return k.map((_, i) => (-(v[i]! - y) * (y - target)) / (rule === 'cl' ? 1 : K));
  };
  let k = k0.slice();
  let time = 0;
  const dt = 1e-3;
  for (;;) {
    const a = rhs(k);
    const b = rhs(k.map((x, i) => x + (dt / 2) * a[i]!));
    const c = rhs(k.map((x, i) => x + (dt / 2) * b[i]!));
    const d = rhs(k.map((x, i) => x + dt * c[i]!));
    const next = k.map((x, i) => x + (dt / 6) * (a[i]! + 2 * b[i]! + 2 * c[i]! + d[i]!));
    if (next[0]! <= 0) return time + (dt * k[0]!) / (k[0]! - next[0]!);
    k = next;
    time += dt;
  }
}

describe('crossbar: exponential loss decay (paper 2, Theorem 4.4)', () => {
  it.each<'cl' | 'ep'>(['cl', 'ep'])('%s: L(t) <= L(0) exp(-c t) with the theorem\'s c, and the loss vanishes', async (rule) => {
    const k = [1, 0.7, 0.4];
    const res = await trainContinuous(backend, crossbar(k, 0.25), { rule, nudge: 'zero', duration: 60, record: 13 });
    expect(res.events).toEqual([]);
    const { time, loss } = res.history;
    const c = theoremRate(rule, k, 0.25, 0);
    time!.forEach((t, i) => expect(loss[i]!).toBeLessThanOrEqual(loss[0]! * Math.exp(-c * t) * (1 + 1e-9)));
    expect(loss.at(-1)!).toBeLessThan(1e-8 * loss[0]!);
    expect(minRate(time!, loss)).toBeGreaterThan(0.1);
  });

  it.each<'cl' | 'ep'>(['cl', 'ep'])('%s: still exponential after an edge is removed', async (rule) => {
    // y^f ~ 0.27 > t = 0.1: the weak 1 V edge shrinks to zero and is removed
    const k = [0.05, 1, 1];
    const res = await trainContinuous(backend, crossbar(k, 0.1), { rule, nudge: 'zero', duration: 200, record: 41 });
    expect(res.removedEdges).toEqual([0]);
    const ev = res.events[0]!;
    expect(ev.kind).toBe('removed');
    expect(ev.time!).toBeGreaterThan(0);
    const { time, loss, mass, conductances } = res.history;
    // the edge really left: positive before the event, exactly 0 at every record after it
    time!.forEach((t, i) => {
      if (t < ev.time!) expect(conductances![i]![0]!).toBeGreaterThan(0);
      else expect(conductances![i]![0]).toBe(0);
    });
    expect(time!.filter((t) => t > ev.time!).length).toBeGreaterThan(5);
    expect(Math.abs(ev.time! - crossbarRemovalTime(rule, k, [1, 0.5, 0], 0.1)) / ev.time!).toBeLessThan(1e-6);
    const c = theoremRate(rule, k, 0.1, 0);
    time!.forEach((t, i) => expect(loss[i]!).toBeLessThanOrEqual(loss[0]! * Math.exp(-c * t) * (1 + 1e-9)));
    expect(loss.at(-1)!).toBeLessThan(1e-8 * loss[0]!);
    const after = time!.findIndex((t) => t > ev.time!);
    expect(minRate(time!.slice(after), loss.slice(after))).toBeGreaterThan(0.05);
    // removal happens at k = 0 exactly, so the mass is still conserved
    expect(Math.abs(mass.at(-1)! - mass[0]!) / mass[0]!).toBeLessThan(1e-8);
    expect(res.final.conductances[0]).toBe(0);
  });
});

describe('voltage divider with incommensurate samples (paper 2, sec. 4.2, eq. 4.12)', () => {
  // output/input ratios 0.3 and 0.5 cannot both be met
  const divider = voltageDivider(1, 1, [{ v: 1, t: 0.3 }, { v: 2, t: 1 }]);
  const run = (nudge: 'finite' | 'symmetric' | 'zero', eta: number) =>
    trainContinuous(backend, divider, { rule: 'cl', nudge, eta, duration: 2, record: 5, rtol: 1e-11, atol: 1e-14 });
  it('mass decreases for eta > 0 and increases for eta < 0', async () => {
    for (const eta of [0.2, -0.2]) {
      const m = (await run('finite', eta)).history.mass;
      for (let i = 0; i + 1 < m.length; i++) expect(Math.sign(m[i + 1]! - m[i]!)).toBe(-Math.sign(eta));
      expect(Math.abs(m.at(-1)! - m[0]!) / m[0]!).toBeGreaterThan(1e-3);
    }
  });
  it('mass stays fixed for eta = 0 and for symmetric clamping', async () => {
    for (const res of [await run('zero', 0), await run('symmetric', 0.2)]) {
      const m = res.history.mass;
      expect(Math.max(...m.map((x) => Math.abs(x - m[0]!))) / m[0]!).toBeLessThan(1e-9);
      expect(Math.abs(res.history.conductances!.at(-1)![0]! - 1)).toBeGreaterThan(1e-3);
    }
  });
});

describe('discrete EP (paper 1, Theorem 8.1)', () => {
  it('reaches the loss tolerance geometrically, at the per-step ratio (1 - alpha c_EP)^2 set by coercivity', async () => {
    // two outputs, one sample: the residual aligns with the slowest mode of M^T M, so the
    // ratio L_{n+1}/L_n tends to (1 - alpha sigma_min(M)^2)^2 = (1 - alpha c_EP)^2 (linearisation)
    const c = randomCircuit(10, 8, 2, 1, 3);
    const alpha = 2;
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha, steps: 4000, lossTolerance: 1e-14, recordEvery: 1 });
    expect(res.stop.reason).toBe('loss-tolerance');
    const L = res.history.loss;
    const K = res.history.conductances!;
    expect(L.at(-1)!).toBeLessThanOrEqual(1e-14);
    const q = L.slice(1).map((l, i) => l / L[i]!);
    const qMax = Math.max(...q);
    expect(qMax).toBeLessThan(1);
    L.forEach((l, n) => expect(l).toBeLessThanOrEqual(L[0]! * qMax ** n * (1 + 1e-9)));
    for (let n = 0; n < q.length; n += 25) {
      const [cEP] = await coercivityEP(backend, c, K[n]!);
      // the theorem's descent bound L_{n+1} <= (1 - alpha c_EP) L_n (alpha small: alpha c_EP << 1)
      expect(q[n]!).toBeLessThanOrEqual(1 - alpha * cEP!);
      if (L[n]! < 1e-9) expect(Math.abs(q[n]! - (1 - alpha * cEP!) ** 2)).toBeLessThan(1e-5);
    }
    expect(q.length).toBeGreaterThan(100);
  });
});
