import { describe, expect, it } from 'vitest';
import { voltageDivider } from '@ohmlab/graph';
import { analyzeCircuit, degeneracySearch, genericity, kiteCircuit, kiteReading, landscape, linearise, coercivityConstants, orthogonalDirection } from '../src/index.js';
import { backend, smallCircuit } from './helpers.js';

describe('experiments', () => {
  it('kite strut reading: c_EP = 1/16 at the balanced point (closed form), a regular solution', async () => {
    const rep = await analyzeCircuit(backend, kiteReading('strut'));
    // dv = 1/2 on the four outer edges, unit-current response drops 1/4: M = (-1,1,-1,1,0,0)/8
    expect(rep.coercivity.ep).toBeCloseTo(1 / 16, 14);
    expect(rep.activeEdges).toEqual([0, 1, 2, 3]);
    expect(rep.fixedPoint).toBe('solution');
    expect(rep.regular).toBe(true);
  });

  it('landscape: centre value and output equal the direct analysis; non-positive k is null', async () => {
    const c = smallCircuit(31);
    const ls = await landscape(backend, c, { quantity: 'ep', points: 3, range: [-0.2, 0.2] });
    const lin = await linearise(backend, c);
    expect(ls.values[1]![1]).toBeCloseTo(coercivityConstants(lin).ep, 14);
    expect(ls.output[1]![1]).toBeCloseTo(lin.outputs[0]!, 14);
    // default u is the level-set normal: the output changes along e1, hardly along e2 (tangent)
    const along1 = Math.abs(ls.output[2]![1]! - ls.output[0]![1]!);
    const along2 = Math.abs(ls.output[1]![2]! - ls.output[1]![0]!);
    expect(along2).toBeLessThan(0.1 * along1);
    const far = await landscape(backend, voltageDivider(), { points: 2, range: [-5, 0] });
    expect(far.values[0]![0]).toBeNull();
  });

  it('degeneracy search stays in the box and does not end above its starting points', async () => {
    const res = await degeneracySearch(backend, kiteReading('bridge'), { restarts: 2, evaluations: 80, bounds: [0.5, 2] });
    for (const k of res.conductances) {
      expect(k).toBeGreaterThanOrEqual(0.5 - 1e-12);
      expect(k).toBeLessThanOrEqual(2 + 1e-12);
    }
    expect(res.best).toBe(Math.min(...res.restarts));
    expect(res.best).toBeGreaterThan(0);
    await expect(degeneracySearch(backend, kiteReading('bridge'), { bounds: [0, 1] })).rejects.toThrow(/bounds/);
  });

  it('genericity: trained end points lie on their solution manifolds; smallest constant is the min over accepted runs', async () => {
    const res = await genericity(backend, kiteCircuit(), { targets: 2, seed: 3 });
    expect(res.runs.length).toBe(2);
    const accepted = res.runs.filter((r) => r.finalLoss !== null && r.finalLoss <= 1e-10);
    expect(res.accepted).toBe(accepted.length);
    expect(res.accepted).toBeGreaterThan(0);
    expect(res.smallestEp).toBe(Math.min(...accepted.map((r) => r.coercivity!.ep)));
    expect(res.smallestEp).toBeGreaterThan(0);
    await expect(genericity(backend, kiteCircuit(), { targets: 0 })).rejects.toThrow(/targets/);
  });

  it('orthogonalDirection is a unit vector orthogonal to u', () => {
    const u = Float64Array.of(0.3, -1, 2, 0.5);
    const v = orthogonalDirection(u);
    expect(v.reduce((a, x, j) => a + x * u[j]!, 0)).toBeCloseTo(0, 15);
    expect(v.reduce((a, x) => a + x * x, 0)).toBeCloseTo(1, 15);
  });
});
