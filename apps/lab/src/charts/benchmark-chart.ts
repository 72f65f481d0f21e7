import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BenchmarkRow } from '../worker/benchmark-protocol.js';
import { logAxisValues, logFilter, logRange, logSplits } from './log-axis.js';

/** Which throughput a panel shows. */
interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly value: (row: BenchmarkRow) => number;
}

const panels: readonly Panel[] = [
  { title: 'Solves: right-hand sides per second', yLabel: 'RHS / s', value: (r) => r.solvesPerSecond },
  { title: 'Training steps (EP, zero nudge): samples per second', yLabel: 'samples / s', value: (r) => r.samplesPerSecond },
];

const colours: Record<string, readonly string[]> = {
  cpu: ['#9ecae1', '#4292c6', '#08519c', '#08306b'],
  webgpu: ['#fdae6b', '#f16913', '#a63603', '#7f2704'],
};

/**
 * The Benchmark page's chart (uPlot): throughput against node count on log–log axes, one line per
 * (backend, circuit family, batch size); CPU in blues, WebGPU in oranges, darker for larger
 * batches, grids dashed. The container carries `data-series` and `data-points`.
 */
export class BenchmarkChart {
  readonly element: HTMLDivElement;
  private plots: uPlot[] = [];

  constructor(private readonly width = 680, private readonly height = 300) {
    this.element = document.createElement('div');
    this.element.id = 'bench-chart';
    this.element.className = 'bench-charts';
  }

  /** Redraws both panels from all rows so far. */
  draw(rows: readonly BenchmarkRow[]): void {
    this.destroy();
    this.element.replaceChildren();
    const xs = [...new Set(rows.map((r) => r.nodes))].sort((a, b) => a - b);
    const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
    const keys = [...new Set(rows.map((r) => `${r.kind}|${r.circuit}|${r.batch}`))];
    this.element.dataset['series'] = String(keys.length);
    this.element.dataset['points'] = String(rows.length);
    if (rows.length === 0) return;
    for (const panel of panels) {
      const data: Array<Array<number | null>> = [xs];
      for (const key of keys) {
        data.push(xs.map((n) => {
          const row = rows.find((r) => `${r.kind}|${r.circuit}|${r.batch}` === key && r.nodes === n);
          const v = row ? panel.value(row) : Number.NaN;
          return Number.isFinite(v) && v > 0 ? v : null;
        }));
      }
      const holder = document.createElement('div');
      holder.className = 'chart';
      holder.dataset['title'] = panel.title;
      this.element.append(holder);
      const series = keys.map((key) => {
        const [kind = 'cpu', circuit = '', batch = '1'] = key.split('|');
        const palette = colours[kind] ?? colours['cpu'] ?? ['#333'];
        const shade = palette[Math.min(palette.length - 1, batches.indexOf(Number(batch)))] ?? '#333';
        return {
          label: `${kind} ${circuit === 'grid' ? 'grid' : 'ER'}, B = ${batch}`,
          stroke: shade,
          width: 2,
          spanGaps: true,
          ...(circuit === 'grid' ? { dash: [6, 4] } : {}),
          points: { show: true, size: 6, fill: shade },
        };
      });
      this.plots.push(
        new uPlot(
          {
            title: panel.title,
            width: this.width,
            height: this.height,
            legend: { live: false },
            scales: { x: { time: false, distr: 3, log: 10, range: logRange }, y: { distr: 3, log: 10, range: logRange } },
            axes: [
              { label: 'nodes', splits: logSplits, values: logAxisValues, filter: logFilter },
              { label: panel.yLabel, size: 80, splits: logSplits, values: logAxisValues, filter: logFilter },
            ],
            series: [{ label: 'nodes' }, ...series],
          },
          data as uPlot.AlignedData,
          holder,
        ),
      );
    }
  }

  destroy(): void {
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
  }
}
