/** The SVG namespace every shape of the circuit view is created in. */
export const svgNs = 'http://www.w3.org/2000/svg';

type Point = readonly [number, number];

/** An edge from `a` to `b` (styled later by `CircuitView.update`), with an empty `<title>` for its tooltip. */
export function edgeLine(a: Point, b: Point): SVGLineElement {
  const line = document.createElementNS(svgNs, 'line');
  line.setAttribute('x1', a[0].toFixed(1));
  line.setAttribute('y1', a[1].toFixed(1));
  line.setAttribute('x2', b[0].toFixed(1));
  line.setAttribute('y2', b[1].toFixed(1));
  line.setAttribute('stroke-linecap', 'round');
  line.append(document.createElementNS(svgNs, 'title'));
  return line;
}

/** The ✕ drawn at the middle of the edge `a`–`b` once it is removed (hidden until then). */
export function removedMark(a: Point, b: Point): SVGTextElement {
  const cross = document.createElementNS(svgNs, 'text');
  cross.setAttribute('x', ((a[0] + b[0]) / 2).toFixed(1));
  cross.setAttribute('y', ((a[1] + b[1]) / 2 + 5).toFixed(1));
  cross.setAttribute('class', 'removed-mark');
  cross.setAttribute('text-anchor', 'middle');
  cross.textContent = '✕';
  cross.style.display = 'none';
  return cross;
}

/**
 * A node at `(x, y)`: inputs are squares, outputs squares turned 45° (diamonds; a node that is both
 * is a turned input square), other nodes circles of `radius`.
 */
export function nodeShape(x: number, y: number, radius: number, isInput: boolean, isOutput: boolean): SVGElement {
  if (!isInput && !isOutput) {
    const circle = document.createElementNS(svgNs, 'circle');
    circle.setAttribute('cx', x.toFixed(1));
    circle.setAttribute('cy', y.toFixed(1));
    circle.setAttribute('r', String(radius));
    circle.setAttribute('class', 'node');
    return circle;
  }
  const square = document.createElementNS(svgNs, 'rect');
  const size = radius * 3;
  square.setAttribute('x', (x - size / 2).toFixed(1));
  square.setAttribute('y', (y - size / 2).toFixed(1));
  square.setAttribute('width', size.toFixed(1));
  square.setAttribute('height', size.toFixed(1));
  square.setAttribute('class', isInput ? 'node input' : 'node output');
  if (isOutput) square.setAttribute('transform', `rotate(45 ${x.toFixed(1)} ${y.toFixed(1)})`);
  return square;
}

/** The note drawn instead of a circuit with more than `limit` nodes. */
export function tooManyNodesNote(nodeCount: number, limit: number): SVGTextElement {
  const text = document.createElementNS(svgNs, 'text');
  text.setAttribute('x', '20');
  text.setAttribute('y', '40');
  text.textContent = `${nodeCount} nodes: too many to draw (limit ${limit}); plots still update.`;
  return text;
}

/** The key along the bottom of a `height` px tall view: input, output, what width and colour mean. */
export function legend(width: number, height: number): SVGGElement {
  const group = document.createElementNS(svgNs, 'g');
  group.setAttribute('class', 'legend');
  const y = height - 10;
  const items: Array<[string, string]> = [
    ['■ input', 'legend-input'],
    ['◆ output', 'legend-output'],
    ['width ∝ conductance, colour ∝ |current|, ✕ removed', 'legend-text'],
  ];
  let x = 8;
  for (const [text, cls] of items) {
    const label = document.createElementNS(svgNs, 'text');
    label.setAttribute('x', String(x));
    label.setAttribute('y', String(y));
    label.setAttribute('class', cls);
    label.textContent = text;
    group.append(label);
    x += text.length * 6.2 + 14;
  }
  void width;
  return group;
}
