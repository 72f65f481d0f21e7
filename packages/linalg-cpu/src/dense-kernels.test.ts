import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { expectAllClose, randomMatrix, randomSpd } from '../test/helpers.js';
import { choleskyPanel, gemmNT, partialCholesky } from './dense-kernels.js';
import { backwardPanel, forwardPanel, gemmNN, gemmTN } from './dense-solve-kernels.js';

describe('gemmNT', () => {
  it.each([
    [1, 1, 1],
    [5, 7, 3],
    [9, 6, 300],
    [16, 16, 40],
  ])('C -= A B^T matches the triple loop (m %i, n %i, k %i), full and lower', (m, n, k) => {
    const a = randomMatrix(m, k, 1);
    const b = randomMatrix(n, k, 2);
    const c0 = randomMatrix(m, n, 3);
    const full = c0.slice();
    gemmNT(m, n, k, a, 0, k, b, 0, k, full, 0, n, false);
    const expected = c0.slice();
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) expected[i * n + j]! -= a[i * k + t]! * b[j * k + t]!;
    expectAllClose(full, expected, 1e-13, 1e-13);
    const lower = c0.slice();
    gemmNT(m, n, k, a, 0, k, b, 0, k, lower, 0, n, true);
    for (let i = 0; i < m; i++) for (let j = 0; j <= Math.min(i, n - 1); j++) expect(lower[i * n + j]).toBeCloseTo(expected[i * n + j]!, 12);
  });

  it('respects offsets and leading dimensions (a block inside larger arrays)', () => {
    const big = randomMatrix(20, 20, 4);
    const c = new Float64Array(400);
    gemmNT(6, 5, 7, big, 2 * 20 + 3, 20, big, 10 * 20 + 1, 20, c, 20 + 2, 20, false);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 5; j++) {
        let s = 0;
        for (let t = 0; t < 7; t++) s += big[(2 + i) * 20 + 3 + t]! * big[(10 + j) * 20 + 1 + t]!;
        expect(c[(1 + i) * 20 + 2 + j]).toBeCloseTo(-s, 13);
      }
    }
    expect(c[0]).toBe(0);
  });
});

describe('gemmNN and gemmTN', () => {
  it.each([
    [1, 1, 1],
    [4, 4, 4],
    [7, 9, 5],
    [13, 64, 30],
  ])('C -= A B and C -= A^T B match the triple loop (m %i, n %i, k %i)', (m, n, k) => {
    const c0 = randomMatrix(m, n, 1);
    const a = randomMatrix(m, k, 2);
    const at = randomMatrix(k, m, 3);
    const b = randomMatrix(k, n, 4);
    const nn = c0.slice();
    gemmNN(m, n, k, a, 0, k, b, 0, n, nn, 0, n);
    const tn = c0.slice();
    gemmTN(m, n, k, at, 0, m, b, 0, n, tn, 0, n);
    for (let i = 0; i < m; i++) {
      for (let r = 0; r < n; r++) {
        let s1 = c0[i * n + r]!;
        let s2 = s1;
        for (let t = 0; t < k; t++) {
          s1 -= a[i * k + t]! * b[t * n + r]!;
          s2 -= at[t * m + i]! * b[t * n + r]!;
        }
        expect(nn[i * n + r]).toBeCloseTo(s1, 12);
        expect(tn[i * n + r]).toBeCloseTo(s2, 12);
      }
    }
  });
});

describe('partialCholesky', () => {
  it.each([1, 7, 50, 131])('full factor of an SPD matrix of order %i matches ml-matrix', (n) => {
    const a = randomSpd(n, n);
    const f = a.slice();
    expect(partialCholesky(f, 0, n, n)).toBe(-1);
    const reference = new CholeskyDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n))))).lowerTriangularMatrix;
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(f[i * n + j]).toBeCloseTo(reference.get(i, j), 10);
  });

  it('partial factor leaves the Schur complement F22 - F21 F11^-1 F12 in the trailing block', () => {
    const n = 70;
    const w = 53;
    const a = randomSpd(n, 9);
    const f = a.slice();
    expect(partialCholesky(f, 0, n, w)).toBe(-1);
    // Schur complement via ml-matrix: S = A22 - A21 A11^-1 A12
    const m = new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n))));
    const a11 = m.subMatrix(0, w - 1, 0, w - 1);
    const a21 = m.subMatrix(w, n - 1, 0, w - 1);
    const s = m.subMatrix(w, n - 1, w, n - 1).sub(a21.mmul(new CholeskyDecomposition(a11).solve(a21.transpose())));
    for (let i = 0; i < n - w; i++) for (let j = 0; j <= i; j++) expect(f[(w + i) * n + w + j]).toBeCloseTo(s.get(i, j), 9);
  });

  it('reports the first pivot that is not positive and finite', () => {
    const indefinite = Float64Array.of(4, 2, 0, 2, 1, 0, 0, 0, 1); // second pivot 1 - 2^2/4 = 0
    expect(partialCholesky(indefinite, 0, 3, 3)).toBe(1);
    expect(partialCholesky(Float64Array.of(NaN), 0, 1, 1)).toBe(0);
    expect(partialCholesky(Float64Array.of(Infinity), 0, 1, 1)).toBe(0);
  });
});

describe('choleskyPanel', () => {
  it.each([
    [1, 1],
    [9, 4],
    [60, 3],
    [130, 61],
    [150, 150],
  ])('factors the leading columns of an m x w panel (m = %i, w = %i) like the full Cholesky, trailing block untouched', (m, w) => {
    const a = randomSpd(m, 3 * m + w);
    const panel = new Float64Array(m * w);
    for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) panel[i * w + j] = a[i * m + j]!;
    expect(choleskyPanel(panel, 0, w, m, w)).toBe(-1);
    const full = new CholeskyDecomposition(new Matrix(Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * m, (i + 1) * m))))).lowerTriangularMatrix;
    // the first w columns of L do not depend on the trailing block
    for (let i = 0; i < m; i++) for (let j = 0; j <= Math.min(i, w - 1); j++) expect(panel[i * w + j]).toBeCloseTo(full.get(i, j), 10);
    // in a front (leading dimension m) the trailing block is neither read nor written
    const front = a.slice();
    const marker = -12345.5;
    for (let i = w; i < m; i++) for (let j = w; j < m; j++) front[i * m + j] = marker;
    expect(choleskyPanel(front, 0, m, m, w)).toBe(-1);
    for (let i = w; i < m; i++) for (let j = w; j < m; j++) expect(front[i * m + j]).toBe(marker);
    for (let i = 0; i < m; i++) for (let j = 0; j <= Math.min(i, w - 1); j++) expect(front[i * m + j]).toBe(panel[i * w + j]);
  });

  it('reports the first bad pivot inside a group of four and in the last, narrower group', () => {
    const n = 7;
    const a = randomSpd(n, 77);
    for (const bad of [0, 2, 3, 5, 6]) {
      const f = a.slice();
      f[bad * n + bad] = -1e6; // no longer positive definite from column `bad` on
      expect(choleskyPanel(f, 0, n, n, n)).toBe(bad);
    }
  });
});

describe('forwardPanel / backwardPanel', () => {
  it.each([1, 3])('solve L L^T x = b through a panel for %i right-hand sides', (count) => {
    const n = 40;
    const a = randomSpd(n, 5);
    const f = a.slice();
    partialCholesky(f, 0, n, n);
    const b = randomMatrix(n, count, 6);
    const y = b.slice();
    forwardPanel(f, 0, n, n, n, y, count);
    backwardPanel(f, 0, n, n, n, y, count);
    // A x = b
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < count; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]! * y[j * count + r]!;
        expect(s).toBeCloseTo(b[i * count + r]!, 10);
      }
    }
  });

  it.each([4, 7])('a 31 x 17 panel with %i right-hand sides (register-tiled path) matches the definitions', (count) => {
    const m = 31;
    const w = 17;
    const f = randomSpd(m, 8);
    partialCholesky(f, 0, m, m);
    const l = Float64Array.from({ length: m * w }, (_, q) => f[Math.floor(q / w) * m + (q % w)]!); // the m x w panel
    const b = randomMatrix(m, count, 9);
    const y = b.slice();
    forwardPanel(l, 0, w, m, w, y, count);
    // definition: L11 y_top = b_top; y_bottom = b_bottom - L21 y_top
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < Math.min(i + 1, w); j++) s += l[i * w + j]! * y[j * count + r]!;
        if (i < w) expect(s).toBeCloseTo(b[i * count + r]!, 11);
        else expect(y[i * count + r]! + s).toBeCloseTo(b[i * count + r]!, 11);
      }
    }
    const z = b.slice();
    backwardPanel(l, 0, w, m, w, z, count);
    // definition: L11^T z_top = b_top - L21^T b_bottom; z_bottom unchanged
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < w; j++) {
        let lhs = 0;
        for (let i = j; i < w; i++) lhs += l[i * w + j]! * z[i * count + r]!;
        let rhs = b[j * count + r]!;
        for (let i = w; i < m; i++) rhs -= l[i * w + j]! * b[i * count + r]!;
        expect(lhs).toBeCloseTo(rhs, 11);
      }
      for (let i = w; i < m; i++) expect(z[i * count + r]).toBe(b[i * count + r]);
    }
  });

  it('the rows below the panel receive y_bottom - L21 y_top forward and feed y_top backward', () => {
    // panel: 2 columns, 3 rows: L11 = [[2, 0], [1, 1]], L21 = [[3, 4]]
    const l = Float64Array.of(2, 0, 1, 1, 3, 4);
    const y = Float64Array.of(4, 3, 10);
    forwardPanel(l, 0, 2, 3, 2, y, 1);
    expect(Array.from(y)).toEqual([2, 1, 10 - 3 * 2 - 4 * 1]);
    const z = Float64Array.of(2, 1, 1);
    backwardPanel(l, 0, 2, 3, 2, z, 1);
    // y_top -= L21^T y_bottom: [2 - 3, 1 - 4] = [-1, -3]; then L11^T solve: x1 = -3, x0 = (-1 - 1 * -3) / 2 = 1
    expect(Array.from(z)).toEqual([1, -3, 1]);
  });
});
