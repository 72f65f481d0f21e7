/**
 * Fill-reducing ordering by nested dissection with BFS level-set separators: a part is split by the
 * middle level of a BFS from a pseudo-peripheral node; both halves are ordered first (recursively),
 * the separator last. Small parts (< `leafSize`) keep BFS order. Works well on graphs with small
 * separators (grids, lattices, planar meshes); expanders get huge separators (the auto choice then
 * prefers PCG). Returns `perm` (new -> old) for the symmetric CSR pattern given.
 */
export function nestedDissection(n: number, start: Int32Array | Uint32Array, col: Int32Array | Uint32Array, leafSize = 64): Int32Array {
  const st: Dissection = { start, col, leafSize, perm: new Int32Array(n), next: 0, label: new Int32Array(n), level: new Int32Array(n), queue: new Int32Array(n), labels: 1 };
  // Each connected component is a part with its own id (label 0: not yet assigned).
  const components: { root: number; id: number }[] = [];
  for (let v = 0; v < n; v++) {
    if (st.label[v] !== 0) continue;
    const id = st.labels++;
    relabelPiece(st, v, 0, id);
    components.push({ root: v, id });
  }
  for (const { root, id } of components) dissect(st, root, id);
  return st.perm;
}

/** The working state of one ordering: `label` is the part id of each unordered node, -1 once ordered. */
interface Dissection {
  readonly start: Int32Array | Uint32Array;
  readonly col: Int32Array | Uint32Array;
  readonly leafSize: number;
  readonly perm: Int32Array;
  next: number;
  readonly label: Int32Array;
  readonly level: Int32Array;
  readonly queue: Int32Array;
  labels: number;
}

/** Gives label `to` to the connected piece of nodes labelled `from` that contains `v`. */
function relabelPiece(st: Dissection, v: number, from: number, to: number): void {
  const { start, col, label, queue } = st;
  let tail = 0;
  queue[tail++] = v;
  label[v] = to;
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    for (let p = start[u]!; p < start[u + 1]!; p++) {
      const w = col[p]!;
      if (label[w] === from) {
        label[w] = to;
        queue[tail++] = w;
      }
    }
  }
}

/** BFS inside part `id` from `root`; fills queue[0..size) and level[]. Returns size and depth. */
function bfs(st: Dissection, root: number, id: number): { size: number; depth: number } {
  const { start, col, label, level, queue } = st;
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
}

/** BFS from `root`, then up to two sweeps towards a pseudo-peripheral node; queue and level hold the last sweep. */
function peripheralBfs(st: Dissection, root: number, id: number): { size: number; depth: number } {
  let res = bfs(st, root, id);
  for (let sweep = 0; sweep < 2; sweep++) {
    const again = bfs(st, st.queue[res.size - 1]!, id);
    const improved = again.depth > res.depth;
    res = again;
    if (!improved) break;
  }
  return res;
}

/** The level where the running count of the BFS levels passes half the part (kept inside 1..depth-1). */
function middleLevel(st: Dissection, size: number, depth: number): { mid: number; count: number } {
  const counts = new Int32Array(depth + 1);
  for (let h = 0; h < size; h++) counts[st.level[st.queue[h]!]!]!++;
  let acc = 0;
  for (let l = 0; l <= depth; l++) {
    acc += counts[l]!;
    if (acc >= size / 2) {
      const mid = Math.min(Math.max(l, 1), depth - 1);
      return { mid, count: counts[mid]! };
    }
  }
  return { mid: 1, count: counts[1]! };
}

/** Orders part `id` (reached from `root`): a leaf in BFS order, else both halves recursively, then the separator. */
function dissect(st: Dissection, root: number, id: number): void {
  const { size, depth } = peripheralBfs(st, root, id);
  const { label, level, queue, perm } = st;
  if (size <= st.leafSize || depth < 2) {
    for (let h = 0; h < size; h++) {
      perm[st.next++] = queue[h]!;
      label[queue[h]!] = -1;
    }
    return;
  }
  const { mid, count } = middleLevel(st, size, depth);
  const separator = new Int32Array(count);
  let s = 0;
  const members = queue.slice(0, size);
  const low = st.labels++;
  const high = st.labels++;
  for (const v of members) {
    const l = level[v]!;
    if (l === mid) {
      separator[s++] = v;
      label[v] = -1;
    } else label[v] = l < mid ? low : high;
  }
  // Recurse on every connected piece of both halves, then emit the separator.
  for (const part of [low, high]) {
    for (const v of members) {
      if (label[v] !== part) continue;
      const piece = st.labels++;
      relabelPiece(st, v, part, piece);
      dissect(st, v, piece);
    }
  }
  for (const v of separator) perm[st.next++] = v;
}
