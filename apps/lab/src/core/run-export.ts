import type { RunConfig } from './run-config.js';
import type { CircuitSummary, RunEvent, StepRecord } from '../worker/train-protocol.js';

/**
 * The run as an experiment file: the fields `ohmlab train` reads (issue 3: circuit, rule, nudge,
 * eta, alpha, time, steps, parametrisation, boundary, seed) plus what this run produced.
 */
export function experimentJson(
  config: RunConfig,
  circuit: CircuitSummary,
  backendName: string,
  records: readonly StepRecord[],
  events: readonly RunEvent[],
): string {
  const last = records[records.length - 1];
  const experiment = {
    circuit: circuit.json,
    rule: config.train.rule,
    nudge: config.train.nudge,
    eta: config.train.eta,
    alpha: config.train.alpha,
    time: 'discrete',
    steps: last?.step ?? 0,
    parametrisation: config.train.parametrisation,
    boundary: config.train.boundary,
    seed: config.train.seed,
    lab: { backend: backendName, circuitChoice: { ...config.circuit, json: undefined } },
    history: {
      step: records.map((r) => r.step),
      loss: records.map((r) => r.loss),
      mass: records.map((r) => r.conservedQuantity),
      coercivity: records.map((r) => (Number.isFinite(r.coercivity) ? r.coercivity : null)),
    },
    final: last
      ? { conductances: Array.from(last.conductances), loss: last.loss, removedEdges: indicesOf(last.removed) }
      : null,
    events,
  };
  return `${JSON.stringify(experiment, null, 2)}\n`;
}

/** The history as CSV: step, loss, conserved quantity, coercivity, then one column per conductance. */
export function historyCsv(records: readonly StepRecord[]): string {
  const edgeCount = records[0]?.conductances.length ?? 0;
  const header = ['step', 'loss', 'conserved_quantity', 'coercivity'];
  for (let j = 0; j < edgeCount; j += 1) header.push(`k${j}`);
  const lines = [header.join(',')];
  for (const record of records) {
    const row = [record.step, record.loss, record.conservedQuantity, record.coercivity].map(String);
    for (let j = 0; j < edgeCount; j += 1) row.push(String(record.conductances[j] ?? ''));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function indicesOf(mask: Uint8Array): number[] {
  const out: number[] = [];
  mask.forEach((value, index) => {
    if (value) out.push(index);
  });
  return out;
}
