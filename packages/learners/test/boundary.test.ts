import { describe, expect, it } from 'vitest';
import { DisconnectedCircuitError, openStateSolver, trainContinuous, trainDiscrete } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { makeCircuit, voltageDivider } from './circuits.js';

const backend = createDenseBackend();

describe('boundary rules', () => {
  it('opening a solver on a circuit with a floating output throws DisconnectedCircuitError naming it', () => {
    const c = voltageDivider(1, 1, [{ v: 1, t: 0.5 }]);
    try {
      openStateSolver(backend, c, { conductances: Float64Array.from([0, 0]) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DisconnectedCircuitError);
      expect((e as DisconnectedCircuitError).disconnectedOutputs).toEqual([1]);
    }
  });

  it('a component without an input is reported by name (no output involved)', () => {
    // 0: 1 V, 1: ground, 2: output, 3: hidden on the side path 0-3-2
    const c = makeCircuit({ n: 4, edges: [[0, 2], [2, 1], [0, 3], [3, 2]], k: [1, 1, 1, 1], inputs: [0, 1], u: [1, 0], outputs: [2], t: [0.3] });
    try {
      openStateSolver(backend, c, { conductances: Float64Array.from([1, 1, 0, 0]) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DisconnectedCircuitError);
      expect((e as DisconnectedCircuitError).disconnectedOutputs).toEqual([]);
      expect((e as DisconnectedCircuitError).floatingNodes).toEqual([3]);
      expect((e as Error).message).toMatch(/node\(s\) 3 lie in a component without an input/);
    }
  });

  it('discrete removal that isolates a hidden node stops with a report', async () => {
    // a positive finite EP nudge shrinks every edge by (eta/2) dvh^2; the weak side path goes first
    const c = makeCircuit({ n: 4, edges: [[0, 2], [2, 1], [0, 3], [3, 2]], k: [1, 1, 0.05, 0.05], inputs: [0, 1], u: [1, 0], outputs: [2], t: [0.3] });
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'finite', eta: 2, alpha: 2, steps: 30 });
    expect(res.removedEdges.sort()).toEqual([2, 3]);
    expect(res.stop.reason).toBe('disconnected');
    expect(res.stop.message).toMatch(/node\(s\) 3 lie in a component without an input/);
    expect(res.stop.message).not.toMatch(/output node/);
    expect(res.history.loss.every(Number.isFinite)).toBe(true);
  });

  it('continuous removal that disconnects the output: located at the time an independent RK4 gives, then a report', async () => {
    // 0: 1 V, 1: ground, 2: hidden, 3: output hanging on edge 2-3. Finite EP nudge: edge 2-3 carries
    // no free current, so dk/dt = -(eta/2) dvh^2 = -(eta/2) e^2 / k^2: it reaches 0 in finite time
    // with unbounded speed (k^3 falls linearly while e = t - y is nearly constant).
    const eta = 20;
    const t = 0.3;
    const c = makeCircuit({ n: 4, edges: [[0, 2], [2, 1], [2, 3]], k: [1, 1, 0.2], inputs: [0, 1], u: [1, 0], outputs: [3], t: [t] });
    const res = await trainContinuous(backend, c, { rule: 'ep', nudge: 'finite', eta, duration: 1, record: 5 });
    expect(res.stop.reason).toBe('disconnected');
    expect(res.stop.message).toMatch(/output node\(s\) 3 have no path to an input/);
    const ev = res.events.find((e) => e.kind === 'removed')!;
    expect(ev.edge).toBe(2);
    // independent reference: RK4 on (k1, k2, s = k3^3), with y = k1/(k1+k2), e = t - y,
    // EP clamped drop on edges 0-2 / 2-1: -/+ e/(k1+k2); g_j = dv^f_j dvh_j + (eta/2) dvh_j^2
    const rhs = ([k1, k2]: number[]) => {
      const y = k1! / (k1! + k2!);
      const e = t - y;
      const h = e / (k1! + k2!);
      return [-((1 - y) * -h + (eta / 2) * h * h), -(y * h + (eta / 2) * h * h), -3 * (eta / 2) * e * e];
    };
    let x = [1, 1, 0.2 ** 3];
    let time = 0;
    const dt = 1e-6;
    while (x[2]! > 0) {
      const a = rhs(x);
      const b = rhs(x.map((v, i) => v + (dt / 2) * a[i]!));
      const cc = rhs(x.map((v, i) => v + (dt / 2) * b[i]!));
      const d = rhs(x.map((v, i) => v + dt * cc[i]!));
      const next = x.map((v, i) => v + (dt / 6) * (a[i]! + 2 * b[i]! + 2 * cc[i]! + d[i]!));
      if (next[2]! <= 0) {
        time += (dt * x[2]!) / (x[2]! - next[2]!);
        break;
      }
      x = next;
      time += dt;
    }
    expect(Math.abs(ev.time! - time) / time).toBeLessThan(1e-6);
    expect(res.history.loss.every(Number.isFinite)).toBe(true);
  });

  it('removal that disconnects the output stops training with a report, no singular solve', async () => {
    // a strong positive finite nudge pushes both divider conductances below zero in one step
    const c = voltageDivider(1, 1, [{ v: 1, t: 0.6 }]);
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'finite', eta: 20, alpha: 10, steps: 5 });
    expect(res.removedEdges.sort()).toEqual([0, 1]);
    const removed = res.events.filter((e) => e.kind === 'removed');
    expect(removed.every((e) => e.step! >= 1 && e.step! <= 5)).toBe(true);
    expect(res.events.at(-1)!.kind).toBe('stopped');
    expect(res.stop.reason).toBe('disconnected');
    expect(res.stop.message).toMatch(/output node\(s\) 1/);
    expect(Number.isNaN(res.final.loss)).toBe(true);
  });

  it('reflect keeps a vanished conductance resting at 0 (edge absent from solves, not removed)', async () => {
    // crossbar: the weak 1 V edge shrinks to 0 first; later targets are never met with it at 0
    const c = makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k: [0.05, 1, 1], inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [0.1] });
    const res = await trainContinuous(backend, c, { rule: 'cl', nudge: 'zero', boundary: 'reflect', duration: 20, record: 5 });
    expect(res.events.map((e) => e.kind)).toEqual(['reflected']);
    expect(res.removedEdges).toEqual([]);
    expect(res.final.conductances[0]).toBe(0); // v = -(1 - y) r <= 0 while y > t: it stays at rest
    expect(res.history.mass.at(-1)!).toBeCloseTo(res.history.mass[0]!, 8);
  });

  it('clip holds a conductance at the floor and keeps the edge in the circuit', async () => {
    const c = makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k: [0.05, 1, 1], inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [0.1] });
    const res = await trainDiscrete(backend, c, { rule: 'cl', nudge: 'zero', boundary: 'clip', floor: 1e-3, alpha: 0.5, steps: 50 });
    expect(res.events[0]!.kind).toBe('clipped');
    expect(res.final.conductances[0]).toBe(1e-3);
    expect(res.removedEdges).toEqual([]);
  });

  it('a resistance reaching zero stops with a boundary report unless clipped', async () => {
    // resistance rule: a large step drives R of the 0.5 V edge through 0
    const c = makeCircuit({ n: 4, edges: [[0, 3], [1, 3], [2, 3]], k: [1, 20, 1], inputs: [0, 1, 2], u: [1, 0.5, 0], outputs: [3], t: [0.9] });
    const res = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', parametrisation: 'resistance', alpha: 50, steps: 20 });
    expect(res.stop.reason).toBe('boundary');
    expect(res.stop.message).toMatch(/resistance/);
    expect(Number.isNaN(res.final.loss)).toBe(true);
    const clipped = await trainDiscrete(backend, c, { rule: 'ep', nudge: 'zero', parametrisation: 'resistance', boundary: 'clip', floor: 1e-3, alpha: 50, steps: 20 });
    expect(clipped.stop.reason).toBe('budget');
    expect(clipped.events.some((e) => e.kind === 'clipped')).toBe(true);
    expect(Math.min(...clipped.final.parameters)).toBeGreaterThanOrEqual(1e-3);
  });
});
