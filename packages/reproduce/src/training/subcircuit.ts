import { nodesWithoutPathTo, removeEdges, type Circuit } from '@ohmlab/graph';

/** The part of a circuit that still reaches an input, with maps back to the original numbering. */
export interface ConnectedPart {
  /** The remaining circuit, or `undefined` when no output reaches an input any more. */
  readonly circuit: Circuit | undefined;
  /** `edges[newIndex] = oldIndex`. */
  readonly edges: readonly number[];
  /** `nodes[newIndex] = oldIndex`. */
  readonly nodes: readonly number[];
  /** Old output nodes without a path to an input (they leave the loss). */
  readonly cutOutputs: readonly number[];
  /** Old edges with k > 0 that now float in a component without an input (frozen). */
  readonly floatingEdges: readonly number[];
}

/**
 * Paper 2, Sec. 4 ("restrict attention to the remaining connected subnetwork"): the circuit with
 * conductances `k`, without the edges at `k = 0`, without the nodes (and outputs) that lost every
 * path to an input, renumbered. Samples keep the targets of the remaining outputs.
 */
export function connectedPart(c: Circuit, k: Float64Array): ConnectedPart {
  const alive = Float64Array.from(k, (x) => (x > 0 ? 1 : 0));
  const lost = new Set(nodesWithoutPathTo(c, c.inputNodes, alive));
  const dropEdges: number[] = [];
  const floatingEdges: number[] = [];
  for (let j = 0; j < k.length; j++) {
    const floating = lost.has(c.edgeFrom[j] as number);
    if (!((k[j] as number) > 0) || floating) dropEdges.push(j);
    if ((k[j] as number) > 0 && floating) floatingEdges.push(j);
  }
  const { circuit: pruned, edgeMap } = removeEdges({ ...c, conductances: k }, dropEdges);
  const nodeMap = new Int32Array(c.nodeCount).fill(-1);
  const nodes: number[] = [];
  for (let i = 0; i < c.nodeCount; i++) if (!lost.has(i)) nodeMap[i] = nodes.push(i) - 1;
  const keptOutputs = Array.from(c.outputNodes.keys()).filter((o) => !lost.has(c.outputNodes[o] as number));
  const cutOutputs = Array.from(c.outputNodes).filter((node) => lost.has(node));
  const edges: number[] = [];
  edgeMap.forEach((to, from) => {
    if (to >= 0) edges[to] = from;
  });
  const renumber = (a: Uint32Array): Uint32Array => a.map((i) => nodeMap[i] as number);
  const pick = (v: Float64Array): Float64Array => Float64Array.from(keptOutputs, (o) => v[o] as number);
  const circuit: Circuit | undefined = keptOutputs.length === 0 ? undefined : {
    ...pruned,
    nodeCount: nodes.length,
    edgeFrom: renumber(pruned.edgeFrom),
    edgeTo: renumber(pruned.edgeTo),
    inputNodes: renumber(c.inputNodes),
    outputNodes: Uint32Array.from(keptOutputs, (o) => nodeMap[c.outputNodes[o] as number] as number),
    targets: pick(c.targets),
    ...(c.samples === undefined ? {} : { samples: c.samples.map((s) => ({ inputs: s.inputs, targets: pick(s.targets) })) }),
  };
  return { circuit, edges, nodes, cutOutputs, floatingEdges };
}
