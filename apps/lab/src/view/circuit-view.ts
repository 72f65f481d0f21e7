import { forceCenter, forceLink, forceManyBody, forceSimulation, type SimulationNodeDatum } from 'd3-force';
import { interpolateInferno } from 'd3-scale-chromatic';

/** The wiring the view draws (a `Circuit` from @ohmlab/graph satisfies it). */
export interface DrawnCircuit {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly inputNodes: Uint32Array;
  readonly inputValues: Float64Array;
  readonly outputNodes: Uint32Array;
  readonly targets: Float64Array;
}

/** Per-edge quantities drawn on top of the layout. */
export interface EdgeState {
  readonly conductances: ArrayLike<number>;
  /** Current through each edge in the free state (`k_j * dv_j`), any sign. */
  readonly currents?: ArrayLike<number>;
  /** `true` for edges removed by the boundary rule. */
  readonly removed?: ArrayLike<boolean>;
}

interface LayoutNode extends SimulationNodeDatum {
  index: number;
}

const svgNs = 'http://www.w3.org/2000/svg';
/** Above this many nodes the layout is skipped and only a summary is shown. */
export const maxDrawnNodes = 600;

/**
 * The circuit drawn as a graph: d3-force layout computed once per circuit (deterministic start),
 * SVG lines whose width is proportional to the conductance and whose colour encodes |current|
 * (inferno scale, relative to the largest current), removed edges dashed grey with a cross.
 * Inputs are red squares, outputs blue diamonds.
 */
export class CircuitView {
  readonly element: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private lines: SVGLineElement[] = [];
  private crosses: SVGTextElement[] = [];
  private circuit: DrawnCircuit | undefined;

  constructor(private readonly width = 520, private readonly height = 420) {
    this.element = document.createElement('div');
    this.element.className = 'circuit-view';
    this.svg = document.createElementNS(svgNs, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.element.append(this.svg);
  }

  /** Lays out and draws a new circuit. */
  setCircuit(circuit: DrawnCircuit): void {
    this.circuit = circuit;
    this.svg.replaceChildren();
    this.lines = [];
    this.crosses = [];
    this.element.dataset['nodes'] = String(circuit.nodeCount);
    this.element.dataset['edges'] = String(circuit.edgeFrom.length);
    if (circuit.nodeCount > maxDrawnNodes) {
      const text = document.createElementNS(svgNs, 'text');
      text.setAttribute('x', '20');
      text.setAttribute('y', '40');
      text.textContent = `${circuit.nodeCount} nodes: too many to draw (limit ${maxDrawnNodes}); plots still update.`;
      this.svg.append(text);
      return;
    }
    const positions = layout(circuit, this.width, this.height);
    const edgeLayer = document.createElementNS(svgNs, 'g');
    const markLayer = document.createElementNS(svgNs, 'g');
    const nodeLayer = document.createElementNS(svgNs, 'g');
    for (let j = 0; j < circuit.edgeFrom.length; j += 1) {
      const a = positions[circuit.edgeFrom[j] ?? 0] ?? [0, 0];
      const b = positions[circuit.edgeTo[j] ?? 0] ?? [0, 0];
      const line = document.createElementNS(svgNs, 'line');
      line.setAttribute('x1', a[0].toFixed(1));
      line.setAttribute('y1', a[1].toFixed(1));
      line.setAttribute('x2', b[0].toFixed(1));
      line.setAttribute('y2', b[1].toFixed(1));
      line.setAttribute('stroke-linecap', 'round');
      const title = document.createElementNS(svgNs, 'title');
      line.append(title);
      edgeLayer.append(line);
      this.lines.push(line);
      const cross = document.createElementNS(svgNs, 'text');
      cross.setAttribute('x', ((a[0] + b[0]) / 2).toFixed(1));
      cross.setAttribute('y', ((a[1] + b[1]) / 2 + 5).toFixed(1));
      cross.setAttribute('class', 'removed-mark');
      cross.setAttribute('text-anchor', 'middle');
      cross.textContent = '✕';
      cross.style.display = 'none';
      markLayer.append(cross);
      this.crosses.push(cross);
    }
    const role = new Map<number, string>();
    circuit.inputNodes.forEach((node, i) => role.set(node, `input ${node}: ${circuit.inputValues[i]?.toFixed(3)} V`));
    circuit.outputNodes.forEach((node, o) => role.set(node, `output ${node}: target ${circuit.targets[o]?.toFixed(3)} V`));
    const inputs = new Set(circuit.inputNodes);
    const outputs = new Set(circuit.outputNodes);
    const radius = circuit.nodeCount > 150 ? 2.5 : circuit.nodeCount > 40 ? 4 : 5.5;
    positions.forEach(([x, y], node) => {
      let shape: SVGElement;
      if (inputs.has(node) || outputs.has(node)) {
        shape = document.createElementNS(svgNs, 'rect');
        const size = radius * 3;
        shape.setAttribute('x', (x - size / 2).toFixed(1));
        shape.setAttribute('y', (y - size / 2).toFixed(1));
        shape.setAttribute('width', size.toFixed(1));
        shape.setAttribute('height', size.toFixed(1));
        shape.setAttribute('class', inputs.has(node) ? 'node input' : 'node output');
        if (outputs.has(node)) shape.setAttribute('transform', `rotate(45 ${x.toFixed(1)} ${y.toFixed(1)})`);
      } else {
        shape = document.createElementNS(svgNs, 'circle');
        shape.setAttribute('cx', x.toFixed(1));
        shape.setAttribute('cy', y.toFixed(1));
        shape.setAttribute('r', String(radius));
        shape.setAttribute('class', 'node');
      }
      const title = document.createElementNS(svgNs, 'title');
      title.textContent = role.get(node) ?? `node ${node}`;
      shape.append(title);
      nodeLayer.append(shape);
    });
    this.svg.append(edgeLayer, markLayer, nodeLayer);
    this.svg.append(legend(this.width, this.height));
  }

  /** Restyles the edges for new conductances, currents and removals. */
  update(state: EdgeState): void {
    if (!this.circuit || this.lines.length === 0) return;
    let kMax = 0;
    let iMax = 0;
    for (let j = 0; j < this.lines.length; j += 1) {
      if (state.removed?.[j]) continue;
      kMax = Math.max(kMax, Math.abs(state.conductances[j] ?? 0));
      iMax = Math.max(iMax, Math.abs(state.currents?.[j] ?? 0));
    }
    let removedCount = 0;
    for (let j = 0; j < this.lines.length; j += 1) {
      const line = this.lines[j];
      const cross = this.crosses[j];
      if (!line || !cross) continue;
      const k = state.conductances[j] ?? 0;
      const current = state.currents?.[j] ?? 0;
      const removed = state.removed?.[j] === true;
      if (removed) removedCount += 1;
      const width = removed ? 1 : 0.8 + 7 * (kMax > 0 ? Math.abs(k) / kMax : 0);
      const colour = removed ? '#9a9a9a' : interpolateInferno(0.1 + 0.8 * (iMax > 0 ? Math.abs(current) / iMax : 0));
      line.setAttribute('stroke-width', width.toFixed(2));
      line.setAttribute('stroke', colour);
      line.setAttribute('stroke-dasharray', removed ? '4 3' : '');
      line.dataset['removed'] = String(removed);
      cross.style.display = removed ? '' : 'none';
      const title = line.firstChild;
      if (title) {
        title.textContent = `edge ${j} (${this.circuit.edgeFrom[j]}→${this.circuit.edgeTo[j]}): k = ${k.toPrecision(4)}, I = ${current.toPrecision(4)}${removed ? ' (removed)' : ''}`;
      }
    }
    this.element.dataset['removed'] = String(removedCount);
  }
}

function layout(circuit: DrawnCircuit, width: number, height: number): Array<[number, number]> {
  const nodes: LayoutNode[] = Array.from({ length: circuit.nodeCount }, (_, index) => ({ index }));
  const links = Array.from(circuit.edgeFrom, (from, j) => ({ source: from, target: circuit.edgeTo[j] ?? 0 }));
  const simulation = forceSimulation(nodes)
    .force('link', forceLink(links).distance(30).strength(0.7))
    .force('charge', forceManyBody().strength(-60))
    .force('center', forceCenter(0, 0))
    .stop();
  const ticks = Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay()));
  for (let t = 0; t < ticks; t += 1) simulation.tick();
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const node of nodes) {
    minX = Math.min(minX, node.x ?? 0); maxX = Math.max(maxX, node.x ?? 0);
    minY = Math.min(minY, node.y ?? 0); maxY = Math.max(maxY, node.y ?? 0);
  }
  const margin = 24;
  const legendSpace = 28;
  const scale = Math.min(
    (width - 2 * margin) / Math.max(maxX - minX, 1e-9),
    (height - 2 * margin - legendSpace) / Math.max(maxY - minY, 1e-9),
  );
  const offsetX = (width - scale * (maxX - minX)) / 2;
  const offsetY = (height - legendSpace - scale * (maxY - minY)) / 2;
  return nodes.map((node) => [offsetX + scale * ((node.x ?? 0) - minX), offsetY + scale * ((node.y ?? 0) - minY)]);
}

function legend(width: number, height: number): SVGGElement {
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
