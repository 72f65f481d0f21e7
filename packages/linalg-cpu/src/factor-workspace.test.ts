import { describe, expect, it } from 'vitest';
import { gridNetwork, randomConductances } from '../bench/networks.mjs';
import { expectAllClose, laplacianTimes, randomBatch, randomCircuit } from '../test/helpers.js';
import { factorSync } from './cpu-backend.js';
import { factorWorkspace, keepSpare, KEEP_MAX_DOUBLES, solveScratch, SPARE_FACTORS } from './factor-workspace.js';
import { clearPlanCache } from './plan-cache.js';
import { reduceSystem } from './reduced-system.js';
import type { FactorOptions, FactorRequest, RightHandSides, SolveResult } from './solver.js';
import { analyseCholesky, sparseCholesky } from './sparse-cholesky.js';

/** Conductances of step `t` of a pretend training loop: every edge changes, by up to a factor 4. */
function stepConductances(request: FactorRequest, t: number): Float64Array {
  return request.conductances.map((k, j) => k * (0.5 + 1.5 * Math.abs(Math.sin(0.7 * j + 1.3 * t))));
}

/** A factorization made from nothing: no cached pattern, analysis, workspace or spare storage. */
function fresh(request: FactorRequest, rhs: RightHandSides): SolveResult {
  clearPlanCache();
  const f = factorSync(request);
  const res = f.solveSync(rhs);
  f.dispose();
  clearPlanCache();
  return res;
}

const grid = gridNetwork(31, 29);
const cases: [string, FactorRequest, FactorOptions][] = [
  ['random circuit, AMD', randomCircuit(900, 11, 3), { method: 'sparse-cholesky', ordering: 'amd' }],
  ['grid, nested dissection', { network: grid, conductances: randomConductances(grid.edgeFrom.length, 5), dirichletNodes: Uint32Array.of(0, 400, 898) }, { method: 'sparse-cholesky', ordering: 'nested-dissection' }],
  ['grid, auto', { network: grid, conductances: randomConductances(grid.edgeFrom.length, 6), dirichletNodes: Uint32Array.of(17, 500) }, {}],
  ['dense', randomCircuit(90, 3, 2), { method: 'dense' }],
];

describe.each(cases)('refactorizations of one wiring reuse its workspace: %s', (_name, base, options) => {
  const request = (t: number): FactorRequest => ({ ...base, conductances: stepConductances(base, t), options });
  const rhs = randomBatch(base, 3, 17, 2);

  it('each step equals a fresh factorization to 1e-12, with earlier factors alive or released', () => {
    const want = [0, 1, 2, 3, 4].map((t) => fresh(request(t), rhs));
    clearPlanCache();
    const f0 = factorSync(request(0));
    const f1 = factorSync(request(1)); // f0 alive: f1 must get storage of its own
    expectAllClose(f0.solveSync(rhs).voltages, want[0]!.voltages, 1e-12, 1e-14);
    expectAllClose(f1.solveSync(rhs).voltages, want[1]!.voltages, 1e-12, 1e-14);
    f0.dispose(); // its storage becomes a spare...
    const f2 = factorSync(request(2)); // ...reused here
    expectAllClose(f2.solveSync(rhs).voltages, want[2]!.voltages, 1e-12, 1e-14);
    expectAllClose(f1.solveSync(rhs).voltages, want[1]!.voltages, 1e-12, 1e-14); // untouched by f2
    f1.dispose();
    f2.dispose();
    for (const t of [3, 4]) {
      const f = factorSync(request(t));
      const got = f.solveSync(rhs);
      expectAllClose(got.voltages, want[t]!.voltages, 1e-12, 1e-14);
      expectAllClose(got.dirichletCurrents, want[t]!.dirichletCurrents, 1e-12, 1e-13);
      f.dispose();
    }
    expect(() => f0.solveSync(rhs)).toThrow(/disposed/);
  });

  it('Kirchhoff holds at the free nodes after many refactorizations (from the edge list)', () => {
    clearPlanCache();
    for (let t = 0; t < 6; t++) {
      const req = request(t);
      const f = factorSync(req);
      const res = f.solveSync({ count: 1, dirichletValues: Float64Array.from(base.dirichletNodes, (_, d) => d + 1) });
      const lx = laplacianTimes(req.network, req.conductances, res.voltages);
      const held = new Set(base.dirichletNodes);
      let worst = 0;
      lx.forEach((v, i) => {
        if (!held.has(i)) worst = Math.max(worst, Math.abs(v));
      });
      expect(worst).toBeLessThan(1e-10);
      if (t % 2 === 0) f.dispose(); // alternate: released and kept factors
    }
  });
});

describe('failed refactorization', () => {
  it('a bad pivot leaves the workspace usable: the next factorization equals a fresh one', () => {
    const sys = reduceSystem(randomCircuit(400, 8, 2));
    const symbolic = analyseCholesky(sys, Infinity, 'amd');
    const b = Float64Array.from({ length: sys.free.length * 2 }, (_, i) => Math.cos(i));
    const want = sparseCholesky(sys, analyseCholesky(sys, Infinity, 'amd')).solve(b, 2); // its own analysis and workspace
    const good = sparseCholesky(sys, symbolic);
    good.release();
    const broken = { ...sys, ffVal: sys.ffVal.map((v) => -v) };
    expect(() => sparseCholesky(broken, symbolic)).toThrow(/Cholesky pivot of free node \d+ is not positive/);
    expectAllClose(sparseCholesky(sys, symbolic).solve(b, 2), want, 1e-12, 1e-14);
  });
});

describe('what a workspace keeps', () => {
  it('at most SPARE_FACTORS spare factors, none beyond KEEP_MAX_DOUBLES; large solve scratch is not kept', () => {
    const sys = reduceSystem(randomCircuit(120, 4, 2));
    const { tree, supernodes } = analyseCholesky(sys, Infinity, 'amd');
    const ws = factorWorkspace(supernodes!, sys.ffStart, sys.ffCol, tree.perm, tree.inverse);
    for (let i = 0; i < SPARE_FACTORS + 2; i++) keepSpare(ws, new Float64Array(supernodes!.storedValues));
    expect(ws.spare.length).toBe(SPARE_FACTORS);
    ws.spare.length = 0;
    keepSpare(ws, new Float64Array(KEEP_MAX_DOUBLES + 1));
    expect(ws.spare.length).toBe(0);
    const small = solveScratch(ws, 1000);
    expect(solveScratch(ws, 500)).toBe(small);
    const large = solveScratch(ws, KEEP_MAX_DOUBLES + 1);
    expect(large.length).toBe(KEEP_MAX_DOUBLES + 1);
    expect(ws.scratch).toBe(small);
  });
});
