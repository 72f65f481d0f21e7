import type { Circuit } from '@ohmlab/graph';

/**
 * INTERIM (to be replaced by @ohmlab/linalg-cpu + @ohmlab/learners): dense solves of Kirchhoff's
 * law for small circuits. Nodes in `dirichlet` are held at `values`; `inject` gives currents into
 * free nodes. Edges with conductance 0 are absent. Throws when a free node has no path to a
 * Dirichlet node (singular system).
 */
export function solveDense(
  circuit: Circuit,
  k: Float64Array,
  dirichlet: readonly number[],
  values: readonly number[],
  inject?: ReadonlyMap<number, number>,
): Float64Array {
  const n = circuit.nodeCount;
  const held = new Int32Array(n).fill(-1);
  dirichlet.forEach((node, d) => (held[node] = d));
  // Nodes with no path (over k > 0) to a held node float: they carry no current; report them as 0 V.
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let j = 0; j < k.length; j++) {
    if ((k[j] as number) <= 0) continue;
    adj[circuit.edgeFrom[j] as number]?.push(circuit.edgeTo[j] as number);
    adj[circuit.edgeTo[j] as number]?.push(circuit.edgeFrom[j] as number);
  }
  const grounded = new Uint8Array(n);
  const stack = [...dirichlet];
  for (const d of dirichlet) grounded[d] = 1;
  while (stack.length > 0) for (const nb of adj[stack.pop() as number] ?? []) if (grounded[nb] === 0) (grounded[nb] = 1, stack.push(nb));
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (held[i] === -1 && grounded[i] === 1) free.push(i);
  const pos = new Int32Array(n).fill(-1);
  free.forEach((node, f) => (pos[node] = f));
  const m = free.length;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (const [node, current] of inject ?? []) {
    const f = pos[node] as number;
    if (f < 0) throw new Error(`current injected at node ${node}, which has no path to a held node`);
    b[f] = (b[f] as number) + current;
  }
  for (let j = 0; j < k.length; j++) {
    const kj = k[j] as number;
    if (kj === 0) continue;
    const u = circuit.edgeFrom[j] as number;
    const w = circuit.edgeTo[j] as number;
    for (const [p, q] of [[u, w], [w, u]] as const) {
      const fp = pos[p] as number;
      if (fp < 0) continue;
      a[fp * m + fp] = (a[fp * m + fp] as number) + kj;
      const fq = pos[q] as number;
      if (fq >= 0) a[fp * m + fq] = (a[fp * m + fq] as number) - kj;
      else b[fp] = (b[fp] as number) + kj * (values[held[q] as number] as number);
    }
  }
  // Gaussian elimination with partial pivoting (the free block is SPD when every node reaches an input).
  const scale = Math.max(1e-300, ...Array.from({ length: m }, (_, i) => Math.abs(a[i * m + i] as number)));
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c] as number) > Math.abs(a[p * m + c] as number)) p = r;
    if (Math.abs(a[p * m + c] as number) < 1e-13 * scale) {
      throw new Error(`singular circuit: node ${free[c]} has no path to a held node; remove it or connect it`);
    }
    if (p !== c) {
      for (let q = 0; q < m; q++) [a[c * m + q], a[p * m + q]] = [a[p * m + q] as number, a[c * m + q] as number];
      [b[c], b[p]] = [b[p] as number, b[c] as number];
    }
    const piv = a[c * m + c] as number;
    for (let r = c + 1; r < m; r++) {
      const f = (a[r * m + c] as number) / piv;
      if (f === 0) continue;
      for (let q = c; q < m; q++) a[r * m + q] = (a[r * m + q] as number) - f * (a[c * m + q] as number);
      b[r] = (b[r] as number) - f * (b[c] as number);
    }
  }
  const xf = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r] as number;
    for (let q = r + 1; q < m; q++) s -= (a[r * m + q] as number) * (xf[q] as number);
    xf[r] = s / (a[r * m + r] as number);
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (held[i] as number) >= 0 ? (values[held[i] as number] as number) : (pos[i] as number) >= 0 ? (xf[pos[i] as number] as number) : 0;
  }
  return x;
}

/** `(L x)_i` at node i (current the network draws out of... i.e. injected into i to hold it). */
export function nodeCurrent(circuit: Circuit, k: Float64Array, x: Float64Array, node: number): number {
  let s = 0;
  for (let j = 0; j < k.length; j++) {
    const u = circuit.edgeFrom[j] as number;
    const w = circuit.edgeTo[j] as number;
    if (u === node) s += (k[j] as number) * ((x[u] as number) - (x[w] as number));
    else if (w === node) s += (k[j] as number) * ((x[w] as number) - (x[u] as number));
  }
  return s;
}

/** Voltage drops `dv = A x`. */
export function drops(circuit: Circuit, x: Float64Array): Float64Array {
  const m = circuit.edgeFrom.length;
  const dv = new Float64Array(m);
  for (let j = 0; j < m; j++) dv[j] = (x[circuit.edgeFrom[j] as number] as number) - (x[circuit.edgeTo[j] as number] as number);
  return dv;
}
