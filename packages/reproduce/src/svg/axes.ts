import { scaleLinear, scaleLog } from 'd3-scale';
import { fmt, fmtNumber, text } from './xml.js';

/** A continuous position scale (linear or log) mapping data to pixels. */
export interface AxisScale {
  (value: number): number;
  ticks(count?: number): number[];
  domain(): number[];
  range(): number[];
}

/** Plot area in pixels inside the SVG. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Default frame: room on the left/bottom for tick labels and axis titles. */
export function defaultFrame(width = 520, height = 340): Frame {
  return { width, height, left: 66, right: 16, top: 30, bottom: 46 };
}

/**
 * Build a linear or log scale; log domains must be positive (use `extentOf`). Linear domains are
 * extended to round tick values unless `nice` is false.
 */
export function makeScale(kind: 'linear' | 'log', domain: readonly [number, number], range: readonly [number, number], nice = true): AxisScale {
  if (kind === 'log') {
    if (!(domain[0] > 0 && domain[1] > 0)) throw new RangeError(`log axis needs a positive domain, got [${domain[0]}, ${domain[1]}]`);
    return scaleLog().domain([domain[0], domain[1]]).range([range[0], range[1]]) as unknown as AxisScale;
  }
  const scale = scaleLinear().domain([domain[0], domain[1]]).range([range[0], range[1]]);
  return (nice ? scale.nice() : scale) as unknown as AxisScale;
}

/** Extent of the finite values (and positive ones for log axes), padded when degenerate. */
export function extentOf(values: Iterable<number>, log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return log ? [1e-3, 1] : [0, 1];
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 0.5 * Math.abs(lo || 1), hi + 0.5 * Math.abs(hi || 1)];
  return [lo, hi];
}

/** Draw both axes with ticks, tick labels, grid lines and axis titles. */
export function drawAxes(frame: Frame, x: AxisScale, y: AxisScale, xLabel: string, yLabel: string, yLog: boolean, xLog = false): string {
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const y0 = frame.height - frame.bottom;
  const y1 = frame.top;
  const parts: string[] = [];
  parts.push(`<rect x="${x0}" y="${y1}" width="${fmt(x1 - x0)}" height="${fmt(y0 - y1)}" fill="none" stroke="#333"/>`);
  for (const t of logAwareTicks(x, xLog)) {
    const px = x(t);
    if (px < x0 - 0.5 || px > x1 + 0.5) continue;
    parts.push(`<line x1="${fmt(px)}" y1="${y0}" x2="${fmt(px)}" y2="${y0 + 5}" stroke="#333"/>`);
    parts.push(`<line x1="${fmt(px)}" y1="${y1}" x2="${fmt(px)}" y2="${y0}" stroke="#ddd" stroke-width="0.5"/>`);
    parts.push(text(px, y0 + 17, fmtNumber(t), { anchor: 'middle' }));
  }
  for (const t of logAwareTicks(y, yLog)) {
    const py = y(t);
    if (py < y1 - 0.5 || py > y0 + 0.5) continue;
    parts.push(`<line x1="${x0 - 5}" y1="${fmt(py)}" x2="${x0}" y2="${fmt(py)}" stroke="#333"/>`);
    parts.push(`<line x1="${x0}" y1="${fmt(py)}" x2="${x1}" y2="${fmt(py)}" stroke="#ddd" stroke-width="0.5"/>`);
    parts.push(text(x0 - 8, py + 4, fmtNumber(t), { anchor: 'end' }));
  }
  parts.push(text((x0 + x1) / 2, frame.height - 10, xLabel, { anchor: 'middle', size: 12 }));
  parts.push(text(16, (y0 + y1) / 2, yLabel, { anchor: 'middle', size: 12, rotate: -90 }));
  return parts.join('');
}

function logAwareTicks(scale: AxisScale, log: boolean): number[] {
  if (!log) return scale.ticks(6);
  const [a, b] = scale.domain() as [number, number];
  const lo = Math.floor(Math.log10(Math.min(a, b)));
  const hi = Math.ceil(Math.log10(Math.max(a, b)));
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += step) out.push(10 ** e);
  return out;
}

/** Where a legend box sits inside the frame. */
export type LegendPosition = 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'outside';

/** Width in pixels of the legend box for these labels. */
export function legendWidth(labels: readonly string[]): number {
  return Math.min(260, 28 + 6.2 * Math.max(0, ...labels.map((l) => l.length)));
}

/** A legend box in a corner of the frame (default top right), or right of it (`outside`: the frame must leave room). */
export function drawLegend(
  frame: Frame,
  entries: readonly { label: string; color: string; dash?: string | undefined; marker?: boolean }[],
  position: LegendPosition = 'top-right',
): string {
  if (entries.length === 0) return '';
  const w = legendWidth(entries.map((e) => e.label));
  const h = 8 + 15 * entries.length;
  const x = position === 'outside' ? frame.width - w - 4 : position.endsWith('right') ? frame.width - frame.right - w - 6 : frame.left + 6;
  const y = position === 'outside' || position.startsWith('top') ? frame.top + 6 : frame.height - frame.bottom - h - 6;
  const parts = [`<rect x="${fmt(x)}" y="${y}" width="${fmt(w)}" height="${h}" fill="white" fill-opacity="0.85" stroke="#999"/>`];
  entries.forEach((e, i) => {
    const cy = y + 12 + 15 * i;
    const dash = e.dash === undefined ? '' : ` stroke-dasharray="${e.dash}"`;
    parts.push(e.marker === true
      ? `<circle cx="${fmt(x + 14)}" cy="${cy}" r="3" fill="${e.color}"/>`
      : `<line x1="${fmt(x + 5)}" y1="${cy}" x2="${fmt(x + 23)}" y2="${cy}" stroke="${e.color}" stroke-width="2"${dash}/>`);
    parts.push(text(x + 28, cy + 4, e.label));
  });
  return parts.join('');
}

/** Title centred above the frame. */
export function drawTitle(frame: Frame, title: string): string {
  return text(frame.width / 2, 18, title, { anchor: 'middle', size: 13, weight: 'bold' });
}
