import { el, field, numberInput, select } from '../core/dom.js';
import type { CircuitKind, Rule } from '../core/run-config.js';
import { HeatmapView } from '../view/heatmap-view.js';
import { silenceNote, Watchdog } from '../core/watchdog.js';
import type { LandscapeQuantity, LandscapeReply, LandscapeRequest } from '../worker/landscape-protocol.js';
import type { PageContext } from './page.js';

/**
 * Landscape: the coercivity constant (or loss, or output) over a 2-D slice, with the output's level
 * sets dashed in white (paper 1, Figure 3): for the kite the paper's slice `(s, r)`, for other
 * circuits `k* + e1 u + e2 v`. `#landscape-status` carries `data-state`, `data-min`, `data-max`,
 * `data-origin` (value at the slice's origin), `data-ulabel`, `data-vlabel`, `data-backend`.
 */
export function mount(context: PageContext): () => void {
  const worker = new Worker(new URL('../worker/landscape-worker.ts', import.meta.url), { type: 'module' });
  const circuit = select('landscape-circuit', [['kite', 'Kite (paper 1, Fig. 3)'], ['divider', 'Voltage divider'], ['erdos-renyi', 'Erdős–Rényi (12 nodes)']], 'kite');
  const quantity = select('landscape-quantity', [['coercivity', 'coercivity constant'], ['loss', 'loss L'], ['output', 'output y']], 'coercivity');
  const rule = select('landscape-rule', [['ep', 'EP'], ['cl', 'CL'], ['al', 'AL']], 'ep');
  const quick = new URLSearchParams(location.search).get('quick') === '1';
  const resolution = numberInput('landscape-resolution', quick ? 17 : 41, '1', 5);
  const span = numberInput('landscape-span', 0.5, 'any', 0);
  const computeButton = el('button', { id: 'btn-landscape', type: 'button' }, 'Compute');
  const status = el('div', { id: 'landscape-status', class: 'status', 'data-state': 'idle' }, 'Idle');
  const description = el('p', { id: 'landscape-slice', class: 'muted' });
  const notes = el('div', { id: 'landscape-notices', class: 'muted' });
  const heatmap = new HeatmapView();
  const watchdog = new Watchdog(120_000, (seconds) => notes.append(el('div', { class: 'warning' }, silenceNote('landscape', seconds))));

  const compute = (): void => {
    const request: LandscapeRequest = {
      type: 'compute',
      circuit: { kind: circuit.value as CircuitKind, size: 12, size2: 3, seed: 1 },
      rule: rule.value as Rule,
      quantity: quantity.value as LandscapeQuantity,
      resolution: Math.min(201, Math.max(5, Math.round(Number(resolution.value)))),
      span: Number(span.value),
      backend: context.adapter.available ? context.preference : 'cpu',
    };
    notes.replaceChildren();
    watchdog.busy(true);
    status.dataset['state'] = 'computing';
    status.textContent = `Computing ${request.resolution}×${request.resolution} points…`;
    worker.postMessage(request);
  };
  computeButton.addEventListener('click', compute);

  worker.onmessage = (event: MessageEvent<LandscapeReply>) => {
    const reply = event.data;
    watchdog.heard();
    if (reply.type !== 'notice') watchdog.busy(false);
    if (reply.type === 'notice') {
      notes.append(el('div', {}, `Note: ${reply.message}`));
      return;
    }
    if (reply.type === 'error') {
      status.dataset['state'] = 'error';
      status.textContent = `Error: ${reply.message}`;
      return;
    }
    heatmap.draw(reply.field);
    description.textContent = reply.sliceDescription;
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
  };
  worker.onerror = (event) => {
    status.dataset['state'] = 'error';
    status.textContent = `Worker error: ${event.message}`;
  };

  context.root.append(
    el(
      'section',
      { class: 'landscape-page' },
      el(
        'form',
        { class: 'controls', id: 'landscape-controls' },
        el('h3', {}, 'Slice'),
        field('circuit', circuit),
        field('quantity', quantity),
        field('rule', rule),
        field('grid points per axis', resolution),
        field('half-width of the slice', span),
        computeButton,
      ),
      el(
        'div',
        { class: 'landscape-main' },
        status,
        notes,
        heatmap.element,
        description,
        el(
          'p',
          { class: 'muted' },
          'White dashed lines: level sets of the output y over the slice; the solid red line is the target level y = y* (the solutions). ',
          'Where the coercivity constant vanishes, EP/CL lose their exponential convergence guarantee (paper 1, sec. 6).',
        ),
      ),
    ),
  );
  compute();
  return () => {
    watchdog.dispose();
    worker.terminate();
  };
}
