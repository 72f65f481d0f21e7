import type { Circuit } from '../circuit.js';
import { connectedComponents } from '../connectivity.js';
import { mulberry32, type Random } from '../random.js';
import { assemble, interiorTargets, sourceAndGrounds } from './assemble.js';
import type { BuilderOptions } from './options.js';

/** Options of {@link erdosRenyi}. */
export interface ErdosRenyiOptions extends BuilderOptions {
  /** Node count n (>= inputs + outputs). */
  readonly nodes: number;
  /** Edge probability p, or give `meanDegree` (p = meanDegree / (n - 1)). */
  readonly p?: number;
  readonly meanDegree?: number;
  /** Number of input nodes (default 2: a source at 1 V and a ground). */
  readonly inputs?: number;
  /** Number of output nodes (default 1). */
  readonly outputs?: number;
}

/** Distinct random nodes, `count` of them, avoiding `taken`. */
function pickNodes(n: number, count: number, random: Random, taken: Set<number>): Uint32Array {
  const out = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    let v: number;
    do v = Math.floor(random() * n);
    while (taken.has(v));
    taken.add(v);
    out[k] = v;
  }
  return out;
}

/** G(n, p) edges (u < v) by geometric skipping (Batagelj and Brandes 2005): O(n + m) time. */
function gnpEdges(n: number, p: number, random: Random): { from: number[]; to: number[] } {
  const from: number[] = [];
  const to: number[] = [];
  if (p <= 0) return { from, to };
  const logq = Math.log(1 - Math.min(p, 1 - 1e-16));
  let v = 1;
  let w = -1;
  while (v < n) {
    w += 1 + Math.floor(Math.log(1 - random()) / logq);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) {
      from.push(w);
      to.push(v);
    }
  }
  return { from, to };
}

/**
 * Kept connected: every component other than the largest is joined to it by one extra edge between
 * a random node of each (so the graph is G(n, p) plus at most `components - 1` edges).
 */
function joinComponents(n: number, from: number[], to: number[], random: Random): void {
  const { count, component } = connectedComponents({ nodeCount: n, edgeFrom: Uint32Array.from(from), edgeTo: Uint32Array.from(to) });
  if (count === 1) return;
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) members[component[i]!]!.push(i);
  let giant = 0;
  for (let c = 1; c < count; c++) if (members[c]!.length > members[giant]!.length) giant = c;
  const g = members[giant]!;
  for (let c = 0; c < count; c++) {
    if (c === giant) continue;
    const ms = members[c]!;
    const a = ms[Math.floor(random() * ms.length)]!;
    const b = g[Math.floor(random() * g.length)]!;
    from.push(Math.min(a, b));
    to.push(Math.max(a, b));
  }
}

/**
 * Erdos-Renyi G(n, p) circuit, kept connected (see `joinComponents`). Inputs and outputs are
 * distinct random nodes; default drive: the first input at 1 V, the others grounded; targets
 * uniform in [0.25, 0.75). Edges run from the lower to the higher node id. Deterministic for a seed.
 */
export function erdosRenyi(options: ErdosRenyiOptions): Circuit {
  const n = options.nodes;
  const nIn = options.inputs ?? 2;
  const nOut = options.outputs ?? 1;
  if (!Number.isInteger(n) || n < nIn + nOut || nIn < 1 || nOut < 0) {
    throw new RangeError(`erdosRenyi needs an integer node count >= inputs + outputs, got nodes ${n}, inputs ${nIn}, outputs ${nOut}`);
  }
  const p = options.p ?? (options.meanDegree ?? 4) / (n - 1);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`erdosRenyi edge probability must be in [0, 1], got ${p}`);
  const random = mulberry32(options.seed ?? 1);
  const { from, to } = gnpEdges(n, p, random);
  joinComponents(n, from, to, random);
  const taken = new Set<number>();
  const inputNodes = pickNodes(n, nIn, random, taken);
  const outputNodes = pickNodes(n, nOut, random, taken);
  return assemble(
    {
      nodeCount: n,
      edgeFrom: Uint32Array.from(from),
      edgeTo: Uint32Array.from(to),
      inputNodes,
      outputNodes,
      inputValues: () => sourceAndGrounds(nIn),
      targets: (r) => interiorTargets(nOut, r),
    },
    options,
    random,
  );
}

/** Options of {@link grid2d}. */
export interface GridOptions extends BuilderOptions {
  readonly rows: number;
  readonly cols: number;
}

/**
 * 2-D grid: node `r * cols + c`, edges to the right (`(r,c) -> (r,c+1)`) then down
 * (`(r,c) -> (r+1,c)`). Inputs: the top-left corner at 1 V and the bottom-right corner grounded;
 * output: the centre node (target uniform in [0.25, 0.75) unless given).
 */
export function grid2d(options: GridOptions): Circuit {
  const { rows, cols } = options;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows * cols < 3) {
    throw new RangeError(`grid2d needs integer rows, cols >= 1 with at least 3 nodes, got ${rows} x ${cols}`);
  }
  const n = rows * cols;
  const m = rows * (cols - 1) + (rows - 1) * cols;
  const edgeFrom = new Uint32Array(m);
  const edgeTo = new Uint32Array(m);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c + 1 < cols; c++) {
      edgeFrom[e] = r * cols + c;
      edgeTo[e++] = r * cols + c + 1;
    }
  }
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c < cols; c++) {
      edgeFrom[e] = r * cols + c;
      edgeTo[e++] = (r + 1) * cols + c;
    }
  }
  let centre = Math.floor(rows / 2) * cols + Math.floor(cols / 2);
  if (centre === 0 || centre === n - 1) centre = 1;
  return assemble(
    {
      nodeCount: n,
      edgeFrom,
      edgeTo,
      inputNodes: Uint32Array.of(0, n - 1),
      outputNodes: Uint32Array.of(centre),
      inputValues: () => sourceAndGrounds(2),
      targets: (r) => interiorTargets(1, r),
    },
    options,
  );
}
