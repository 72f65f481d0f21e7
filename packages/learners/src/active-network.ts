import type { Circuit } from '@ohmlab/graph';
import type { Network } from '@ohmlab/linalg-cpu';
import { DisconnectedCircuitError, LearnerConfigError } from './errors.js';

/**
 * The sub-network of edges with strictly positive conductance. Edges with conductance exactly 0
 * (removed, or resting at 0 under the reflecting rule) are left out of every solve; their voltage
 * drops are still defined by the node voltages.
 */
export interface ActiveNetwork {
  readonly network: Network;
  /** Original indices of the active edges, increasing. */
  readonly activeEdges: Uint32Array;
  /** Conductances of the active edges, aligned with `activeEdges`. */
  readonly activeConductances: Float64Array;
}

/**
 * Builds the active sub-network and checks that it is solvable: every node must be connected to an
 * input through active edges (THEORY.md "Circuit": otherwise `L_c` is singular).
 * @throws DisconnectedCircuitError naming the disconnected outputs and floating nodes.
 * @throws LearnerConfigError for a wrong length or a negative or non-finite conductance.
 */
export function activeNetwork(circuit: Circuit, conductances: Float64Array, context = 'circuit'): ActiveNetwork {
  const m = circuit.edgeFrom.length;
  if (conductances.length !== m) {
    throw new LearnerConfigError('conductances', `has length ${conductances.length}, the circuit has ${m} edges`);
  }
  const flags = new Uint8Array(m);
  let count = 0;
  for (let j = 0; j < m; j++) {
    const k = conductances[j]!;
    if (!(k >= 0) || !Number.isFinite(k)) {
      throw new LearnerConfigError(`conductances[${j}]`, `is ${k}; conductances must be finite and >= 0 (0 = edge absent)`);
    }
    if (k > 0) {
      flags[j] = 1;
      count++;
    }
  }
  const structure = activeStructure(circuit, flags, count, context);
  const activeConductances = new Float64Array(count);
  const edges = structure.activeEdges;
  for (let a = 0; a < count; a++) activeConductances[a] = conductances[edges[a]!]!;
  return { network: structure.network, activeEdges: edges, activeConductances };
}

/** The last checked active-edge pattern of each circuit (a trainer asks again at every step). */
const checked = new WeakMap<Circuit, { flags: Uint8Array; network: ActiveNetwork['network']; activeEdges: Uint32Array }>();

function sameFlags(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** Network and edge map of the active edges `flags`, checked for connectivity (cached per circuit). */
function activeStructure(circuit: Circuit, flags: Uint8Array, count: number, context: string) {
  const last = checked.get(circuit);
  if (last && sameFlags(last.flags, flags)) return last;
  const activeEdges = new Uint32Array(count);
  const from = new Uint32Array(count);
  const to = new Uint32Array(count);
  for (let j = 0, a = 0; j < flags.length; j++) {
    if (flags[j]) {
      activeEdges[a] = j;
      from[a] = circuit.edgeFrom[j]!;
      to[a] = circuit.edgeTo[j]!;
      a++;
    }
  }
  checkGrounded(circuit, from, to, context);
  const entry = { flags, network: { nodeCount: circuit.nodeCount, edgeFrom: from, edgeTo: to }, activeEdges };
  checked.set(circuit, entry);
  return entry;
}

function checkGrounded(circuit: Circuit, from: Uint32Array, to: Uint32Array, context: string): void {
  const n = circuit.nodeCount;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let e = 0; e < from.length; e++) {
    const a = find(from[e]!);
    const b = find(to[e]!);
    if (a !== b) parent[a] = b;
  }
  const grounded = new Uint8Array(n);
  for (const i of circuit.inputNodes) grounded[find(i)] = 1;
  const isInput = new Uint8Array(n);
  for (const i of circuit.inputNodes) isInput[i] = 1;
  const floating: number[] = [];
  for (let i = 0; i < n; i++) if (!isInput[i] && !grounded[find(i)]) floating.push(i);
  if (floating.length === 0) return;
  const outputs = [...circuit.outputNodes].filter((o) => !grounded[find(o)]);
  throw new DisconnectedCircuitError(outputs, floating, context);
}
