import { describe, expect, it } from 'vitest';
import { trainContinuous, trainDiscrete, type Rule } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, randomCircuit, voltageDivider } from './circuits.js';

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

describe('crossbar: exponential loss decay (paper 2, Theorem 4.4)', () => {
  it.each<Rule>(['cl', 'ep'])('%s: loss decays at a rate bounded below', async (rule) => {
    const res = await trainContinuous(backend, crossbar([1, 0.7, 0.4], 0.25), { rule, nudge: 'zero', duration: 60, record: 13 });
    expect(res.events).toEqual([]);
    const { time, loss } = res.history;
    expect(loss.at(-1)!).toBeLessThan(1e-8 * loss[0]!);
    expect(minRate(time!, loss)).toBeGreaterThan(0.1);
  });

  it.each<Rule>(['cl', 'ep'])('%s: still exponential after an edge is removed', async (rule) => {
    // y^f ~ 0.27 > t = 0.1: the weak 1 V edge shrinks to zero and is removed
    const res = await trainContinuous(backend, crossbar([0.05, 1, 1], 0.1), { rule, nudge: 'zero', duration: 200, record: 11 });
    expect(res.removedEdges).toEqual([0]);
    const ev = res.events[0]!;
    expect(ev.kind).toBe('removed');
    expect(ev.time!).toBeGreaterThan(0);
    const { time, loss, mass } = res.history;
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
  it('reaches the loss tolerance geometrically at small alpha', async () => {
    const c = randomCircuit(10, 8, 1, 1, 3);
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', alpha: 0.5, steps: 4000, lossTolerance: 1e-14, recordEvery: 1 });
    expect(res.stop.reason).toBe('loss-tolerance');
    const L = res.history.loss;
    // monotone decrease, and the per-step ratio in the second half stays bounded away from 1
    for (let i = 0; i + 1 < L.length; i++) expect(L[i + 1]!).toBeLessThan(L[i]!);
    const half = Math.floor(L.length / 2);
    const q = Math.max(...L.slice(half, -1).map((l, i) => L[half + i + 1]! / l));
    expect(q).toBeLessThan(0.999);
    expect(L.at(-1)!).toBeLessThanOrEqual(1e-14);
  });
});
