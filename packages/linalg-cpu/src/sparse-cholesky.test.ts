import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { expectAllClose, randomCircuit } from '../test/helpers.js';
import { SolverError } from './errors.js';
import { nestedDissection } from './nested-dissection.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';
import { analyseCholesky, sparseCholesky } from './sparse-cholesky.js';

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
      const expected = denseColumnCounts(sys, symbolic.tree.perm);
      expect(Array.from(symbolic.tree.counts!)).toEqual(Array.from(expected));
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
    expect(capped.supernodes).toBeNull();
    expect(capped.nnzL).toBeGreaterThan(full.nnzL / 2);
  });
});

const decompositions = new WeakMap<ReducedSystem, CholeskyDecomposition>();

/** L_FF as an ml-matrix dense matrix, and its exact solve for reference (decomposed once per system). */
function denseReference(sys: ReducedSystem, b: Float64Array, count: number): Float64Array {
  const n = sys.free.length;
  let decomposition = decompositions.get(sys);
  if (!decomposition) {
    const a = Matrix.zeros(n, n);
    for (let k = 0; k < n; k++) for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) a.set(k, sys.ffCol[p]!, sys.ffVal[p]!);
    decomposition = new CholeskyDecomposition(a);
    decompositions.set(sys, decomposition);
  }
  const rhs = new Matrix(n, count);
  for (let k = 0; k < n; k++) for (let r = 0; r < count; r++) rhs.set(k, r, b[k * count + r]!);
  const x = decomposition.solve(rhs);
  return Float64Array.from({ length: n * count }, (_, i) => x.get(Math.floor(i / count), i % count));
}

describe('supernodal sparse Cholesky', () => {
  const cases: [string, () => ReducedSystem][] = [
    ['random circuit', () => reduceSystem(randomCircuit(700, 12, 3))],
    ['grid', () => reduceSystem({ network: gridNetwork(25, 29), conductances: randomConductances(24 * 29 + 25 * 28, 3), dirichletNodes: Uint32Array.of(0, 700) })],
    ['two components, each held', () => reduceSystem({ network: { nodeCount: 6, edgeFrom: Uint32Array.of(0, 1, 3, 4), edgeTo: Uint32Array.of(1, 2, 4, 5) }, conductances: Float64Array.of(1, 2, 3, 4), dirichletNodes: Uint32Array.of(0, 5) })],
  ];
  describe.each(cases)('%s', (_name, make) => {
    it.each(['amd', 'nested-dissection'] as const)('solves like a dense Cholesky (ordering %s), 1 to 9 right-hand sides (narrow and wide kernels)', (ordering) => {
      const sys = make();
      const symbolic = analyseCholesky(sys, Infinity, ordering);
      const factor = sparseCholesky(sys, symbolic);
      for (const count of [1, 2, 3, 4, 5, 8, 9]) {
        const b = Float64Array.from({ length: sys.free.length * count }, (_, i) => Math.sin(i + 1));
        expectAllClose(factor.solve(b, count), denseReference(sys, b, count), 1e-10, 1e-12);
      }
    });

    it('supernodes: column ranges cover the matrix, structures start with their own columns, sorted, at least the column counts', () => {
      const sys = make();
      const { tree, supernodes } = analyseCholesky(sys, Infinity, 'amd');
      const sn = supernodes!;
      expect(sn.first[0]).toBe(0);
      expect(sn.first[sn.count]).toBe(sys.free.length);
      for (let s = 0; s < sn.count; s++) {
        const f = sn.first[s]!;
        const w = sn.first[s + 1]! - f;
        const rows = Array.from(sn.rows.subarray(sn.rowStart[s]!, sn.rowStart[s + 1]!));
        expect(rows.slice(0, w)).toEqual(Array.from({ length: w }, (_, i) => f + i));
        for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]!);
        for (let j = 0; j < w; j++) expect(rows.length - j).toBeGreaterThanOrEqual(tree.counts![f + j]!);
        if (sn.parent[s]! >= 0) expect(sn.parent[s]).toBeGreaterThan(s);
      }
    });
  });

  it('relaxed amalgamation stores few explicit zeros on a grid (< 30% of the stored panel entries)', () => {
    const network = gridNetwork(60, 60);
    const sys = reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 2), dirichletNodes: Uint32Array.of(0) });
    const { supernodes, nnzL } = analyseCholesky(sys, Infinity, 'nested-dissection');
    let trapezoids = 0;
    const sn = supernodes!;
    for (let s = 0; s < sn.count; s++) {
      const w = sn.first[s + 1]! - sn.first[s]!;
      const m = sn.rowStart[s + 1]! - sn.rowStart[s]!;
      trapezoids += w * m - (w * (w - 1)) / 2;
    }
    expect(nnzL / trapezoids).toBeGreaterThan(0.7);
  });

  it('a block solve equals its columns solved one by one (narrow groups of four and wide tiles)', () => {
    const sys = reduceSystem(randomCircuit(600, 21, 3));
    const factor = sparseCholesky(sys, analyseCholesky(sys, Infinity, 'amd'));
    const n = sys.free.length;
    for (const count of [3, 6, 12]) {
      const b = Float64Array.from({ length: n * count }, (_, i) => Math.sin(0.37 * i) + (i % count));
      const block = factor.solve(b, count);
      for (let r = 0; r < count; r++) {
        const column = factor.solve(Float64Array.from({ length: n }, (_, k) => b[k * count + r]!), 1);
        expectAllClose(Float64Array.from({ length: n }, (_, k) => block[k * count + r]!), column, 1e-12, 1e-14);
      }
    }
  });

  it('a pivot that is not positive raises a SolverError naming the free node', () => {
    // an indefinite "free block" handed to the numeric factorization directly
    const sys = reduceSystem(randomCircuit(200, 2, 2));
    const symbolic = analyseCholesky(sys, Infinity, 'amd');
    const broken = { ...sys, ffVal: sys.ffVal.map((v, p) => (sys.ffCol[p] === 0 && p >= sys.ffStart[0]! && p < sys.ffStart[1]! ? -v : v)) };
    expect(() => sparseCholesky(broken, symbolic)).toThrow(SolverError);
    expect(() => sparseCholesky(broken, symbolic)).toThrow(/Cholesky pivot of free node \d+ is not positive and finite: the free block is singular or numerically degenerate/);
  });

  it('auto ordering: AMD on small systems, the cheaper of AMD and nested dissection on large grids', () => {
    const small = analyseCholesky(reduceSystem(randomCircuit(1000, 3, 2)));
    expect(small.ordering).toBe('amd');
    const network = gridNetwork(160, 160);
    const sys = reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 2), dirichletNodes: Uint32Array.of(0) });
    const auto = analyseCholesky(sys);
    const amd = analyseCholesky(sys, Infinity, 'amd');
    const nd = analyseCholesky(sys, Infinity, 'nested-dissection');
    expect(auto.flops).toBe(Math.min(amd.flops, nd.flops));
  });
});
