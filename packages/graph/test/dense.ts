import type { Circuit } from '../src/circuit.js';

/** The Laplacian as a dense n x n array of rows, straight from the edge list: L = sum_j k_j (e_u - e_w)(e_u - e_w)^T. */
export function denseLaplacian(c: Pick<Circuit, 'nodeCount' | 'edgeFrom' | 'edgeTo'>, k: ArrayLike<number>): number[][] {
  const n = c.nodeCount;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < c.edgeFrom.length; j++) {
    const u = c.edgeFrom[j]!;
    const w = c.edgeTo[j]!;
    l[u]![u]! += k[j]!;
    l[w]![w]! += k[j]!;
    l[u]![w]! -= k[j]!;
    l[w]![u]! -= k[j]!;
  }
  return l;
}

/** Solves a small dense system by Gaussian elimination with partial pivoting. */
export function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/** Free-state voltages of a small circuit: inputs held at `inputValues`, KCL (L x)_i = 0 elsewhere. */
export function freeVoltages(c: Circuit): number[] {
  const n = c.nodeCount;
  const l = denseLaplacian(c, c.conductances);
  const held = new Map<number, number>();
  c.inputNodes.forEach((v, i) => held.set(v, c.inputValues[i]!));
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => !held.has(i));
  const a = free.map((i) => free.map((j) => l[i]![j]!));
  const b = free.map((i) => -[...held].reduce((s, [d, v]) => s + l[i]![d]! * v, 0));
  const xf = gaussSolve(a, b);
  const x = new Array<number>(n).fill(0);
  held.forEach((v, d) => (x[d] = v));
  free.forEach((i, k) => (x[i] = xf[k]!));
  return x;
}
