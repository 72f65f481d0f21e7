import { el, formatNumber } from '../core/dom.js';
import type { RunConfig } from '../core/run-config.js';
import type { RunEvent, StepRecord, TrainReply } from '../worker/train-protocol.js';
import { coercivityLabels, conservedLabels } from './lab-charts.js';

/** The `loaded` reply of the train worker. */
export type LoadedReply = Extract<TrainReply, { type: 'loaded' }>;

/**
 * The Lab's status line: state (and why it stopped), step, loss now and at the start, the
 * conserved quantity, the coercivity constant and the number of removed edges.
 */
export function statusLine(state: string, reason: string, first: StepRecord, latest: StepRecord, train: RunConfig['train']): string {
  const removed = latest.removed.reduce((sum, v) => sum + v, 0);
  return (
    `${state}${reason ? ` (${reason})` : ''} · step ${latest.step} · loss ${formatNumber(latest.loss)} (start ${formatNumber(first.loss)}) · ` +
    `${conservedLabels[train.parametrisation]} ${formatNumber(latest.conservedQuantity, 8)} · ` +
    `${coercivityLabels[train.rule]} ${Number.isNaN(latest.coercivity) ? 'n/a (an output or node has no path to an input)' : formatNumber(latest.coercivity)} · ${removed} removed`
  );
}

/** The numbers `#lab-status` exposes as data attributes (`data-step`, `data-loss`, ...). */
export function statusNumbers(first: StepRecord, latest: StepRecord): Record<string, string> {
  return {
    step: String(latest.step),
    loss: String(latest.loss),
    initialLoss: String(first.loss),
    conserved: String(latest.conservedQuantity),
    coercivity: String(latest.coercivity),
  };
}

/** The backend line under the status: backend, CPU fallback reason, circuit size. */
export function backendSummary(reply: LoadedReply): string {
  const circuit = reply.circuit;
  return (
    `Backend: ${reply.backendName} (${reply.backendDescription})` +
    (reply.fallbackReason ? ` · CPU fallback: ${reply.fallbackReason}` : '') +
    ` · ${circuit.nodeCount} nodes, ${circuit.edgeFrom.length} edges, ${circuit.outputNodes.length} output(s), ${circuit.sampleCount} sample(s)`
  );
}

/** One entry of the Events list (edge removals, disconnections, stops). */
export function eventItem(e: RunEvent): HTMLLIElement {
  return el('li', {}, `step ${e.step}: ${e.kind}${e.edge >= 0 ? ` edge ${e.edge}` : ''}${e.message ? ` (${e.message})` : ''}`);
}
