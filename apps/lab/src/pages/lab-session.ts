import { download, el } from '../core/dom.js';
import type { RunConfig } from '../core/run-config.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';
import { CircuitView } from '../view/circuit-view.js';
import type { StepRecord, TrainReply, TrainRequest } from '../worker/train-protocol.js';
import { createLabButtons, type LabButtons } from './lab-buttons.js';
import { LabCharts } from './lab-charts.js';
import { createLabControls, type LabControls } from './lab-controls.js';
import { backendSummary, eventItem, statusLine, statusNumbers, type LoadedReply } from './lab-texts.js';
import type { PageContext } from './page.js';

/**
 * One Lab page's live state: the train worker, the settings form, the circuit view, the plots and
 * the status line, and the handling of the worker's replies. Frames are drawn at most once per
 * animation frame, from the records that arrived since the last one.
 */
export class LabSession {
  readonly element: HTMLElement;
  private readonly worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), { type: 'module' });
  private readonly status = el('div', { id: 'lab-status', class: 'status', 'data-state': 'loading' }, 'Loading…');
  private readonly backendLine = el('div', { id: 'lab-backend', class: 'muted' });
  private readonly notices = el('div', { id: 'lab-notices', class: 'muted' });
  private readonly view = new CircuitView(520, 400);
  private readonly eventList = el('ol', { id: 'lab-events', class: 'events' });
  private readonly charts = new LabCharts();
  private readonly buttons: LabButtons;
  private readonly controls: LabControls;
  private readonly watchdog = new Watchdog(60_000, (seconds) => this.notices.append(el('div', { class: 'warning' }, silenceNote('training', seconds))));
  private config!: RunConfig;
  private records: StepRecord[] = [];
  private dirty = false;
  private pendingExport: 'json' | 'csv' | undefined;
  private frame = 0;

  constructor(private readonly context: PageContext) {
    this.buttons = createLabButtons({
      run: () => this.send({ type: 'resume' }),
      pause: () => this.send({ type: 'pause' }),
      step: () => this.send({ type: 'step', count: 1 }),
      reset: () => this.send({ type: 'reset' }),
      exportFile: (what) => this.requestExport(what),
    });
    this.controls = createLabControls((next) => this.load(next));
    this.frame = requestAnimationFrame(this.draw);
    this.worker.onmessage = (event: MessageEvent<TrainReply>) => this.receive(event.data);
    this.worker.onerror = (event) => this.setStatus('error', `Worker error: ${event.message}`);
    this.element = this.layout();
  }

  /** Loads the circuit and settings currently in the form. */
  start(): void {
    this.load(this.controls.read());
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.watchdog.dispose();
    this.worker.terminate();
    this.charts.destroy();
  }

  private layout(): HTMLElement {
    return el(
      'section',
      { class: 'lab-page' },
      this.controls.element,
      el(
        'div',
        { class: 'lab-main' },
        this.buttons.element,
        this.status,
        this.backendLine,
        this.notices,
        this.view.element,
        el('details', { open: '' }, el('summary', {}, 'Events'), this.eventList),
      ),
      this.charts.element,
    );
  }

  private send(request: TrainRequest): void {
    this.worker.postMessage(request);
  }

  private load(next: RunConfig): void {
    this.config = next;
    this.setStatus('loading', 'Loading…');
    this.send({ type: 'load', config: next, backend: this.context.adapter.available ? this.context.preference : 'cpu' });
  }

  private requestExport(what: 'json' | 'csv'): void {
    this.pendingExport = what;
    this.send({ type: 'export' });
  }

  private setStatus(state: string, text: string): void {
    this.status.dataset['state'] = state;
    this.status.textContent = text;
    this.watchdog.busy(state === 'loading' || state === 'running');
  }

  private describeLatest(state: string, reason = ''): void {
    const latest = this.records[this.records.length - 1];
    const first = this.records[0];
    if (!latest || !first) return;
    Object.assign(this.status.dataset, statusNumbers(first, latest));
    this.setStatus(state, statusLine(state, reason, first, latest, this.config.train));
  }

  private addRecord(record: StepRecord): void {
    this.records.push(record);
    this.charts.push(record, this.config.train.rule);
    this.dirty = true;
  }

  /** Draws what arrived since the last frame (also before the status says a run paused or stopped). */
  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.charts.redraw();
    const latest = this.records[this.records.length - 1];
    if (latest) this.view.update({ conductances: latest.conductances, currents: latest.currents, removed: Array.from(latest.removed, Boolean) });
  }

  private readonly draw = (): void => {
    this.frame = requestAnimationFrame(this.draw);
    this.flush();
  };

  private receive(reply: TrainReply): void {
    this.watchdog.heard();
    switch (reply.type) {
      case 'loaded':
        this.onLoaded(reply);
        break;
      case 'progress':
        for (const record of reply.records) this.addRecord(record);
        for (const e of reply.events) this.eventList.append(eventItem(e));
        this.describeLatest(this.status.dataset['state'] === 'running' ? 'running' : 'ready');
        break;
      case 'state':
        this.onState(reply.running, reply.stopReason);
        break;
      case 'notice':
        if (this.notices.childElementCount < 5) this.notices.append(el('div', {}, `Note: ${reply.message}`));
        break;
      case 'export':
        if (this.pendingExport === 'json') download('ohmlab-experiment.json', reply.experimentJson, 'application/json');
        if (this.pendingExport === 'csv') download('ohmlab-history.csv', reply.historyCsv, 'text/csv');
        this.pendingExport = undefined;
        break;
      case 'error':
        this.setStatus('error', `Error: ${reply.message}`);
        break;
    }
  }

  /** A new circuit: clear the history, lay the circuit out, rename the plots' series, show step 0. */
  private onLoaded(reply: LoadedReply): void {
    this.records = [];
    this.eventList.replaceChildren();
    this.notices.replaceChildren();
    this.view.setCircuit(reply.circuit);
    this.charts.configure(this.config.train, reply.circuit.edgeFrom.length);
    this.addRecord(reply.initial);
    this.flush();
    this.status.dataset['backend'] = reply.backendName;
    this.backendLine.textContent = backendSummary(reply);
    this.describeLatest('ready');
  }

  /** The run started or stopped: draw what is pending first, then say why it stopped. */
  private onState(running: boolean, stopReason: string): void {
    this.flush();
    const state = running ? 'running' : stopReason === 'paused' ? 'paused' : stopReason ? 'stopped' : 'ready';
    this.describeLatest(state, stopReason === 'paused' ? '' : stopReason);
    this.buttons.run.textContent = state === 'paused' ? 'Resume' : 'Run';
  }
}
