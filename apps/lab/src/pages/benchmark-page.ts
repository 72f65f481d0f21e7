import { adapterLabel } from '../core/backend-choice.js';
import { el, formatNumber } from '../core/dom.js';
import { fullPlan, quickPlan, type BenchmarkPlan, type BenchmarkReply, type BenchmarkRow } from '../worker/benchmark-protocol.js';
import { BenchmarkChart } from '../charts/benchmark-chart.js';
import type { PageContext } from './page.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';

/**
 * Benchmark: CPU and WebGPU solve and training-step throughput across circuit sizes and batch
 * sizes, as a chart and a table, with the adapter's description and limits and a button that
 * copies the results as JSON. `?quick=1` runs a small plan at once (used by the tests).
 * `#bench-status` carries `data-state` and `data-rows`; table rows carry `data-backend`.
 */
export function mount(context: PageContext): () => void {
  const query = new URLSearchParams(location.search);
  const quick = query.get('quick') === '1';
  const plan = quick ? quickPlan : fullPlan;
  const rows: BenchmarkRow[] = [];
  const backendsInfo: Array<{ kind: string; name: string; description: string }> = [];
  const notices: string[] = [];
  let worker: Worker | undefined;
  const adapter = context.adapter;

  const adapterBox = el(
    'div',
    { id: 'bench-adapter', class: 'adapter', 'data-available': String(adapter.available) },
    el('h3', {}, 'Adapter'),
    el('p', {}, adapter.available ? `WebGPU adapter: ${adapterLabel(adapter)}` : `No WebGPU: ${adapter.reason}. Only CPU rows are measured.`),
  );
  if (adapter.available) {
    const limits = el('table', { class: 'limits' }, el('tr', {}, el('th', {}, 'limit'), el('th', {}, 'value')));
    for (const [name, value] of Object.entries(adapter.limits)) limits.append(el('tr', {}, el('td', {}, name), el('td', {}, value.toLocaleString('en-US'))));
    adapterBox.append(
      el('p', { class: 'muted' }, `vendor "${adapter.vendor}", architecture "${adapter.architecture}", device "${adapter.device}", description "${adapter.description}"`),
      limits,
    );
  }

  const status = el('div', { id: 'bench-status', class: 'status', 'data-state': 'idle', 'data-rows': '0' }, `Plan: ${describePlan(plan)}`);
  const noticeBox = el('div', { id: 'bench-notices', class: 'muted' });
  const runButton = el('button', { id: 'btn-bench-run', type: 'button' }, 'Run benchmark');
  const copyButton = el('button', { id: 'btn-bench-copy', type: 'button' }, 'Copy results as JSON');
  const jsonBox = el('textarea', { id: 'bench-json', readonly: '', rows: '8', class: 'json-box' });
  const table = el('table', { id: 'bench-table', class: 'bench-table' });
  const header = ['backend', 'circuit', 'nodes', 'edges', 'batch', 'method', 'factor + solve ms', 'solve ms', 'RHS / s', 'step ms', 'samples / s', 'max residual'];
  table.append(el('tr', {}, ...header.map((h) => el('th', {}, h))));
  const chart = new BenchmarkChart();
  const watchdog = new Watchdog(180_000, (seconds) => noticeBox.append(el('div', { class: 'warning' }, silenceNote('benchmark', seconds))));

  const resultsJson = (): string =>
    JSON.stringify({ page: 'ohmlab lab benchmark', date: new Date().toISOString(), userAgent: navigator.userAgent, adapter, backends: backendsInfo, plan, notices, rows }, null, 2);

  const addRow = (row: BenchmarkRow): void => {
    rows.push(row);
    const cells = [
      row.backend, row.circuit, String(row.nodes), String(row.edges), String(row.batch), row.method,
      formatNumber(row.factorSolveMs), formatNumber(row.solveMs), formatNumber(row.solvesPerSecond),
      formatNumber(row.stepMs), formatNumber(row.samplesPerSecond), row.maxResidual.toExponential(1),
    ];
    table.append(el('tr', { 'data-backend': row.kind, 'data-circuit': row.circuit }, ...cells.map((c) => el('td', {}, c))));
    status.dataset['rows'] = String(rows.length);
    jsonBox.value = resultsJson();
    chart.draw(rows);
  };

  const finish = (state: string, text: string): void => {
    status.dataset['state'] = state;
    status.textContent = text;
    runButton.disabled = false;
    watchdog.busy(false);
  };

  const run = (): void => {
    worker?.terminate();
    rows.length = 0;
    backendsInfo.length = 0;
    notices.length = 0;
    noticeBox.replaceChildren();
    table.querySelectorAll('tr[data-backend]').forEach((row) => row.remove());
    chart.draw(rows);
    worker = new Worker(new URL('../worker/benchmark-worker.ts', import.meta.url), { type: 'module' });
    status.dataset['state'] = 'running';
    status.textContent = `Running: ${describePlan(plan)}…`;
    runButton.disabled = true;
    watchdog.busy(true);
    worker.onmessage = (event: MessageEvent<BenchmarkReply>) => {
      const reply = event.data;
      watchdog.heard();
      if (reply.type === 'backend') {
        backendsInfo.push({ kind: reply.kind, name: reply.name, description: reply.description });
        status.dataset['backends'] = backendsInfo.map((b) => b.name).join(',');
      } else if (reply.type === 'row') addRow(reply.row);
      else if (reply.type === 'notice') {
        notices.push(reply.message);
        noticeBox.append(el('div', {}, `Note: ${reply.message}`));
      } else if (reply.type === 'done') {
        finish('done', `Done: ${rows.length} rows in ${(reply.elapsedMs / 1000).toFixed(1)} s · ${backendsInfo.map((b) => `${b.kind}: ${b.description}`).join(' · ')}`);
        jsonBox.value = resultsJson();
      } else finish('error', `Error: ${reply.message}`);
    };
    worker.onerror = (event) => finish('error', `Worker error: ${event.message}`);
    worker.postMessage({ type: 'run', plan, backends: adapter.available ? ['cpu', 'webgpu'] : ['cpu'] });
  };
  runButton.addEventListener('click', run);
  copyButton.addEventListener('click', () => {
    const text = resultsJson();
    jsonBox.value = text;
    const done = (how: string): void => {
      copyButton.textContent = how;
      setTimeout(() => (copyButton.textContent = 'Copy results as JSON'), 1500);
    };
    navigator.clipboard.writeText(text).then(
      () => done('Copied'),
      () => {
        jsonBox.select();
        done(document.execCommand('copy') ? 'Copied' : 'Select the text below and copy it');
      },
    );
  });

  context.root.append(
    el(
      'section',
      { class: 'bench-page' },
      adapterBox,
      el('div', { class: 'buttons' }, runButton, copyButton),
      status,
      noticeBox,
      chart.element,
      table,
      el('details', {}, el('summary', {}, 'Results as JSON'), jsonBox),
    ),
  );
  if (quick || query.get('autorun') === '1') run();
  return () => {
    worker?.terminate();
    watchdog.dispose();
    chart.destroy();
  };
}

function describePlan(plan: BenchmarkPlan): string {
  return `Erdős–Rényi n ∈ {${plan.erdosRenyiNodes.join(', ')}} (mean degree 4), grids ${plan.gridSides.map((s) => `${s}×${s}`).join(', ')}, batches {${plan.batches.join(', ')}}, median of ${plan.repetitions}`;
}
