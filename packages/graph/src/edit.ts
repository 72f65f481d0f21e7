import type { Circuit, Sample } from './circuit.js';
import { CircuitError } from './errors.js';

/**
 * The circuit without the given edges (original indices). Returns the new circuit and
 * `edgeMap[oldIndex] = newIndex` (-1 for removed edges). Does not re-validate connectivity: use
 * `nodesWithoutPathTo` / `outputsReachInputs` to check what the removal did.
 */
export function removeEdges(c: Circuit, edges: Iterable<number>): { circuit: Circuit; edgeMap: Int32Array } {
  const m = c.edgeFrom.length;
  const drop = new Uint8Array(m);
  for (const j of edges) {
    if (!Number.isInteger(j) || j < 0 || j >= m) throw new CircuitError('edges', j, `cannot remove edge ${j}: the circuit has edges 0..${m - 1}`);
    drop[j] = 1;
  }
  const edgeMap = new Int32Array(m).fill(-1);
  let kept = 0;
  for (let j = 0; j < m; j++) if (!drop[j]) edgeMap[j] = kept++;
  const edgeFrom = new Uint32Array(kept);
  const edgeTo = new Uint32Array(kept);
  const conductances = new Float64Array(kept);
  for (let j = 0; j < m; j++) {
    const t = edgeMap[j]!;
    if (t < 0) continue;
    edgeFrom[t] = c.edgeFrom[j]!;
    edgeTo[t] = c.edgeTo[j]!;
    conductances[t] = c.conductances[j]!;
  }
  return { circuit: { ...c, edgeFrom, edgeTo, conductances }, edgeMap };
}

/** The same circuit with new conductances (length checked; positivity is the caller's business). */
export function withConductances(c: Circuit, conductances: Float64Array): Circuit {
  if (conductances.length !== c.edgeFrom.length) {
    throw new CircuitError('conductances', -1, `has ${conductances.length} entries but the circuit has ${c.edgeFrom.length} edges`);
  }
  return { ...c, conductances };
}

/** The same circuit driven by one sample: its inputs become `inputValues`, its targets `targets`. */
export function withSample(c: Circuit, sample: Sample): Circuit {
  if (sample.inputs.length !== c.inputNodes.length || sample.targets.length !== c.outputNodes.length) {
    throw new CircuitError('samples', -1, `sample has ${sample.inputs.length} inputs and ${sample.targets.length} targets; expected ${c.inputNodes.length} and ${c.outputNodes.length}`);
  }
  return { ...c, inputValues: Float64Array.from(sample.inputs), targets: Float64Array.from(sample.targets) };
}

/** The same circuit with a dataset of samples attached (validated lengths). */
export function withSamples(c: Circuit, samples: readonly Sample[]): Circuit {
  samples.forEach((s, i) => {
    if (s.inputs.length !== c.inputNodes.length) throw new CircuitError(`samples[${i}].inputs`, -1, `has ${s.inputs.length} entries; expected ${c.inputNodes.length}`);
    if (s.targets.length !== c.outputNodes.length) throw new CircuitError(`samples[${i}].targets`, -1, `has ${s.targets.length} entries; expected ${c.outputNodes.length}`);
  });
  return { ...c, samples };
}

/** The dataset: `circuit.samples` when present and non-empty, else the one pair (inputValues, targets). */
export function samplesOf(c: Circuit): readonly Sample[] {
  return c.samples && c.samples.length > 0 ? c.samples : [{ inputs: c.inputValues, targets: c.targets }];
}
