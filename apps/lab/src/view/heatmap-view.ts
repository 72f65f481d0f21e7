import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';

/** A scalar field on a regular (u, v) grid with a second field whose level sets are drawn. */
export interface HeatmapField {
  /** Cells along u (columns) and v (rows). */
  readonly columns: number;
  readonly rows: number;
  readonly uRange: readonly [number, number];
  readonly vRange: readonly [number, number];
  /** Row-major, row r = v index (v increasing upward on screen), column c = u index. */
  readonly values: Float64Array;
  /** Same layout: the field whose level sets are drawn (e.g. the circuit's output). */
  readonly levelField?: Float64Array;
  /** Level values to draw; default: 9 evenly spaced levels. */
  readonly levels?: readonly number[];
  /** Highlighted level (e.g. the target), drawn thicker. */
  readonly highlightLevel?: number;
  readonly valueLabel: string;
  readonly levelLabel: string;
  readonly uLabel: string;
  readonly vLabel: string;
  /** Colour by log10 of the value (values <= 0 shown at the floor). */
  readonly logColour: boolean;
}

const svgNs = 'http://www.w3.org/2000/svg';

/**
 * Heatmap on a canvas (viridis) with level sets as white dashed SVG paths (d3-contour marching
 * squares), axes, and a colour bar. The container exposes `data-min`, `data-max`, `data-cells`.
 */
export class HeatmapView {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly svg: SVGSVGElement;
  private readonly plotSize = 440;
  private readonly margin = { left: 64, top: 16, right: 120, bottom: 48 };

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'heatmap';
    const width = this.plotSize + this.margin.left + this.margin.right;
    const height = this.plotSize + this.margin.top + this.margin.bottom;
    this.element.style.position = 'relative';
    this.element.style.width = `${width}px`;
    this.element.style.height = `${height}px`;
    this.canvas = document.createElement('canvas');
    this.canvas.style.position = 'absolute';
    this.canvas.style.left = `${this.margin.left}px`;
    this.canvas.style.top = `${this.margin.top}px`;
    this.canvas.style.width = `${this.plotSize}px`;
    this.canvas.style.height = `${this.plotSize}px`;
    this.canvas.style.imageRendering = 'pixelated';
    this.svg = document.createElementNS(svgNs, 'svg');
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.svg.style.position = 'absolute';
    this.svg.style.left = '0';
    this.svg.style.top = '0';
    this.element.append(this.canvas, this.svg);
  }

  /** Draws `field`. */
  draw(field: HeatmapField): void {
    const { columns, rows, values } = field;
    const finite = Array.from(values).filter((v) => Number.isFinite(v) && (!field.logColour || v > 0));
    const min = finite.length > 0 ? Math.min(...finite) : 0;
    const max = finite.length > 0 ? Math.max(...finite) : 1;
    const transform = (v: number): number => (field.logColour ? Math.log10(Math.max(v, min)) : v);
    const lo = transform(min);
    const hi = transform(max);
    this.canvas.width = columns;
    this.canvas.height = rows;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const image = context.createImageData(columns, rows);
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < columns; c += 1) {
        const value = values[r * columns + c] ?? Number.NaN;
        const screenRow = rows - 1 - r;
        const offset = 4 * (screenRow * columns + c);
        if (!Number.isFinite(value)) {
          image.data.set([255, 0, 255, 255], offset);
          continue;
        }
        const t = hi > lo ? (transform(value) - lo) / (hi - lo) : 0.5;
        const colour = parseRgb(interpolateViridis(t));
        image.data.set([colour[0], colour[1], colour[2], 255], offset);
      }
    }
    context.putImageData(image, 0, 0);
    this.svg.replaceChildren();
    if (field.levelField) this.drawLevels(field, field.levelField);
    this.drawAxes(field);
    this.drawColourBar(field, min, max);
    this.element.dataset['min'] = String(min);
    this.element.dataset['max'] = String(max);
    this.element.dataset['cells'] = String(columns * rows);
  }

  private drawLevels(field: HeatmapField, levelField: Float64Array): void {
    const { columns, rows } = field;
    const finite = Array.from(levelField).filter(Number.isFinite);
    if (finite.length === 0) return;
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const target = field.highlightLevel;
    const evenly = Array.from({ length: 9 }, (_, i) => lo + ((i + 1) * (hi - lo)) / 10);
    const inside = target !== undefined && target > lo && target < hi;
    const levels = field.levels ?? (inside ? [...evenly.filter((v) => Math.abs(v - target) > 0.3 * ((hi - lo) / 10)), target].sort((a, b) => a - b) : evenly);
    const generator = contours().size([columns, rows]).thresholds([...levels]);
    const group = document.createElementNS(svgNs, 'g');
    group.setAttribute('transform', `translate(${this.margin.left},${this.margin.top})`);
    // Contour coordinates are in grid units with y = row index; flip so v grows upward.
    const sx = this.plotSize / columns;
    const sy = this.plotSize / rows;
    for (const contour of generator(Array.from(levelField))) {
      const path = document.createElementNS(svgNs, 'path');
      const d = isolinePath(contour.coordinates, columns, rows, (x, y) => [x * sx, this.plotSize - y * sy]);
      const highlighted = field.highlightLevel !== undefined && Math.abs(contour.value - field.highlightLevel) < 1e-12;
      path.setAttribute('d', d);
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', highlighted ? '#ff4040' : 'white');
      path.setAttribute('stroke-width', highlighted ? '2.5' : '1.2');
      if (!highlighted) path.setAttribute('stroke-dasharray', '5 4');
      const title = document.createElementNS(svgNs, 'title');
      title.textContent = `${field.levelLabel} = ${contour.value.toPrecision(4)}`;
      path.append(title);
      group.append(path);
    }
    this.svg.append(group);
  }

  private drawAxes(field: HeatmapField): void {
    const group = document.createElementNS(svgNs, 'g');
    const { left, top } = this.margin;
    const size = this.plotSize;
    const text = (x: number, y: number, content: string, anchor = 'middle', rotate = 0): void => {
      const t = document.createElementNS(svgNs, 'text');
      t.setAttribute('x', x.toFixed(1));
      t.setAttribute('y', y.toFixed(1));
      t.setAttribute('text-anchor', anchor);
      t.setAttribute('class', 'axis-text');
      if (rotate !== 0) t.setAttribute('transform', `rotate(${rotate} ${x.toFixed(1)} ${y.toFixed(1)})`);
      t.textContent = content;
      group.append(t);
    };
    const frame = document.createElementNS(svgNs, 'rect');
    frame.setAttribute('x', String(left));
    frame.setAttribute('y', String(top));
    frame.setAttribute('width', String(size));
    frame.setAttribute('height', String(size));
    frame.setAttribute('fill', 'none');
    frame.setAttribute('stroke', '#444');
    group.append(frame);
    for (let i = 0; i <= 4; i += 1) {
      const f = i / 4;
      const u = field.uRange[0] + f * (field.uRange[1] - field.uRange[0]);
      const v = field.vRange[0] + f * (field.vRange[1] - field.vRange[0]);
      text(left + f * size, top + size + 16, u.toPrecision(3));
      text(left - 6, top + size - f * size + 4, v.toPrecision(3), 'end');
    }
    text(left + size / 2, top + size + 38, field.uLabel);
    text(16, top + size / 2, field.vLabel, 'middle', -90);
    this.svg.append(group);
  }

  private drawColourBar(field: HeatmapField, min: number, max: number): void {
    const x = this.margin.left + this.plotSize + 20;
    const top = this.margin.top;
    const height = this.plotSize;
    const group = document.createElementNS(svgNs, 'g');
    const steps = 64;
    for (let i = 0; i < steps; i += 1) {
      const rect = document.createElementNS(svgNs, 'rect');
      rect.setAttribute('x', String(x));
      rect.setAttribute('y', (top + height - ((i + 1) * height) / steps).toFixed(2));
      rect.setAttribute('width', '16');
      rect.setAttribute('height', (height / steps + 0.5).toFixed(2));
      rect.setAttribute('fill', interpolateViridis(i / (steps - 1)));
      group.append(rect);
    }
    const text = (x0: number, y: number, content: string, rotate = false): void => {
      const t = document.createElementNS(svgNs, 'text');
      t.setAttribute('x', String(x0));
      t.setAttribute('y', y.toFixed(1));
      t.setAttribute('class', 'axis-text');
      if (rotate) {
        t.setAttribute('text-anchor', 'middle');
        t.setAttribute('transform', `rotate(90 ${x0} ${y.toFixed(1)})`);
      }
      t.textContent = content;
      group.append(t);
    };
    for (const tick of colourTicks(min, max, field.logColour)) {
      const f = field.logColour ? Math.log10(tick / min) / Math.log10(max / min) : (tick - min) / (max - min);
      const y = top + height - (Number.isFinite(f) ? f : 0.5) * height;
      const mark = document.createElementNS(svgNs, 'line');
      mark.setAttribute('x1', String(x + 16));
      mark.setAttribute('x2', String(x + 20));
      mark.setAttribute('y1', y.toFixed(1));
      mark.setAttribute('y2', y.toFixed(1));
      mark.setAttribute('stroke', '#444');
      group.append(mark);
      text(x + 22, y + 4, formatTick(tick));
    }
    text(x + 86, top + height / 2, field.logColour ? `${field.valueLabel} (log colour)` : field.valueLabel, true);
    this.svg.append(group);
  }
}

function parseRgb(colour: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex?.[1]) {
    const n = Number.parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const match = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(colour);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
}

/** Formats a tick without a negative zero. */
function formatTick(value: number): string {
  if (value === 0 || Object.is(value, -0)) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e4 || magnitude < 1e-2 ? value.toExponential(2) : value.toPrecision(3);
}

/** About five colour-bar ticks between `min` and `max` (geometric when the colour is logarithmic). */
function colourTicks(min: number, max: number, log: boolean): number[] {
  if (!(max > min)) return [min];
  const count = 5;
  return Array.from({ length: count }, (_, i) => (log && min > 0 ? min * (max / min) ** (i / (count - 1)) : min + ((max - min) * i) / (count - 1)));
}

/**
 * An SVG path of the contour lines of d3-contour's polygons, leaving out every segment that touches
 * the grid border: d3-contour closes each region through the border (samples sit at cell centres),
 * and those closing segments are not level-set lines. The lines stop half a cell short of the frame.
 */
function isolinePath(
  polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly number[]>>>,
  columns: number,
  rows: number,
  toScreen: (x: number, y: number) => [number, number],
): string {
  const border = (p: readonly number[]): boolean => {
    const [x = 0, y = 0] = p;
    return x <= 0 || x >= columns || y <= 0 || y >= rows;
  };
  const onBorder = (a: readonly number[], b: readonly number[]): boolean => border(a) || border(b);
  let d = '';
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let drawing = false;
      for (let i = 1; i < ring.length; i += 1) {
        const a = ring[i - 1] ?? [0, 0];
        const b = ring[i] ?? [0, 0];
        if (onBorder(a, b)) {
          drawing = false;
          continue;
        }
        if (!drawing) {
          const [x, y] = toScreen(a[0] ?? 0, a[1] ?? 0);
          d += `M${x.toFixed(1)},${y.toFixed(1)}`;
          drawing = true;
        }
        const [x, y] = toScreen(b[0] ?? 0, b[1] ?? 0);
        d += `L${x.toFixed(1)},${y.toFixed(1)}`;
      }
    }
  }
  return d;
}
