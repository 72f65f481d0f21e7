/**
 * The training problem restricted to the part of a circuit that still reaches an input (paper 2
 * sec. 4: "restrict our attention to the remaining connected subnetwork"; `onDisconnect:
 * 'restrict'`). Nodes that lost every path to an input leave the problem: the solver sees the kept
 * nodes renumbered in their original order, the edges between them in their original order, all
 * inputs, and the kept outputs in their original order with their targets.
 */
import { nodesWithoutPathTo, type Circuit } from '@ohmlab/graph';
import type { SampleBatch } from './samples.js';

/** The circuit a trainer solves, and how it maps to the original one. */
export interface TrainingProblem {
  /** The circuit the solver sees (the original circuit itself while nothing was dropped). */
  readonly circuit: Circuit;
  /** Original index of each edge of `circuit`; null while nothing was dropped (identity). */
  readonly edges: Uint32Array | null;
  /** Original output position of each output of `circuit`; null while nothing was dropped. */
  readonly outputs: Uint32Array | null;
  /** Per original edge: 1 when an endpoint left the problem (the edge is frozen). */
  readonly outside: Uint8Array;
  /** Per original node: 1 when it left the problem. */
  readonly dropped: Uint8Array;
  /** Outputs still in the problem. */
  readonly outputCount: number;
}

/** The whole circuit as the problem (nothing dropped). */
export function fullProblem(circuit: Circuit): TrainingProblem {
  return {
    circuit,
    edges: null,
    outputs: null,
    outside: new Uint8Array(circuit.edgeFrom.length),
    dropped: new Uint8Array(circuit.nodeCount),
    outputCount: circuit.outputNodes.length,
  };
}

/**
 * Nodes of `problem` (original numbering, ascending) without a path to an input through the edges
 * of the problem with conductance > 0 (`conductances`: all original edges).
 */
export function nodesLosingInputs(original: Circuit, problem: TrainingProblem, conductances: Float64Array): number[] {
  const active = new Uint8Array(conductances.length);
  for (let j = 0; j < active.length; j++) active[j] = conductances[j]! > 0 && !problem.outside[j] ? 1 : 0;
  return nodesWithoutPathTo(original, original.inputNodes, active).filter((i) => !problem.dropped[i]);
}

/** `problem` without the nodes `lost` (original numbering; inputs are never dropped). */
export function restrictProblem(original: Circuit, problem: TrainingProblem, lost: readonly number[]): TrainingProblem {
  const n = original.nodeCount;
  const dropped = problem.dropped.slice();
  for (const i of lost) dropped[i] = 1;
  for (const i of original.inputNodes) dropped[i] = 0;
  const nodeMap = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let i = 0; i < n; i++) if (!dropped[i]) nodeMap[i] = kept++;
  const m = original.edgeFrom.length;
  const outside = new Uint8Array(m);
  const edges: number[] = [];
  for (let j = 0; j < m; j++) {
    if (dropped[original.edgeFrom[j]!] || dropped[original.edgeTo[j]!]) outside[j] = 1;
    else edges.push(j);
  }
  const outputs = Uint32Array.from(Array.from(original.outputNodes.keys()).filter((o) => !dropped[original.outputNodes[o]!]));
  const renumber = (nodes: ArrayLike<number>): Uint32Array => Uint32Array.from(nodes, (i) => nodeMap[i]!);
  const pick = (targets: Float64Array): Float64Array => Float64Array.from(outputs, (o) => targets[o]!);
  const circuit: Circuit = {
    nodeCount: kept,
    edgeFrom: renumber(edges.map((j) => original.edgeFrom[j]!)),
    edgeTo: renumber(edges.map((j) => original.edgeTo[j]!)),
    conductances: Float64Array.from(edges, (j) => original.conductances[j]!),
    inputNodes: renumber(original.inputNodes),
    inputValues: original.inputValues,
    outputNodes: renumber(Array.from(outputs, (o) => original.outputNodes[o]!)),
    targets: pick(original.targets),
    ...(original.samples ? { samples: original.samples.map((s) => ({ inputs: s.inputs, targets: pick(s.targets) })) } : {}),
  };
  return { circuit, edges: Uint32Array.from(edges), outputs, outside, dropped, outputCount: outputs.length };
}

/** `batch` (targets of all original outputs) for the outputs of `problem`. */
export function problemBatch(problem: TrainingProblem, batch: SampleBatch): SampleBatch {
  const outputs = problem.outputs;
  if (!outputs) return batch;
  const p = batch.outputCount;
  const q = outputs.length;
  const targets = new Float64Array(batch.count * q);
  for (let s = 0; s < batch.count; s++) for (let o = 0; o < q; o++) targets[s * q + o] = batch.targets[s * p + outputs[o]!]!;
  return { ...batch, outputCount: q, targets };
}

/** The values of the original edges for the edges of `problem` (`values` itself when identity). */
export function problemEdgeValues(problem: TrainingProblem, values: Float64Array): Float64Array {
  return problem.edges ? Float64Array.from(problem.edges, (j) => values[j]!) : values;
}

/** Per-edge values of `problem` scattered to the original edges (0 outside the problem). */
export function originalEdgeValues(problem: TrainingProblem, values: Float64Array, edgeCount: number): Float64Array {
  if (!problem.edges) return values;
  const out = new Float64Array(edgeCount);
  problem.edges.forEach((j, a) => (out[j] = values[a]!));
  return out;
}
