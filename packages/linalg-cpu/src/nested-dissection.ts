/**
 * Fill-reducing ordering by nested dissection with BFS level-set separators: a part is split by the
 * middle level of a BFS from a pseudo-peripheral node; both halves are ordered first (recursively),
 * the separator last. Small parts (< `leafSize`) keep BFS order. Works well on graphs with small
 * separators (grids, lattices, planar meshes); expanders get huge separators (the auto choice then
 * prefers PCG). Returns `perm` (new -> old) for the symmetric CSR pattern given.
 */
export function nestedDissection(n: number, start: Int32Array | Uint32Array, col: Int32Array | Uint32Array, leafSize = 64): Int32Array {
  const perm = new Int32Array(n);
  let next = 0;
  const label = new Int32Array(n); // part id of each unordered node; -1 once ordered
  const level = new Int32Array(n);
  const queue = new Int32Array(n);
  let labels = 1;

  /** BFS inside part `id` from `root`; fills queue[0..size) and level[]. Returns size and depth. */
  const bfs = (root: number, id: number): { size: number; depth: number } => {
    let tail = 0;
    queue[tail++] = root;
    level[root] = 0;
    const stamp = -2 - id; // temporary mark: visited in this sweep
    label[root] = stamp;
    let depth = 0;
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      depth = level[v]!;
      for (let p = start[v]!; p < start[v + 1]!; p++) {
        const w = col[p]!;
        if (label[w] === id) {
          label[w] = stamp;
          level[w] = level[v]! + 1;
          queue[tail++] = w;
        }
      }
    }
    for (let h = 0; h < tail; h++) label[queue[h]!] = id;
    return { size: tail, depth };
  };

  const stack: number[] = [];
  const roots: number[] = [];
  for (let v = 0; v < n; v++) label[v] = 0;
  // Each connected component is a part with its own id.
  for (let v = 0; v < n; v++) {
    if (label[v] !== 0) continue;
    const id = labels++;
    label[v] = id;
    // spread id through the component
    let tail = 0;
    queue[tail++] = v;
    for (let head = 0; head < tail; head++) {
      const u = queue[head]!;
      for (let p = start[u]!; p < start[u + 1]!; p++) {
        const w = col[p]!;
        if (label[w] === 0) {
          label[w] = id;
          queue[tail++] = w;
        }
      }
    }
    stack.push(id);
    roots.push(v);
  }

  const separatorsToEmit: Int32Array[] = [];
  const dissect = (root: number, id: number): void => {
    let res = bfs(root, id);
    // up to two more sweeps towards a pseudo-peripheral node; queue and level hold the last sweep
    for (let sweep = 0; sweep < 2; sweep++) {
      const again = bfs(queue[res.size - 1]!, id);
      const improved = again.depth > res.depth;
      res = again;
      if (!improved) break;
    }
    const { size, depth } = res;
    if (size <= leafSize || depth < 2) {
      for (let h = 0; h < size; h++) {
        perm[next++] = queue[h]!;
        label[queue[h]!] = -1;
      }
      return;
    }
    // separator: the level where the running count passes half
    const counts = new Int32Array(depth + 1);
    for (let h = 0; h < size; h++) counts[level[queue[h]!]!]!++;
    let acc = 0;
    let mid = 1;
    for (let l = 0; l <= depth; l++) {
      acc += counts[l]!;
      if (acc >= size / 2) {
        mid = Math.min(Math.max(l, 1), depth - 1);
        break;
      }
    }
    const sep = new Int32Array(counts[mid]!);
    let s = 0;
    const members = queue.slice(0, size);
    const low = labels++;
    const high = labels++;
    for (const v of members) {
      const l = level[v]!;
      if (l === mid) {
        sep[s++] = v;
        label[v] = -1;
      } else label[v] = l < mid ? low : high;
    }
    separatorsToEmit.push(sep);
    const sepIndex = separatorsToEmit.length - 1;
    // Recurse on every connected piece of both halves, then emit the separator.
    for (const part of [low, high]) {
      for (const v of members) {
        if (label[v] !== part) continue;
        const piece = labels++;
        // relabel the connected piece containing v
        let tail = 0;
        queue[tail++] = v;
        label[v] = piece;
        for (let head = 0; head < tail; head++) {
          const u = queue[head]!;
          for (let p = start[u]!; p < start[u + 1]!; p++) {
            const w = col[p]!;
            if (label[w] === part) {
              label[w] = piece;
              queue[tail++] = w;
            }
          }
        }
        dissect(v, piece);
      }
    }
    for (const v of separatorsToEmit[sepIndex]!) perm[next++] = v;
  };
  for (let c = 0; c < stack.length; c++) dissect(roots[c]!, stack[c]!);
  return perm;
}
