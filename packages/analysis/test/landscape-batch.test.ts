/**
 * The batched linearisation (one batched factorization per Dirichlet set for many conductance
 * vectors) against an independent per-point reference (test/helpers.ts `referenceLinearisation`:
 * learners' states + dense responses), and the landscape built on it.
 */
import { describe, expect, it } from 'vitest';
import { erdosRenyi, type Circuit } from '@ohmlab/graph';
import { createCpuBackend, type BatchFactorRequest, type SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityConstants, kiteLandscape, landscape, lineariseBatch, lossesOf, LANDSCAPE_BATCH, type Linearisation } from '../src/index.js';
import { quantitiesOf } from '../src/experiments/objective.js';
import { backend, referenceLinearisation, smallCircuit } from './helpers.js';

/** |a - b| <= rtol |b| + atol, entrywise. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(rtol * Math.abs(b[i]!) + atol);
}

function expectSameLinearisation(got: Linearisation, want: Linearisation): void {
  const scale = (x: ArrayLike<number>) => Math.max(...Array.from(x, Math.abs));
  for (const key of ['freeDrops', 'outputs', 'residual', 'referenceDrops', 'adjointError'] as const) expectClose(got[key], want[key], 0, 1e-12 * scale(want[key]));
  expectClose(got.responseDrops.data, want.responseDrops.data, 0, 1e-12 * scale(want.responseDrops.data));
  expectClose(got.outputResistance.data, want.outputResistance.data, 1e-12);
  // singular values carry absolute errors ~ eps sigma_max: a constant that vanishes (an output cut
  // off by an absent edge) is compared at that scale, the others to 1e-10 relative
  const [c, d] = [coercivityConstants(got), coercivityConstants(want)];
  expectClose(c.singularValues, d.singularValues, 1e-10, 1e-12 * d.singularValues[0]!);
  expectClose(c.adjointSingularValues, d.adjointSingularValues, 1e-10, 1e-12 * d.adjointSingularValues[0]!);
  const dScale = Math.max(...Array.from(want.dirichletToNeumann.data, Math.abs));
  expectClose([c.ep, c.cl, c.al], [d.ep, d.cl, d.al], 1e-10, 1e-12 * d.singularValues[0]! ** 2 * Math.max(1, dScale) ** 2);
  const [l, r] = [lossesOf(got), lossesOf(want)];
  expectClose([l.loss, l.weightedLoss, l.adjointLoss], [r.loss, r.weightedLoss, r.adjointLoss], 1e-10, 1e-300);
}

/** A backend that counts `factor` and `factorBatch` calls (and the systems batched). */
function counting(inner = createCpuBackend()) {
  const counts = { factor: 0, factorBatch: 0, systems: 0 };
  const b: SolverBackend = {
    name: 'counting',
    description: 'counts calls',
    factor: (r) => {
      counts.factor++;
      return inner.factor(r);
    },
    factorBatch: (r: BatchFactorRequest) => {
      counts.factorBatch++;
      counts.systems += r.conductances.length / r.network.edgeFrom.length;
      return inner.factorBatch(r);
    },
    dispose() {},
  };
  return { backend: b, counts };
}

// three inputs, so the two samples' free drops are independent (with two inputs every sample's
// drops are proportional, (u1 - u2) times one vector, and c = 0 exactly: nothing to compare)
const twoSamples: Circuit = erdosRenyi({
  nodes: 10,
  meanDegree: 4,
  inputs: 3,
  outputs: 2,
  seed: 12,
  samples: [
    { inputs: Float64Array.of(1, 0, 0.2), targets: Float64Array.of(0.4, 0.6) },
    { inputs: Float64Array.of(0.3, 0.8, 0), targets: Float64Array.of(0.5, 0.45) },
  ],
});

describe('lineariseBatch equals the per-point reference', () => {
  for (const [label, c] of [['12 nodes, 3 inputs, 2 outputs', smallCircuit(31)], ['10 nodes, 2 samples', twoSamples]] as const) {
    it(`${label}: 6 conductance vectors, some with absent edges (k = 0)`, async () => {
      const m = c.edgeFrom.length;
      const k = new Float64Array(6 * m);
      for (let s = 0; s < 6; s++) for (let j = 0; j < m; j++) k[s * m + j] = c.conductances[j]! * (0.5 + ((7 * s + 3 * j) % 11) / 7);
      // systems 2 and 4 lose an edge each (a different active set: its own batch)
      const cut = Array.from({ length: m }, (_, j) => j).find((j) => erdosRenyiStillConnected(c, j))!;
      k[2 * m + cut] = 0;
      k[4 * m + cut] = 0;
      const { backend: b, counts } = counting();
      const lins = await lineariseBatch(b, c, k);
      expect(lins.length).toBe(6);
      expect(counts).toEqual({ factor: 0, factorBatch: 4, systems: 12 }); // 2 active sets x 2 Dirichlet sets
      for (let s = 0; s < 6; s++) expectSameLinearisation(lins[s]!, await referenceLinearisation(c, k.slice(s * m, (s + 1) * m)));
      expect(lins[2]!.freeDrops[cut]).not.toBe(0); // the absent edge still has a drop (node voltages)
    });
  }

  it('names the system of a bad conductance vector', async () => {
    const c = smallCircuit(31);
    const m = c.edgeFrom.length;
    const k = new Float64Array(3 * m).fill(1);
    k[2 * m + 1] = -1;
    await expect(lineariseBatch(backend, c, k)).rejects.toThrow(/conductances\[1\]: system 2: must be finite and >= 0/);
    await expect(lineariseBatch(backend, c, new Float64Array(m + 1))).rejects.toThrow(/expected systems x/);
  });
});

/** True when removing edge j keeps every node connected to an input (the test's own union-find). */
function erdosRenyiStillConnected(c: Circuit, j: number): boolean {
  const parent = Array.from({ length: c.nodeCount }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  c.edgeFrom.forEach((a, e) => {
    if (e !== j) parent[find(a)] = find(c.edgeTo[e]!);
  });
  const roots = new Set(Array.from(c.inputNodes, find));
  return Array.from({ length: c.nodeCount }, (_, i) => roots.has(find(i))).every(Boolean);
}

describe('landscape: one batched factorization per Dirichlet set, same values as per point', () => {
  it('5 x 5 slice with inadmissible corners: every value and output equals the reference at that point (1e-10)', async () => {
    const c = smallCircuit(31);
    const m = c.edgeFrom.length;
    const kmin = Math.min(...c.conductances);
    const u = Float64Array.from({ length: m }, (_, j) => (j % 2 === 0 ? 1 : 0.5));
    const v = Float64Array.from({ length: m }, (_, j) => (j % 3 === 0 ? 1 : -0.25));
    const { backend: b, counts } = counting();
    const range = [-1.2 * kmin, 0.8 * kmin] as const;
    const ls = await landscape(b, c, { quantity: 'al', u, v, normalise: false, points: 5, range });
    expect(counts.factor).toBe(0);
    expect(counts.factorBatch).toBe(2); // inputs, inputs + outputs: all 25 - nulls points at once
    let nulls = 0;
    for (let a = 0; a < 5; a++) {
      for (let q = 0; q < 5; q++) {
        const k = c.conductances.map((x, j) => x + ls.e1[a]! * u[j]! + ls.e2[q]! * v[j]!);
        if (k.some((x) => !(x > 0))) {
          nulls++;
          expect(ls.values[a]![q]).toBeNull();
          expect(ls.output[a]![q]).toBeNull();
          continue;
        }
        const want = quantitiesOf(await referenceLinearisation(c, k));
        expectClose([ls.values[a]![q]!, ls.output[a]![q]!], [want.al, want.output], 1e-10);
      }
    }
    expect(nulls).toBeGreaterThan(0);
    expect(nulls).toBeLessThan(25);
    expect(counts.systems).toBe(2 * (25 - nulls));
  });

  it(`batchSize splits the grid (default LANDSCAPE_BATCH = ${LANDSCAPE_BATCH} points per batch), same values`, async () => {
    const c = smallCircuit(5, 1);
    const whole = await landscape(backend, c, { points: 5, range: [-0.2, 0.2] });
    const { backend: b, counts } = counting();
    const split = await landscape(b, c, { points: 5, range: [-0.2, 0.2], batchSize: 7 });
    expect(counts.factorBatch).toBe(2 + 2 * Math.ceil(25 / 7)); // the default u needs one point first
    expect(split.values).toEqual(whole.values);
    expect(split.output).toEqual(whole.output);
    expect(split.minimum).toEqual(whole.minimum);
    await expect(landscape(b, c, { batchSize: 0 })).rejects.toThrow(/batchSize: must be a positive integer/);
  });

  it('kite (paper 1, Fig. 3 slice, unit base): c_EP = 1/16 at the origin (closed form), one batch', async () => {
    const { backend: b, counts } = counting();
    const ls = await kiteLandscape(b, { points: 21, range: [-0.5, 0.5] });
    expect(ls.atOrigin).toBeCloseTo(1 / 16, 12);
    expect(counts.factorBatch).toBe(2);
    expect(counts.systems).toBe(2 * 21 * 21);
    for (const y of ls.output[10]!) expect(y).toBeCloseTo(0.5, 12); // s = 0: ratio condition, y = t* = 1/2 for every r
  });
});
