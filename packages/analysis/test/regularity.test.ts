import { describe, expect, it } from 'vitest';
import type { Circuit } from '@ohmlab/graph';
import {
  activeIncidenceDense,
  activeIncidenceMatrix,
  activeResponseMatrix,
  AnalysisError,
  analyzeCircuit,
  coercivityMatrix,
  kiteCircuit,
  linearise,
  numericalRank,
  singularValues,
  solutionManifold,
} from '../src/index.js';
import { backend, denseResponses, jacobiSingularValues, smallCircuit } from './helpers.js';

/** Two dividers sharing the ground; the second carries no current (both its ends at 0 V). */
const deadDivider: Circuit = {
  nodeCount: 5,
  edgeFrom: Uint32Array.of(0, 2, 3, 4),
  edgeTo: Uint32Array.of(2, 1, 4, 1),
  conductances: Float64Array.of(1, 2, 1, 1),
  inputNodes: Uint32Array.of(0, 1, 3),
  inputValues: Float64Array.of(1, 0, 0),
  outputNodes: Uint32Array.of(2, 4),
  targets: Float64Array.of(0.5, 0.3),
};

function rankOf(sv: number[], tol = 1e-10): number {
  return sv.filter((s) => s > tol * (sv[0] ?? 0) && s > 0).length;
}

const cases: [string, () => Circuit, number][] = [
  ['ER 12 nodes, p = 2 (regular)', () => smallCircuit(7), 2],
  ['ER 12 nodes, p = 3, 2 samples (regular, Sp = 6)', () => {
    const c = smallCircuit(5, 3);
    return { ...c, samples: [{ inputs: c.inputValues, targets: c.targets }, { inputs: Float64Array.of(0.3, 0.9, 0.1), targets: c.targets }] };
  }, 6],
  ['2 samples whose inputs are affinely related (u2 = 0.5 - 0.2 u1: proportional blocks, rank 3 of 6)', () => {
    const c = smallCircuit(5, 3);
    return { ...c, samples: [{ inputs: c.inputValues, targets: c.targets }, { inputs: Float64Array.from(c.inputValues, (u) => 0.5 - 0.2 * u), targets: c.targets }] };
  }, 3],
  ['duplicated samples (rank 2 of 4)', () => {
    const c = smallCircuit(7);
    const s = { inputs: c.inputValues, targets: c.targets };
    return { ...c, samples: [s, s] };
  }, 2],
  ['dead divider (rank 1 of 2)', () => deadDivider, 1],
  ['kite at the ratio condition (rank 1 of 1, two inactive edges)', () => kiteCircuit(), 1],
];

describe('rank and regularity against an independent SVD', () => {
  for (const [name, make, expected] of cases) {
    it(name, async () => {
      const c = make();
      const lin = await linearise(backend, c);
      const M = coercivityMatrix(lin);
      const mine = singularValues(M);
      const ref = jacobiSingularValues(M.data, M.rows, M.cols);
      expect(mine.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(mine[i]! - ref[i]!)).toBeLessThan(1e-12 * ref[0]!);
      expect(rankOf(ref)).toBe(expected);
      const rep = await analyzeCircuit(backend, c);
      expect(rep.rank).toBe(rankOf(ref));
      expect(rep.regular).toBe(rankOf(ref) === M.cols);
      expect(rep.manifoldDimension).toBe(M.rows - rankOf(ref));
      expect(numericalRank(mine, 1e-10)).toBe(expected);
    });
  }
});

describe('linearisation against a dense Gaussian elimination', () => {
  it('W = A L_c^{-1} B and G = B^T L_c^{-1} B match', async () => {
    const c = smallCircuit(41, 3);
    const lin = await linearise(backend, c);
    const Z = denseResponses(c);
    const p = 3;
    let worst = 0;
    for (let j = 0; j < c.edgeFrom.length; j++) {
      for (let i = 0; i < p; i++) {
        const w = Z[c.edgeFrom[j]! * p + i]! - Z[c.edgeTo[j]! * p + i]!;
        worst = Math.max(worst, Math.abs(w - lin.responseDrops.data[j * p + i]!));
      }
    }
    expect(worst).toBeLessThan(1e-12);
    c.outputNodes.forEach((o, a) => {
      for (let i = 0; i < p; i++) expect(lin.outputResistance.data[a * p + i]).toBeCloseTo(Z[o * p + i]!, 12);
    });
  });
});

describe('active edges and the active-incidence matrix (paper 1 eq. 40, Lemma 5.1)', () => {
  it('kite: edges a-o, o-b inactive; A_act are rows of A; rank(A_act L_c^{-1} B) = rank(M)', async () => {
    const c = kiteCircuit({ base: [1, 2, 1, 2, 1, 1] });
    const lin = await linearise(backend, c);
    const A = activeIncidenceMatrix(lin);
    expect(Array.from(A.edges)).toEqual([0, 1, 2, 3]);
    const dense = activeIncidenceDense(A);
    for (let r = 0; r < A.rows; r++) {
      const j = A.edges[r]!;
      for (let v = 0; v < c.nodeCount; v++) {
        const expected = v === c.edgeFrom[j] ? 1 : v === c.edgeTo[j] ? -1 : 0;
        expect(dense.data[r * c.nodeCount + v]).toBe(expected);
      }
    }
    const Wact = activeResponseMatrix(lin);
    const M = coercivityMatrix(lin);
    expect(rankOf(jacobiSingularValues(Wact.data, Wact.rows, Wact.cols))).toBe(rankOf(jacobiSingularValues(M.data, M.rows, M.cols)));
    const rep = await analyzeCircuit(backend, c, { activeTolerance: 1e-9 });
    expect(rep.activeEdges).toEqual([0, 1, 2, 3]);
    expect(rep.activeIncidence).toEqual([[0, 2], [2, 1], [0, 3], [3, 1]]);
    expect(rep.activeThreshold).toBeCloseTo(1e-9 * (2 / 3), 20);
  });

  it('rejects a tolerance outside [0, 1)', async () => {
    const lin = await linearise(backend, kiteCircuit());
    expect(() => activeIncidenceMatrix(lin, 1)).toThrow(AnalysisError);
    expect(() => activeIncidenceMatrix(lin, Number.NaN)).toThrow(/activeTolerance/);
  });
});

describe('solution-manifold tangent basis', () => {
  for (const [name, make] of [['regular ER p = 2', () => smallCircuit(9)], ['dead divider (rank 1)', () => deadDivider]] as const) {
    it(`${name}: orthonormal, orthogonal to range(M), dimension m - rank`, async () => {
      const c = make();
      const lin = await linearise(backend, c);
      const M = coercivityMatrix(lin);
      const rank = rankOf(jacobiSingularValues(M.data, M.rows, M.cols));
      const { dimension, tangentBasis: T } = solutionManifold(M, rank);
      const m = M.rows;
      expect(dimension).toBe(m - rank);
      let mNorm = 0;
      for (const x of M.data) mNorm = Math.max(mNorm, Math.abs(x));
      for (let a = 0; a < dimension; a++) {
        for (let b = 0; b < dimension; b++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += T.data[j * dimension + a]! * T.data[j * dimension + b]!;
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        }
        for (let q = 0; q < M.cols; q++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += T.data[j * dimension + a]! * M.data[j * M.cols + q]!;
          expect(Math.abs(s)).toBeLessThan(1e-12 * mNorm * Math.sqrt(m));
        }
      }
      const rep = await analyzeCircuit(backend, c, { tangentBasis: true });
      expect(rep.tangentBasis?.length).toBe(m);
      expect(rep.tangentBasis?.[0]?.length).toBe(m - rank);
      expect((await analyzeCircuit(backend, c)).tangentBasis).toBeUndefined();
    });
  }

  it('refuses a dense basis above maxEdges with a clear error', async () => {
    const lin = await linearise(backend, smallCircuit(9));
    const M = coercivityMatrix(lin);
    expect(() => solutionManifold(M, 2, 5)).toThrow(/raise maxEdges/);
    await expect(analyzeCircuit(backend, smallCircuit(9), { tangentBasis: true, maxTangentEdges: 5 })).rejects.toThrow(AnalysisError);
  });
});
