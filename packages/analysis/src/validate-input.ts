/**
 * Input checks shared by every entry point of the analysis: the circuit's structure (through
 * @ohmlab/graph's `validateCircuit`), the conductance vector analysed (finite, >= 0, 0 = absent edge,
 * every node still connected to an input) and the numeric options. Bad input gets a `CircuitError`
 * (circuit fields) or an `AnalysisError` (options) that says what was wrong and how to fix it, so no
 * NaN or singular solve can reach the numbers.
 */
import { CircuitError, nodesWithoutPathTo, validateCircuit, type Circuit } from '@ohmlab/graph';
import { AnalysisError } from './errors.js';

/**
 * Validates `circuit` and the conductances to analyse (default `circuit.conductances`) and returns
 * a copy. Zero conductances are allowed (the edge is absent, as in @ohmlab/learners).
 * @throws CircuitError for a malformed circuit, a non-finite or negative conductance, or a node
 *   (in particular an output) with no path to an input through edges with `k > 0`.
 */
export function checkedConductances(circuit: Circuit, conductances?: Float64Array): Float64Array {
  return checkedConductanceBatch(circuit, conductances ?? circuit.conductances, 1).conductances;
}

/** Systems of a batch that share one set of active edges (`k > 0`). */
export interface ActiveGroup {
  /** `mask[j] = 1` when edge j is active in these systems. */
  readonly mask: Uint8Array;
  /** Indices of the systems, increasing. */
  readonly systems: number[];
}

/**
 * {@link checkedConductances} for `systems` conductance vectors (system-major, `systems x edges`):
 * the circuit's structure is validated once, every entry is checked (the message names the system
 * when there are several), and connectivity once per distinct set of active edges. Returns a copy
 * and the systems grouped by active edges (one group when no conductance is 0).
 */
export function checkedConductanceBatch(circuit: Circuit, k: Float64Array, systems: number): { conductances: Float64Array; groups: ActiveGroup[] } {
  const m = circuit.edgeFrom?.length ?? 0;
  if (!(k instanceof Float64Array) && !Array.isArray(k)) throw new CircuitError('conductances', -1, 'must be a Float64Array of length edges');
  if (k.length !== systems * m) {
    throw new CircuitError('conductances', -1, systems === 1 ? `has ${k.length} entries but the circuit has ${m} edges` : `has ${k.length} entries; expected ${systems} systems x ${m} edges`);
  }
  for (let i = 0; i < k.length; i++) {
    const x = k[i]!;
    if (!Number.isFinite(x) || x < 0) {
      throw new CircuitError('conductances', i % m, `${systems > 1 ? `system ${Math.floor(i / m)}: ` : ''}must be finite and >= 0 (0 = absent edge), got ${x}`);
    }
  }
  // structure (nodes, edges, inputs, outputs, values, targets, samples) with the wiring's own checks
  validateCircuit({ ...circuit, conductances: new Float64Array(m).fill(1) });
  const groups = new Map<string, ActiveGroup>();
  for (let s = 0; s < systems; s++) {
    const mask = Uint8Array.from(k.subarray(s * m, (s + 1) * m), (x) => (x > 0 ? 1 : 0));
    const key = mask.join('');
    const group = groups.get(key);
    if (group) group.systems.push(s);
    else {
      checkConnected(circuit, mask, systems > 1 ? `system ${s}: ` : '');
      groups.set(key, { mask, systems: [s] });
    }
  }
  return { conductances: Float64Array.from(k), groups: [...groups.values()] };
}

/** Throws when a node has no path to an input through the active edges `mask`. */
function checkConnected(circuit: Circuit, mask: Uint8Array, where: string): void {
  const lost = nodesWithoutPathTo(circuit, circuit.inputNodes, mask);
  if (lost.length === 0) return;
  const lostSet = new Set(lost);
  const outs = Array.from(circuit.outputNodes).filter((o) => lostSet.has(o));
  const what = outs.length > 0 ? `output node(s) ${outs.join(', ')}` : `node ${lost[0]}${lost.length > 1 ? ` (and ${lost.length - 1} more)` : ''}`;
  throw new CircuitError(
    'conductances',
    -1,
    `${where}${what} ha${outs.length === 1 || outs.length === 0 ? 's' : 've'} no path to an input through edges with k > 0, so the state is undetermined and no coercivity or Jacobian exists; connect it or remove it`,
  );
}

/** Checks a relative tolerance in [0, 1). */
export function checkTolerance(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new AnalysisError(name, `must be a number in [0, 1), got ${String(value)}`);
  return value;
}

/** Throws `AnalysisError(field)` when any entry of `values` is not finite (never a silent NaN). */
export function assertFinite(field: string, values: ArrayLike<number>, hint: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new AnalysisError(field, `entry ${i} is ${values[i]}; ${hint}`);
  }
}

/** Checks a rule name (`ep`, `cl` or `al`). */
export function checkRule(rule: unknown): 'ep' | 'cl' | 'al' {
  if (rule !== 'ep' && rule !== 'cl' && rule !== 'al') throw new AnalysisError('rule', `must be "ep", "cl" or "al", got ${JSON.stringify(rule)}`);
  return rule;
}
