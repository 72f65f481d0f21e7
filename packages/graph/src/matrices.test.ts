import { describe, expect, it } from 'vitest';
import { denseLaplacian } from '../test/dense.js';
import { erdosRenyi, grid2d } from './index.js';
import { csrMultiply, incidenceMatrix, laplacian, voltageDrops, type CsrMatrix } from './matrices.js';

function toDense(a: CsrMatrix): number[][] {
  const d = Array.from({ length: a.rows }, () => new Array<number>(a.cols).fill(0));
  for (let i = 0; i < a.rows; i++) for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) d[i]![a.colIndex[p]!]! += a.values[p]!;
  return d;
}

const circuits = [
  ['Erdos-Renyi', erdosRenyi({ nodes: 40, meanDegree: 4, seed: 3 })],
  ['grid', grid2d({ rows: 4, cols: 6, seed: 2 })],
  ['reversed edges', { nodeCount: 3, edgeFrom: Uint32Array.of(2, 1), edgeTo: Uint32Array.of(0, 0), conductances: Float64Array.of(2, 5) }],
] as const;

describe.each(circuits)('matrices of the %s circuit', (_name, c) => {
  it('incidence: A[j, from] = +1, A[j, to] = -1, nothing else (THEORY.md "Circuit")', () => {
    const a = toDense(incidenceMatrix(c));
    expect(a.length).toBe(c.edgeFrom.length);
    a.forEach((row, j) => {
      row.forEach((v, i) => expect(v).toBe(i === c.edgeFrom[j] ? 1 : i === c.edgeTo[j] ? -1 : 0));
    });
  });

  it('Laplacian equals A^T K A computed densely from the incidence matrix', () => {
    const a = toDense(incidenceMatrix(c));
    const n = c.nodeCount;
    const expected = Array.from({ length: n }, (_, u) =>
      Array.from({ length: n }, (_, w) => a.reduce((s, row, j) => s + row[u]! * c.conductances[j]! * row[w]!, 0)),
    );
    const l = toDense(laplacian(c, c.conductances));
    for (let u = 0; u < n; u++) for (let w = 0; w < n; w++) expect(l[u]![w]).toBeCloseTo(expected[u]![w]!, 13);
    // and the edge-list form sum_j k_j (e_u - e_w)(e_u - e_w)^T
    expect(l).toEqual(denseLaplacian(c, c.conductances).map((row) => row.map((v) => v + 0)));
  });

  it('Laplacian is symmetric, has L 1 = 0, a positive diagonal, sorted columns with the diagonal present', () => {
    const lap = laplacian(c, c.conductances);
    const l = toDense(lap);
    const n = c.nodeCount;
    for (let u = 0; u < n; u++) {
      for (let w = 0; w < n; w++) expect(l[u]![w]).toBe(l[w]![u]);
      expect(Math.abs(l[u]!.reduce((s, v) => s + v, 0))).toBeLessThan(1e-12);
      expect(l[u]![u]).toBeGreaterThan(0);
      const cols = Array.from(lap.colIndex.subarray(lap.rowStart[u]!, lap.rowStart[u + 1]!));
      expect(cols).toEqual([...cols].sort((x, y) => x - y));
      expect(cols).toContain(u);
      expect(new Set(cols).size).toBe(cols.length);
    }
    const ones = new Float64Array(n).fill(1);
    expect(Math.max(...csrMultiply(lap, ones).map(Math.abs))).toBeLessThan(1e-12);
  });

  it('voltage drops are A x, and x^T L x = sum_j k_j dv_j^2 (twice the energy)', () => {
    const n = c.nodeCount;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i + 1));
    const dv = voltageDrops(c, x);
    const ax = csrMultiply(incidenceMatrix(c), x);
    for (let j = 0; j < dv.length; j++) expect(dv[j]).toBeCloseTo(ax[j]!, 14);
    const lx = csrMultiply(laplacian(c, c.conductances), x);
    const quadratic = x.reduce((s, v, i) => s + v * lx[i]!, 0);
    const energy2 = dv.reduce((s, d, j) => s + c.conductances[j]! * d * d, 0);
    expect(quadratic).toBeCloseTo(energy2, 12);
    // the offset form reads x from a batch (RHS-major)
    const batch = new Float64Array(2 * n);
    batch.set(x, n);
    expect(voltageDrops(c, batch, n)).toEqual(dv);
  });
});
