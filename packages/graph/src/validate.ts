import type { Circuit } from './circuit.js';
import { nodesWithoutPathTo } from './connectivity.js';
import { CircuitError } from './errors.js';

function checkNodeSet(nodes: Uint32Array, n: number, field: string, seen: Map<number, string>): void {
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i]!;
    if (v >= n) throw new CircuitError(field, i, `node ${v} is out of range: the circuit has nodes 0..${n - 1}`);
    const other = seen.get(v);
    if (other === field) throw new CircuitError(field, i, `node ${v} is listed twice`);
    if (other !== undefined) {
      throw new CircuitError(field, i, `node ${v} is both an input and an output; input and output sets must be disjoint`);
    }
    seen.set(v, field);
  }
}

function checkFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new CircuitError(field, i, `must be a finite number, got ${values[i]}`);
  }
}

function checkLength(values: ArrayLike<number>, expected: number, field: string, what: string): void {
  if (values.length !== expected) {
    throw new CircuitError(field, -1, `has ${values.length} entries but there are ${expected} ${what}`);
  }
}

/** Largest node count of a circuit (node ids are stored as 32-bit integers, work arrays as Int32Array). */
export const MAX_NODES = 2 ** 31 - 1;

/** Checks edges: endpoints in range, no self-loops, no duplicate edge in either orientation. */
function checkEdges(c: Circuit): void {
  const n = c.nodeCount;
  const m = c.edgeFrom.length;
  if (c.edgeTo.length !== m) throw new CircuitError('edges', -1, `edgeFrom has ${m} entries but edgeTo has ${c.edgeTo.length}; every edge needs both endpoints`);
  const seen = new Map<number, number>();
  for (let j = 0; j < m; j++) {
    const u = c.edgeFrom[j]!;
    const w = c.edgeTo[j]!;
    if (u >= n || w >= n) {
      throw new CircuitError('edges', j, `endpoint ${u >= n ? u : w} is out of range: the circuit has nodes 0..${n - 1}`);
    }
    if (u === w) throw new CircuitError('edges', j, `is a self-loop at node ${u}; remove it (it carries no current)`);
    const key = Math.min(u, w) * n + Math.max(u, w);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new CircuitError('edges', j, `duplicates edge ${first} between nodes ${u} and ${w}; merge them into one edge (conductances add)`);
    }
    seen.set(key, j);
  }
}

/**
 * Validates a circuit built in code or parsed from JSON. Throws `CircuitError` naming the field and
 * index; returns the circuit unchanged otherwise. Nothing is dropped or coerced.
 * Checks: node count, edge endpoints, self-loops, duplicate edges, conductances finite and > 0,
 * input/output node sets (range, duplicates, overlap), finite values and targets, sample lengths,
 * and that every node has a path to an input (otherwise the free-state system is singular).
 */
export function validateCircuit(c: Circuit): Circuit {
  const n = c.nodeCount;
  if (!Number.isInteger(n) || n < 2 || n > MAX_NODES) throw new CircuitError('nodes', -1, `must be an integer node count in 2..${MAX_NODES}, got ${n}`);
  checkEdges(c);
  checkLength(c.conductances, c.edgeFrom.length, 'conductances', 'edges');
  for (let j = 0; j < c.conductances.length; j++) {
    const k = c.conductances[j]!;
    if (!Number.isFinite(k)) throw new CircuitError('conductances', j, `must be a finite number, got ${k}`);
    if (k <= 0) throw new CircuitError('conductances', j, `must be > 0, got ${k}; remove the edge instead of giving it conductance 0`);
  }
  if (c.inputNodes.length === 0) throw new CircuitError('inputs.nodes', -1, 'is empty; a circuit needs at least one input (ground is an input at 0 V)');
  const seen = new Map<number, string>();
  checkNodeSet(c.inputNodes, n, 'inputs.nodes', seen);
  checkNodeSet(c.outputNodes, n, 'outputs.nodes', seen);
  checkLength(c.inputValues, c.inputNodes.length, 'inputs.values', 'input nodes');
  checkFinite(c.inputValues, 'inputs.values');
  checkLength(c.targets, c.outputNodes.length, 'outputs.targets', 'output nodes');
  checkFinite(c.targets, 'outputs.targets');
  (c.samples ?? []).forEach((s, i) => {
    checkLength(s.inputs, c.inputNodes.length, `samples[${i}].inputs`, 'input nodes');
    checkFinite(s.inputs, `samples[${i}].inputs`);
    checkLength(s.targets, c.outputNodes.length, `samples[${i}].targets`, 'output nodes');
    checkFinite(s.targets, `samples[${i}].targets`);
  });
  const lost = nodesWithoutPathTo(c, c.inputNodes);
  if (lost.length > 0) {
    throw new CircuitError(
      'nodes',
      lost[0]!,
      `node ${lost[0]} (and ${lost.length - 1} other node(s)) has no path to any input, so its voltage is undetermined (singular system); connect it or remove it`,
    );
  }
  return c;
}
