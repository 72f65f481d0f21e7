import type { Circuit } from '@ohmlab/graph';
import type { CircuitChoice } from '../core/run-config.js';
import type { CircuitSummary } from '../worker/train-protocol.js';
import { api, has } from './packages.js';

/** Builds the chosen circuit with the seeded builders of @ohmlab/graph, or parses a dropped file. */
export function buildCircuit(choice: CircuitChoice): Circuit {
  switch (choice.kind) {
    case 'divider':
      return api<(o?: object) => Circuit>('graph', 'voltageDivider')();
    case 'kite':
      return api<(o?: object) => Circuit>('graph', 'kite')();
    case 'crossbar':
      return api<(o: object) => Circuit>('graph', 'crossbar')({ inputs: choice.size, outputs: Math.max(1, Math.round(choice.size2)), seed: choice.seed });
    case 'erdos-renyi': {
      const nodes = Math.max(3, choice.size);
      return api<(o: object) => Circuit>('graph', 'erdosRenyi')({ nodes, p: Math.min(1, choice.size2 / (nodes - 1)), seed: choice.seed });
    }
    case 'grid':
      return api<(o: object) => Circuit>('graph', 'grid2d')({ rows: Math.max(2, choice.size), columns: Math.max(2, Math.round(choice.size2)), seed: choice.seed });
    case 'file':
      if (choice.json === undefined) throw new Error('No circuit file was dropped: drop a circuit JSON file first');
      return api<(text: string) => Circuit>('graph', 'parseCircuit')(choice.json);
  }
}

/** The circuit in the public JSON format (through @ohmlab/graph when it exports a writer). */
export function circuitJson(circuit: Circuit): unknown {
  for (const name of ['circuitToJson', 'toCircuitJson', 'serializeCircuit']) {
    if (has('graph', name)) return api<(c: Circuit) => unknown>('graph', name)(circuit);
  }
  return {
    nodes: circuit.nodeCount,
    edges: Array.from(circuit.edgeFrom, (from, j) => [from, circuit.edgeTo[j]]),
    conductances: Array.from(circuit.conductances),
    inputs: { nodes: Array.from(circuit.inputNodes), values: Array.from(circuit.inputValues) },
    outputs: { nodes: Array.from(circuit.outputNodes), targets: Array.from(circuit.targets) },
    ...(circuit.samples
      ? { samples: circuit.samples.map((s) => ({ inputs: Array.from(s.inputs), targets: Array.from(s.targets) })) }
      : {}),
  };
}

/** What the page needs to draw the circuit. */
export function summarise(circuit: Circuit): CircuitSummary {
  return {
    nodeCount: circuit.nodeCount,
    edgeFrom: circuit.edgeFrom.slice(),
    edgeTo: circuit.edgeTo.slice(),
    inputNodes: circuit.inputNodes.slice(),
    inputValues: circuit.inputValues.slice(),
    outputNodes: circuit.outputNodes.slice(),
    targets: circuit.targets.slice(),
    sampleCount: circuit.samples?.length ?? 1,
    json: circuitJson(circuit),
  };
}
