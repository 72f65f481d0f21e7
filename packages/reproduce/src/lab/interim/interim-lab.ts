import type { Lab } from '../lab.js';
import { coercivity } from './coercivity.js';
import { integrateFlow } from './integrate-flow.js';
import { solveDense } from './dense-solve.js';
import { lossOf, mass, velocityOf, weightedLossOf } from './states.js';

/** INTERIM dense implementation of the port (replaced by the upstream adapter once available). */
export function createInterimLab(): Lab {
  const lab: Lab = {
    implementation: 'reproduce interim dense solver (upstream @ohmlab/learners not available)',
    async outputs(c) {
      const x = solveDense(c, c.conductances, Array.from(c.inputNodes), Array.from(c.inputValues));
      return Float64Array.from(c.outputNodes, (o) => x[o] as number);
    },
    async loss(c) {
      return lossOf(c, c.conductances, 'EP');
    },
    async adjointLoss(c) {
      return lossOf(c, c.conductances, 'AL');
    },
    async weightedLoss(c) {
      return weightedLossOf(c, c.conductances);
    },
    async coercivityConstant(c, rule) {
      return coercivity(c, c.conductances, rule);
    },
    async velocity(c, spec) {
      return velocityOf(c, c.conductances, spec);
    },
    async integrate(c, spec, options) {
      return integrateFlow(c, spec, options);
    },
    async discrete(c, spec, options) {
      const k = Float64Array.from(c.conductances);
      const rec = { t: [] as number[], loss: [] as number[], mass: [] as number[], k: [] as Float64Array[] };
      const removals: { t: number; edge: number }[] = [];
      const record = (step: number): void => {
        rec.t.push(step);
        rec.loss.push(lossOf(c, k, spec.rule));
        rec.mass.push(mass(k));
        rec.k.push(Float64Array.from(k));
      };
      record(0);
      for (let step = 1; step <= options.steps; step++) {
        if (options.signal?.aborted === true) throw new Error('aborted');
        const v = velocityOf(c, k, spec);
        for (let j = 0; j < k.length; j++) {
          if (k[j] === 0) continue;
          k[j] = (k[j] as number) + options.alpha * (v[j] as number);
          if ((k[j] as number) <= 0) {
            k[j] = 0;
            removals.push({ t: step, edge: j });
          }
        }
        record(step);
      }
      return { t: Float64Array.from(rec.t), loss: Float64Array.from(rec.loss), mass: Float64Array.from(rec.mass), conductances: rec.k, removals, outputsCut: [], finalConductances: k, tFinal: options.steps };
    },
  };
  return lab;
}
