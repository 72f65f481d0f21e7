import { el, field, numberInput, select } from '../core/dom.js';
import type { CircuitKind, Rule } from '../core/run-config.js';
import { HeatmapView } from '../view/heatmap-view.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';
import type { LandscapeQuantity, LandscapeReply, LandscapeRequest } from '../worker/landscape-protocol.js';
import type { PageContext } from './page.js';

/** The slice settings of the Landscape form. */
interface SliceInputs {
  readonly circuit: HTMLSelectElement;
  readonly quantity: HTMLSelectElement;
  readonly rule: HTMLSelectElement;
  readonly resolution: HTMLInputElement;
  readonly span: HTMLInputElement;
}

/** The page's output elements: status line, notices, heat map and the slice's description. */
interface LandscapeOutputs {
  readonly status: HTMLDivElement;
  readonly notes: HTMLDivElement;
  readonly heatmap: HeatmapView;
  readonly description: HTMLParagraphElement;
}

type LandscapeResult = Extract<LandscapeReply, { type: 'result' }>;

/**
 * Landscape: the coercivity constant (or loss, or output) over a 2-D slice, with the output's level
 * sets dashed in white (paper 1, Figure 3): for the kite the paper's slice `(s, r)`, for other
 * circuits `k* + e1 u + e2 v`. `#landscape-status` carries `data-state`, `data-min`, `data-max`,
 * `data-origin` (value at the slice's origin), `data-ulabel`, `data-vlabel`, `data-backend`.
 */
export function mount(context: PageContext): () => void {
  const worker = new Worker(new URL('../worker/landscape-worker.ts', import.meta.url), { type: 'module' });
  const inputs = createSliceInputs(new URLSearchParams(location.search).get('quick') === '1');
  const computeButton = el('button', { id: 'btn-landscape', type: 'button' }, 'Compute');
  const out: LandscapeOutputs = {
    status: el('div', { id: 'landscape-status', class: 'status', 'data-state': 'idle' }, 'Idle'),
    notes: el('div', { id: 'landscape-notices', class: 'muted' }),
    heatmap: new HeatmapView(),
    description: el('p', { id: 'landscape-slice', class: 'muted' }),
  };
  const watchdog = new Watchdog(120_000, (seconds) => out.notes.append(el('div', { class: 'warning' }, silenceNote('landscape', seconds))));
  const showError = (text: string): void => {
    out.status.dataset['state'] = 'error';
    out.status.textContent = text;
  };

  const compute = (): void => {
    const request = sliceRequest(inputs, context);
    out.notes.replaceChildren();
    watchdog.busy(true);
    out.status.dataset['state'] = 'computing';
    out.status.textContent = `Computing ${request.resolution}×${request.resolution} points…`;
    worker.postMessage(request);
  };
  computeButton.addEventListener('click', compute);

  worker.onmessage = (event: MessageEvent<LandscapeReply>) => {
    const reply = event.data;
    watchdog.heard();
    if (reply.type !== 'notice') watchdog.busy(false);
    if (reply.type === 'notice') out.notes.append(el('div', {}, `Note: ${reply.message}`));
    else if (reply.type === 'error') showError(`Error: ${reply.message}`);
    else showResult(out, reply);
  };
  worker.onerror = (event) => showError(`Worker error: ${event.message}`);

  context.root.append(pageLayout(sliceForm(inputs, computeButton), out));
  compute();
  return () => {
    watchdog.dispose();
    worker.terminate();
  };
}

function createSliceInputs(quick: boolean): SliceInputs {
  return {
    circuit: select('landscape-circuit', [['kite', 'Kite (paper 1, Fig. 3)'], ['divider', 'Voltage divider'], ['erdos-renyi', 'Erdős–Rényi (12 nodes)']], 'kite'),
    quantity: select('landscape-quantity', [['coercivity', 'coercivity constant'], ['loss', 'loss L'], ['output', 'output y']], 'coercivity'),
    rule: select('landscape-rule', [['ep', 'EP'], ['cl', 'CL'], ['al', 'AL']], 'ep'),
    resolution: numberInput('landscape-resolution', quick ? 17 : 41, '1', 5),
    span: numberInput('landscape-span', 0.5, 'any', 0),
  };
}

/** The worker request for the slice in the form (grid points per axis clamped to 5..201). */
function sliceRequest(inputs: SliceInputs, context: PageContext): LandscapeRequest {
  return {
    type: 'compute',
    circuit: { kind: inputs.circuit.value as CircuitKind, size: 12, size2: 3, seed: 1 },
    rule: inputs.rule.value as Rule,
    quantity: inputs.quantity.value as LandscapeQuantity,
    resolution: Math.min(201, Math.max(5, Math.round(Number(inputs.resolution.value)))),
    span: Number(inputs.span.value),
    backend: context.adapter.available ? context.preference : 'cpu',
  };
}

/** Draws a computed field and reports its range, origin value and backend on `#landscape-status`. */
function showResult(out: LandscapeOutputs, reply: LandscapeResult): void {
  const { status, heatmap } = out;
  heatmap.draw(reply.field);
  out.description.textContent = reply.sliceDescription;
  status.dataset['state'] = 'done';
  status.dataset['min'] = heatmap.element.dataset['min'] ?? '';
  status.dataset['max'] = heatmap.element.dataset['max'] ?? '';
  status.dataset['backend'] = reply.backendName;
  status.dataset['origin'] = reply.atOrigin === null ? '' : String(reply.atOrigin);
  status.dataset['ulabel'] = reply.field.uLabel;
  status.dataset['vlabel'] = reply.field.vLabel;
  status.textContent =
    `${reply.field.columns}×${reply.field.rows} points in ${reply.elapsedMs.toFixed(0)} ms on ${reply.backendName}` +
    (reply.fallbackReason ? ` (CPU fallback: ${reply.fallbackReason})` : '') +
    ` · ${reply.field.valueLabel} from ${Number(status.dataset['min']).toExponential(2)} to ${Number(status.dataset['max']).toExponential(2)}` +
    (reply.atOrigin === null ? '' : `, ${reply.atOrigin.toPrecision(6)} at the origin`);
}

function sliceForm(inputs: SliceInputs, computeButton: HTMLButtonElement): HTMLFormElement {
  return el(
    'form',
    { class: 'controls', id: 'landscape-controls' },
    el('h3', {}, 'Slice'),
    field('circuit', inputs.circuit),
    field('quantity', inputs.quantity),
    field('rule', inputs.rule),
    field('grid points per axis', inputs.resolution),
    field('half-width of the slice', inputs.span),
    computeButton,
  );
}

function pageLayout(form: HTMLFormElement, out: LandscapeOutputs): HTMLElement {
  return el(
    'section',
    { class: 'landscape-page' },
    form,
    el(
      'div',
      { class: 'landscape-main' },
      out.status,
      out.notes,
      out.heatmap.element,
      out.description,
      el(
        'p',
        { class: 'muted' },
        'White dashed lines: level sets of the output y over the slice; the solid red line is the target level y = y* (the solutions). ',
        'Where the coercivity constant vanishes, EP/CL lose their exponential convergence guarantee (paper 1, sec. 6).',
      ),
    ),
  );
}
