import type { AdapterReport } from '../core/backend-choice.js';
import { el } from '../core/dom.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';
import { BenchmarkChart } from '../charts/benchmark-chart.js';
import type { BenchmarkPlan, BenchmarkReply, BenchmarkRow } from '../worker/benchmark-protocol.js';
import { adapterPanel, benchmarkTable, benchmarkTableRow, describePlan } from './benchmark-panels.js';

const copyLabel = 'Copy results as JSON';

/**
 * One Benchmark page's state: the adapter panel, the Run and Copy buttons, the status line, the
 * chart, the table and the JSON box, and the benchmark worker of the current run (a new one per run).
 */
export class BenchmarkSession {
  readonly element: HTMLElement;
  private readonly rows: BenchmarkRow[] = [];
  private readonly backendsInfo: Array<{ kind: string; name: string; description: string }> = [];
  private readonly notices: string[] = [];
  private worker: Worker | undefined;
  private readonly status: HTMLDivElement;
  private readonly noticeBox = el('div', { id: 'bench-notices', class: 'muted' });
  private readonly runButton = el('button', { id: 'btn-bench-run', type: 'button' }, 'Run benchmark');
  private readonly copyButton = el('button', { id: 'btn-bench-copy', type: 'button' }, copyLabel);
  private readonly jsonBox = el('textarea', { id: 'bench-json', readonly: '', rows: '8', class: 'json-box' });
  private readonly table = benchmarkTable();
  private readonly chart = new BenchmarkChart();
  private readonly watchdog = new Watchdog(180_000, (seconds) => this.noticeBox.append(el('div', { class: 'warning' }, silenceNote('benchmark', seconds))));

  constructor(
    private readonly adapter: AdapterReport,
    private readonly plan: BenchmarkPlan,
  ) {
    this.status = el('div', { id: 'bench-status', class: 'status', 'data-state': 'idle', 'data-rows': '0' }, `Plan: ${describePlan(plan)}`);
    this.runButton.addEventListener('click', () => this.run());
    this.copyButton.addEventListener('click', () => this.copyResults());
    this.element = el(
      'section',
      { class: 'bench-page' },
      adapterPanel(adapter),
      el('div', { class: 'buttons' }, this.runButton, this.copyButton),
      this.status,
      this.noticeBox,
      this.chart.element,
      this.table,
      el('details', {}, el('summary', {}, 'Results as JSON'), this.jsonBox),
    );
  }

  /** Starts a fresh run of the plan (CPU, and WebGPU where there is an adapter), dropping earlier results. */
  run(): void {
    this.worker?.terminate();
    this.rows.length = 0;
    this.backendsInfo.length = 0;
    this.notices.length = 0;
    this.noticeBox.replaceChildren();
    this.table.querySelectorAll('tr[data-backend]').forEach((row) => row.remove());
    this.chart.draw(this.rows);
    const worker = new Worker(new URL('../worker/benchmark-worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.status.dataset['state'] = 'running';
    this.status.textContent = `Running: ${describePlan(this.plan)}…`;
    this.runButton.disabled = true;
    this.watchdog.busy(true);
    worker.onmessage = (event: MessageEvent<BenchmarkReply>) => this.receive(event.data);
    worker.onerror = (event) => this.finish('error', `Worker error: ${event.message}`);
    worker.postMessage({ type: 'run', plan: this.plan, backends: this.adapter.available ? ['cpu', 'webgpu'] : ['cpu'] });
  }

  dispose(): void {
    this.worker?.terminate();
    this.watchdog.dispose();
    this.chart.destroy();
  }

  private resultsJson(): string {
    const { adapter, backendsInfo: backends, plan, notices, rows } = this;
    return JSON.stringify({ page: 'ohmlab lab benchmark', date: new Date().toISOString(), userAgent: navigator.userAgent, adapter, backends, plan, notices, rows }, null, 2);
  }

  private receive(reply: BenchmarkReply): void {
    this.watchdog.heard();
    if (reply.type === 'backend') {
      this.backendsInfo.push({ kind: reply.kind, name: reply.name, description: reply.description });
      this.status.dataset['backends'] = this.backendsInfo.map((b) => b.name).join(',');
    } else if (reply.type === 'row') this.addRow(reply.row);
    else if (reply.type === 'notice') {
      this.notices.push(reply.message);
      this.noticeBox.append(el('div', {}, `Note: ${reply.message}`));
    } else if (reply.type === 'done') {
      const backends = this.backendsInfo.map((b) => `${b.kind}: ${b.description}`).join(' · ');
      this.finish('done', `Done: ${this.rows.length} rows in ${(reply.elapsedMs / 1000).toFixed(1)} s · ${backends}`);
      this.jsonBox.value = this.resultsJson();
    } else this.finish('error', `Error: ${reply.message}`);
  }

  private addRow(row: BenchmarkRow): void {
    this.rows.push(row);
    this.table.append(benchmarkTableRow(row));
    this.status.dataset['rows'] = String(this.rows.length);
    this.jsonBox.value = this.resultsJson();
    this.chart.draw(this.rows);
  }

  private finish(state: string, text: string): void {
    this.status.dataset['state'] = state;
    this.status.textContent = text;
    this.runButton.disabled = false;
    this.watchdog.busy(false);
  }

  /** Copies the results to the clipboard (or selects them in the JSON box where that is refused). */
  private copyResults(): void {
    const text = this.resultsJson();
    this.jsonBox.value = text;
    const done = (how: string): void => {
      this.copyButton.textContent = how;
      setTimeout(() => (this.copyButton.textContent = copyLabel), 1500);
    };
    navigator.clipboard.writeText(text).then(
      () => done('Copied'),
      () => {
        this.jsonBox.select();
        done(document.execCommand('copy') ? 'Copied' : 'Select the text below and copy it');
      },
    );
  }
}
