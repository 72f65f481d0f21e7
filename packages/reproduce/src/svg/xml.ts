/** Escape text for use in SVG/HTML text content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Format a coordinate with two decimals (keeps SVGs small and deterministic). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite SVG coordinate ${x}; clip or drop the point first`);
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Format a tick/legend number compactly: 3 significant digits, exponent form when large/small. */
export function fmtNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) {
    const [m, e] = x.toExponential(1).split('e');
    return `${m?.replace(/\.0$/, '')}e${Number(e)}`;
  }
  return String(Number(x.toPrecision(3)));
}

/** Open an SVG document of the given pixel size (the caller appends children and `</svg>`). */
export function svgOpen(width: number, height: number, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="11">`
  );
}

/** A text element. */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: { anchor?: 'start' | 'middle' | 'end'; size?: number; rotate?: number; weight?: string; fill?: string } = {},
): string {
  const rot = attrs.rotate === undefined ? '' : ` transform="rotate(${attrs.rotate} ${fmt(x)} ${fmt(y)})"`;
  return (
    `<text x="${fmt(x)}" y="${fmt(y)}" text-anchor="${attrs.anchor ?? 'start'}"` +
    (attrs.size === undefined ? '' : ` font-size="${attrs.size}"`) +
    (attrs.weight === undefined ? '' : ` font-weight="${attrs.weight}"`) +
    (attrs.fill === undefined ? '' : ` fill="${attrs.fill}"`) +
    `${rot}>${escapeXml(content)}</text>`
  );
}

/** Place several complete SVG documents side by side (or in a grid) in one SVG. */
export function composePanels(panels: readonly string[], columns: number, label: string): string {
  const sizes = panels.map((p) => {
    const m = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(p);
    if (m === null) throw new TypeError('composePanels: a panel has no width/height attributes');
    return { w: Number(m[1]), h: Number(m[2]) };
  });
  const cellW = Math.max(...sizes.map((s) => s.w));
  const cellH = Math.max(...sizes.map((s) => s.h));
  const rows = Math.ceil(panels.length / columns);
  const width = cellW * Math.min(columns, panels.length);
  const height = cellH * rows;
  const inner = panels
    .map((p, i) => {
      const x = (i % columns) * cellW;
      const y = Math.floor(i / columns) * cellH;
      return p.replace('<svg xmlns="http://www.w3.org/2000/svg" ', `<svg x="${x}" y="${y}" `);
    })
    .join('');
  return `${svgOpen(width, height, label)}${inner}</svg>`;
}
