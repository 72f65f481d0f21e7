import { forceCenter, forceLink, forceManyBody, forceSimulation, type SimulationNodeDatum } from 'd3-force';
import { interpolateInferno } from 'd3-scale-chromatic';
import { edgeLine, legend, nodeShape, removedMark, svgNs, tooManyNodesNote } from './circuit-shapes.js';

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
      this.svg.append(tooManyNodesNote(circuit.nodeCount, maxDrawnNodes));
      return;
    }
    const positions = layout(circuit, this.width, this.height);
    const edgeLayer = document.createElementNS(svgNs, 'g');
    const markLayer = document.createElementNS(svgNs, 'g');
    for (let j = 0; j < circuit.edgeFrom.length; j += 1) {
      const a = positions[circuit.edgeFrom[j] ?? 0] ?? [0, 0];
      const b = positions[circuit.edgeTo[j] ?? 0] ?? [0, 0];
      const line = edgeLine(a, b);
      edgeLayer.append(line);
      this.lines.push(line);
      const cross = removedMark(a, b);
      markLayer.append(cross);
      this.crosses.push(cross);
    }
    this.svg.append(edgeLayer, markLayer, nodeLayer(circuit, positions));
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

/** The nodes with tooltips (index, input voltage or output target); marker size shrinks as circuits grow. */
function nodeLayer(circuit: DrawnCircuit, positions: ReadonlyArray<readonly [number, number]>): SVGGElement {
  const layer = document.createElementNS(svgNs, 'g');
  const tooltips = new Map<number, string>();
  circuit.inputNodes.forEach((node, i) => tooltips.set(node, `input ${node}: ${circuit.inputValues[i]?.toFixed(3)} V`));
  circuit.outputNodes.forEach((node, o) => tooltips.set(node, `output ${node}: target ${circuit.targets[o]?.toFixed(3)} V`));
  const inputs = new Set(circuit.inputNodes);
  const outputs = new Set(circuit.outputNodes);
  const radius = circuit.nodeCount > 150 ? 2.5 : circuit.nodeCount > 40 ? 4 : 5.5;
  positions.forEach(([x, y], node) => {
    const shape = nodeShape(x, y, radius, inputs.has(node), outputs.has(node));
    const title = document.createElementNS(svgNs, 'title');
    title.textContent = tooltips.get(node) ?? `node ${node}`;
    shape.append(title);
    layer.append(shape);
  });
  return layer;
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
