import { circuitToJson, crossbar, erdosRenyi, grid2d, kite, parseCircuit, voltageDivider, type Circuit } from '@ohmlab/graph';
import type { CircuitChoice } from '../core/run-config.js';
import type { CircuitSummary } from '../worker/train-protocol.js';

/** The page asked for a dropped circuit file but none was given. */
export class MissingCircuitFileError extends Error {
  override readonly name = 'MissingCircuitFileError';
}

/**
 * Builds the chosen circuit with the seeded builders of @ohmlab/graph (their defaults: inputs at
 * 1 V and ground, targets inside the input range), or parses a dropped circuit JSON file.
 * @throws CircuitError (from @ohmlab/graph) naming the bad field of a dropped file.
 */
export function buildCircuit(choice: CircuitChoice): Circuit {
  switch (choice.kind) {
    case 'divider':
      return voltageDivider(choice.target !== undefined ? { targets: [choice.target] } : {});
    case 'kite':
      return kite(choice.target !== undefined ? { targets: [choice.target] } : {});
    case 'crossbar':
      return crossbar({ inputs: Math.max(2, choice.size), outputs: Math.max(1, Math.round(choice.size2)), seed: choice.seed });
    case 'erdos-renyi':
      return erdosRenyi({ nodes: Math.max(3, choice.size), meanDegree: choice.size2, seed: choice.seed });
    case 'grid':
      return grid2d({ rows: Math.max(1, choice.size), cols: Math.max(1, Math.round(choice.size2)), seed: choice.seed });
    case 'file':
      if (choice.json === undefined) throw new MissingCircuitFileError('No circuit file was dropped: drop a circuit JSON file (the format of `ohmlab` / @ohmlab/graph) first');
      return parseCircuit(choice.json);
  }
}

/** What the page needs to draw the circuit and label the run. */
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
  };
}

/** The circuit in the public JSON format of @ohmlab/graph (what `ohmlab` reads). */
export function circuitJson(circuit: Circuit): unknown {
  return circuitToJson(circuit);
}
