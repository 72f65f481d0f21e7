import { adapterLabel, type AdapterReport } from '../core/backend-choice.js';
import { el, formatNumber } from '../core/dom.js';
import type { BenchmarkPlan, BenchmarkRow } from '../worker/benchmark-protocol.js';

const tableHeader = ['backend', 'circuit', 'nodes', 'edges', 'batch', 'method', 'factor + solve ms', 'solve ms', 'RHS / s', 'step ms', 'samples / s', 'max residual'];

/** `#bench-adapter`: the WebGPU adapter's identity and limits, or why there is none. */
export function adapterPanel(adapter: AdapterReport): HTMLDivElement {
  const box = el(
    'div',
    { id: 'bench-adapter', class: 'adapter', 'data-available': String(adapter.available) },
    el('h3', {}, 'Adapter'),
    el('p', {}, adapter.available ? `WebGPU adapter: ${adapterLabel(adapter)}` : `No WebGPU: ${adapter.reason}. Only CPU rows are measured.`),
  );
  if (adapter.available) {
    const limits = el('table', { class: 'limits' }, el('tr', {}, el('th', {}, 'limit'), el('th', {}, 'value')));
    for (const [name, value] of Object.entries(adapter.limits)) limits.append(el('tr', {}, el('td', {}, name), el('td', {}, value.toLocaleString('en-US'))));
    box.append(
      el('p', { class: 'muted' }, `vendor "${adapter.vendor}", architecture "${adapter.architecture}", device "${adapter.device}", description "${adapter.description}"`),
      limits,
    );
  }
  return box;
}

/** `#bench-table` with its header row only. */
export function benchmarkTable(): HTMLTableElement {
  const table = el('table', { id: 'bench-table', class: 'bench-table' });
  table.append(el('tr', {}, ...tableHeader.map((h) => el('th', {}, h))));
  return table;
}

/** One measured row of `#bench-table` (`data-backend`, `data-circuit`); times in ms, rates per second. */
export function benchmarkTableRow(row: BenchmarkRow): HTMLTableRowElement {
  const cells = [
    row.backend, row.circuit, String(row.nodes), String(row.edges), String(row.batch), row.method,
    formatNumber(row.factorSolveMs), formatNumber(row.solveMs), formatNumber(row.solvesPerSecond),
    formatNumber(row.stepMs), formatNumber(row.samplesPerSecond), row.maxResidual.toExponential(1),
  ];
  return el('tr', { 'data-backend': row.kind, 'data-circuit': row.circuit }, ...cells.map((c) => el('td', {}, c)));
}

/** The plan in words: circuit sizes, batch sizes, repetitions. */
export function describePlan(plan: BenchmarkPlan): string {
  return `Erdős–Rényi n ∈ {${plan.erdosRenyiNodes.join(', ')}} (mean degree 4), grids ${plan.gridSides.map((s) => `${s}×${s}`).join(', ')}, batches {${plan.batches.join(', ')}}, median of ${plan.repetitions}`;
}
