import { describe, expect, it } from 'vitest';
import { computeStates, edgeContrast, trainContinuous, type Rule } from '@ohmlab/learners';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { coercivityConstants, coercivityMatrix, linearise, lossesOf, conservationReport } from '../src/index.js';
import { backend, smallCircuit } from './helpers.js';
import type { Circuit } from '@ohmlab/graph';

/** The rule's zero-nudge conductance velocity -g from the learners package (independent of M). */
async function velocity(c: Circuit, k: Float64Array, rule: Rule): Promise<Float64Array> {
  const s = await computeStates(backend, c, { rule, nudge: 'zero', conductances: k });
  return edgeContrast(c, s).map((g) => -g);
}

/** d/dt of each loss along the flow, by central differences. */
async function lossRates(c: Circuit, k: Float64Array, rule: Rule) {
  const v = await velocity(c, k, rule);
  const h = 1e-6;
  const lp = lossesOf(await linearise(backend, c, { conductances: k.map((x, j) => x + h * v[j]!) }));
  const lm = lossesOf(await linearise(backend, c, { conductances: k.map((x, j) => x - h * v[j]!) }));
  return {
    loss: (lp.loss - lm.loss) / (2 * h),
    weightedLoss: (lp.weightedLoss - lm.weightedLoss) / (2 * h),
    adjointLoss: (lp.adjointLoss - lm.adjointLoss) / (2 * h),
  };
}

describe('coercivity constants along trajectories', () => {
  for (const rule of ['ep', 'cl', 'al'] as const) {
    it(`${rule}: the loss decay bound holds at every recorded point`, async () => {
      const c = smallCircuit(11);
      const run = await trainContinuous(backend, c, { rule, nudge: 'zero', duration: 4, record: 5 });
      const ks = run.history.conductances!;
      expect(ks.length).toBe(5);
      for (const k of ks) {
        const lin = await linearise(backend, c, { conductances: k });
        const L = lossesOf(lin);
        const cc = coercivityConstants(lin);
        const rate = await lossRates(c, k, rule);
        if (rule === 'ep') {
          expect(cc.ep).toBeGreaterThan(0);
          expect(rate.loss).toBeLessThanOrEqual(-2 * cc.ep * L.loss * (1 - 1e-6));
        } else if (rule === 'al') {
          expect(cc.al).toBeGreaterThan(0);
          expect(rate.adjointLoss).toBeLessThanOrEqual(-2 * cc.al * L.adjointLoss * (1 - 1e-6));
        } else {
          expect(cc.cl).toBeGreaterThan(0);
          expect(rate.weightedLoss).toBeLessThanOrEqual(-2 * cc.cl * L.weightedLoss + cc.clCubic * L.weightedLoss ** 1.5 + 1e-9 * Math.abs(rate.weightedLoss));
        }
      }
    });
  }

  it('ep: near-equality dL/dt = -2 c_EP L when r is the worst right singular vector of M', async () => {
    const c0 = smallCircuit(13);
    const lin0 = await linearise(backend, c0);
    const M = coercivityMatrix(lin0);
    const Mm = new Matrix(M.rows, M.cols);
    for (let j = 0; j < M.rows; j++) for (let i = 0; i < M.cols; i++) Mm.set(j, i, M.data[j * M.cols + i]!);
    const svd = new SingularValueDecomposition(Mm);
    const V = svd.rightSingularVectors;
    const order = svd.diagonal.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
    const w = order[0]![1];
    const eps = 0.01;
    const targets = Float64Array.from(lin0.outputs, (y, i) => y - eps * V.get(i, w));
    const c = { ...c0, targets };
    const lin = await linearise(backend, c);
    const L = lossesOf(lin).loss;
    const cc = coercivityConstants(lin);
    const rate = (await lossRates(c, c.conductances, 'ep')).loss;
    expect(Math.abs(rate / (-2 * cc.ep * L) - 1)).toBeLessThan(1e-6);
    // and a generic residual decays strictly faster
    const rate0 = (await lossRates(c0, c0.conductances, 'ep')).loss;
    expect(rate0 / (-2 * cc.ep * lossesOf(lin0).loss)).toBeGreaterThan(1.01);
  });
});

describe('conservation report', () => {
  it('mass rate: 0 for EP/CL, -4 L_AL for AL (sum k dk/dt = -2 L_AL); finite-nudge drift matches the learners rule', async () => {
    const c = smallCircuit(17);
    const lin = await linearise(backend, c);
    const L = lossesOf(lin);
    for (const rule of ['ep', 'cl', 'al'] as const) {
      const rep = conservationReport(lin, rule);
      let mass = 0;
      for (const k of c.conductances) mass += k * k;
      expect(rep.conservedQuantity).toBeCloseTo(mass, 12);
      if (rule === 'al') {
        expect(rep.conductanceWork / (-2 * L.adjointLoss)).toBeCloseTo(1, 9);
        expect(rep.massRate / (-4 * L.adjointLoss)).toBeCloseTo(1, 9);
      } else {
        expect(Math.abs(rep.massRate)).toBeLessThan(1e-12);
      }
      // finite one-sided nudge from the learners' physical rule: d(sum k^2)/dt = -2 sum k g
      const eta = 0.3;
      const s = await computeStates(backend, c, { rule, nudge: 'finite', eta });
      const g = edgeContrast(c, s);
      let ref = 0;
      for (let j = 0; j < g.length; j++) ref += -2 * c.conductances[j]! * g[j]!;
      const mine = rep.massRate + eta * rep.driftPerEta;
      expect(Math.abs(mine - ref)).toBeLessThan(1e-10 * Math.abs(ref));
      expect(rep.driftPerEta).toBeLessThan(0); // sign of -eta (paper 2 eq. 4.11-4.12)
    }
  });

  it('log-conductances: the conserved sum theta has zero rate under EP', async () => {
    const c = smallCircuit(19);
    const lin = await linearise(backend, c);
    const rep = conservationReport(lin, 'ep', 'log');
    let s = 0;
    for (const k of c.conductances) s += Math.log(k);
    expect(rep.conservedQuantity).toBeCloseTo(s, 12);
    expect(Math.abs(rep.massRate)).toBeLessThan(1e-12);
  });
});
