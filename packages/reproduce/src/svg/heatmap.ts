import { contours } from 'd3-contour';
import { scaleSequential, scaleSequentialLog } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { drawAxes, drawLegend, drawTitle, makeScale, type Frame, type LegendPosition } from './axes.js';
import { fmt, fmtNumber, svgOpen, text } from './xml.js';

/** A scalar field sampled on a regular grid: `values[j * xs.length + i]` at `(xs[i], ys[j])`. */
export interface GridField {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** Level-set lines drawn over the heatmap. */
export interface ContourOverlay {
  readonly field: GridField;
  readonly levels: readonly number[];
  readonly color: string;
  readonly dash?: string;
  readonly label: string;
  readonly width?: number;
}

export interface HeatmapOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly colorLabel: string;
  readonly field: GridField;
  /** Logarithmic colour scale (non-positive values are drawn at the bottom colour). */
  readonly colorLog?: boolean;
  readonly contours?: readonly ContourOverlay[];
  /** Circled points with a label (above the point, or below with `below`). */
  readonly markers?: readonly { readonly x: number; readonly y: number; readonly label: string; readonly color?: string; readonly below?: boolean }[];
  readonly width?: number;
  readonly height?: number;
  /** Corner of the legend box (default top right). */
  readonly legendAt?: LegendPosition;
}

/**
 * A heatmap (viridis, linear or log colour scale, colour bar) with level-set contour lines computed
 * by d3-contour's marching squares, as a standalone SVG string.
 */
export function heatmapPlot(options: HeatmapOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 420;
  const frame: Frame = { width, height, left: 66, right: 96, top: 30, bottom: 46 };
  const { xs, ys, values } = options.field;
  const nx = xs.length;
  const ny = ys.length;
  if (nx < 2 || ny < 2 || values.length !== nx * ny) {
    throw new RangeError(`heatmapPlot: grid ${nx} x ${ny} needs ${nx * ny} values, got ${values.length}`);
  }
  const hx = ((xs[nx - 1] as number) - (xs[0] as number)) / (nx - 1) / 2;
  const hy = ((ys[ny - 1] as number) - (ys[0] as number)) / (ny - 1) / 2;
  const x = makeScale('linear', [(xs[0] as number) - hx, (xs[nx - 1] as number) + hx], [frame.left, width - frame.right], false);
  const y = makeScale('linear', [(ys[0] as number) - hy, (ys[ny - 1] as number) + hy], [height - frame.bottom, frame.top], false);
  const finite = Array.from(values).filter((v) => Number.isFinite(v) && (options.colorLog !== true || v > 0));
  let lo = finite.length > 0 ? Math.min(...finite) : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  if (options.colorLog === true && lo === hi) lo = hi / 10;
  const color = options.colorLog === true
    ? scaleSequentialLog(interpolateViridis).domain([lo, hi > lo ? hi : lo * 10])
    : scaleSequential(interpolateViridis).domain([lo, hi > lo ? hi : lo + 1]);
  const parts: string[] = [svgOpen(width, height, options.title), `<rect width="${width}" height="${height}" fill="white"/>`];
  const dx = ((xs[nx - 1] as number) - (xs[0] as number)) / (nx - 1);
  const dy = ((ys[ny - 1] as number) - (ys[0] as number)) / (ny - 1);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i] as number;
      const fill = Number.isFinite(v) && (options.colorLog !== true || v > 0) ? color(v) : options.colorLog === true ? color(lo) : '#ccc';
      const px0 = x((xs[i] as number) - dx / 2);
      const px1 = x((xs[i] as number) + dx / 2);
      const py0 = y((ys[j] as number) + dy / 2);
      const py1 = y((ys[j] as number) - dy / 2);
      parts.push(`<rect x="${fmt(Math.min(px0, px1))}" y="${fmt(Math.min(py0, py1))}" width="${fmt(Math.abs(px1 - px0) + 0.4)}" height="${fmt(Math.abs(py1 - py0) + 0.4)}" fill="${fill}"/>`);
    }
  }
  const legend: { label: string; color: string; dash?: string | undefined }[] = [];
  for (const overlay of options.contours ?? []) {
    parts.push(contourPaths(overlay, x, y));
    legend.push({ label: overlay.label, color: overlay.color, dash: overlay.dash });
  }
  parts.push(drawAxes(frame, x, y, options.xLabel, options.yLabel, false));
  for (const m of options.markers ?? []) {
    parts.push(`<circle cx="${fmt(x(m.x))}" cy="${fmt(y(m.y))}" r="4" fill="none" stroke="${m.color ?? 'red'}" stroke-width="2"/>`);
    const leftward = x(m.x) > frame.left + 0.6 * (width - frame.left - frame.right);
    parts.push(text(x(m.x) + (leftward ? -7 : 7), y(m.y) + (m.below === true ? 15 : -6), m.label, { fill: m.color ?? 'red', ...(leftward ? { anchor: 'end' as const } : {}) }));
  }
  parts.push(colorBar(frame, color, lo, hi, options.colorLog === true, options.colorLabel));
  parts.push(drawLegend(frame, legend, options.legendAt));
  parts.push(drawTitle(frame, options.title));
  parts.push('</svg>');
  return parts.join('');
}

/** Contour lines as SVG paths; segments along the grid border (d3-contour's closing edges) are dropped. */
function contourPaths(overlay: ContourOverlay, x: (v: number) => number, y: (v: number) => number): string {
  const { xs, ys, values } = overlay.field;
  const nx = xs.length;
  const ny = ys.length;
  const grid = Array.from(values, (v) => (Number.isFinite(v) ? v : Number.NaN));
  const generator = contours().size([nx, ny]).smooth(true).thresholds([...overlay.levels]);
  const x0 = xs[0] as number;
  const y0 = ys[0] as number;
  const dx = ((xs[nx - 1] as number) - x0) / (nx - 1);
  const dy = ((ys[ny - 1] as number) - y0) / (ny - 1);
  const onBorder = (c: number, n: number): -1 | 1 | 0 => (c <= 0.5 + 1e-9 ? -1 : c >= n - 0.5 - 1e-9 ? 1 : 0);
  const dash = overlay.dash === undefined ? '' : ` stroke-dasharray="${overlay.dash}"`;
  let d = '';
  for (const level of generator(grid)) {
    for (const polygon of level.coordinates) {
      for (const ring of polygon) {
        let open = false;
        for (let k = 1; k < ring.length; k++) {
          const a = ring[k - 1] as [number, number];
          const b = ring[k] as [number, number];
          const sameBorder =
            (onBorder(a[0], nx) !== 0 && onBorder(a[0], nx) === onBorder(b[0], nx)) ||
            (onBorder(a[1], ny) !== 0 && onBorder(a[1], ny) === onBorder(b[1], ny));
          if (sameBorder) {
            open = false;
            continue;
          }
          const pa = toPixel(a);
          const pb = toPixel(b);
          d += open ? `L${pb}` : `M${pa}L${pb}`;
          open = true;
        }
      }
    }
  }
  return d === '' ? '' : `<path d="${d}" fill="none" stroke="${overlay.color}" stroke-width="${overlay.width ?? 1.4}"${dash}/>`;

  function toPixel(p: [number, number]): string {
    const cx = Math.min(Math.max(p[0] - 0.5, 0), nx - 1);
    const cy = Math.min(Math.max(p[1] - 0.5, 0), ny - 1);
    return `${fmt(x(x0 + cx * dx))},${fmt(y(y0 + cy * dy))}`;
  }
}

function colorBar(frame: Frame, color: (v: number) => string, lo: number, hi: number, log: boolean, label: string): string {
  const x0 = frame.width - frame.right + 18;
  const top = frame.top;
  const bottom = frame.height - frame.bottom;
  const steps = 40;
  const parts: string[] = [];
  const valueAt = (t: number): number => (log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo));
  for (let s = 0; s < steps; s++) {
    const t = (s + 0.5) / steps;
    const yTop = bottom - ((s + 1) / steps) * (bottom - top);
    parts.push(`<rect x="${x0}" y="${fmt(yTop)}" width="14" height="${fmt((bottom - top) / steps + 0.5)}" fill="${color(valueAt(t))}"/>`);
  }
  parts.push(`<rect x="${x0}" y="${top}" width="14" height="${bottom - top}" fill="none" stroke="#333"/>`);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const py = bottom - t * (bottom - top);
    parts.push(`<line x1="${x0 + 14}" y1="${fmt(py)}" x2="${x0 + 18}" y2="${fmt(py)}" stroke="#333"/>`);
    parts.push(text(x0 + 20, py + 4, fmtNumber(valueAt(t)), { size: 10 }));
  }
  parts.push(text(x0 + 7, top - 8, label, { anchor: 'middle', size: 10 }));
  return parts.join('');
}
