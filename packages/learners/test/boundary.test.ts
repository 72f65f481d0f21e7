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
