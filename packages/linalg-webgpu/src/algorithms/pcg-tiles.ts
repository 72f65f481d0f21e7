/** Rows per tile: one workgroup of the PCG kernels owns a tile, one thread per row. */
export const TILE_ROWS = 256;

/**
 * A row ordering of `L_FF` for the tiled PCG kernels: `order[a]` is the original free index of row
 * `a`, `position` the inverse, and tile `t` holds rows `tileStart[t] .. tileStart[t + 1] - 1`.
 */
export interface TileOrdering {
  readonly order: Uint32Array;
  readonly position: Uint32Array;
  readonly tileStart: Uint32Array;
}

/** Tiles of consecutive rows in the given order (enough for Jacobi, which ignores tiles). */
export function contiguousTiles(nf: number, size = TILE_ROWS): TileOrdering {
  const order = Uint32Array.from({ length: nf }, (_, i) => i);
  const tiles = Math.max(1, Math.ceil(nf / size));
  const tileStart = Uint32Array.from({ length: tiles + 1 }, (_, t) => Math.min(nf, t * size));
  return { order, position: order.slice(), tileStart };
}

/**
 * Compact tiles for block preconditioning: greedy graph growing. From the lowest unassigned row,
 * a breadth-first search over unassigned neighbours collects up to `size` rows into one tile (on a
 * grid, diamond-shaped patches whose inner couplings the tile solve captures).
 */
export function growTiles(start: Uint32Array, col: Uint32Array, size = TILE_ROWS): TileOrdering {
  const nf = start.length - 1;
  const order = new Uint32Array(nf);
  const position = new Uint32Array(nf);
  const taken = new Uint8Array(nf);
  const queue = new Uint32Array(nf);
  const starts: number[] = [0];
  let placed = 0;
  for (let seed = 0; seed < nf; seed++) {
    if (taken[seed]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    taken[seed] = 1;
    const first = placed;
    while (head < tail && placed - first < size) {
      const i = queue[head++]!;
      position[i] = placed;
      order[placed++] = i;
      for (let e = start[i]!; e < start[i + 1]! && tail - head + placed - first < size; e++) {
        const c = col[e]!;
        if (!taken[c]) {
          taken[c] = 1;
          queue[tail++] = c;
        }
      }
    }
    for (let k = head; k < tail; k++) taken[queue[k]!] = 0;
    starts.push(placed);
  }
  return { order, position, tileStart: Uint32Array.from(starts) };
}

/** `L_FF` rows and columns renumbered by `tiles` (CSR, values per system stay in entry order). */
export function permuteCsr(start: Uint32Array, col: Uint32Array, tiles: TileOrdering): { start: Uint32Array; col: Uint32Array; entry: Uint32Array } {
  const nf = start.length - 1;
  const outStart = new Uint32Array(nf + 1);
  for (let a = 0; a < nf; a++) {
    const i = tiles.order[a]!;
    outStart[a + 1] = outStart[a]! + (start[i + 1]! - start[i]!);
  }
  const outCol = new Uint32Array(col.length);
  const entry = new Uint32Array(col.length);
  for (let a = 0; a < nf; a++) {
    const i = tiles.order[a]!;
    let w = outStart[a]!;
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      outCol[w] = tiles.position[col[e]!]!;
      entry[w++] = e;
    }
  }
  return { start: outStart, col: outCol, entry };
}

/** Fraction of the off-diagonal entries whose row and column share a tile (1 = block diagonal). */
export function tileLocality(start: Uint32Array, col: Uint32Array, tiles: TileOrdering): number {
  const nf = start.length - 1;
  const tileOf = new Uint32Array(nf);
  for (let t = 0; t + 1 < tiles.tileStart.length; t++) {
    for (let a = tiles.tileStart[t]!; a < tiles.tileStart[t + 1]!; a++) tileOf[tiles.order[a]!] = t;
  }
  let inside = 0;
  let total = 0;
  for (let i = 0; i < nf; i++) {
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      const c = col[e]!;
      if (c === i) continue;
      total++;
      if (tileOf[c] === tileOf[i]) inside++;
    }
  }
  return total > 0 ? inside / total : 1;
}
