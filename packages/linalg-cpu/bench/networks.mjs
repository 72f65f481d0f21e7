// Seeded test and benchmark networks for @ohmlab/linalg-cpu (plain JS so `node bench/*.mjs` runs
// without a build step; types in networks.d.mts). Independent of @ohmlab/graph on purpose: the
// solver's tests must not depend on another package's build state.

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Erdos-Renyi G(n, m) with m = round(n * meanDegree / 2) distinct random edges, kept connected:
 * every component other than the first node's is joined to it by one extra edge.
 */
export function erdosRenyiNetwork(nodeCount, meanDegree, seed) {
  const random = mulberry32(seed);
  const n = nodeCount;
  const target = Math.round((n * meanDegree) / 2);
  const seen = new Set();
  const from = [];
  const to = [];
  while (from.length < target) {
    const u = Math.floor(random() * n);
    const w = Math.floor(random() * n);
    if (u === w) continue;
    const key = Math.min(u, w) * n + Math.max(u, w);
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(u);
    to.push(w);
  }
  // union-find to join the components
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i) => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let j = 0; j < from.length; j++) parent[find(from[j])] = find(to[j]);
  for (let i = 1; i < n; i++) {
    const r = find(i);
    if (r !== find(0)) {
      from.push(i);
      to.push(Math.floor(random() * i)); // some node already joined (all nodes < i are)
      parent[r] = find(0);
    }
  }
  return { nodeCount: n, edgeFrom: Uint32Array.from(from), edgeTo: Uint32Array.from(to) };
}

/** rows x cols grid, node r * cols + c, edges to the right and downwards. */
export function gridNetwork(rows, cols) {
  const m = rows * (cols - 1) + (rows - 1) * cols;
  const edgeFrom = new Uint32Array(m);
  const edgeTo = new Uint32Array(m);
  let j = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = r * cols + c;
      if (c + 1 < cols) {
        edgeFrom[j] = v;
        edgeTo[j++] = v + 1;
      }
      if (r + 1 < rows) {
        edgeFrom[j] = v;
        edgeTo[j++] = v + cols;
      }
    }
  }
  return { nodeCount: rows * cols, edgeFrom, edgeTo };
}

/** Conductances uniform in [lo, hi), seeded. */
export function randomConductances(edgeCount, seed, lo = 0.5, hi = 2) {
  const random = mulberry32(seed);
  const k = new Float64Array(edgeCount);
  for (let j = 0; j < edgeCount; j++) k[j] = lo + (hi - lo) * random();
  return k;
}

/** `count` distinct random nodes of 0..n-1, seeded. */
export function distinctNodes(n, count, seed) {
  const random = mulberry32(seed);
  const chosen = new Set();
  while (chosen.size < count) chosen.add(Math.floor(random() * n));
  return Uint32Array.from(chosen);
}

/** `length` values uniform in [lo, hi), seeded. */
export function randomValues(length, seed, lo = -1, hi = 1) {
  const random = mulberry32(seed);
  const v = new Float64Array(length);
  for (let i = 0; i < length; i++) v[i] = lo + (hi - lo) * random();
  return v;
}
