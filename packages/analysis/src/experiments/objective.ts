/**
 * Scalar quantities of one conductance vector for the experiments: coercivity constants, losses,
 * outputs. `normalised*` are scale-free coercivity constants `c * max(k)^2 / spread(u)^2` (under
 * `k -> lambda k` the constants scale as `lambda^-2`; under `u -> a u + b` as `a^2`). `coupling` is
 * the smallest scale-free column size `rho` of M (maximum-principle.ts `columnCoupling`).
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityConstants } from '../coercivity.js';
import { AnalysisError } from '../errors.js';
import { linearise, type Linearisation } from '../linearisation.js';
import { lossesOf } from '../losses.js';
import { columnCoupling } from '../maximum-principle.js';

export type Quantity = 'ep' | 'cl' | 'al' | 'normalisedEp' | 'normalisedCl' | 'normalisedAl' | 'loss' | 'weightedLoss' | 'adjointLoss' | 'output' | 'coupling';
export const QUANTITIES: readonly Quantity[] = ['ep', 'cl', 'al', 'normalisedEp', 'normalisedCl', 'normalisedAl', 'loss', 'weightedLoss', 'adjointLoss', 'output', 'coupling'];

/** Spread `max u - min u` over all samples' inputs (1 if they coincide). */
export function inputSpread(circuit: Circuit): number {
  const all = circuit.samples?.length ? circuit.samples.flatMap((s) => Array.from(s.inputs)) : Array.from(circuit.inputValues);
  const s = Math.max(...all) - Math.min(...all);
  return s > 0 ? s : 1;
}

/** Every quantity at `k`, plus the free outputs (first sample). */
export async function quantitiesAt(backend: SolverBackend, circuit: Circuit, k: Float64Array): Promise<Record<Quantity, number> & { outputs: Float64Array }> {
  return quantitiesOf(await linearise(backend, circuit, { conductances: k }));
}

/** Every quantity of a linearisation (at its conductances), plus the free outputs (first sample). */
export function quantitiesOf(lin: Linearisation): Record<Quantity, number> & { outputs: Float64Array } {
  const c = coercivityConstants(lin);
  const l = lossesOf(lin);
  let kmax = 0;
  for (const x of lin.conductances) kmax = Math.max(kmax, x);
  const norm = (kmax * kmax) / inputSpread(lin.circuit) ** 2;
  return {
    ep: c.ep,
    cl: c.cl,
    al: c.al,
    normalisedEp: c.ep * norm,
    normalisedCl: c.cl * norm,
    normalisedAl: c.al * norm,
    ...l,
    output: lin.outputs[0]!,
    coupling: Math.min(...columnCoupling(lin)),
    outputs: lin.outputs.slice(0, lin.outputCount),
  };
}

export function checkQuantity(q: string): asserts q is Quantity {
  if (!(QUANTITIES as readonly string[]).includes(q)) throw new AnalysisError('quantity', `must be one of ${QUANTITIES.join(', ')}, got ${JSON.stringify(q)}`);
}
