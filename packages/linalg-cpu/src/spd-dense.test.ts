import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { randomSpd } from '../test/helpers.js';
import { spdFactor, spdInverse, spdSolveInPlace } from './spd-dense.js';

describe('dense SPD helpers (spdFactor, spdSolveInPlace, spdInverse)', () => {
  it.each([1, 3, 7, 50, 130])('n = %i: L L^T = A, the solve and the inverse agree with ml-matrix', (n) => {
    const a = randomSpd(n, 7 + n);
    const { factor, badPivot } = spdFactor(a, n);
    expect(badPivot).toBe(-1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += factor[i * n + k]! * factor[j * n + k]!;
        expect(Math.abs(s - a[i * n + j]!)).toBeLessThan(1e-12 * n * n);
      }
    }
    const reference = inverse(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))));
    const inv = spdInverse(factor, n);
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const y = b.slice();
    spdSolveInPlace(factor, n, y);
    for (let i = 0; i < n; i++) {
      let viaInverse = 0;
      for (let j = 0; j < n; j++) {
        expect(inv[i * n + j]).toBe(inv[j * n + i]);
        expect(Math.abs(inv[i * n + j]! - reference.get(i, j))).toBeLessThan(1e-12);
        viaInverse += inv[i * n + j]! * b[j]!;
      }
      expect(Math.abs(y[i]! - viaInverse)).toBeLessThan(1e-12);
    }
  });

  it('reports the first failing pivot: indefinite, and numerically singular under a relative threshold', () => {
    expect(spdFactor(Float64Array.of(1, 2, 2, 1), 2).badPivot).toBe(1);
    const nearlySingular = Float64Array.of(1, 1, 1, 1 + 1e-15);
    expect(spdFactor(nearlySingular, 2).badPivot).toBe(-1);
    expect(spdFactor(nearlySingular, 2, 1e-14).badPivot).toBe(1);
  });
});
