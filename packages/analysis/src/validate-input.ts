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
 * the latter. Zero conductances are allowed (the edge is absent, as in @ohmlab/learners).
 * @throws CircuitError for a malformed circuit, a non-finite or negative conductance, or a node
 *   (in particular an output) with no path to an input through edges with `k > 0`.
 */
export function checkedConductances(circuit: Circuit, conductances?: Float64Array): Float64Array {
  const m = circuit.edgeFrom?.length ?? 0;
  const k = conductances ?? circuit.conductances;
  if (!(k instanceof Float64Array) && !Array.isArray(k)) throw new CircuitError('conductances', -1, 'must be a Float64Array of length edges');
  if (k.length !== m) throw new CircuitError('conductances', -1, `has ${k.length} entries but the circuit has ${m} edges`);
  for (let j = 0; j < m; j++) {
    const x = k[j]!;
    if (!Number.isFinite(x) || x < 0) throw new CircuitError('conductances', j, `must be finite and >= 0 (0 = absent edge), got ${x}`);
  }
  // structure (nodes, edges, inputs, outputs, values, targets, samples) with the wiring's own checks
  validateCircuit({ ...circuit, conductances: new Float64Array(m).fill(1) });
  const mask = Float64Array.from(k, (x) => (x > 0 ? 1 : 0));
  const lost = nodesWithoutPathTo(circuit, circuit.inputNodes, mask);
  if (lost.length > 0) {
    const lostSet = new Set(lost);
    const outs = Array.from(circuit.outputNodes).filter((o) => lostSet.has(o));
    const what = outs.length > 0 ? `output node(s) ${outs.join(', ')}` : `node ${lost[0]}${lost.length > 1 ? ` (and ${lost.length - 1} more)` : ''}`;
    throw new CircuitError(
      'conductances',
      -1,
      `${what} ha${outs.length === 1 || outs.length === 0 ? 's' : 've'} no path to an input through edges with k > 0, so the state is undetermined and no coercivity or Jacobian exists; connect it or remove it`,
    );
  }
  return Float64Array.from(k);
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
