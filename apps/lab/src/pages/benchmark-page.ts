import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { adapterLabel } from '../core/backend-choice.js';
import { el, formatNumber } from '../core/dom.js';
import { fullPlan, quickPlan, type BenchmarkReply, type BenchmarkRow } from '../worker/benchmark-protocol.js';
import type { PageContext } from './page.js';

/**
 * Benchmark: CPU and WebGPU solve and training-step throughput across circuit sizes and batch
 * sizes, as a chart and a table, with the adapter's description and limits and a button that
 * copies the results as JSON. `?quick=1` runs a small plan (used by the tests).
 * `#bench-status` carries `data-state` and `data-rows`; table rows carry `data-backend`.
 */
export function mount(context: PageContext): () => void {
  const quick = new URLSearchParams(location.search).get('quick') === '1';
  const plan = quick ? quickPlan : fullPlan;
  const rows: BenchmarkRow[] = [];
  const backendsInfo: Array<{ name: string; description: string; fallbackReason: string }> = [];
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
  const runButton = el('button', { id: 'btn-bench-run', type: 'button' }, 'Run benchmark');
  const copyButton = el('button', { id: 'btn-bench-copy', type: 'button' }, 'Copy results as JSON');
  const jsonBox = el('textarea', { id: 'bench-json', readonly: '', rows: '6', class: 'json-box' });
  const table = el('table', { id: 'bench-table', class: 'bench-table' });
  const header = ['backend', 'circuit', 'nodes', 'edges', 'batch', 'method', 'factor ms', 'solve ms', 'RHS / s', 'step ms', 'max residual', 'note'];
  table.append(el('tr', {}, ...header.map((h) => el('th', {}, h))));
  const chartBox = el('div', { id: 'bench-chart', class: 'chart' });
  let chart: uPlot | undefined;

  const resultsJson = (): string =>
    JSON.stringify(
      {
        page: 'ohmlab lab benchmark',
        date: new Date().toISOString(),
        userAgent: navigator.userAgent,
        adapter,
        backends: backendsInfo,
        plan,
        rows,
      },
      null,
      2,
    );

  const redrawChart = (): void => {
    const sizes = [...new Set(rows.filter((r) => r.circuit === 'erdos-renyi').map((r) => r.nodes))].sort((a, b) => a - b);
    const keys = [...new Set(rows.filter((r) => r.circuit === 'erdos-renyi').map((r) => `${r.backend} · batch ${r.batch}`))];
    const data: Array<Array<number | null>> = [sizes];
    for (const key of keys) {
      data.push(
        sizes.map((n) => {
          const row = rows.find((r) => r.circuit === 'erdos-renyi' && r.nodes === n && `${r.backend} · batch ${r.batch}` === key);
          return row && row.solvesPerSecond > 0 ? row.solvesPerSecond : null;
        }),
      );
    }
    chart?.destroy();
    const colours = ['#1f77b4', '#aec7e8', '#08306b', '#d62728', '#ff9896', '#67000d'];
    chart = new uPlot(
      {
        title: 'Erdős–Rényi (mean degree 4): right-hand sides solved per second',
        width: 760,
        height: 300,
        scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
        axes: [{ label: 'nodes' }, { label: 'RHS / s', size: 70 }],
        series: [{ label: 'nodes' }, ...keys.map((key, i) => ({ label: key, stroke: colours[i % colours.length] ?? '#333', width: 2 }))],
      },
      data as uPlot.AlignedData,
      chartBox,
    );
    chartBox.dataset['series'] = String(keys.length);
  };

  const addRow = (row: BenchmarkRow): void => {
    rows.push(row);
    const cells = [
      row.backend, row.circuit, String(row.nodes), String(row.edges), String(row.batch), row.method,
      formatNumber(row.factorMs), formatNumber(row.solveMs), formatNumber(row.solvesPerSecond),
      Number.isFinite(row.stepMs) ? formatNumber(row.stepMs) : '–', row.maxResidual.toExponential(1), row.note,
    ];
    table.append(el('tr', { 'data-backend': row.kind, 'data-circuit': row.circuit }, ...cells.map((c) => el('td', {}, c))));
    status.dataset['rows'] = String(rows.length);
    jsonBox.value = resultsJson();
    redrawChart();
  };

  const run = (): void => {
    worker?.terminate();
    rows.length = 0;
    backendsInfo.length = 0;
    table.querySelectorAll('tr[data-backend]').forEach((row) => row.remove());
    worker = new Worker(new URL('../worker/benchmark-worker.ts', import.meta.url), { type: 'module' });
    status.dataset['state'] = 'running';
    status.textContent = `Running: ${describePlan(plan)}…`;
    worker.onmessage = (event: MessageEvent<BenchmarkReply>) => {
      const reply = event.data;
      if (reply.type === 'backend') {
        backendsInfo.push({ name: reply.name, description: reply.description, fallbackReason: reply.fallbackReason });
        status.dataset['backends'] = backendsInfo.map((b) => b.name).join(',');
      } else if (reply.type === 'row') addRow(reply.row);
      else if (reply.type === 'done') {
        status.dataset['state'] = 'done';
        status.textContent = `Done: ${rows.length} rows in ${(reply.elapsedMs / 1000).toFixed(1)} s · backends: ${backendsInfo.map((b) => `${b.name} (${b.description})`).join('; ')}`;
        jsonBox.value = resultsJson();
      } else {
        status.dataset['state'] = 'error';
        status.textContent = `Error: ${reply.message}`;
      }
    };
    worker.onerror = (event) => {
      status.dataset['state'] = 'error';
      status.textContent = `Worker error: ${event.message}`;
    };
    const backends: Array<'cpu' | 'webgpu'> = adapter.available ? ['cpu', 'webgpu'] : ['cpu'];
    worker.postMessage({ type: 'run', plan, backends });
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
      chartBox,
      table,
      el('details', {}, el('summary', {}, 'Results as JSON'), jsonBox),
    ),
  );
  if (quick || new URLSearchParams(location.search).get('autorun') === '1') run();
  return () => {
    worker?.terminate();
    chart?.destroy();
  };
}

function describePlan(plan: typeof fullPlan): string {
  return `Erdős–Rényi n ∈ {${plan.erdosRenyiNodes.join(', ')}}, grids ${plan.gridSides.map((s) => `${s}×${s}`).join(', ')}, batches {${plan.batches.join(', ')}}, median of ${plan.repetitions}`;
}
