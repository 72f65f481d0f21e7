import { line } from 'd3-shape';
import { defaultFrame, drawAxes, drawLegend, drawTitle, makeScale } from './axes.js';
import { seriesColor } from './palette.js';
import { fmt, svgOpen } from './xml.js';

/** A planar vector field `(x, y) -> [dx/dt, dy/dt]`; may return non-finite values outside its domain. */
export type VectorField = (x: number, y: number) => readonly [number, number];

export interface FlowFieldOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly field: VectorField;
  /** Arrows per axis (default 17). */
  readonly arrows?: number;
  /** Curves drawn on top: learning trajectories, conserved-mass circles, fixed-point lines. */
  readonly curves?: readonly { readonly label: string; readonly x: ArrayLike<number>; readonly y: ArrayLike<number>; readonly color?: string; readonly dash?: string }[];
  /** Points marked with a dot (fixed points, starts). */
  readonly points?: readonly { readonly x: number; readonly y: number; readonly color?: string }[];
  readonly width?: number;
  readonly height?: number;
}

type Scale = (v: number) => number;
interface Arrow { px: number; py: number; ux: number; uy: number; speed: number }

/** The field on an `n x n` grid of cell centres: position, unit direction in pixel space, speed. */
function arrowSamples(options: FlowFieldOptions, x: Scale, y: Scale, n: number): Arrow[] {
  const [xLo, xHi] = options.xRange;
  const [yLo, yHi] = options.yRange;
  const samples: Arrow[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const sx = xLo + ((i + 0.5) / n) * (xHi - xLo);
      const sy = yLo + ((j + 0.5) / n) * (yHi - yLo);
      const [u, v] = options.field(sx, sy);
      // Direction in pixel space (y axis points down on screen).
      const pu = x(sx + u * 1e-6) - x(sx);
      const pv = y(sy + v * 1e-6) - y(sy);
      const norm = Math.hypot(pu, pv);
      if (!Number.isFinite(norm) || norm === 0) continue;
      samples.push({ px: x(sx), py: y(sy), ux: pu / norm, uy: pv / norm, speed: Math.hypot(u, v) });
    }
  }
  return samples;
}

/** One arrow of length `len` centred on its sample, grey by relative speed (darker = faster). */
function arrowPath(s: Arrow, len: number, maxSpeed: number): string {
  const shade = Math.round(200 - 170 * Math.sqrt(s.speed / maxSpeed));
  const x0 = s.px - (s.ux * len) / 2;
  const y0 = s.py - (s.uy * len) / 2;
  const x1 = s.px + (s.ux * len) / 2;
  const y1 = s.py + (s.uy * len) / 2;
  const hx = -s.ux * len * 0.35;
  const hy = -s.uy * len * 0.35;
  const ax = x1 + hx - s.uy * len * 0.2;
  const ay = y1 + hy + s.ux * len * 0.2;
  const bx = x1 + hx + s.uy * len * 0.2;
  const by = y1 + hy - s.ux * len * 0.2;
  return `<path d="M${fmt(x0)},${fmt(y0)}L${fmt(x1)},${fmt(y1)}M${fmt(ax)},${fmt(ay)}L${fmt(x1)},${fmt(y1)}L${fmt(bx)},${fmt(by)}" fill="none" stroke="rgb(${shade},${shade},${shade})" stroke-width="1.1"/>`;
}

/** The curves drawn on top (clipped to the plot ranges) and their legend entries. */
function curvePaths(options: FlowFieldOptions, x: Scale, y: Scale): { paths: string[]; legend: { label: string; color: string; dash?: string | undefined }[] } {
  const [xLo, xHi] = options.xRange;
  const [yLo, yHi] = options.yRange;
  const paths: string[] = [];
  const legend: { label: string; color: string; dash?: string | undefined }[] = [];
  (options.curves ?? []).forEach((curve, i) => {
    const color = curve.color ?? seriesColor(i);
    const idx = Array.from({ length: Math.min(curve.x.length, curve.y.length) }, (_, k) => k);
    const within = (k: number): boolean => {
      const cx = curve.x[k] as number;
      const cy = curve.y[k] as number;
      return Number.isFinite(cx) && Number.isFinite(cy) && cx >= Math.min(xLo, xHi) && cx <= Math.max(xLo, xHi) && cy >= Math.min(yLo, yHi) && cy <= Math.max(yLo, yHi);
    };
    const d = line<number>().defined(within).x((k) => x(curve.x[k] as number)).y((k) => y(curve.y[k] as number)).digits(2)(idx);
    if (d !== null && d !== '') {
      const dash = curve.dash === undefined ? '' : ` stroke-dasharray="${curve.dash}"`;
      paths.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    }
    if (curve.label !== '') legend.push({ label: curve.label, color, dash: curve.dash });
  });
  return { paths, legend };
}

/**
 * A quiver plot: unit-length arrows on a regular grid showing the direction of the flow, shaded by
 * relative speed (darker = faster), with optional integrated trajectories on top. Standalone SVG.
 */
export function flowFieldPlot(options: FlowFieldOptions): string {
  const frame = defaultFrame(options.width ?? 380, options.height ?? 360);
  const x = makeScale('linear', options.xRange, [frame.left, frame.width - frame.right]);
  const y = makeScale('linear', options.yRange, [frame.height - frame.bottom, frame.top]);
  const n = options.arrows ?? 17;
  const samples = arrowSamples(options, x, y, n);
  const maxSpeed = Math.max(1e-300, ...samples.map((s) => s.speed));
  const cell = Math.min((frame.width - frame.left - frame.right) / n, (frame.height - frame.top - frame.bottom) / n);
  const parts: string[] = [svgOpen(frame.width, frame.height, options.title), `<rect width="${frame.width}" height="${frame.height}" fill="white"/>`];
  parts.push(drawAxes(frame, x, y, options.xLabel, options.yLabel, false));
  for (const s of samples) parts.push(arrowPath(s, 0.8 * cell, maxSpeed));
  const { paths, legend } = curvePaths(options, x, y);
  parts.push(...paths);
  for (const p of options.points ?? []) {
    parts.push(`<circle cx="${fmt(x(p.x))}" cy="${fmt(y(p.y))}" r="3.5" fill="${p.color ?? 'black'}"/>`);
  }
  parts.push(drawLegend(frame, legend));
  parts.push(drawTitle(frame, options.title));
  parts.push('</svg>');
  return parts.join('');
}
