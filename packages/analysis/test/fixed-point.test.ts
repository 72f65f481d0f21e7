import { describe, expect, it } from 'vitest';
import type { Circuit } from '@ohmlab/graph';
import { analyzeCircuit, classifyFixedPoint, linearise } from '../src/index.js';
import { backend, smallCircuit } from './helpers.js';

/**
 * Two dividers sharing the ground: s1 (1 V) - o1 - g and s2 (0 V) - o2 - g. The second divider
 * carries no current (s2 = g = 0 V), so no edge can move y2: with y1 on target and t2 = 0.3 the
 * EP and CL updates vanish exactly while L = 0.045 > 0 (a spurious fixed point).
 */
function deadDivider(t1: number, t2: number): Circuit {
  return {
    nodeCount: 5,
    edgeFrom: Uint32Array.of(0, 2, 3, 4),
    edgeTo: Uint32Array.of(2, 1, 4, 1),
    conductances: Float64Array.of(1, 1, 1, 1),
    inputNodes: Uint32Array.of(0, 1, 3),
    inputValues: Float64Array.of(1, 0, 0),
    outputNodes: Uint32Array.of(2, 4),
    targets: Float64Array.of(t1, t2),
  };
}

describe('fixed-point classification', () => {
  it('a constructed spurious fixed point is spurious for EP and CL, not for AL', async () => {
    const c = deadDivider(0.5, 0.3);
    const lin = await linearise(backend, c);
    expect(lin.residual[1]).toBeCloseTo(-0.3, 14);
    expect(classifyFixedPoint(lin, 'ep').kind).toBe('spurious');
    expect(classifyFixedPoint(lin, 'cl').kind).toBe('spurious');
    // AL holds o2 at 0.3, so current flows and the adjoint update does not vanish
    expect(classifyFixedPoint(lin, 'al').kind).toBe('none');
    const rep = await analyzeCircuit(backend, c);
    expect(rep.fixedPoint).toBe('spurious');
    expect(rep.regular).toBe(false);
    expect(rep.rank).toBe(1);
    expect(rep.loss).toBeCloseTo(0.045, 14);
    expect(rep.activeEdges).toEqual([0, 1]);
  });

  it('targets equal to the free outputs are a solution; a generic point is none', async () => {
    const c = smallCircuit(23);
    const lin = await linearise(backend, c);
    expect(classifyFixedPoint(lin, 'ep').kind).toBe('none');
    const solved = { ...c, targets: Float64Array.from(lin.outputs) };
    for (const rule of ['ep', 'cl', 'al'] as const) {
      expect((await analyzeCircuit(backend, solved, { rule })).fixedPoint).toBe('solution');
    }
  });

  it('analyzeCircuit returns the JSON shape of `ohmlab analyze --json`', async () => {
    const c = smallCircuit(29);
    const rep = await analyzeCircuit(backend, c, { rule: 'al' });
    const json = JSON.parse(JSON.stringify(rep));
    for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'activeEdges', 'rank', 'regular', 'coercivity', 'jacobian', 'conservedQuantity', 'massRate', 'fixedPoint']) {
      expect(json).toHaveProperty(key);
    }
    expect(Object.keys(json.coercivity)).toEqual(expect.arrayContaining(['ep', 'cl', 'al']));
    expect(json.jacobian.length).toBe(2);
    expect(json.jacobian[0].length).toBe(c.edgeFrom.length);
    expect(json.massRate / (-4 * json.adjointLoss)).toBeCloseTo(1, 9);
    await expect(analyzeCircuit(backend, c, { rule: 'xx' as never })).rejects.toThrow(/rule/);
  });
});
