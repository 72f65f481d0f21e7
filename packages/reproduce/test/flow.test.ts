import { crossbar, withSamples } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { describe, expect, it } from 'vitest';
import { flow } from '../src/training/flow.js';

/**
 * `flow` (learners' `onDisconnect: 'restrict'`) continues past disconnections (paper 2, Sec. 4),
 * and each output is cut at the removal time of its last edge. Checked on a crossbar, whose
 * outputs have the closed form y_o = sum_i k_oi u_i / sum_i k_oi (paper 2, proof of Thm 4.3), so
 * the loss after an output is cut can be recomputed without any solver.
 */
describe('flow: continuing after outputs are cut off', () => {
  const backend = createCpuBackend();
  const base = crossbar({ inputs: 3, outputs: 2, seed: 5 });
  const samples = [
    { inputs: Float64Array.of(0.9, 0.2, 0), targets: Float64Array.of(1.4, -0.3) },
    { inputs: Float64Array.of(0.1, 0.7, 0), targets: Float64Array.of(-0.2, 1.1) },
    { inputs: Float64Array.of(0.5, 0.4, 0), targets: Float64Array.of(0.9, 0.8) },
  ];
  const circuit = withSamples(base, samples);
  const n = 3;

  /** Closed-form batched loss over the outputs still connected (`alive[o]`). */
  function crossbarLoss(k: Float64Array, alive: boolean[]): number {
    let total = 0;
    for (const s of samples) {
      for (let o = 0; o < 2; o++) {
        if (!alive[o]) continue;
        let num = 0;
        let den = 0;
        for (let i = 0; i < n; i++) {
          num += (k[o * n + i] as number) * (s.inputs[i] as number);
          den += k[o * n + i] as number;
        }
        total += (num / den - (s.targets[o] as number)) ** 2 / 2;
      }
    }
    return total / samples.length;
  }

  it('CL at eta = 1: edges die, outputs are cut one by one, the run goes on until none is left', async () => {
    const traj = await flow(backend, circuit, { rule: 'cl', nudge: 'finite', eta: 1 }, { duration: 60, record: 121 });
    expect(traj.outputsCut.map((c) => c.node).sort()).toEqual([3, 4]);
    expect(traj.stoppedBecause).toMatch(/no output/);
    expect(traj.tFinal).toBeLessThan(60);
    expect(Array.from(traj.finalConductances)).toEqual(new Array(6).fill(0));
    // Each edge is removed once, in time order; a cut output has lost all its edges by then.
    const edges = traj.removals.map((r) => r.edge);
    expect(new Set(edges).size).toBe(edges.length);
    for (let q = 1; q < traj.removals.length; q++) expect(traj.removals[q]?.t).toBeGreaterThanOrEqual(traj.removals[q - 1]?.t as number);
    for (const cut of traj.outputsCut) {
      const own = [0, 1, 2].map((i) => (cut.node - n) * n + i);
      for (const j of own) expect(traj.removals.find((r) => r.edge === j)?.t).toBeLessThanOrEqual(cut.t);
      expect(Math.max(...own.map((j) => traj.removals.find((r) => r.edge === j)?.t as number))).toBe(cut.t);
      traj.t.forEach((t, q) => {
        if (t >= cut.t) for (const j of own) expect(traj.conductances[q]?.[j]).toBe(0);
      });
    }
    // eq. (4.12): at eta > 0 the mass never grows, through removals and restarts.
    for (let q = 1; q < traj.mass.length; q++) expect(traj.mass[q]).toBeLessThanOrEqual((traj.mass[q - 1] as number) * (1 + 1e-12));
    // The recorded loss is the closed-form loss of the outputs still connected at that time.
    let checkedAfterCut = 0;
    traj.t.forEach((t, q) => {
      const alive = [3, 4].map((node) => !traj.outputsCut.some((c) => c.node === node && c.t <= t));
      if (!alive.some(Boolean)) return;
      const k = traj.conductances[q] as Float64Array;
      const expected = crossbarLoss(k, alive);
      expect(Math.abs((traj.loss[q] as number) - expected)).toBeLessThanOrEqual(1e-10 * expected + 1e-30);
      if (alive.includes(false)) checkedAfterCut++;
    });
    expect(checkedAfterCut).toBeGreaterThan(0);
  });

  it('CL at eta = 0 conserves sum k^2 through its removals and reaches the budget', async () => {
    const traj = await flow(backend, circuit, { rule: 'cl', nudge: 'zero' }, { duration: 20, record: 41 });
    expect(traj.stoppedBecause).toBeUndefined();
    expect(traj.tFinal).toBe(20);
    for (const m of traj.mass) expect(Math.abs(m / (traj.mass[0] as number) - 1)).toBeLessThan(1e-8);
  });
});
