import { TimeChart } from '../charts/time-chart.js';
import { download, el, formatNumber } from '../core/dom.js';
import type { RunConfig } from '../core/run-config.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';
import { CircuitView } from '../view/circuit-view.js';
import type { RunEvent, StepRecord, TrainReply, TrainRequest } from '../worker/train-protocol.js';
import { createLabControls } from './lab-controls.js';
import type { PageContext } from './page.js';

const conservedLabels: Record<RunConfig['train']['parametrisation'], string> = { conductance: 'Σ k²', resistance: 'Σ R²', log: 'Σ θ' };
const coercivityLabels: Record<RunConfig['train']['rule'], string> = { ep: 'c_EP', cl: 'c_CL', al: 'c_AL' };
/** Conductance trajectories drawn at most (uPlot stays fast; the CSV has every edge). */
const maxTrajectories = 48;
const ruleLosses: Record<RunConfig['train']['rule'], string[]> = { ep: ['L'], cl: ['L', 'L_CL (weighted)'], al: ['L', 'L_AL (adjoint)'] };

/**
 * The Lab: pick a circuit and a rule, train it live in a worker, watch the circuit and four
 * plots (loss on a log axis, the conserved quantity, conductance trajectories, coercivity).
 * `#lab-status` exposes the numbers as data attributes (`data-state`, `data-step`, `data-loss`,
 * `data-initial-loss`, `data-conserved`, `data-coercivity`, `data-backend`).
 */
export function mount(context: PageContext): () => void {
  const worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), { type: 'module' });
  const send = (request: TrainRequest): void => worker.postMessage(request);
  let config: RunConfig;
  let records: StepRecord[] = [];
  let dirty = false;
  let pendingExport: 'json' | 'csv' | undefined;

  const status = el('div', { id: 'lab-status', class: 'status', 'data-state': 'loading' }, 'Loading…');
  const backendLine = el('div', { id: 'lab-backend', class: 'muted' });
  const notices = el('div', { id: 'lab-notices', class: 'muted' });
  const view = new CircuitView(520, 400);
  const eventList = el('ol', { id: 'lab-events', class: 'events' });
  const lossChart = new TimeChart({ title: 'Loss', xLabel: 'step', yLabel: 'loss', logY: true, series: ['L'] });
  const massChart = new TimeChart({ title: 'Conserved quantity', xLabel: 'step', yLabel: 'Σ k²', series: ['Σ k²'] });
  const kChart = new TimeChart({ title: 'Conductances', xLabel: 'step', yLabel: 'conductance', series: [], legend: false });
  const coercivityChart = new TimeChart({ title: 'Coercivity constant', xLabel: 'step', yLabel: 'c', logY: true, series: ['c_EP'] });
  const charts = [lossChart, massChart, kChart, coercivityChart];

  const button = (id: string, text: string, onClick: () => void): HTMLButtonElement => {
    const b = el('button', { id, type: 'button' }, text);
    b.addEventListener('click', onClick);
    return b;
  };
  const runButton = button('btn-run', 'Run', () => send({ type: 'resume' }));
  const pauseButton = button('btn-pause', 'Pause', () => send({ type: 'pause' }));
  const stepButton = button('btn-step', 'Step', () => send({ type: 'step', count: 1 }));
  const resetButton = button('btn-reset', 'Reset', () => send({ type: 'reset' }));
  const requestExport = (what: 'json' | 'csv'): void => {
    pendingExport = what;
    send({ type: 'export' });
  };
  const exportJsonButton = button('btn-export-json', 'Export JSON', () => requestExport('json'));
  exportJsonButton.title = 'The run as an experiment file of `ohmlab train` (circuit, rule, settings, steps taken)';
  const exportCsvButton = button('btn-export-csv', 'Export CSV', () => requestExport('csv'));
  exportCsvButton.title = 'The recorded history: step, losses, conserved quantity, conductances, coercivity';
  const massCaption = el('p', { class: 'chart-caption' });
  const kCaption = el('p', { class: 'chart-caption' });

  const watchdog = new Watchdog(60_000, (seconds) => notices.append(el('div', { class: 'warning' }, silenceNote('training', seconds))));
  const setStatus = (state: string, text: string): void => {
    status.dataset['state'] = state;
    status.textContent = text;
    watchdog.busy(state === 'loading' || state === 'running');
  };

  const load = (next: RunConfig): void => {
    config = next;
    setStatus('loading', 'Loading…');
    send({ type: 'load', config, backend: context.adapter.available ? context.preference : 'cpu' });
  };
  const controls = createLabControls(load);

  const describeLatest = (state: string, reason = ''): void => {
    const latest = records[records.length - 1];
    const first = records[0];
    if (!latest || !first) return;
    Object.assign(status.dataset, {
      step: String(latest.step),
      loss: String(latest.loss),
      initialLoss: String(first.loss),
      conserved: String(latest.conservedQuantity),
      coercivity: String(latest.coercivity),
    });
    const removed = latest.removed.reduce((sum, v) => sum + v, 0);
    setStatus(
      state,
      `${state}${reason ? ` (${reason})` : ''} · step ${latest.step} · loss ${formatNumber(latest.loss)} (start ${formatNumber(first.loss)}) · ` +
        `${conservedLabels[config.train.parametrisation]} ${formatNumber(latest.conservedQuantity, 8)} · ` +
        `${coercivityLabels[config.train.rule]} ${Number.isNaN(latest.coercivity) ? 'n/a (an output or node has no path to an input)' : formatNumber(latest.coercivity)} · ${removed} removed`,
    );
  };

  const addRecord = (record: StepRecord): void => {
    records.push(record);
    const second = config.train.rule === 'cl' ? record.weightedLoss : record.adjointLoss;
    lossChart.push(record.step, [record.loss, second]);
    massChart.push(record.step, [record.conservedQuantity]);
    kChart.push(record.step, Array.from(record.conductances.subarray(0, maxTrajectories), (k, j) => (record.removed[j] ? Number.NaN : k)));
    coercivityChart.push(record.step, [record.coercivity]);
    dirty = true;
  };

  /** Draws what arrived since the last frame (also before the status says a run paused or stopped). */
  const flush = (): void => {
    if (!dirty) return;
    dirty = false;
    for (const chart of charts) chart.redraw();
    const latest = records[records.length - 1];
    if (latest) view.update({ conductances: latest.conductances, currents: latest.currents, removed: Array.from(latest.removed, Boolean) });
  };
  let frame = 0;
  const draw = (): void => {
    frame = requestAnimationFrame(draw);
    flush();
  };
  frame = requestAnimationFrame(draw);

  const addEvents = (events: readonly RunEvent[]): void => {
    for (const e of events) eventList.append(el('li', {}, `step ${e.step}: ${e.kind}${e.edge >= 0 ? ` edge ${e.edge}` : ''}${e.message ? ` (${e.message})` : ''}`));
  };

  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const reply = event.data;
    watchdog.heard();
    switch (reply.type) {
      case 'loaded': {
        records = [];
        eventList.replaceChildren();
        notices.replaceChildren();
        view.setCircuit(reply.circuit);
        const edgeCount = reply.circuit.edgeFrom.length;
        lossChart.setSeries(ruleLosses[config.train.rule]);
        massChart.setSeries([conservedLabels[config.train.parametrisation]], conservedLabels[config.train.parametrisation]);
        kChart.setSeries(Array.from({ length: Math.min(edgeCount, maxTrajectories) }, (_, j) => `k${j}`));
        kCaption.textContent = edgeCount > maxTrajectories ? `Edges 0–${maxTrajectories - 1} of ${edgeCount} shown (the CSV export has all).` : 'Removed edges end their line.';
        coercivityChart.setSeries([coercivityLabels[config.train.rule]], coercivityLabels[config.train.rule]);
        massCaption.textContent = conservationNote(config.train);
        addRecord(reply.initial);
        flush();
        status.dataset['backend'] = reply.backendName;
        backendLine.textContent =
          `Backend: ${reply.backendName} (${reply.backendDescription})` +
          (reply.fallbackReason ? ` · CPU fallback: ${reply.fallbackReason}` : '') +
          ` · ${reply.circuit.nodeCount} nodes, ${edgeCount} edges, ${reply.circuit.outputNodes.length} output(s), ${reply.circuit.sampleCount} sample(s)`;
        describeLatest('ready');
        break;
      }
      case 'progress':
        for (const record of reply.records) addRecord(record);
        addEvents(reply.events);
        describeLatest(status.dataset['state'] === 'running' ? 'running' : 'ready');
        break;
      case 'state': {
        flush();
        const state = reply.running ? 'running' : reply.stopReason === 'paused' ? 'paused' : reply.stopReason ? 'stopped' : 'ready';
        describeLatest(state, reply.stopReason === 'paused' ? '' : reply.stopReason);
        runButton.textContent = state === 'paused' ? 'Resume' : 'Run';
        break;
      }
      case 'notice':
        if (notices.childElementCount < 5) notices.append(el('div', {}, `Note: ${reply.message}`));
        break;
      case 'export':
        if (pendingExport === 'json') download('ohmlab-experiment.json', reply.experimentJson, 'application/json');
        if (pendingExport === 'csv') download('ohmlab-history.csv', reply.historyCsv, 'text/csv');
        pendingExport = undefined;
        break;
      case 'error':
        setStatus('error', `Error: ${reply.message}`);
        break;
    }
  };
  worker.onerror = (event) => setStatus('error', `Worker error: ${event.message}`);

  context.root.append(
    el(
      'section',
      { class: 'lab-page' },
      controls.element,
      el(
        'div',
        { class: 'lab-main' },
        el('div', { class: 'buttons' }, runButton, pauseButton, stepButton, resetButton, exportJsonButton, exportCsvButton),
        status,
        backendLine,
        notices,
        view.element,
        el('details', { open: '' }, el('summary', {}, 'Events'), eventList),
      ),
      el('div', { class: 'charts' }, lossChart.element, massChart.element, massCaption, kChart.element, kCaption, coercivityChart.element),
    ),
  );
  load(controls.read());

  return () => {
    cancelAnimationFrame(frame);
    watchdog.dispose();
    worker.terminate();
    for (const chart of charts) chart.destroy();
  };
}

/** What THEORY.md "Invariants" says the conserved-quantity plot should do for these settings. */
function conservationNote(train: RunConfig['train']): string {
  const quantity = conservedLabels[train.parametrisation];
  if (train.rule === 'al') return `AL does not conserve ${quantity}: with conductances, d/dt Σ k² = −4 L_AL.`;
  if (train.nudge === 'finite') return `${quantity} is conserved by the zero-nudge and symmetric rules; a one-sided finite nudge drifts it (sign of −η).`;
  return `${quantity} is conserved by this rule (up to the discrete step's error).`;
}
