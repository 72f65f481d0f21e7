/**
 * A quick look at how a graph splits: breadth-first level sets from a pseudo-peripheral node (two
 * sweeps) and the size of the level that halves the largest component. Meshes (grids, lattices)
 * have many thin levels (a separator of ~sqrt(n) nodes); expanders such as random graphs have a
 * few fat ones (a separator of a constant fraction of n). Any Cholesky ordering ends with the last
 * separator as a dense block, so `(size / 2)^2 / 2` is a conservative guess of the factor's
 * nonzeros, used to skip the symbolic analysis on graphs whose factor would clearly not fit.
 */
export interface SeparatorEstimate {
  /** Nodes in the middle BFS level of the largest component. */
  readonly size: number;
  /** Number of BFS levels (the eccentricity of the pseudo-peripheral node). */
  readonly depth: number;
  /** Nodes of the component examined. */
  readonly component: number;
}

function sweep(n: number, start: Int32Array, col: Int32Array, root: number, level: Int32Array, queue: Int32Array): number {
  level.fill(-1);
  let tail = 0;
  queue[tail++] = root;
  level[root] = 0;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let p = start[v]!; p < start[v + 1]!; p++) {
      const w = col[p]!;
      if (level[w] === -1) {
        level[w] = level[v]! + 1;
        queue[tail++] = w;
      }
    }
  }
  return tail;
}

/** The middle-level size of a BFS from a pseudo-peripheral node of the component of node `root`. */
export function separatorEstimate(n: number, start: Int32Array, col: Int32Array, root = 0): SeparatorEstimate {
  if (n === 0) return { size: 0, depth: 0, component: 0 };
  const level = new Int32Array(n);
  const queue = new Int32Array(n);
  let size = sweep(n, start, col, root, level, queue);
  size = sweep(n, start, col, queue[size - 1]!, level, queue);
  const depth = level[queue[size - 1]!]! + 1;
  const counts = new Int32Array(depth);
  for (let h = 0; h < size; h++) counts[level[queue[h]!]!]!++;
  let acc = 0;
  for (let l = 0; l < depth; l++) {
    acc += counts[l]!;
    if (acc >= size / 2) return { size: counts[l]!, depth, component: size };
  }
  return { size: 0, depth, component: size };
}

/** A conservative (low) guess of the factor's nonzeros from the separator estimate: `(s/2)^2 / 2`. */
export function fillLowerGuess(estimate: SeparatorEstimate): number {
  const s = estimate.size / 2;
  return (s * s) / 2;
}
