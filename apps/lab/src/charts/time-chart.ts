import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { logAxisValues, logFilter, logRange, logSplits } from './log-axis.js';

/** Options of a live line chart: one x series (step) and several y series. */
export interface TimeChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Logarithmic y axis (non-positive values are dropped from the plot, not from the data). */
  readonly logY?: boolean;
  /** Series labels; the chart grows them on demand when `setSeries` is called. */
  readonly series: readonly string[];
  readonly width?: number;
  readonly height?: number;
  /** Hide the legend (e.g. dozens of conductance trajectories). */
  readonly legend?: boolean;
}

/** Tick spacings of the step axis: whole steps only. */
const integerSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1e6];

const palette = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf',
];

/**
 * A uPlot line chart fed incrementally. The container carries `data-points` (number of x values)
 * and `data-last` (last value of the first series) so tests and users can read what is plotted.
 */
export class TimeChart {
  readonly element: HTMLDivElement;
  private plot: uPlot | undefined;
  private xs: number[] = [];
  private ys: number[][] = [];
  private labels: string[];
  private yLabel: string;

  constructor(private readonly options: TimeChartOptions) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset['title'] = options.title;
    this.labels = [...options.series];
    this.yLabel = options.yLabel;
    this.ys = this.labels.map(() => []);
    this.build();
  }

  /** Replaces the series (e.g. a new circuit with another edge count) and clears the data. */
  setSeries(labels: readonly string[], yLabel?: string): void {
    this.labels = [...labels];
    if (yLabel !== undefined) this.yLabel = yLabel;
    this.clear();
  }

  /** Removes every point. */
  clear(): void {
    this.xs = [];
    this.ys = this.labels.map(() => []);
    this.build();
  }

  /** Appends one x value with one y value per series. */
  push(x: number, values: ArrayLike<number>): void {
    this.xs.push(x);
    for (let s = 0; s < this.ys.length; s += 1) this.ys[s]?.push(values[s] ?? Number.NaN);
  }

  /** Redraws with the current data (call once per animation frame, not per point). */
  redraw(): void {
    const logY = this.options.logY === true;
    const series = this.ys.map((column) =>
      column.map((v) => (Number.isFinite(v) && (!logY || v > 0) ? v : null)),
    );
    this.plot?.setData([this.xs, ...series] as uPlot.AlignedData);
    this.element.dataset['points'] = String(this.xs.length);
    const first = this.ys[0];
    this.element.dataset['last'] = first && first.length > 0 ? String(first[first.length - 1]) : '';
    this.element.dataset['first'] = first && first.length > 0 ? String(first[0]) : '';
  }

  /** Fits the chart to its container width. */
  resize(width: number): void {
    this.plot?.setSize({ width, height: this.options.height ?? 200 });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  private build(): void {
    this.plot?.destroy();
    this.element.replaceChildren();
    const logY = this.options.logY === true;
    const options: uPlot.Options = {
      title: this.options.title,
      width: this.options.width ?? 540,
      height: this.options.height ?? 190,
      legend: { show: this.options.legend ?? true, live: false },
      scales: { x: { time: false }, y: logY ? { distr: 3, log: 10, range: logRange } : { auto: true } },
      axes: [
        { label: this.options.xLabel, incrs: integerSteps },
        { label: this.yLabel, size: 70, ...(logY ? { values: logAxisValues, splits: logSplits, filter: logFilter } : {}) },
      ],
      series: [
        { label: this.options.xLabel },
        ...this.labels.map((label, index) => ({
          label,
          stroke: palette[index % palette.length] ?? '#333',
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
    this.plot = new uPlot(options, [this.xs, ...this.ys] as uPlot.AlignedData, this.element);
    this.element.dataset['points'] = String(this.xs.length);
  }
}

