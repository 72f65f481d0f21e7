import { erdosRenyi, grid2d, type Circuit } from '@ohmlab/graph';
import { factorSync } from '@ohmlab/linalg-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { coarseInverse32, coarseInverses, coarseLevel, coarseMatrix, tileOfRows } from '../src/algorithms/coarse-space.js';
import { csrMultiply, type HostCsr } from '../src/algorithms/host-pcg.js';
import { hostPreconditioner, preconditionerStudy, tiledCsr } from '../src/algorithms/preconditioner-study.js';
import { growTiles, permuteCsr } from '../src/algorithms/pcg-tiles.js';
import { buildLaplacianSystem } from '../src/host/laplacian-system.js';
import { freeRightHandSides } from '../src/host/right-hand-sides.js';
import { probeWebGpu } from './helpers.js';

/**
 * The two-level preconditioner `M^-1 = B + P A_c^-1 P^T` (README "Preconditioner"): its float64
 * host prototype against theory (iterations bounded independently of the grid size for a fixed
 * tile size, symmetric positive operator, A_c = P^T A P), and the GPU solve against the float64 CPU.
 */
function freeSystem(circuit: Circuit): { a: HostCsr; b: Float64Array; sys: ReturnType<typeof buildLaplacianSystem> } {
  const sys = buildLaplacianSystem({ network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes });
  const { b } = freeRightHandSides(sys, { count: 1, dirichletValues: circuit.inputValues });
  return { a: { start: sys.ffStart, col: sys.ffCol, val: sys.ffVal }, b: Float64Array.from(b), sys };
}

function study(side: number): Map<string, number[]> {
  const { a, b } = freeSystem(grid2d({ rows: side, cols: side, seed: 2 }));
  const rows = preconditionerStudy(a.start, a.col, a.val, b, { preconditioners: ['block', 'two-level'] });
  return new Map(rows.map((r) => [r.preconditioner, r.iterations]));
}

function random(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5);
}

const dot = (u: Float64Array, v: Float64Array): number => u.reduce((acc, x, i) => acc + x * v[i]!, 0);

describe('two-level preconditioner, float64 host prototype', () => {
  it('iterations stop growing with the grid (tile size fixed) while block-Jacobi doubles per doubling of the side', () => {
    const g64 = study(64);
    const g128 = study(128);
    for (const k of [0, 1]) {
      const [b64, b128, t64, t128] = [g64.get('block')![k]!, g128.get('block')![k]!, g64.get('two-level')![k]!, g128.get('two-level')![k]!];
      expect(Math.min(b64, b128, t64, t128)).toBeGreaterThan(0);
      // Block-Jacobi: kappa ~ 1 / (h H), so sqrt(kappa) doubles when h halves (H fixed by the tile size).
      expect(b128 / b64).toBeGreaterThan(1.5);
      // Two-level: kappa bounded by C (1 + H / h) for fixed H / h, independent of the grid size.
      expect(t128 / t64).toBeLessThan(1.5);
      expect(t64).toBeLessThan(b64);
    }
  });

  it('the operator is symmetric and positive (u.M^-1 v = v.M^-1 u, u.M^-1 u > 0) on a grid and a random circuit', () => {
    for (const circuit of [grid2d({ rows: 40, cols: 40, seed: 2 }), erdosRenyi({ nodes: 800, meanDegree: 5, seed: 3 })]) {
      const { a: orig } = freeSystem(circuit);
      const tiles = growTiles(orig.start, orig.col);
      const a = tiledCsr(orig.start, orig.col, orig.val, tiles);
      const m = hostPreconditioner('two-level', a, tiles.tileStart, 8, 0.02);
      const n = a.start.length - 1;
      const [u, v, mu, mv] = [random(n, 1), random(n, 2), new Float64Array(n), new Float64Array(n)];
      m(u, mu);
      m(v, mv);
      const scale = Math.sqrt(dot(u, mu) * dot(v, mv));
      expect(Math.abs(dot(u, mv) - dot(v, mu)) / scale).toBeLessThan(1e-12);
      expect(dot(u, mu)).toBeGreaterThan(0);
    }
  });

  it('A_c is P^T A P (tile sums of A times tile indicators) and the float32 inverse inverts it', () => {
    const { a: orig } = freeSystem(erdosRenyi({ nodes: 500, meanDegree: 4, seed: 5 }));
    const tiles = growTiles(orig.start, orig.col, 32);
    const a = tiledCsr(orig.start, orig.col, orig.val, tiles);
    const nc = tiles.tileStart.length - 1;
    const tileOf = tileOfRows(tiles.tileStart);
    const ac = coarseMatrix(a, tileOf, nc);
    const n = a.start.length - 1;
    const ap = new Float64Array(n);
    for (const t of [0, Math.floor(nc / 2), nc - 1]) {
      csrMultiply(a, Float64Array.from(tileOf, (s) => (s === t ? 1 : 0)), ap);
      const column = new Float64Array(nc);
      ap.forEach((x, i) => (column[tileOf[i]!] = column[tileOf[i]!]! + x));
      column.forEach((x, s) => expect(Math.abs(ac[s * nc + t]! - x)).toBeLessThan(1e-12 * (1 + Math.abs(x))));
    }
    const inv = coarseInverse32(coarseLevel(a, tiles.tileStart));
    let worst = 0;
    for (let i = 0; i < nc; i++) {
      for (let j = 0; j < nc; j++) {
        let s = 0;
        for (let k = 0; k < nc; k++) s += ac[i * nc + k]! * inv[k * nc + j]!;
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        expect(inv[i * nc + j]).toBe(inv[j * nc + i]);
      }
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it('falls back (with a reason) when the coarse inverse does not fit the binding', () => {
    const { sys } = freeSystem(grid2d({ rows: 64, cols: 64, seed: 2 }));
    const tiles = growTiles(sys.ffStart, sys.ffCol);
    const got = coarseInverses(permuteCsr(sys.ffStart, sys.ffCol, tiles), sys.ffVal, 1, tiles.tileStart, 100);
    expect(typeof got).toBe('string');
    expect(got).toContain('binding');
  });
});

const gpu = await probeWebGpu({ preconditioner: { kind: 'two-level' } });
afterAll(async () => gpu.backend?.disposeAsync());

describe.skipIf(!gpu.backend)(`two-level PCG on the GPU${gpu.reason ? `: ${gpu.reason}` : ''}`, () => {
  it('agrees with the float64 CPU factorization after refinement (grids 32 x 32 and 64 x 64, 2 RHS)', async () => {
    for (const side of [32, 64]) {
      const circuit = grid2d({ rows: side, cols: side, seed: 2 });
      const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes };
      const rhs = { count: 2, dirichletValues: Float64Array.of(1, 0, 0.3, -0.7) };
      const want = factorSync({ ...request, options: { method: 'sparse-cholesky' } }).solveSync(rhs);
      const f = await gpu.backend!.factor({ ...request, options: { method: 'pcg' } });
      const got = await f.solve(rhs);
      f.dispose();
      expect(got.maxResidual).toBeLessThanOrEqual(1e-10);
      let worst = 0;
      want.voltages.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got.voltages[i]!))));
      expect(worst).toBeLessThan(1e-8);
    }
    expect(gpu.events).toEqual([]);
  });
});
