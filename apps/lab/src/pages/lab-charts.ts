import { TimeChart } from '../charts/time-chart.js';
import { el } from '../core/dom.js';
import type { RunConfig } from '../core/run-config.js';
import type { StepRecord } from '../worker/train-protocol.js';

/** Label of the quantity each parametrisation conserves (THEORY.md "Invariants"). */
export const conservedLabels: Record<RunConfig['train']['parametrisation'], string> = { conductance: 'Σ k²', resistance: 'Σ R²', log: 'Σ θ' };
/** Label of each rule's coercivity constant. */
export const coercivityLabels: Record<RunConfig['train']['rule'], string> = { ep: 'c_EP', cl: 'c_CL', al: 'c_AL' };
/** Conductance trajectories drawn at most (uPlot stays fast; the CSV has every edge). */
const maxTrajectories = 48;
const ruleLosses: Record<RunConfig['train']['rule'], string[]> = { ep: ['L'], cl: ['L', 'L_CL (weighted)'], al: ['L', 'L_AL (adjoint)'] };

/**
 * The Lab's four live plots: loss (log axis, with the rule's own loss), the conserved quantity,
 * conductance trajectories (the first 48 edges) and the coercivity constant, with their captions.
 */
export class LabCharts {
  readonly element: HTMLDivElement;
  private readonly lossChart = new TimeChart({ title: 'Loss', xLabel: 'step', yLabel: 'loss', logY: true, series: ['L'] });
  private readonly massChart = new TimeChart({ title: 'Conserved quantity', xLabel: 'step', yLabel: 'Σ k²', series: ['Σ k²'] });
  private readonly kChart = new TimeChart({ title: 'Conductances', xLabel: 'step', yLabel: 'conductance', series: [], legend: false });
  private readonly coercivityChart = new TimeChart({ title: 'Coercivity constant', xLabel: 'step', yLabel: 'c', logY: true, series: ['c_EP'] });
  private readonly charts = [this.lossChart, this.massChart, this.kChart, this.coercivityChart];
  private readonly massCaption = el('p', { class: 'chart-caption' });
  private readonly kCaption = el('p', { class: 'chart-caption' });

  constructor() {
    this.element = el(
      'div',
      { class: 'charts' },
      this.lossChart.element,
      this.massChart.element,
      this.massCaption,
      this.kChart.element,
      this.kCaption,
      this.coercivityChart.element,
    );
  }

  /** Sets the series names and captions for a newly loaded circuit with `edgeCount` edges. */
  configure(train: RunConfig['train'], edgeCount: number): void {
    this.lossChart.setSeries(ruleLosses[train.rule]);
    this.massChart.setSeries([conservedLabels[train.parametrisation]], conservedLabels[train.parametrisation]);
    this.kChart.setSeries(Array.from({ length: Math.min(edgeCount, maxTrajectories) }, (_, j) => `k${j}`));
    this.kCaption.textContent = edgeCount > maxTrajectories ? `Edges 0–${maxTrajectories - 1} of ${edgeCount} shown (the CSV export has all).` : 'Removed edges end their line.';
    this.coercivityChart.setSeries([coercivityLabels[train.rule]], coercivityLabels[train.rule]);
    this.massCaption.textContent = conservationNote(train);
  }

  /** Appends one recorded step (drawn at the next `redraw`); removed edges end their trajectory. */
  push(record: StepRecord, rule: RunConfig['train']['rule']): void {
    const second = rule === 'cl' ? record.weightedLoss : record.adjointLoss;
    this.lossChart.push(record.step, [record.loss, second]);
    this.massChart.push(record.step, [record.conservedQuantity]);
    this.kChart.push(record.step, Array.from(record.conductances.subarray(0, maxTrajectories), (k, j) => (record.removed[j] ? Number.NaN : k)));
    this.coercivityChart.push(record.step, [record.coercivity]);
  }

  redraw(): void {
    for (const chart of this.charts) chart.redraw();
  }

  destroy(): void {
    for (const chart of this.charts) chart.destroy();
  }
}

/** What THEORY.md "Invariants" says the conserved-quantity plot should do for these settings. */
function conservationNote(train: RunConfig['train']): string {
  const quantity = conservedLabels[train.parametrisation];
  if (train.rule === 'al') return `AL does not conserve ${quantity}: with conductances, d/dt Σ k² = −4 L_AL.`;
  if (train.nudge === 'finite') return `${quantity} is conserved by the zero-nudge and symmetric rules; a one-sided finite nudge drifts it (sign of −η).`;
  return `${quantity} is conserved by this rule (up to the discrete step's error).`;
}
