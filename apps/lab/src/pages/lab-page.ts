import { TimeChart } from '../charts/time-chart.js';
import { download, el, formatNumber } from '../core/dom.js';
import { experimentJson, historyCsv } from '../core/run-export.js';
import type { RunConfig } from '../core/run-config.js';
import { CircuitView } from '../view/circuit-view.js';
import type { CircuitSummary, RunEvent, StepRecord, TrainReply, TrainRequest } from '../worker/train-protocol.js';
import { createLabControls } from './lab-controls.js';
import type { PageContext } from './page.js';

const conservedLabels: Record<string, string> = {
  conductance: 'Σ k²',
  resistance: 'Σ R²',
  log: 'Σ θ',
};

/**
 * The Lab: pick a circuit and a rule, train it live in a worker, watch the circuit and four
 * plots (loss on a log axis, the conserved quantity, conductance trajectories, coercivity).
 * `#lab-status` exposes the numbers as data attributes (`data-state`, `data-step`, `data-loss`,
 * `data-initial-loss`, `data-backend`).
 */
export function mount(context: PageContext): () => void {
  const worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), { type: 'module' });
  const send = (request: TrainRequest): void => worker.postMessage(request);

  let config: RunConfig;
  let circuit: CircuitSummary | undefined;
  let backendName = '';
  let records: StepRecord[] = [];
  let events: RunEvent[] = [];
  let dirty = false;

  const status = el('div', { id: 'lab-status', class: 'status', 'data-state': 'loading' }, 'Loading…');
  const backendLine = el('div', { id: 'lab-backend', class: 'muted' });
  const view = new CircuitView(520, 400);
  const eventList = el('ol', { id: 'lab-events', class: 'events' });
  const lossChart = new TimeChart({ title: 'Loss', xLabel: 'step', yLabel: 'L', logY: true, series: ['loss'] });
  const massChart = new TimeChart({ title: 'Conserved quantity', xLabel: 'step', yLabel: 'Σ k²', series: ['Σ k²'] });
  const kChart = new TimeChart({ title: 'Conductances', xLabel: 'step', yLabel: 'k', series: [], legend: false });
  const coercivityChart = new TimeChart({ title: 'Coercivity constant', xLabel: 'step', yLabel: 'c', logY: true, series: ['c'] });
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
  const exportJsonButton = button('btn-export-json', 'Export experiment JSON', () => {
    if (circuit) download('ohmlab-experiment.json', experimentJson(config, circuit, backendName, records, events), 'application/json');
  });
  const exportCsvButton = button('btn-export-csv', 'Export history CSV', () => {
    download('ohmlab-history.csv', historyCsv(records), 'text/csv');
  });

  const load = (next: RunConfig): void => {
    config = next;
    status.dataset['state'] = 'loading';
    status.textContent = 'Loading…';
    send({ type: 'load', config, backend: context.preference === 'cpu' || !context.adapter.available ? 'cpu' : 'auto' });
  };
  const controls = createLabControls(load);

  const setStatus = (state: string, text: string): void => {
    status.dataset['state'] = state;
    status.textContent = text;
  };

  const describeLatest = (state: string, reason = ''): void => {
    const latest = records[records.length - 1];
    const first = records[0];
    if (!latest || !first) return;
    status.dataset['step'] = String(latest.step);
    status.dataset['loss'] = String(latest.loss);
    status.dataset['initialLoss'] = String(first.loss);
    status.dataset['conserved'] = String(latest.conservedQuantity);
    status.dataset['coercivity'] = String(latest.coercivity);
    const removed = latest.removed.reduce((sum, v) => sum + v, 0);
    setStatus(
      state,
      `${state}${reason ? ` (${reason})` : ''} · step ${latest.step} · loss ${formatNumber(latest.loss)} (start ${formatNumber(first.loss)}) · ` +
        `${conservedLabels[config.train.parametrisation] ?? 'conserved'} ${formatNumber(latest.conservedQuantity, 8)} · ` +
        `c ${formatNumber(latest.coercivity)} · ${removed} removed`,
    );
  };

  const addRecord = (record: StepRecord): void => {
    records.push(record);
    lossChart.push(record.step, [record.loss]);
    massChart.push(record.step, [record.conservedQuantity]);
    kChart.push(record.step, Array.from(record.conductances, (k, j) => (record.removed[j] ? Number.NaN : k)));
    coercivityChart.push(record.step, [record.coercivity]);
    dirty = true;
  };

  let frame = 0;
  const draw = (): void => {
    frame = requestAnimationFrame(draw);
    if (!dirty) return;
    dirty = false;
    for (const chart of charts) chart.redraw();
    const latest = records[records.length - 1];
    if (latest) view.update({ conductances: latest.conductances, currents: latest.currents, removed: Array.from(latest.removed, Boolean) });
  };
  frame = requestAnimationFrame(draw);

  let state = 'idle';
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const reply = event.data;
    switch (reply.type) {
      case 'loaded': {
        circuit = reply.circuit;
        backendName = reply.backendName;
        records = [];
        events = [];
        eventList.replaceChildren();
        view.setCircuit(reply.circuit);
        const edgeCount = reply.circuit.edgeFrom.length;
        massChart.setSeries([conservedLabels[config.train.parametrisation] ?? 'conserved']);
        kChart.setSeries(Array.from({ length: edgeCount }, (_, j) => `k${j}`));
        lossChart.clear();
        coercivityChart.clear();
        addRecord(reply.initial);
        status.dataset['backend'] = reply.backendName;
        backendLine.textContent =
          `Backend: ${reply.backendName} (${reply.backendDescription})` +
          (reply.fallbackReason ? ` · CPU fallback: ${reply.fallbackReason}` : '') +
          ` · ${reply.circuit.nodeCount} nodes, ${edgeCount} edges, ${reply.circuit.outputNodes.length} outputs, ${reply.circuit.sampleCount} samples`;
        state = 'idle';
        describeLatest('ready');
        break;
      }
      case 'progress':
        for (const record of reply.records) addRecord(record);
        for (const e of reply.events) {
          events.push(e);
          eventList.append(el('li', {}, `step ${e.step}: ${e.message}`));
        }
        describeLatest(state === 'running' ? 'running' : 'ready');
        break;
      case 'state':
        state = reply.running ? 'running' : reply.stopReason === 'paused' ? 'paused' : reply.stopReason ? 'stopped' : 'ready';
        describeLatest(state, reply.stopReason === 'paused' ? '' : reply.stopReason);
        runButton.textContent = reply.stopReason === 'paused' ? 'Resume' : 'Run';
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
        view.element,
        el('details', { open: '' }, el('summary', {}, 'Events'), eventList),
      ),
      el('div', { class: 'charts' }, ...charts.map((chart) => chart.element)),
    ),
  );
  load(controls.read());

  return () => {
    cancelAnimationFrame(frame);
    worker.terminate();
    for (const chart of charts) chart.destroy();
  };
}
