/**
 * Symbolic Cholesky on a symmetric pattern (CSR, full storage) under a fill-reducing order:
 * the elimination tree, a postorder of it (same fill, contiguous subtrees: supernodes become
 * column ranges) and the exact column counts of the factor, by row subtrees (each row k of L is
 * the set of tree nodes reached walking up from the entries of row k of the matrix).
 */
export interface EliminationTree {
  /** `perm[new] = old`, postordered. */
  readonly perm: Int32Array;
  /** `inverse[old] = new`. */
  readonly inverse: Int32Array;
  /** Elimination tree over new indices (-1 at roots). */
  readonly parent: Int32Array;
  /** Nonzeros of each column of L (diagonal included); null when over the budget. */
  readonly counts: Int32Array | null;
  /** Nonzeros of L (a lower bound when over the budget). */
  readonly nnz: number;
}

function inversePermutation(perm: Int32Array): Int32Array {
  const inverse = new Int32Array(perm.length);
  for (let k = 0; k < perm.length; k++) inverse[perm[k]!] = k;
  return inverse;
}

/** Elimination tree of P A P^T (Liu's algorithm with path compression). */
function eliminationTree(n: number, start: Int32Array, col: Int32Array, perm: Int32Array, inverse: Int32Array): Int32Array {
  const parent = new Int32Array(n).fill(-1);
  const ancestor = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    const old = perm[k]!;
    for (let p = start[old]!; p < start[old + 1]!; p++) {
      let i = inverse[col[p]!]!;
      while (i !== -1 && i < k) {
        const next = ancestor[i]!;
        ancestor[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    }
  }
  return parent;
}

/** A postorder of the forest `parent` (children visited in increasing order): `post[k]` = node. */
function postorder(parent: Int32Array): Int32Array {
  const n = parent.length;
  const head = new Int32Array(n).fill(-1);
  const next = new Int32Array(n).fill(-1);
  for (let j = n - 1; j >= 0; j--) {
    const p = parent[j]!;
    if (p === -1) continue;
    next[j] = head[p]!;
    head[p] = j;
  }
  const post = new Int32Array(n);
  const stack = new Int32Array(n);
  let k = 0;
  for (let root = 0; root < n; root++) {
    if (parent[root] !== -1) continue;
    let top = 0;
    stack[0] = root;
    while (top >= 0) {
      const v = stack[top]!;
      const child = head[v]!;
      if (child === -1) {
        post[k++] = v;
        top--;
      } else {
        head[v] = next[child]!;
        stack[++top] = child;
      }
    }
  }
  return post;
}

/** Column counts of L by row subtrees; stops (null) once more than `budget` nonzeros. */
function columnCounts(n: number, start: Int32Array, col: Int32Array, perm: Int32Array, inverse: Int32Array, parent: Int32Array, budget: number): { counts: Int32Array | null; nnz: number } {
  const counts = new Int32Array(n).fill(1);
  const mark = new Int32Array(n).fill(-1);
  let nnz = n;
  for (let k = 0; k < n; k++) {
    mark[k] = k;
    const old = perm[k]!;
    for (let p = start[old]!; p < start[old + 1]!; p++) {
      let i = inverse[col[p]!]!;
      if (i >= k) continue;
      while (i !== -1 && mark[i] !== k) {
        mark[i] = k;
        counts[i]!++;
        nnz++;
        i = parent[i]!;
      }
    }
    if (nnz > budget) return { counts: null, nnz };
  }
  return { counts, nnz };
}

/**
 * Elimination tree, postorder and column counts of the Cholesky factor of `P A P^T`, where
 * `order[new] = old` is a fill-reducing order of the pattern `(start, col)`; the returned `perm`
 * is `order` composed with a postorder of the tree (same fill).
 */
export function eliminationTreeOf(n: number, start: Int32Array, col: Int32Array, order: Int32Array, budget = Infinity): EliminationTree {
  const parent0 = eliminationTree(n, start, col, order, inversePermutation(order));
  const post = postorder(parent0);
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = order[post[k]!]!;
  const inverse = inversePermutation(perm);
  const newOf = inversePermutation(post);
  const parent = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const p = parent0[post[k]!]!;
    parent[k] = p === -1 ? -1 : newOf[p]!;
  }
  const { counts, nnz } = columnCounts(n, start, col, perm, inverse, parent, budget);
  return { perm, inverse, parent, counts, nnz };
}
