import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { flowFieldPlot } from './flow-field.js';
import { heatmapPlot } from './heatmap.js';
import { linePlot } from './line-plot.js';
import { composePanels } from './xml.js';

function expectValidSvg(svg: string): void {
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
}

function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('linePlot', () => {
  it('legend outside widens the figure; xDomain hides the points beyond it; labelled vlines join the legend', () => {
    const t = Array.from({ length: 11 }, (_, i) => i);
    const options = { title: 'x', xLabel: 't', yLabel: 'y', series: [{ label: 'a long series label', x: t, y: t }] };
    const inside = linePlot(options);
    const outside = linePlot({ ...options, legendAt: 'outside' as const, xDomain: [0, 5] as [number, number], vlines: [{ x: 2, label: 'event' }] });
    expectValidSvg(outside);
    const width = (svg: string): number => Number(/width="([\d.]+)"/.exec(svg)?.[1]);
    expect(width(outside)).toBeGreaterThan(width(inside) + 100);
    expect(outside).toContain('>event<');
    const d = /<path d="([^"]+)" fill="none"/.exec(outside)?.[1] ?? '';
    expect(pathPoints(d)).toHaveLength(6);
  });

  it('emits valid SVG with one path per series, a legend and escaped labels', () => {
    const t = Array.from({ length: 50 }, (_, i) => i);
    const svg = linePlot({
      title: 'decay <test> & "quotes"',
      xLabel: 'step',
      yLabel: 'loss',
      yLog: true,
      series: [
        { label: 'EP', x: t, y: t.map((s) => Math.exp(-0.2 * s)) },
        { label: 'CL', x: t, y: t.map((s) => Math.exp(-0.1 * s)), dash: '4 2' },
      ],
    });
    expectValidSvg(svg);
    expect(svg).toContain('decay &lt;test&gt; &amp; &quot;quotes&quot;');
    expect(svg.match(/<path d="M/g)?.length).toBe(2);
    expect(svg).toContain('>EP<');
    expect(svg).toContain('>CL<');
  });

  it('log axis: an exponential decay is drawn as a straight line', () => {
    const t = Array.from({ length: 30 }, (_, i) => i);
    const svg = linePlot({ title: 'x', xLabel: 't', yLabel: 'y', yLog: true, series: [{ label: 'e', x: t, y: t.map((s) => 10 * Math.exp(-0.5 * s)) }] });
    const d = /<path d="(M[^"]+)"/.exec(svg)?.[1] ?? '';
    const pts = pathPoints(d);
    expect(pts.length).toBe(30);
    const slope0 = ((pts[1]?.[1] ?? 0) - (pts[0]?.[1] ?? 0)) / ((pts[1]?.[0] ?? 0) - (pts[0]?.[0] ?? 1));
    for (let k = 2; k < pts.length; k++) {
      const s = ((pts[k]?.[1] ?? 0) - (pts[k - 1]?.[1] ?? 0)) / ((pts[k]?.[0] ?? 0) - (pts[k - 1]?.[0] ?? 1));
      expect(Math.abs(s - slope0)).toBeLessThan(0.05 * Math.abs(slope0) + 0.05);
    }
    expect(svg).toMatch(/>1e-\d+</); // decade tick labels
  });

  it('drops non-positive and non-finite points on log axes instead of failing', () => {
    const svg = linePlot({ title: 'x', xLabel: 't', yLabel: 'y', yLog: true, series: [{ label: 'e', x: [0, 1, 2, 3], y: [1, 0, Number.NaN, 0.1] }] });
    expectValidSvg(svg);
    expect(svg).not.toContain('NaN');
  });
});

describe('heatmapPlot', () => {
  it('draws one cell per grid value and circular contours for x^2 + y^2', () => {
    const n = 41;
    const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
    const values = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = (xs[i] ?? 0) ** 2 + (xs[j] ?? 0) ** 2;
    const field = { xs, ys: xs, values };
    const svg = heatmapPlot({
      title: 'r2', xLabel: 'x', yLabel: 'y', colorLabel: 'r^2', field,
      contours: [{ field, levels: [0.25], color: 'white', dash: '4 3', label: 'r = 0.5' }],
    });
    expectValidSvg(svg);
    expect(svg.match(/<rect x=/g)?.length ?? 0).toBeGreaterThanOrEqual(n * n);
    const d = /<path d="(M[^"]+)" fill="none" stroke="white"/.exec(svg)?.[1] ?? '';
    const pts = pathPoints(d);
    expect(pts.length).toBeGreaterThan(20);
    // pixel coordinates back to data: the plot maps [-1,1] onto the frame linearly
    const xsPx = pts.map((p) => p[0]);
    const ysPx = pts.map((p) => p[1]);
    const cx = (Math.max(...xsPx) + Math.min(...xsPx)) / 2;
    const cy = (Math.max(...ysPx) + Math.min(...ysPx)) / 2;
    const rx = (Math.max(...xsPx) - Math.min(...xsPx)) / 2;
    const ry = (Math.max(...ysPx) - Math.min(...ysPx)) / 2;
    for (const [px, py] of pts) expect(Math.hypot((px - cx) / rx, (py - cy) / ry)).toBeCloseTo(1, 1);
  });

  it('log colour scale accepts zeros (drawn at the bottom colour)', () => {
    const xs = [0, 1, 2];
    const svg = heatmapPlot({ title: 't', xLabel: 'x', yLabel: 'y', colorLabel: 'c', colorLog: true, field: { xs, ys: xs, values: [0, 1, 2, 3, 4, 5, 6, 7, 8] } });
    expectValidSvg(svg);
  });
});

describe('flowFieldPlot and composePanels', () => {
  it('draws one arrow per grid point pointing along the field', () => {
    const svg = flowFieldPlot({ title: 'rotation', xLabel: 'k1', yLabel: 'k2', xRange: [-1, 1], yRange: [-1, 1], arrows: 6, field: (x, y) => [-y, x],
      curves: [{ label: 'circle', x: [1, 0, -1, 0, 1], y: [0, 1, 0, -1, 0] }] });
    expectValidSvg(svg);
    const arrows = svg.match(/stroke-width="1.1"/g)?.length ?? 0;
    expect(arrows).toBe(36);
    const panels = composePanels([svg, svg, svg], 3, 'three');
    expectValidSvg(panels);
    expect(panels).toMatch(/^<svg[^>]*width="1140"/);
  });
});
