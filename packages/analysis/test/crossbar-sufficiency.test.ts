import { describe, expect, it } from 'vitest';
import { erdosRenyi, grid2d } from '@ohmlab/graph';
import { equivalentCrossbar, linearise, transferMatrix } from '../src/index.js';
import { backend } from './helpers.js';

describe('crossbar sufficiency (paper 2 Thm 4.3)', () => {
  it('the equivalent crossbar reproduces the input-output map to 1e-10', async () => {
    for (const c of [
      erdosRenyi({ nodes: 30, meanDegree: 4, inputs: 4, outputs: 3, seed: 2 }),
      grid2d({ rows: 5, cols: 6, seed: 4 }),
    ]) {
      const T = await transferMatrix(backend, c);
      const x = await equivalentCrossbar(backend, c, 2.5);
      const Tx = await transferMatrix(backend, x);
      expect(Tx.length).toBe(T.length);
      for (let i = 0; i < T.length; i++) expect(Math.abs(Tx[i]! - T[i]!)).toBeLessThan(1e-10);
      // rows of T are convex weights (maximum principle)
      const nIn = c.inputNodes.length;
      for (let o = 0; o < c.outputNodes.length; o++) {
        let s = 0;
        for (let i = 0; i < nIn; i++) s += T[o * nIn + i]!;
        expect(s).toBeCloseTo(1, 12);
      }
      // same free outputs at the circuit's own inputs
      const a = await linearise(backend, c);
      const b = await linearise(backend, x);
      for (let o = 0; o < a.outputs.length; o++) expect(Math.abs(a.outputs[o]! - b.outputs[o]!)).toBeLessThan(1e-10);
    }
  });
});
