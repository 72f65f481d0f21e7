/**
 * The `direct` strategy: every state solved on its own Dirichlet set (table in `state-types.ts`),
 * one batch of right-hand sides per state kind. CL and AL states use the inputs + outputs
 * factorization; EP states the inputs-only one.
 */
import type { SolveResult } from '@ohmlab/linalg-cpu';
import type { SampleBatch } from './samples.js';
import { solveChecked, type StateSolver } from './state-solver.js';
import type { BaseState, ClampedState, FreeState, NudgedStates, ReferenceState, Rule } from './state-types.js';

/** `y = x[O]` for each state of a solve, `count x p`. */
export function pickOutputs(res: { count: number; nodeCount: number; voltages: Float64Array }, nodes: Uint32Array): Float64Array {
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

/** The free state of a batch from the voltages of its solve (`count x n`). */
export function freeStateFrom(res: { count: number; nodeCount: number; voltages: Float64Array }, batch: SampleBatch, outputNodes: Uint32Array): FreeState {
  const outputs = pickOutputs(res, outputNodes);
  const residual = new Float64Array(outputs.length);
  for (let i = 0; i < outputs.length; i++) residual[i] = outputs[i]! - batch.targets[i]!;
  return { kind: 'free', count: res.count, nodeCount: res.nodeCount, voltages: res.voltages, outputs, residual };
}

/** AL reference state solved with inputs at `u` and outputs held at `t`; `mu` = the output currents. */
export async function directReferenceState(solver: StateSolver, batch: SampleBatch): Promise<ReferenceState> {
  const f = await solver.inputsAndOutputs();
  const nIn = batch.inputCount;
  const p = batch.outputCount;
  const vals = heldValues(batch.count, nIn, p, batch.inputs, (s, o) => batch.targets[s * p + o]!);
  const res = await solveChecked(f, { count: batch.count, dirichletValues: vals }, 'AL reference state');
  return { kind: 'reference', count: res.count, nodeCount: res.nodeCount, voltages: res.voltages, adjointError: outputCurrentsOf(res, nIn, p) };
}

/** Clamped state solved directly; `e` is the error signal (`t - y^f` or `mu`). */
export async function directClampedState(solver: StateSolver, rule: Rule, batch: SampleBatch, e: Float64Array): Promise<ClampedState> {
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

/** Nudged states solved directly for each eta in `etas` (one RHS batch). */
export async function directNudgedState(
  solver: StateSolver,
  rule: Rule,
  batch: SampleBatch,
  base: BaseState,
  e: Float64Array,
  etas: readonly number[],
): Promise<NudgedStates> {
  const { count, inputCount: nIn, outputCount: p } = batch;
  const total = count * etas.length;
  const inputs = new Float64Array(total * nIn);
  for (let b = 0; b < etas.length; b++) inputs.set(batch.inputs, b * count * nIn);
  if (rule === 'ep') {
    const inj = new Float64Array(total * p);
    etas.forEach((eta, b) => {
      for (let i = 0; i < count * p; i++) inj[b * count * p + i] = eta * e[i]!;
    });
    const f = await solver.inputsOnly();
    const res = await solveChecked(
      f,
      { count: total, dirichletValues: inputs, injection: { nodes: solver.circuit.outputNodes, values: inj } },
      'EP nudged state',
    );
    return { rule, etas, count: total, nodeCount: res.nodeCount, voltages: res.voltages };
  }
  const anchor = rule === 'al' ? batch.targets : (base as FreeState).outputs;
  const vals = heldValues(total, nIn, p, inputs, (s, o) => {
    const b = Math.floor(s / count);
    const i = (s - b * count) * p + o;
    return anchor[i]! + etas[b]! * e[i]!;
  });
  const f = await solver.inputsAndOutputs();
  const res = await solveChecked(f, { count: total, dirichletValues: vals }, `${rule.toUpperCase()} nudged state`);
  return { rule, etas, count: total, nodeCount: res.nodeCount, voltages: res.voltages };
}
