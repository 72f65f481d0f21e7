import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { randomCircuit } from '../test/helpers.js';
import { nestedDissection } from './nested-dissection.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';
import { analyseCholesky } from './sparse-cholesky.js';

/** Column counts of the Cholesky factor of P L_FF P^T by dense symbolic elimination (graph game). */
function denseColumnCounts(sys: ReducedSystem, perm: Int32Array): Int32Array {
  const n = sys.free.length;
  const inverse = new Int32Array(n);
  perm.forEach((old, k) => (inverse[old] = k));
  const pattern = new Uint8Array(n * n);
  for (let old = 0; old < n; old++) {
    for (let p = sys.ffStart[old]!; p < sys.ffStart[old + 1]!; p++) pattern[inverse[old]! * n + inverse[sys.ffCol[p]!]!] = 1;
  }
  const counts = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const below: number[] = [];
    for (let i = k + 1; i < n; i++) if (pattern[i * n + k]) below.push(i);
    counts[k] = below.length + 1;
    for (const i of below) for (const j of below) pattern[i * n + j] = 1;
  }
  return counts;
}

describe('nested dissection and symbolic analysis', () => {
  it('returns a permutation of the free nodes', () => {
    const sys = reduceSystem(randomCircuit(1500, 3, 3));
    const perm = nestedDissection(sys.free.length, sys.ffStart, sys.ffCol);
    const seen = new Uint8Array(sys.free.length);
    for (const v of perm) seen[v]!++;
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('column counts match dense symbolic elimination (random circuit and grid)', () => {
    const network = gridNetwork(17, 19);
    const requests = [randomCircuit(300, 9, 2), { network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.of(5) }];
    for (const request of requests) {
      const sys = reduceSystem(request);
      const symbolic = analyseCholesky(sys);
      const expected = denseColumnCounts(sys, symbolic.perm);
      expect(Array.from(symbolic.columnCounts!)).toEqual(Array.from(expected));
      expect(symbolic.nnzL).toBe(expected.reduce((a, c) => a + c, 0));
    }
  });

  it('keeps fill near n log n on a 100 x 100 grid (natural band order needs n^1.5)', () => {
    const network = gridNetwork(100, 100);
    const sys = reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 2), dirichletNodes: Uint32Array.of(0) });
    const { nnzL } = analyseCholesky(sys);
    const n = sys.free.length;
    // band ordering (row by row) fills the whole band: ~ n * 100
    expect(nnzL).toBeLessThan(0.4 * n * 100);
    expect(nnzL).toBeLessThan(8 * n * Math.log2(n));
  });

  it('stops early and reports no counts when the fill budget is exceeded', () => {
    const sys = reduceSystem(randomCircuit(3000, 4, 2));
    const full = analyseCholesky(sys);
    const capped = analyseCholesky(sys, full.nnzL / 2);
    expect(capped.columnCounts).toBeNull();
    expect(capped.nnzL).toBeGreaterThan(full.nnzL / 2);
  });
});
