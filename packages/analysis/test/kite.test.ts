/**
 * The kite (paper 1 sec. 6) and the maximum-principle theorem, against closed forms derived by hand
 * and against the combinatorial prediction.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32, type Circuit } from '@ohmlab/graph';
import {
  analyzeCircuit,
  coercivityConstants,
  coercivityMatrix,
  kiteCensus,
  kiteCircuit,
  kiteClaims,
  kiteFreeOutput,
  kiteLandscape,
  kiteRun,
  KITE_REPRODUCE_BASE,
  KITE_UNIT_BASE,
  linearise,
  maximumPrincipleSearch,
  outputIsolation,
} from '../src/index.js';
import { backend } from './helpers.js';

/**
 * c_EP of the strut kite at the ratio condition, by hand: free x_a = x_b = x_o = v = k1/(k1+k2),
 * drops (1-v, v, 1-v, v, 0, 0); unit current into o splits I5 : I6 = R_b : R_a with
 * R_a = 1/k5 + 1/(k1+k2), R_b = 1/k6 + 1/(k3+k4), so z_a = I5/(k1+k2), z_b = I6/(k3+k4) and
 * M = (-(1-v) z_a, v z_a, -(1-v) z_b, v z_b, 0, 0): c_EP = ((1-v)^2 + v^2)(z_a^2 + z_b^2) > 0.
 */
function cEpAtRatio(k: number[]): number {
  const [k1, k2, k3, k4, k5, k6] = k as [number, number, number, number, number, number];
  const v = k1 / (k1 + k2);
  const Ra = 1 / k5 + 1 / (k1 + k2);
  const Rb = 1 / k6 + 1 / (k3 + k4);
  const za = Rb / (Ra + Rb) / (k1 + k2);
  const zb = Ra / (Ra + Rb) / (k3 + k4);
  return ((1 - v) ** 2 + v ** 2) * (za * za + zb * zb);
}

describe('kite closed forms', () => {
  it('free output: closed form = solver, at random conductances', async () => {
    const random = mulberry32(3);
    for (let i = 0; i < 20; i++) {
      const k = Array.from({ length: 6 }, () => 0.1 + 5 * random());
      const lin = await linearise(backend, kiteCircuit({ base: k }));
      expect(lin.outputs[0]).toBeCloseTo(kiteFreeOutput(k), 13);
    }
  });

  it('c_EP at the ratio condition equals the hand-derived closed form, never 0 (k5 = k6 or not)', async () => {
    expect(cEpAtRatio([...KITE_UNIT_BASE])).toBeCloseTo(1 / 16, 15);
    expect(cEpAtRatio([...KITE_REPRODUCE_BASE])).toBeCloseTo(5 / 162, 15);
    const random = mulberry32(5);
    for (let i = 0; i < 20; i++) {
      const k1 = 0.1 + 3 * random();
      const k2 = 0.1 + 3 * random();
      const lambda = 0.2 + 3 * random();
      const k5 = 0.1 + 3 * random();
      const k6 = i % 2 === 0 ? k5 : 0.1 + 3 * random();
      const k = [k1, k2, lambda * k1, lambda * k2, k5, k6];
      const c = kiteCircuit({ base: k });
      const lin = await linearise(backend, c);
      const cc = coercivityConstants(lin);
      expect(Math.abs(cc.ep - cEpAtRatio(k))).toBeLessThan(1e-12 * cEpAtRatio(k));
      expect(cc.ep).toBeGreaterThan(0);
      const rep = await analyzeCircuit(backend, c);
      expect(rep.regular).toBe(true);
      expect(rep.fixedPoint).toBe('solution');
    }
  });
});

describe('paper 1 sec. 6 claims at the "non-coercive" base points', () => {
  for (const [name, base, tStar] of [['all ones', KITE_UNIT_BASE, 0.5], ['reproduce base (1,2,1,2,1,1)', KITE_REPRODUCE_BASE, 1 / 3]] as const) {
    it(`${name}: free and clamped supports overlap, no spurious fixed point, AL moves the outer edges`, async () => {
      const res = await kiteClaims(backend, { base, offTarget: 0.6 });
      expect(res.ratioResidual).toBe(0);
      expect(res.strutDifference).toBe(0);
      expect(res.tStar).toBeCloseTo(tStar, 14);
      expect(Math.abs(res.freeDrops[4]!)).toBeLessThan(1e-15); // edges a-o, o-b inactive (true)
      expect(res.sharedSupport).toEqual([0, 1, 2, 3]); // but the clamped drops do NOT vanish there
      expect(res.coercivity.ep).toBeCloseTo(cEpAtRatio([...base]), 14);
      expect(res.rank).toBe(1);
      for (const u of res.updates) {
        expect(u.fixedPoint).toBe('none');
        expect(u.updateNorm).toBeGreaterThan(1e-3);
        expect(u.strutAsymmetry).toBeLessThan(1e-15); // the a <-> b symmetry is preserved (true)
      }
      // EP and CL act only on the outer edges; AL acts on all six (paper: only on k5, k6)
      expect(res.updates[0]!.outerShare).toBeCloseTo(1, 14);
      const al = res.updates[2]!;
      expect(al.outerShare).toBeGreaterThan(0.5);
      expect(Math.abs(al.velocity[4]!)).toBeGreaterThan(1e-3);
    });
  }

  it('runs from the reproduce base to t = 0.6: EP reaches a solution; AL ends at k5 = k6 = 0 with L > 0 (the paper\'s AL end state)', async () => {
    const ep = await kiteRun(backend, { base: KITE_REPRODUCE_BASE, target: 0.6, rule: 'ep', duration: 3000 });
    expect(ep.finalLoss!).toBeLessThan(1e-15);
    const al = await kiteRun(backend, { base: KITE_REPRODUCE_BASE, target: 0.6, rule: 'al', duration: 3000 });
    expect(al.finalConductances[4]!).toBeLessThan(1e-6);
    expect(al.finalConductances[5]!).toBeLessThan(1e-6);
    expect(al.finalConductances[0]! - 1).toBeGreaterThan(0.1); // the outer edges moved (paper: fixed)
    expect(al.finalLoss ?? 1).toBeGreaterThan(1e-3);
  });

  it('Figure 3 slice: origin value = c_EP at the base; y = t* along the whole r axis (s = 0); c is not minimal at the origin', async () => {
    const ls = await kiteLandscape(backend, { base: KITE_REPRODUCE_BASE, points: 5, range: [-0.4, 0.4] });
    expect(ls.atOrigin).toBeCloseTo(5 / 162, 14);
    for (const y of ls.output[2]!) expect(y).toBeCloseTo(1 / 3, 14);
    expect(Math.abs(ls.output[0]![2]! - 1 / 3)).toBeGreaterThan(1e-3);
    expect(ls.minimum!.value).toBeLessThan(ls.atOrigin!);
    expect(ls.minimum!.value).toBeGreaterThan(0);
  });
});

describe('maximum-principle theorem: a column of M vanishes iff its output sees one input voltage', () => {
  it('p = 1 spurious fixed point exists exactly in the isolated case', async () => {
    // s (1 V) - g (0 V) directly; the output o hangs between g and a second 0 V input h
    const isolated: Circuit = {
      nodeCount: 4,
      edgeFrom: Uint32Array.of(0, 1, 3),
      edgeTo: Uint32Array.of(1, 2, 2),
      conductances: Float64Array.of(1, 1, 2),
      inputNodes: Uint32Array.of(0, 1, 3),
      inputValues: Float64Array.of(1, 0, 0),
      outputNodes: Uint32Array.of(2),
      targets: Float64Array.of(0.3),
    };
    expect(outputIsolation(isolated).zeroColumn).toEqual([true]);
    const rep = await analyzeCircuit(backend, isolated);
    expect(rep.fixedPoint).toBe('spurious');
    expect(rep.loss).toBeCloseTo(0.045, 14);
    expect(rep.coercivity.ep).toBe(0);
    // raise h to 1 V: the output now sees two voltages, M != 0, no fixed point
    const seeing = { ...isolated, inputValues: Float64Array.of(1, 0, 1) };
    expect(outputIsolation(seeing).zeroColumn).toEqual([false]);
    const rep2 = await analyzeCircuit(backend, seeing);
    expect(rep2.fixedPoint).toBe('none');
    expect(rep2.coercivity.ep).toBeGreaterThan(0.01);
  });

  it('per column, with several outputs and samples', async () => {
    const c: Circuit = {
      nodeCount: 6,
      edgeFrom: Uint32Array.of(0, 2, 3, 4),
      edgeTo: Uint32Array.of(2, 1, 4, 5),
      conductances: Float64Array.of(1, 2, 1, 3),
      inputNodes: Uint32Array.of(0, 1, 3, 5),
      inputValues: Float64Array.of(1, 0, 0.5, 0.5),
      outputNodes: Uint32Array.of(2, 4),
      targets: Float64Array.of(0.4, 0.4),
      samples: [
        { inputs: Float64Array.of(1, 0, 0.5, 0.5), targets: Float64Array.of(0.4, 0.4) },
        { inputs: Float64Array.of(1, 0, 0.2, 0.7), targets: Float64Array.of(0.4, 0.4) },
      ],
    };
    const pred = outputIsolation(c).zeroColumn;
    expect(pred).toEqual([false, true, false, false]);
    const M = coercivityMatrix(await linearise(backend, c));
    for (let col = 0; col < 4; col++) {
      let s = 0;
      for (let j = 0; j < M.rows; j++) s += M.data[j * 4 + col]! ** 2;
      if (pred[col]) expect(Math.sqrt(s)).toBeLessThan(1e-15);
      else expect(Math.sqrt(s)).toBeGreaterThan(1e-3);
    }
  });

  it('census of every single-output circuit on up to 5 nodes (every reading of the kite): no degeneracy', async () => {
    const res = await kiteCensus(backend, { interior: [1, 2, 3], randomSamples: 1, seed: 2 });
    expect(res.circuits).toEqual({ 1: 6, 2: 48, 3: 828 });
    expect(res.mismatches).toBe(0);
    expect(res.isolatedOutputs).toEqual([]);
    expect(res.isolatedMax).toBeLessThan(1e-12);
    expect(res.leastCoupling).toBeGreaterThan(1e-6);
  });

  it('randomised search on ER circuits (six decades of conductance): prediction = numbers', async () => {
    const res = await maximumPrincipleSearch(backend, { trials: 80, seed: 4 });
    expect(res.mismatches).toBe(0);
    expect(res.predictedZero).toBeGreaterThan(5);
    expect(res.predictedZero).toBeLessThan(75);
    expect(res.isolatedMax).toBeLessThan(1e-10);
    expect(res.leastCoupling).toBeGreaterThan(1e-8);
  });
});
