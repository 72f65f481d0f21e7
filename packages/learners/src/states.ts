/**
 * Equilibrium states of a linear resistor network (shared/THEORY.md "States"), batched over samples.
 *
 * Sign conventions (THEORY.md): residual `r = y^f - t`; injected currents flow INTO a node;
 * `mu = (L x^r)[O]` is the current the sources holding the outputs inject. All arrays are
 * sample-major: entry `(s, i)` at `s * len + i`. Voltages are `count x nodeCount`.
 *
 * | state            | Dirichlet set     | held values                    | injected at outputs |
 * |------------------|-------------------|--------------------------------|---------------------|
 * | free `x^f`       | inputs            | `u`                            | -                   |
 * | EP nudged        | inputs            | `u`                            | `eta (t - y^f)`     |
 * | EP clamped `xh`  | inputs            | `0`                            | `t - y^f`           |
 * | CL nudged        | inputs + outputs  | `u`, `y^f + eta (t - y^f)`     | -                   |
 * | CL clamped `xh`  | inputs + outputs  | `0`, `t - y^f`                 | -                   |
 * | AL reference     | inputs + outputs  | `u`, `t`                       | -                   |
 * | AL nudged        | inputs + outputs  | `u`, `t + eta mu`              | -                   |
 * | AL clamped `xh`  | inputs + outputs  | `0`, `mu`                      | -                   |
 *
 * Nudged states are affine in eta: `x^eta = x^0 + eta xh` (`x^0` = free for EP/CL, reference for AL).
 * Here they are solved directly (not formed from that identity), so tests can check it.
 */
import type { SolveResult } from '@ohmlab/linalg-cpu';
import { LearnerConfigError } from './errors.js';
import type { SampleBatch } from './samples.js';
import { solveChecked, type StateSolver } from './state-solver.js';

/** The three learning rules: Equilibrium Propagation, Coupled Learning, Adjoint coupled Learning. */
export type Rule = 'ep' | 'cl' | 'al';

/** Node voltages of `count` states, `count x nodeCount`, sample-major. */
export interface NodeStates {
  readonly count: number;
  readonly nodeCount: number;
  readonly voltages: Float64Array;
}

/** Free state `x^f` with its outputs `y^f` and residuals `r = y^f - t` (both `count x p`). */
export interface FreeState extends NodeStates {
  readonly kind: 'free';
  readonly outputs: Float64Array;
  readonly residual: Float64Array;
}

/** AL reference state `x^r` (inputs at `u`, outputs at `t`) with adjoint error `mu = (L x^r)[O]`. */
export interface ReferenceState extends NodeStates {
  readonly kind: 'reference';
  readonly adjointError: Float64Array;
}

/** The state a rule compares nudged states against: free (EP, CL) or reference (AL). */
export type BaseState = FreeState | ReferenceState;

/**
 * Clamped state `xh` of the zero-nudge limit (`x^eta = x^0 + eta xh`). `outputCurrents`
 * (`count x p`) is the current entering the network at the outputs: EP `t - y^f`,
 * CL `D (t - y^f)`, AL `D mu` (D = Dirichlet-to-Neumann map, THEORY.md "Circuit").
 */
export interface ClampedState extends NodeStates {
  readonly rule: Rule;
  readonly outputCurrents: Float64Array;
}

/** Nudged states for several nudges: `etas.length * count` states, block `e` is `etas[e]`. */
export interface NudgedStates extends NodeStates {
  readonly rule: Rule;
  readonly etas: readonly number[];
}

function pickOutputs(res: SolveResult, nodes: Uint32Array): Float64Array {
  const { count, nodeCount } = res;
  const p = nodes.length;
  const out = new Float64Array(count * p);
  for (let s = 0; s < count; s++) {
    for (let o = 0; o < p; o++) out[s * p + o] = res.voltages[s * nodeCount + nodes[o]!]!;
  }
  return out;
}

/** Currents at the output positions of the inputs+outputs Dirichlet set, `count x p`. */
function outputCurrentsOf(res: SolveResult, nIn: number, p: number): Float64Array {
  const d = nIn + p;
  const out = new Float64Array(res.count * p);
  for (let s = 0; s < res.count; s++) out.set(res.dirichletCurrents.subarray(s * d + nIn, s * d + d), s * p);
  return out;
}

/** Dirichlet rows `[inputs | outputs]` for the inputs+outputs set; `inputs` null = grounded. */
function heldValues(count: number, nIn: number, p: number, inputs: Float64Array | null, outputs: (s: number, o: number) => number): Float64Array {
  const d = nIn + p;
  const vals = new Float64Array(count * d);
  for (let s = 0; s < count; s++) {
    if (inputs) vals.set(inputs.subarray(s * nIn, (s + 1) * nIn), s * d);
    for (let o = 0; o < p; o++) vals[s * d + nIn + o] = outputs(s, o);
  }
  return vals;
}

/** Free state `x^f`: inputs at `u`, Kirchhoff's current law elsewhere (THEORY.md "States"). */
export async function freeState(solver: StateSolver, batch: SampleBatch): Promise<FreeState> {
  const f = await solver.inputsOnly();
  const res = await solveChecked(f, { count: batch.count, dirichletValues: batch.inputs }, 'free state');
  const outputs = pickOutputs(res, solver.circuit.outputNodes);
  const residual = new Float64Array(outputs.length);
  for (let i = 0; i < outputs.length; i++) residual[i] = outputs[i]! - batch.targets[i]!;
  return { kind: 'free', count: res.count, nodeCount: res.nodeCount, voltages: res.voltages, outputs, residual };
}

/** AL reference state `x^r`: inputs at `u`, outputs at `t`; `mu = (L x^r)[O]` (THEORY.md "States"). */
export async function referenceState(solver: StateSolver, batch: SampleBatch): Promise<ReferenceState> {
  const f = await solver.inputsAndOutputs();
  const nIn = batch.inputCount;
  const p = batch.outputCount;
  const vals = heldValues(batch.count, nIn, p, batch.inputs, (s, o) => batch.targets[s * p + o]!);
  const res = await solveChecked(f, { count: batch.count, dirichletValues: vals }, 'AL reference state');
  return {
    kind: 'reference',
    count: res.count,
    nodeCount: res.nodeCount,
    voltages: res.voltages,
    adjointError: outputCurrentsOf(res, nIn, p),
  };
}

/** Checks that `base` is the right kind for `rule` (free for EP/CL, reference for AL). */
function expectBase(rule: Rule, base: BaseState): void {
  const want = rule === 'al' ? 'reference' : 'free';
  if (base.kind !== want) {
    throw new LearnerConfigError('base', `rule ${rule} needs the ${want} state, got the ${base.kind} state`);
  }
}

/** The output "error signal" `e` with `x^eta = x^0 + eta xh(e)`: `t - y^f` (EP, CL) or `mu` (AL). */
function errorSignal(rule: Rule, base: BaseState): Float64Array {
  if (base.kind === 'reference') return base.adjointError;
  const e = new Float64Array(base.residual.length);
  for (let i = 0; i < e.length; i++) e[i] = -base.residual[i]!;
  void rule;
  return e;
}

/**
 * Clamped state `xh` of the zero-nudge limit, inputs grounded (THEORY.md "States"):
 * EP: current `t - y^f` injected at the outputs; CL: outputs held at `t - y^f`; AL: outputs held
 * at `mu`. `base` is the free state (EP, CL) or the reference state (AL) of the same batch.
 */
export async function clampedState(solver: StateSolver, rule: Rule, batch: SampleBatch, base: BaseState): Promise<ClampedState> {
  expectBase(rule, base);
  const e = errorSignal(rule, base);
  const { count, inputCount: nIn, outputCount: p } = batch;
  if (rule === 'ep') {
    const f = await solver.inputsOnly();
    const res = await solveChecked(
      f,
      { count, dirichletValues: new Float64Array(count * nIn), injection: { nodes: solver.circuit.outputNodes, values: e } },
      'EP clamped state',
    );
    return { rule, count, nodeCount: res.nodeCount, voltages: res.voltages, outputCurrents: e };
  }
  const f = await solver.inputsAndOutputs();
  const vals = heldValues(count, nIn, p, null, (s, o) => e[s * p + o]!);
  const res = await solveChecked(f, { count, dirichletValues: vals }, `${rule.toUpperCase()} clamped state`);
  return { rule, count, nodeCount: res.nodeCount, voltages: res.voltages, outputCurrents: outputCurrentsOf(res, nIn, p) };
}

/**
 * Nudged states `x^eta` for each eta in `etas` (any sign, one RHS batch): EP injects
 * `eta (t - y^f)` at the outputs; CL holds the outputs at `y^f + eta (t - y^f)`; AL holds them at
 * `t + eta mu` (THEORY.md "States"). Inputs at `u` throughout.
 */
export async function nudgedState(
  solver: StateSolver,
  rule: Rule,
  batch: SampleBatch,
  base: BaseState,
  etas: number | readonly number[],
): Promise<NudgedStates> {
  expectBase(rule, base);
  const list = typeof etas === 'number' ? [etas] : etas;
  list.forEach((eta, i) => {
    if (!Number.isFinite(eta)) throw new LearnerConfigError(`eta[${i}]`, `must be finite, got ${eta}`);
  });
  const e = errorSignal(rule, base);
  const { count, inputCount: nIn, outputCount: p } = batch;
  const total = count * list.length;
  const inputs = new Float64Array(total * nIn);
  for (let b = 0; b < list.length; b++) inputs.set(batch.inputs, b * count * nIn);
  if (rule === 'ep') {
    const inj = new Float64Array(total * p);
    list.forEach((eta, b) => {
      for (let i = 0; i < count * p; i++) inj[b * count * p + i] = eta * e[i]!;
    });
    const f = await solver.inputsOnly();
    const res = await solveChecked(
      f,
      { count: total, dirichletValues: inputs, injection: { nodes: solver.circuit.outputNodes, values: inj } },
      'EP nudged state',
    );
    return { rule, etas: list, count: total, nodeCount: res.nodeCount, voltages: res.voltages };
  }
  const anchor = rule === 'al' ? batch.targets : (base as FreeState).outputs;
  const vals = heldValues(total, nIn, p, inputs, (s, o) => {
    const b = Math.floor(s / count);
    const i = (s - b * count) * p + o;
    return anchor[i]! + list[b]! * e[i]!;
  });
  const f = await solver.inputsAndOutputs();
  const res = await solveChecked(f, { count: total, dirichletValues: vals }, `${rule.toUpperCase()} nudged state`);
  return { rule, etas: list, count: total, nodeCount: res.nodeCount, voltages: res.voltages };
}

/** The base state of a rule: free (EP, CL) or AL reference. */
export function baseState(solver: StateSolver, rule: Rule, batch: SampleBatch): Promise<BaseState> {
  return rule === 'al' ? referenceState(solver, batch) : freeState(solver, batch);
}
