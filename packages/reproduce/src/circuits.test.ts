import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { describe, expect, it } from 'vitest';
import { kiteCircuit } from '@ohmlab/analysis';
import { everyOutputCanMove, inputsSeenByOutputs } from './circuits.js';
import { kiteCriticalTarget, kiteMatrixNormSquared } from './experiments/kite-closed-form.js';
import { outputOnSourceOnly } from './experiments/siso-convergence.js';
import { freeOutputs } from './training/at-point.js';

describe('circuits', () => {
  const backend = createCpuBackend();

  it('kite: the ratio condition puts y at t* = k1/(k1 + k2) for any strut (k5, k6)', async () => {
    const base = [1.5, 2.5, 0.9, 1.5, 0.7, 1.3];
    for (const r of [0, 0.2]) {
      const y = (await freeOutputs(backend, kiteCircuit({ base, s: 0, r, target: 0 })))[0] as number;
      expect(y).toBeCloseTo(kiteCriticalTarget(base), 14);
    }
  });

  it('kite hand derivation: |M|^2 equals |dy/dk|^2 by central differences (one output: dy/dk = -M^T)', async () => {
    for (const base of [[1, 1, 1, 1, 1, 1], [1.5, 2.5, 0.9, 1.5, 0.7, 1.3]]) {
      const h = 1e-6;
      let grad2 = 0;
      for (let j = 0; j < 6; j++) {
        const up = base.slice();
        const down = base.slice();
        up[j] = (up[j] as number) + h;
        down[j] = (down[j] as number) - h;
        const yUp = (await freeOutputs(backend, kiteCircuit({ base: up, s: 0, r: 0, target: 0 })))[0] as number;
        const yDown = (await freeOutputs(backend, kiteCircuit({ base: down, s: 0, r: 0, target: 0 })))[0] as number;
        grad2 += ((yUp - yDown) / (2 * h)) ** 2;
      }
      expect(kiteMatrixNormSquared(base) / grad2).toBeCloseTo(1, 7);
    }
  });

  it('an output on the source alone sees one input voltage; the kite output sees both', () => {
    const hanging = outputOnSourceOnly(0.5);
    expect(Array.from(inputsSeenByOutputs(hanging)[0] as Set<number>)).toEqual([0]);
    expect(everyOutputCanMove(hanging)).toBe(false);
    expect(everyOutputCanMove(kiteCircuit({ target: 0.5 }))).toBe(true);
  });
});
