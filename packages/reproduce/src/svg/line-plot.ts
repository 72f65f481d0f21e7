import { line } from 'd3-shape';
import { defaultFrame, drawAxes, drawLegend, drawTitle, extentOf, legendWidth, makeScale, type LegendPosition } from './axes.js';
import { seriesColor } from './palette.js';
import { fmt, svgOpen } from './xml.js';

/** One curve (or scatter when `markers` is set) of a line plot. */
export interface Series {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly color?: string;
  readonly dash?: string;
  readonly markers?: boolean;
  readonly width?: number;
}

export interface LinePlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Log y axis (used wherever a decay is shown). Non-positive points are dropped, not plotted. */
  readonly yLog?: boolean;
  readonly xLog?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Fixed y domain; default: the data extent. */
  readonly yDomain?: readonly [number, number];
  /** Fixed x domain; default: the data extent (points outside are not drawn). */
  readonly xDomain?: readonly [number, number];
  /** Corner of the legend box (default top right); `outside` widens the figure and puts it on the right. */
  readonly legendAt?: LegendPosition;
  /** Vertical marker lines, e.g. edge-removal events; a `label` appears once in the legend. */
  readonly vlines?: readonly { readonly x: number; readonly color?: string; readonly label?: string }[];
  readonly legend?: boolean;
}

/**
 * A line plot as a standalone SVG string: d3-scale positions, d3-shape paths, axes with ticks,
 * axis titles, a legend, optional log axes and vertical event markers.
 */
export function linePlot(options: LinePlotOptions): string {
  const outside = options.legendAt === 'outside' && options.legend !== false;
  const room = outside ? Math.ceil(legendWidth([...options.series.map((s) => s.label), ...(options.vlines ?? []).map((v) => v.label ?? '')])) + 12 : 0;
  const base = defaultFrame(options.width, options.height);
  const frame = outside ? { ...base, width: base.width + room, right: base.right + room } : base;
  const yLog = options.yLog === true;
  const xLog = options.xLog === true;
  const xs = options.series.flatMap((s) => Array.from(s.x));
  const ys = options.series.flatMap((s) => Array.from(s.y));
  const xDomain = options.xDomain === undefined ? extentOf(xs, xLog) : ([options.xDomain[0], options.xDomain[1]] as [number, number]);
  const yDomain = options.yDomain === undefined ? extentOf(ys, yLog) : ([options.yDomain[0], options.yDomain[1]] as [number, number]);
  if (yLog) {
    yDomain[0] = 10 ** Math.floor(Math.log10(yDomain[0]));
    yDomain[1] = 10 ** Math.ceil(Math.log10(yDomain[1]));
  }
  const x = makeScale(xLog ? 'log' : 'linear', xDomain, [frame.left, frame.width - frame.right]);
  const y = makeScale(yLog ? 'log' : 'linear', yDomain, [frame.height - frame.bottom, frame.top]);
  const [yLo, yHi] = y.domain() as [number, number];
  const [xLo, xHi] = x.domain() as [number, number];
  const inside = (px: number, py: number): boolean =>
    Number.isFinite(px) && Number.isFinite(py) && (!yLog || py > 0) && (!xLog || px > 0) &&
    py >= Math.min(yLo, yHi) && py <= Math.max(yLo, yHi) && px >= Math.min(xLo, xHi) && px <= Math.max(xLo, xHi);
  const parts: string[] = [svgOpen(frame.width, frame.height, options.title)];
  parts.push(`<rect width="${frame.width}" height="${frame.height}" fill="white"/>`);
  parts.push(drawAxes(frame, x, y, options.xLabel, options.yLabel, yLog, xLog));
  const legend: { label: string; color: string; dash?: string | undefined; marker?: boolean }[] = [];
  for (const v of options.vlines ?? []) {
    if (!inside(v.x, yLo)) continue;
    parts.push(`<line x1="${fmt(x(v.x))}" y1="${frame.top}" x2="${fmt(x(v.x))}" y2="${frame.height - frame.bottom}" stroke="${v.color ?? '#999'}" stroke-dasharray="3 3"/>`);
    if (v.label !== undefined && !legend.some((e) => e.label === v.label)) legend.push({ label: v.label, color: v.color ?? '#999', dash: '3 3' });
  }
  options.series.forEach((s, i) => {
    const color = s.color ?? seriesColor(i);
    const idx = Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, k) => k);
    if (s.markers === true) {
      for (const k of idx) {
        const px = s.x[k] as number;
        const py = s.y[k] as number;
        if (inside(px, py)) parts.push(`<circle cx="${fmt(x(px))}" cy="${fmt(y(py))}" r="3" fill="${color}"/>`);
      }
    } else {
      const path = line<number>()
        .defined((k) => inside(s.x[k] as number, s.y[k] as number))
        .x((k) => x(s.x[k] as number))
        .y((k) => y(s.y[k] as number))
        .digits(2)(idx);
      if (path !== null && path !== '') {
        const dash = s.dash === undefined ? '' : ` stroke-dasharray="${s.dash}"`;
        parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="${s.width ?? 1.8}"${dash}/>`);
      }
    }
    if (s.label !== '') legend.push({ label: s.label, color, dash: s.dash, marker: s.markers === true });
  });
  if (options.legend !== false) parts.push(drawLegend(frame, legend.slice(0, 12), options.legendAt));
  parts.push(drawTitle(frame, options.title));
  parts.push('</svg>');
  return parts.join('');
}
