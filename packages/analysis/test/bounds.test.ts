/**
 * The CL and AL loss identities and bounds, checked against finite differences of the losses along
 * the learners' own velocity (independent of M), and their near-equality cases.
 */
import { describe, expect, it } from 'vitest';
import type { Circuit } from '@ohmlab/graph';
import { computeStates, edgeContrast, type Rule } from '@ohmlab/learners';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { adjointCoercivityMatrix, coercivityConstants, coercivityMatrix, linearise, lossesOf, type Linearisation } from '../src/index.js';
import { backend, smallCircuit } from './helpers.js';

async function velocity(c: Circuit, k: Float64Array, rule: Rule): Promise<Float64Array> {
  const s = await computeStates(backend, c, { rule, nudge: 'zero', conductances: k });
  return edgeContrast(c, s).map((g) => -g);
}

/** d/dt of (L, L_CL, L_AL) along `v` by central differences (h = 1e-6). */
async function rates(c: Circuit, k: Float64Array, v: Float64Array) {
  const h = 1e-6;
  const lp = lossesOf(await linearise(backend, c, { conductances: k.map((x, j) => x + h * v[j]!) }));
  const lm = lossesOf(await linearise(backend, c, { conductances: k.map((x, j) => x - h * v[j]!) }));
  return { loss: (lp.loss - lm.loss) / (2 * h), weightedLoss: (lp.weightedLoss - lm.weightedLoss) / (2 * h), adjointLoss: (lp.adjointLoss - lm.adjointLoss) / (2 * h) };
}

/** README's CL split: dissipative `-|M (I (x) D) r|^2 / S^2` and cubic `(1/2S) sum_{s,j} v_j q_sj^2`, `q_s = W D r_s`. */
function clSplit(lin: Linearisation, v: Float64Array) {
  const { sampleCount: S, outputCount: p, edgeCount: m } = lin;
  const W = lin.responseDrops.data;
  const D = lin.dirichletToNeumann.data;
  let diss = 0;
  let cubic = 0;
  const MDr = new Float64Array(m);
  for (let s = 0; s < S; s++) {
    const Dr = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let q = 0; q < p; q++) Dr[i]! += D[i * p + q]! * lin.residual[s * p + q]!;
    for (let j = 0; j < m; j++) {
      let qj = 0;
      for (let i = 0; i < p; i++) qj += W[j * p + i]! * Dr[i]!;
      MDr[j]! += lin.freeDrops[s * m + j]! * qj;
      cubic += (v[j]! * qj * qj) / (2 * S);
    }
  }
  for (const x of MDr) diss -= (x * x) / (S * S);
  return { diss, cubic };
}

function twoSamples(c: Circuit): Circuit {
  return { ...c, samples: [{ inputs: c.inputValues, targets: c.targets }, { inputs: Float64Array.of(0.2, 1, 0.4), targets: Float64Array.of(0.5, 0.45) }] };
}

describe('CL: dL_CL/dt = dissipative + cubic, each bounded', () => {
  for (const [name, c] of [['one sample', smallCircuit(43)], ['two samples', twoSamples(smallCircuit(43))]] as const) {
    it(name, async () => {
      const lin = await linearise(backend, c);
      const v = await velocity(c, c.conductances, 'cl');
      const fd = (await rates(c, c.conductances, v)).weightedLoss;
      const { diss, cubic } = clSplit(lin, v);
      expect(Math.abs(fd - (diss + cubic))).toBeLessThan(1e-7 * Math.abs(diss));
      expect(Math.abs(cubic)).toBeGreaterThan(1e-6 * Math.abs(diss)); // the cubic term is really there
      const L = lossesOf(lin).weightedLoss;
      const cc = coercivityConstants(lin);
      expect(diss).toBeLessThanOrEqual(-2 * cc.cl * L * (1 - 1e-9));
      expect(Math.abs(cubic)).toBeLessThanOrEqual(cc.clCubic * L ** 1.5);
    });
  }

  it('near-equality of the dissipative bound when D^{1/2} r is the worst right singular vector', async () => {
    const c0 = smallCircuit(47);
    const lin0 = await linearise(backend, c0);
    // worst right singular vector of M D^{1/2}; D^{1/2} from an eigendecomposition of D
    const D = new Matrix(2, 2);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) D.set(a, b, lin0.dirichletToNeumann.data[a * 2 + b]!);
    const svdD = new SingularValueDecomposition(D);
    const half = svdD.leftSingularVectors.mmul(Matrix.diag(svdD.diagonal.map(Math.sqrt))).mmul(svdD.leftSingularVectors.transpose());
    const M = coercivityMatrix(lin0);
    const MM = new Matrix(M.rows, 2);
    for (let j = 0; j < M.rows; j++) for (let i = 0; i < 2; i++) MM.set(j, i, M.data[j * 2 + i]!);
    const svd = new SingularValueDecomposition(MM.mmul(half));
    const w = svd.diagonal[0]! < svd.diagonal[1]! ? 0 : 1;
    const e = [svd.rightSingularVectors.get(0, w), svd.rightSingularVectors.get(1, w)];
    // r = D^{-1/2} e (M and D do not depend on the targets, so this is exact)
    const rr = new SingularValueDecomposition(half).inverse().mmul(Matrix.columnVector(e)).to1DArray();
    const c = { ...c0, targets: Float64Array.from(lin0.outputs, (y, i) => y - 0.01 * rr[i]!) };
    const lin = await linearise(backend, c);
    const { diss } = clSplit(lin, await velocity(c, c.conductances, 'cl'));
    const cc = coercivityConstants(lin);
    expect(Math.abs(diss / (-2 * cc.cl * lossesOf(lin).weightedLoss) - 1)).toBeLessThan(1e-9);
  });
});

describe('AL: dL_AL/dt = -|N mu|^2 / S^2 <= -2 c_AL L_AL', () => {
  it('near-equality when mu is the worst right singular vector of N (mu = -D r)', async () => {
    const c0 = smallCircuit(53);
    const lin0 = await linearise(backend, c0);
    // N depends on the targets through dv^r: take it at t = y^f (mu = 0), then perturb by O(1e-4)
    const N = adjointCoercivityMatrix(await linearise(backend, { ...c0, targets: Float64Array.from(lin0.outputs) }));
    const NN = new Matrix(N.rows, 2);
    for (let j = 0; j < N.rows; j++) for (let i = 0; i < 2; i++) NN.set(j, i, N.data[j * 2 + i]!);
    const svd = new SingularValueDecomposition(NN);
    const w = svd.diagonal[0]! < svd.diagonal[1]! ? 0 : 1;
    // |mu| = 1e-2: N moves by O(|mu|), so the ratio exceeds 1 by ~1e-6; smaller mu drowns in the
    // finite-difference noise of L_AL (mu is a small current computed from O(1) branch currents)
    const mu = [svd.rightSingularVectors.get(0, w) * 1e-2, svd.rightSingularVectors.get(1, w) * 1e-2];
    // mu = -D r  =>  r = -G mu, t = y - r; N depends on t only through dv^r: to first order
    const G = lin0.outputResistance.data;
    const r = [-(G[0]! * mu[0]! + G[1]! * mu[1]!), -(G[2]! * mu[0]! + G[3]! * mu[1]!)];
    const c = { ...c0, targets: Float64Array.from(lin0.outputs, (y, i) => y - r[i]!) };
    const lin = await linearise(backend, c);
    const fd = (await rates(c, c.conductances, await velocity(c, c.conductances, 'al'))).adjointLoss;
    const bound = -2 * coercivityConstants(lin).al * lossesOf(lin).adjointLoss;
    expect(fd).toBeLessThanOrEqual(bound * (1 - 1e-9));
    expect(fd / bound).toBeLessThan(1 + 1e-5); // near-equality
    // a generic residual decays strictly faster relative to the bound
    const fd0 = (await rates(c0, c0.conductances, await velocity(c0, c0.conductances, 'al'))).adjointLoss;
    expect(fd0 / (-2 * coercivityConstants(lin0).al * lossesOf(lin0).adjointLoss)).toBeGreaterThan(1.05);
  });
});
