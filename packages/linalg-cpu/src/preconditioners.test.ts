import { describe, expect, it } from 'vitest';
import { erdosRenyiNetwork, gridNetwork, randomConductances, randomValues } from '../bench/networks.mjs';
import { expectAllClose, randomBatch, randomCircuit } from '../test/helpers.js';
import { factorSync } from './cpu-backend.js';
import { incompleteCholesky, jacobi, pcgLayout, permuteFreeBlock, reverseBreadthFirstOrder } from './preconditioners.js';
import { reduceSystem, type ReducedSystem } from './reduced-system.js';

/** `y = L_FF x` (single vector). */
function times(sys: ReducedSystem, x: Float64Array): Float64Array {
  const y = new Float64Array(sys.free.length);
  for (let k = 0; k < y.length; k++) for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) y[k]! += sys.ffVal[p]! * x[sys.ffCol[p]!]!;
  return y;
}

describe('preconditioners', () => {
  it('Jacobi divides by the diagonal of L_FF, for one and for a block of right-hand sides', () => {
    const sys = reduceSystem(randomCircuit(50, 1, 2));
    const r = randomValues(sys.free.length * 2, 3);
    const z = new Float64Array(r.length);
    jacobi(sys).apply(r, z, 2);
    for (let k = 0; k < sys.free.length; k++) {
      let d = 0;
      for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) if (sys.ffCol[p] === k) d = sys.ffVal[p]!;
      expect(z[2 * k]).toBeCloseTo(r[2 * k]! / d, 14);
      expect(z[2 * k + 1]).toBeCloseTo(r[2 * k + 1]! / d, 14);
    }
  });

  it('IC(0) of a tree numbered leaves-first is its exact Cholesky factor (no fill to drop): M^-1 L_FF x = x', () => {
    // a random recursive tree joins node i to some j < i; relabelling v -> n - 1 - v puts every
    // child before its parent, so the natural order eliminates leaves first and never fills
    const tree = erdosRenyiNetwork(800, 0, 4);
    const n = tree.nodeCount;
    const network = { nodeCount: n, edgeFrom: tree.edgeFrom.map((v) => n - 1 - v), edgeTo: tree.edgeTo.map((v) => n - 1 - v) };
    const sys = reduceSystem({ network, conductances: randomConductances(network.edgeFrom.length, 5), dirichletNodes: Uint32Array.of(n - 1) });
    const ic = incompleteCholesky(sys)!;
    expect(ic.name).toBe('incomplete-cholesky');
    const x = randomValues(sys.free.length, 6);
    const z = new Float64Array(x.length);
    ic.apply(times(sys, x), z, 1);
    expectAllClose(z, x, 1e-9, 1e-12);
  });

  it('IC(0) on a block equals IC(0) column by column, and is symmetric positive definite (z.r > 0)', () => {
    const sys = reduceSystem(randomCircuit(400, 2, 3));
    const ic = incompleteCholesky(sys)!;
    const count = 3;
    const r = randomValues(sys.free.length * count, 7);
    const z = new Float64Array(r.length);
    ic.apply(r, z, count);
    for (let c = 0; c < count; c++) {
      const rc = Float64Array.from({ length: sys.free.length }, (_, k) => r[k * count + c]!);
      const zc = new Float64Array(rc.length);
      ic.apply(rc, zc, 1);
      expectAllClose(Float64Array.from({ length: sys.free.length }, (_, k) => z[k * count + c]!), zc, 1e-13, 1e-15);
      expect(rc.reduce((s, v, k) => s + v * zc[k]!, 0)).toBeGreaterThan(0);
    }
  });

  it('IC(0) needs fewer PCG iterations than Jacobi on random graphs and grids, same answers', () => {
    const network = gridNetwork(40, 40);
    const requests = [randomCircuit(3000, 9, 3), { network, conductances: randomConductances(network.edgeFrom.length, 1), dirichletNodes: Uint32Array.of(0, 1599) }];
    for (const request of requests) {
      const rhs = randomBatch(request, 2, 3, 2);
      const ic = factorSync({ ...request, options: { method: 'pcg', preconditioner: 'incomplete-cholesky', tolerance: 1e-12 } });
      const jac = factorSync({ ...request, options: { method: 'pcg', preconditioner: 'jacobi', tolerance: 1e-12 } });
      expect(ic.preconditioner).toBe('incomplete-cholesky');
      expect(jac.preconditioner).toBe('jacobi');
      const a = ic.solveSync(rhs);
      const b = jac.solveSync(rhs);
      expect(a.iterations).toBeLessThan(b.iterations);
      expectAllClose(a.voltages, b.voltages, 1e-9, 1e-10);
    }
  });
});

describe('reverse breadth-first order', () => {
  it('is a permutation of the free nodes, also with several components; the renumbered block is the same matrix', () => {
    const network = { nodeCount: 9, edgeFrom: Uint32Array.of(0, 1, 2, 4, 5, 6, 7), edgeTo: Uint32Array.of(1, 2, 3, 5, 6, 7, 8) };
    const sys = reduceSystem({ network, conductances: Float64Array.of(1, 2, 3, 4, 5, 6, 7), dirichletNodes: Uint32Array.of(0, 4) });
    const perm = reverseBreadthFirstOrder(sys);
    expect([...perm].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const layout = pcgLayout(sys);
    expect(Array.from(layout.perm)).toEqual(Array.from(perm));
    const block = permuteFreeBlock(sys, layout);
    const x = randomValues(sys.free.length, 1);
    const xp = Float64Array.from(perm, (old) => x[old]!);
    const y = times(sys, x);
    const yp = times(block, xp);
    perm.forEach((old, k) => expect(yp[k]).toBeCloseTo(y[old]!, 14));
    // a path numbered by BFS keeps neighbours adjacent: bandwidth 1
    for (let k = 0; k < block.free.length; k++) for (let p = block.ffStart[k]!; p < block.ffStart[k + 1]!; p++) expect(Math.abs(block.ffCol[p]! - k)).toBeLessThanOrEqual(1);
  });
});
