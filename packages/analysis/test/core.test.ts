import { describe, expect, it } from 'vitest';
import { sampleBatch, trainingMetrics, openStateSolver } from '@ohmlab/learners';
import { coercivityConstants, coercivityMatrix, linearise, lossesOf, numericalRank, outputJacobian, singularValues, solutionManifold } from '../src/index.js';
import { backend, jacobiEigenvalues, lossAt, smallCircuit } from './helpers.js';

describe('linearisation', () => {
  it('losses agree with the learners trainingMetrics', async () => {
    const c = smallCircuit();
    const lin = await linearise(backend, c);
    const solver = openStateSolver(backend, c);
    const ref = await trainingMetrics(solver, sampleBatch(c));
    solver.dispose();
    const mine = lossesOf(lin);
    expect(mine.loss).toBeCloseTo(ref.loss, 12);
    expect(Math.abs(mine.weightedLoss - ref.weightedLoss)).toBeLessThan(1e-10 * ref.weightedLoss);
    expect(Math.abs(mine.adjointLoss - ref.adjointLoss)).toBeLessThan(1e-10 * ref.adjointLoss);
    expect(mine.weightedLoss).toBeGreaterThan(0);
  });

  it('output Jacobian -M^T matches central finite differences', async () => {
    const c = smallCircuit(5);
    const lin = await linearise(backend, c);
    const J = outputJacobian(lin);
    const m = lin.edgeCount;
    const p = lin.outputCount;
    let worst = 0;
    let scale = 0;
    for (let j = 0; j < m; j++) {
      const h = 1e-5 * c.conductances[j]!;
      const kp = Float64Array.from(c.conductances);
      const km = Float64Array.from(c.conductances);
      kp[j]! += h;
      km[j]! -= h;
      const yp = (await lossAt(c, kp)).outputs;
      const ym = (await lossAt(c, km)).outputs;
      for (let i = 0; i < p; i++) {
        const fd = (yp[i]! - ym[i]!) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - J.data[i * m + j]!));
        scale = Math.max(scale, Math.abs(fd));
      }
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-8 * scale);
  });

  it('rank and singular values agree with Jacobi eigenvalues of M^T M', async () => {
    const c = smallCircuit(7);
    const lin = await linearise(backend, c);
    const M = coercivityMatrix(lin);
    const P = M.cols;
    const MtM = new Float64Array(P * P);
    for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) {
      let s = 0;
      for (let j = 0; j < M.rows; j++) s += M.data[j * P + a]! * M.data[j * P + b]!;
      MtM[a * P + b] = s;
    }
    const eig = jacobiEigenvalues(MtM, P);
    const sv = singularValues(M);
    for (let i = 0; i < P; i++) expect(Math.abs(sv[i]! ** 2 - eig[i]!)).toBeLessThan(1e-12 * eig[0]!);
    expect(numericalRank(sv, 1e-10)).toBe(P);
    expect(coercivityConstants(lin).ep).toBeCloseTo(eig[P - 1]!, 14);
  });

  it('duplicated samples make M rank deficient (not regular), as the eigenvalues say', async () => {
    const base = smallCircuit(7);
    const sample = { inputs: base.inputValues, targets: base.targets };
    const c = { ...base, samples: [sample, sample] };
    const lin = await linearise(backend, c);
    const M = coercivityMatrix(lin);
    expect(M.cols).toBe(4);
    const sv = singularValues(M);
    expect(numericalRank(sv, 1e-10)).toBe(2);
    expect(coercivityConstants(lin, M).ep).toBeLessThan(1e-20);
  });

  it('solution-manifold tangent vectors keep the outputs fixed to second order', async () => {
    const c = smallCircuit(9, 1);
    const lin = await linearise(backend, c);
    const M = coercivityMatrix(lin);
    const man = solutionManifold(M, 1);
    expect(man.dimension).toBe(lin.edgeCount - 1);
    const J = outputJacobian(lin, M);
    const t = Float64Array.from({ length: lin.edgeCount }, (_, j) => man.tangentBasis.data[j * man.dimension]!);
    let dot = 0;
    for (let j = 0; j < t.length; j++) dot += J.data[j]! * t[j]!;
    expect(Math.abs(dot)).toBeLessThan(1e-12);
    const y0 = lin.outputs[0]!;
    const dy = async (h: number) => (await lossAt(c, Float64Array.from(c.conductances, (k, j) => k + h * t[j]!))).outputs[0]! - y0;
    const d1 = Math.abs(await dy(1e-2));
    const d2 = Math.abs(await dy(5e-3));
    expect(d1).toBeGreaterThan(0);
    expect(d1 / d2).toBeGreaterThan(3.5); // quadratic, not linear (ratio 2)
  });
});
