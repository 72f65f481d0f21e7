/**
 * Conservation report against finite differences of the learners' `conservedMass` along the learners'
 * own parameter velocity (zero-nudge and finite one-sided nudge), for every parametrisation.
 */
import { describe, expect, it } from 'vitest';
import {
  computeStates,
  conservedMass,
  edgeContrast,
  parameterVelocity,
  parametersFromConductances,
  parametrisationKinds,
  type Nudge,
  type ParametrisationSpec,
} from '@ohmlab/learners';
import { AnalysisError, analyzeCircuit, conservationReport, linearise, lossesOf } from '../src/index.js';
import { backend, smallCircuit } from './helpers.js';

const c = smallCircuit(61);
const m = c.edgeFrom.length;
const specs: [string, ParametrisationSpec][] = [
  ['conductance', 'conductance'],
  ['resistance', 'resistance'],
  ['log', 'log'],
  ['mixed', Array.from({ length: m }, (_, j) => (['conductance', 'resistance', 'log'] as const)[j % 3]!)],
];

/** d(mass)/dt along the learners' parameter velocity of the rule, by central differences. */
async function fdMassRate(spec: ParametrisationSpec, rule: 'ep' | 'cl' | 'al', nudge: Nudge, eta?: number): Promise<number> {
  const kinds = parametrisationKinds(spec, m);
  const theta = parametersFromConductances(kinds, c.conductances);
  const states = await computeStates(backend, c, { rule, nudge, ...(eta !== undefined ? { eta } : {}) });
  const v = parameterVelocity(kinds, theta, edgeContrast(c, states));
  const h = 1e-6;
  const plus = conservedMass(kinds, theta.map((t, j) => t + h * v[j]!));
  const minus = conservedMass(kinds, theta.map((t, j) => t - h * v[j]!));
  return (plus - minus) / (2 * h);
}

describe('conservation report vs finite differences of the learners mass', () => {
  for (const [name, spec] of specs) {
    it(`${name}: zero-nudge rate (0 for EP, CL) and finite-nudge drift`, async () => {
      const lin = await linearise(backend, c);
      for (const rule of ['ep', 'cl', 'al'] as const) {
        const rep = conservationReport(lin, rule, spec);
        const kinds = parametrisationKinds(spec, m);
        expect(rep.conservedQuantity).toBeCloseTo(conservedMass(kinds, parametersFromConductances(kinds, c.conductances)), 12);
        const fd = await fdMassRate(spec, rule, 'zero');
        const eta = 0.2;
        const fdEta = await fdMassRate(spec, rule, 'finite', eta);
        const scale = Math.abs(fdEta) + Math.abs(fd) + 1e-300;
        expect(Math.abs(rep.massRate - fd)).toBeLessThan(1e-7 * scale);
        expect(Math.abs(rep.massRate + eta * rep.driftPerEta - fdEta)).toBeLessThan(1e-7 * scale);
        if (rule !== 'al') expect(Math.abs(rep.massRate)).toBeLessThan(1e-10 * scale);
        else expect(Math.abs(rep.massRate)).toBeGreaterThan(1e-6 * scale);
      }
    });
  }

  it('AL with conductances: d/dt sum k^2 = -4 L_AL and sum k dk/dt = d/dt (1/2 sum k^2) = -2 L_AL; JSON names', async () => {
    const rep = await analyzeCircuit(backend, c, { rule: 'al' });
    const L = lossesOf(await linearise(backend, c)).adjointLoss;
    expect(rep.conservation.quantity).toBe('sum_j k_j^2');
    expect(rep.conservation.rate / (-4 * L)).toBeCloseTo(1, 9);
    expect(rep.conservation.halfSquaredNormRate / (-2 * L)).toBeCloseTo(1, 9);
    expect(rep.massRate).toBe(rep.conservation.rate);
    expect(rep.conductanceWork).toBe(rep.conservation.halfSquaredNormRate);
    expect(rep.conservedQuantity).toBe(rep.conservation.value);
  });

  it('absent edges (k = 0) are left out of the mass; bad parametrisation is an AnalysisError', async () => {
    // drop one edge whose removal keeps every node connected to an input
    const k = Float64Array.from(c.conductances);
    let dropped = -1;
    for (let j = 0; j < m && dropped < 0; j++) {
      const trial = Float64Array.from(k);
      trial[j] = 0;
      try {
        await linearise(backend, c, { conductances: trial });
        dropped = j;
      } catch {
        /* removal disconnects a node: try the next edge */
      }
    }
    expect(dropped).toBeGreaterThanOrEqual(0);
    k[dropped] = 0;
    const lin = await linearise(backend, c, { conductances: k });
    const rep = conservationReport(lin, 'ep');
    expect(rep.conservedQuantity).toBeCloseTo(k.reduce((a, x) => a + x * x, 0), 12);
    expect(() => conservationReport(lin, 'ep', 'volts' as never)).toThrow(AnalysisError);
  });
});
