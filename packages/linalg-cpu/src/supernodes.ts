import type { EliminationTree } from './elimination-tree.js';

/**
 * Supernodes of a Cholesky factor: ranges of consecutive columns (of the postordered matrix) that
 * share one row structure, stored as one dense `rows x width` panel each. Fundamental supernodes
 * (a chain with nested structures) are merged into their parent while the explicit zeros this
 * adds stay small (relaxed amalgamation), so the numeric work runs in dense kernels.
 */
export interface Supernodes {
  readonly count: number;
  /** Columns of supernode s: `first[s] .. first[s + 1] - 1` (length count + 1). */
  readonly first: Int32Array;
  /** Row structure of s: `rows[rowStart[s] .. rowStart[s + 1])`, ascending; begins with its own columns. */
  readonly rowStart: Float64Array;
  readonly rows: Int32Array;
  /** Supernode tree (-1 at roots); children precede parents. */
  readonly parent: Int32Array;
  /** Offset of s's panel (`rows x width`, row-major) in the factor values. */
  readonly valueStart: Float64Array;
  /** Largest front (row count of a supernode). */
  readonly maxFront: number;
  /** Doubles the multifrontal update-matrix stack needs at its peak. */
  readonly stackPeak: number;
  /** Operation count of the numeric factorization: the sum over panel columns of (entries in the column)^2. */
  readonly flops: number;
  /** Entries of all panels (the factor's storage, explicit zeros included). */
  readonly storedValues: number;
}

/**
 * Relaxed amalgamation: merge while the merged supernode has at most `cols` columns and at most
 * `zeros` fraction of explicit zeros. Tuned by measurement (README "Relaxed amalgamation"): the
 * numeric factorization and the solves of ER 1e3 and grids of 1e3 to 1e5 nodes are fastest
 * with merges that stay mostly dense; CHOLMOD-like settings (4/16/48 columns with 100%/80%/10%
 * zeros) stored 20-65% more values and ran 7-28% slower here.
 */
const RELAX: readonly (readonly [number, number])[] = [
  [2, 1],
  [4, 0.5],
  [16, 0.25],
  [64, 0.1],
  [Infinity, 0.03],
];

function trapezoid(width: number, rows: number): number {
  return width * rows - (width * (width - 1)) / 2;
}

/** Fundamental supernodes, then relaxed merges of a child ending right before its parent. */
function partition(tree: EliminationTree, counts: Int32Array): { first: number[]; rowsOf: number[] } {
  const n = counts.length;
  const { parent } = tree;
  const children = new Int32Array(n);
  for (let j = 0; j < n; j++) if (parent[j]! >= 0) children[parent[j]!]!++;
  const first: number[] = [];
  const width: number[] = [];
  const rowsOf: number[] = [];
  const zeros: number[] = [];
  for (let j = 0; j < n; j++) {
    const chain = j > 0 && parent[j - 1] === j && counts[j - 1] === counts[j]! + 1 && children[j] === 1;
    if (chain) {
      width[width.length - 1]!++;
      continue;
    }
    first.push(j);
    width.push(1);
    rowsOf.push(counts[j]!);
    zeros.push(0);
  }
  // relaxed amalgamation, bottom-up over the (postordered) list
  const f: number[] = [];
  const w: number[] = [];
  const m: number[] = [];
  const z: number[] = [];
  for (let s = 0; s < first.length; s++) {
    let fs = first[s]!;
    let ws = width[s]!;
    let ms = rowsOf[s]!;
    let zs = zeros[s]!;
    while (f.length > 0) {
      const k = f.length - 1;
      const lastK = f[k]! + w[k]! - 1;
      const pk = parent[lastK]!;
      if (lastK + 1 !== fs || pk < fs || pk >= fs + ws) break;
      const cols = w[k]! + ws;
      const rows = w[k]! + ms;
      const stored = trapezoid(cols, rows);
      const merged = z[k]! + zs + stored - trapezoid(w[k]!, m[k]!) - trapezoid(ws, ms);
      const rule = RELAX.find(([c]) => cols <= c)!;
      if (merged > rule[1] * stored) break;
      fs = f[k]!;
      ws = cols;
      ms = rows;
      zs = merged;
      f.pop();
      w.pop();
      m.pop();
      z.pop();
    }
    f.push(fs);
    w.push(ws);
    m.push(ms);
    z.push(zs);
  }
  f.push(n);
  return { first: f, rowsOf: m };
}

/** The supernodal tree: parent of each supernode (-1 at roots) and its children as linked lists. */
function supernodalTree(tree: EliminationTree, first: Int32Array, n: number): { parent: Int32Array; childHead: Int32Array; childNext: Int32Array } {
  const count = first.length - 1;
  const superOf = new Int32Array(n);
  for (let s = 0; s < count; s++) for (let j = first[s]!; j < first[s + 1]!; j++) superOf[j] = s;
  const parent = new Int32Array(count).fill(-1);
  const childHead = new Int32Array(count).fill(-1);
  const childNext = new Int32Array(count).fill(-1);
  for (let s = count - 1; s >= 0; s--) {
    const p = tree.parent[first[s + 1]! - 1]!;
    if (p < 0) continue;
    parent[s] = superOf[p]!;
    childNext[s] = childHead[parent[s]!]!;
    childHead[parent[s]!] = s;
  }
  return { parent, childHead, childNext };
}

/**
 * Supernodes of the factor described by `tree` (which must carry column counts): partition,
 * row structures (from the matrix pattern `(start, col)` and the children's structures), tree,
 * panel offsets, largest front, update-stack peak and flop count.
 */
export function supernodesOf(tree: EliminationTree, start: Int32Array, col: Int32Array): Supernodes {
  const counts = tree.counts;
  if (!counts) throw new Error('supernodesOf needs column counts');
  const n = counts.length;
  const { first: firstList, rowsOf } = partition(tree, counts);
  const count = firstList.length - 1;
  const first = Int32Array.from(firstList);
  const { parent, childHead, childNext } = supernodalTree(tree, first, n);
  const rowStart = new Float64Array(count + 1);
  for (let s = 0; s < count; s++) rowStart[s + 1] = rowStart[s]! + rowsOf[s]!;
  const rows = new Int32Array(rowStart[count]!);
  const mark = new Int32Array(n).fill(-1);
  const valueStart = new Float64Array(count + 1);
  let maxFront = 0;
  let flops = 0;
  let stack = 0;
  let stackPeak = 0;
  const below = new Int32Array(n);
  for (let s = 0; s < count; s++) {
    const f = first[s]!;
    const l = first[s + 1]! - 1;
    const w = l - f + 1;
    let nb = 0;
    const add = (i: number): void => {
      if (i > l && mark[i] !== s) {
        mark[i] = s;
        below[nb++] = i;
      }
    };
    for (let c = f; c <= l; c++) {
      const old = tree.perm[c]!;
      for (let p = start[old]!; p < start[old + 1]!; p++) add(tree.inverse[col[p]!]!);
    }
    for (let k = childHead[s]!; k >= 0; k = childNext[k]!) {
      for (let q = rowStart[k]!; q < rowStart[k + 1]!; q++) add(rows[q]!);
      const mk = rowStart[k + 1]! - rowStart[k]!;
      const wk = first[k + 1]! - first[k]!;
      stack -= (mk - wk) * (mk - wk);
    }
    const m = w + nb;
    if (m !== rowStart[s + 1]! - rowStart[s]!) throw new Error(`supernode ${s}: structure has ${m} rows, counts predicted ${rowStart[s + 1]! - rowStart[s]!}`);
    const at = rowStart[s]!;
    for (let c = 0; c < w; c++) rows[at + c] = f + c;
    const tail = below.subarray(0, nb).sort();
    rows.set(tail, at + w);
    valueStart[s + 1] = valueStart[s]! + m * w;
    if (m > maxFront) maxFront = m;
    for (let j = 0; j < w; j++) flops += (m - j) * (m - j);
    stack += (m - w) * (m - w);
    if (stack > stackPeak) stackPeak = stack;
  }
  return { count, first, rowStart, rows, parent, valueStart, maxFront, stackPeak, flops, storedValues: valueStart[count]! };
}
