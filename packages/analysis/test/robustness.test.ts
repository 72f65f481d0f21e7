import { describe, expect, it } from 'vitest';
import { CircuitError, erdosRenyi, type Circuit } from '@ohmlab/graph';
import {
  AnalysisError,
  analyzeCircuit,
  classifyFixedPoint,
  coercivityConstantOf,
  flowOperator,
  kiteCircuit,
  landscape,
  linearise,
} from '../src/index.js';
import { backend, lossAt, smallCircuit } from './helpers.js';

/** Every number in a JSON value (depth first). */
function numbers(x: unknown, path = '$'): [string, number][] {
  if (typeof x === 'number') return [[path, x]];
  if (Array.isArray(x)) return x.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

describe('bad input gets a clear named error, never a NaN', () => {
  const c = smallCircuit(71);
  it('rule names and tolerances', async () => {
    await expect(analyzeCircuit(backend, c, { rule: 'bp' as never })).rejects.toThrow(/rule: must be "ep", "cl" or "al", got "bp"/);
    await expect(coercivityConstantOf(backend, c, 'xx' as never)).rejects.toThrow(AnalysisError);
    const lin = await linearise(backend, c);
    expect(() => flowOperator(lin, 'xx' as never)).toThrow(AnalysisError);
    for (const key of ['activeTolerance', 'rankTolerance', 'solutionTolerance', 'fixedPointTolerance'] as const) {
      for (const bad of [-1, 1, Number.NaN, 2]) {
        await expect(analyzeCircuit(backend, c, { [key]: bad })).rejects.toThrow(new RegExp(`${key}: must be a number in \\[0, 1\\)`));
      }
    }
    expect(() => classifyFixedPoint(lin, 'ep', { fixedPointTolerance: Number.NaN })).toThrow(AnalysisError);
    await expect(analyzeCircuit(backend, c, { maxTangentEdges: 0, tangentBasis: true })).rejects.toThrow(/maxTangentEdges/);
    await expect(analyzeCircuit(backend, c, { parametrisation: 'ohms' as never })).rejects.toThrow(AnalysisError);
  });

  it('non-finite, negative or mis-sized conductances', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -0.5]) {
      const k = Float64Array.from(c.conductances);
      k[3] = bad;
      await expect(analyzeCircuit(backend, c, { conductances: k })).rejects.toThrow(/conductances\[3\]: must be finite and >= 0/);
      await expect(analyzeCircuit(backend, { ...c, conductances: k })).rejects.toThrow(CircuitError);
    }
    await expect(analyzeCircuit(backend, c, { conductances: new Float64Array(3).fill(1) })).rejects.toThrow(/has 3 entries but the circuit has/);
  });

  it('an output with no path to an input (structurally, or through k = 0)', async () => {
    const cut: Circuit = {
      nodeCount: 5,
      edgeFrom: Uint32Array.of(0, 2, 3),
      edgeTo: Uint32Array.of(2, 1, 4),
      conductances: Float64Array.of(1, 1, 1),
      inputNodes: Uint32Array.of(0, 1),
      inputValues: Float64Array.of(1, 0),
      outputNodes: Uint32Array.of(4),
      targets: Float64Array.of(0.5),
    };
    await expect(analyzeCircuit(backend, cut)).rejects.toThrow(CircuitError);
    const kite = kiteCircuit();
    const k = Float64Array.from(kite.conductances);
    k[4] = 0;
    k[5] = 0; // both strut edges: the output o is cut off
    await expect(analyzeCircuit(backend, kite, { conductances: k })).rejects.toThrow(/output node\(s\) 4 has no path to an input/);
    await expect(analyzeCircuit(backend, { ...kite, outputNodes: new Uint32Array(0), targets: new Float64Array(0) })).rejects.toThrow(/no output node/);
  });

  it('other malformed circuits come back as CircuitError from the graph validator', async () => {
    await expect(analyzeCircuit(backend, { ...c, inputNodes: Uint32Array.of(0, 0, 1) })).rejects.toThrow(CircuitError);
    await expect(analyzeCircuit(backend, { ...c, targets: Float64Array.of(Number.NaN, 0) })).rejects.toThrow(/targets/);
  });

  it('landscape directions are checked', async () => {
    const kite = kiteCircuit();
    await expect(landscape(backend, kite, { u: new Float64Array(6), points: 2 })).rejects.toThrow(/u: must be a finite nonzero direction/);
    await expect(landscape(backend, kite, { u: new Float64Array(3).fill(1), points: 2 })).rejects.toThrow(/u: has 3 entries/);
  });

  it('extreme but valid conductances: every reported number is finite (clBasin may be Infinity only when c3 = 0)', async () => {
    const k = Float64Array.from(c.conductances, (x, j) => x * 10 ** ((j % 7) - 3));
    for (const rule of ['ep', 'cl', 'al'] as const) {
      const rep = await analyzeCircuit(backend, c, { rule, conductances: k });
      for (const [path, x] of numbers(rep)) if (path !== '$.coercivity.clBasin') expect(Number.isFinite(x), path).toBe(true);
    }
  });
});

describe('scale', () => {
  it('2000-node ER circuit with one output: full report, Jacobian matches finite differences on the largest entries', async () => {
    const big = erdosRenyi({ nodes: 2000, meanDegree: 4, inputs: 3, outputs: 1, seed: 5 });
    const rep = await analyzeCircuit(backend, big, { rule: 'cl' });
    const m = big.edgeFrom.length;
    expect(rep.jacobian.length).toBe(1);
    expect(rep.jacobian[0]!.length).toBe(m);
    expect(rep.rank).toBe(1);
    expect(rep.manifoldDimension).toBe(m - 1);
    const order = rep.jacobian[0]!.map((x, j) => [Math.abs(x), j] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
    for (const [, j] of order) {
      const h = 1e-5 * big.conductances[j]!;
      const kp = Float64Array.from(big.conductances);
      const km = Float64Array.from(big.conductances);
      kp[j]! += h;
      km[j]! -= h;
      const fd = ((await lossAt(big, kp)).outputs[0]! - (await lossAt(big, km)).outputs[0]!) / (2 * h);
      expect(Math.abs(fd - rep.jacobian[0]![j]!)).toBeLessThan(1e-6 * Math.abs(fd));
    }
  });
});
