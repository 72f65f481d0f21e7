import type { Circuit, Sample } from './circuit.js';
import { CircuitError } from './errors.js';
import { MAX_NODES, validateCircuit } from './validate.js';

/** The public JSON format of a circuit (a contract: the CLI reads and writes it). */
export interface CircuitJson {
  nodes: number;
  edges: [number, number][];
  conductances: number[];
  inputs: { nodes: number[]; values: number[] };
  outputs: { nodes: number[]; targets: number[] };
  samples?: { inputs: number[]; targets: number[] }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the user would recognise it (`Infinity`, `NaN`, `"2"`, `null`). */
function show(x: unknown): string {
  return typeof x === 'number' ? String(x) : x === undefined ? 'undefined' : JSON.stringify(x);
}

function numberArray(v: unknown, field: string): number[] {
  if (!Array.isArray(v)) throw new CircuitError(field, -1, `must be an array of numbers, got ${v === null ? 'null' : typeof v}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new CircuitError(field, i, `must be a finite number, got ${show(x)}`);
  });
  return v as number[];
}

/** Checked before any conversion to `Uint32Array`, which would wrap ids of 2^32 and more silently. */
function checkNodeId(x: unknown, nodes: number, field: string, index: number, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new CircuitError(field, index, `${what} must be node ids (integers >= 0), got ${show(x)}`);
  if (x >= nodes) throw new CircuitError(field, index, `node ${x} is out of range: the circuit has nodes 0..${nodes - 1}`);
  return x;
}

function nodeArray(v: unknown, field: string, nodes: number): Uint32Array {
  const xs = numberArray(v, field);
  xs.forEach((x, i) => checkNodeId(x, nodes, field, i, 'entries'));
  return Uint32Array.from(xs);
}

/** Rejects keys outside `allowed` (nothing in the file is silently ignored). */
function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new CircuitError(field === '' ? key : `${field}.${key}`, -1, `is not a field of ${field === '' ? 'a circuit' : field}; allowed: ${allowed.join(', ')}`);
  }
}

function section(raw: Record<string, unknown>, name: 'inputs' | 'outputs'): Record<string, unknown> {
  const s = raw[name];
  const second = name === 'inputs' ? 'values' : 'targets';
  if (!isObject(s)) throw new CircuitError(name, -1, `must be an object {"nodes": [...], "${second}": [...]}`);
  onlyKeys(s, ['nodes', second], name);
  return s;
}

function parseEdges(v: unknown, nodes: number): { from: Uint32Array; to: Uint32Array } {
  if (!Array.isArray(v)) throw new CircuitError('edges', -1, 'must be an array of [from, to] pairs');
  const from = new Uint32Array(v.length);
  const to = new Uint32Array(v.length);
  v.forEach((e, j) => {
    if (!Array.isArray(e) || e.length !== 2) throw new CircuitError('edges', j, `must be a pair [from, to], got ${JSON.stringify(e)}`);
    from[j] = checkNodeId(e[0], nodes, 'edges', j, 'endpoints');
    to[j] = checkNodeId(e[1], nodes, 'edges', j, 'endpoints');
  });
  return { from, to };
}

const FIELDS = ['nodes', 'edges', 'conductances', 'inputs', 'outputs', 'samples'];

/**
 * Parses the public circuit JSON (a string or an already-parsed object) into a validated `Circuit`.
 * @throws CircuitError naming the field and index of the first problem.
 */
export function parseCircuit(json: string | unknown): Circuit {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new CircuitError('circuit', -1, `is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(raw)) throw new CircuitError('circuit', -1, 'must be a JSON object');
  onlyKeys(raw, FIELDS, '');
  const nodes = raw['nodes'];
  if (typeof nodes !== 'number' || !Number.isInteger(nodes) || nodes < 2 || nodes > MAX_NODES) {
    throw new CircuitError('nodes', -1, `must be an integer node count in 2..${MAX_NODES}, got ${show(nodes)}`);
  }
  const { from, to } = parseEdges(raw['edges'], nodes);
  const inputs = section(raw, 'inputs');
  const outputs = section(raw, 'outputs');
  let samples: Sample[] | undefined;
  if (raw['samples'] !== undefined) {
    if (!Array.isArray(raw['samples'])) throw new CircuitError('samples', -1, 'must be an array of {"inputs": [...], "targets": [...]}');
    samples = raw['samples'].map((s: unknown, i) => {
      if (!isObject(s)) throw new CircuitError('samples', i, 'must be an object {"inputs": [...], "targets": [...]}');
      onlyKeys(s, ['inputs', 'targets'], `samples[${i}]`);
      return {
        inputs: Float64Array.from(numberArray(s['inputs'], `samples[${i}].inputs`)),
        targets: Float64Array.from(numberArray(s['targets'], `samples[${i}].targets`)),
      };
    });
  }
  const circuit: Circuit = {
    nodeCount: nodes,
    edgeFrom: from,
    edgeTo: to,
    conductances: Float64Array.from(numberArray(raw['conductances'], 'conductances')),
    inputNodes: nodeArray(inputs['nodes'], 'inputs.nodes', nodes),
    inputValues: Float64Array.from(numberArray(inputs['values'], 'inputs.values')),
    outputNodes: nodeArray(outputs['nodes'], 'outputs.nodes', nodes),
    targets: Float64Array.from(numberArray(outputs['targets'], 'outputs.targets')),
    ...(samples ? { samples } : {}),
  };
  return validateCircuit(circuit);
}

/** The circuit as the public JSON object (exact round trip with `parseCircuit`). */
export function circuitToJson(c: Circuit): CircuitJson {
  return {
    nodes: c.nodeCount,
    edges: Array.from(c.edgeFrom, (u, j) => [u, c.edgeTo[j]!] as [number, number]),
    conductances: Array.from(c.conductances),
    inputs: { nodes: Array.from(c.inputNodes), values: Array.from(c.inputValues) },
    outputs: { nodes: Array.from(c.outputNodes), targets: Array.from(c.targets) },
    ...(c.samples ? { samples: c.samples.map((s) => ({ inputs: Array.from(s.inputs), targets: Array.from(s.targets) })) } : {}),
  };
}
