import type { Supernodes } from './supernodes.js';

/**
 * Index maps and scratch memory of the numeric supernodal factorization, computed once per
 * symbolic analysis and matrix pattern and reused by every refactorization with new values (a
 * training loop): where each matrix entry lands in the factor, where each child's update rows
 * land in its parent, the update-matrix stack, and spare factor arrays returned by disposed
 * factorizations.
 */
export interface FactorWorkspace {
  /** The pattern the maps were built for (compared by identity: patterns are cached per wiring). */
  readonly start: Int32Array;
  readonly col: Int32Array;
  /** Matrix entries of supernode s: `asmStart[s] .. asmStart[s + 1]`; entry q adds `val[asmSource[q]]` at `panel[asmTarget[q]]`. */
  readonly asmStart: Int32Array;
  readonly asmSource: Int32Array;
  /** Offset inside the supernode's panel (`row * width + column`). */
  readonly asmTarget: Int32Array;
  /** Children of s (ascending): `childList[childStart[s] .. childStart[s + 1]]`. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  /** Update rows of supernode k (rows below its columns) as local row indices of its parent: `rel[relStart[k] ..]`. */
  readonly relStart: Int32Array;
  readonly rel: Int32Array;
  /** How many of k's update rows are columns of its parent (they come first: rows are ascending). */
  readonly panelRows: Int32Array;
  /** Update-matrix stack (children's blocks plus the parent's own block above them, at the peak). */
  readonly stack: Float64Array;
  /** Factor arrays of disposed factorizations, ready for reuse (at most `SPARE_FACTORS`). */
  readonly spare: Float64Array[];
  /** Solve scratch, grown on demand. */
  scratch: Float64Array;
}

/** Factor arrays kept for reuse per workspace (a training loop needs one; a few cover double buffering). */
export const SPARE_FACTORS = 2;
/**
 * Largest factor (stored doubles) whose arrays are kept as spares, and largest solve scratch kept
 * between solves: 8e6 doubles (64 MB). Beyond, allocating costs little next to the factorization
 * itself, and cached plans (`PLAN_CACHE_SIZE`) should not pin gigabytes.
 */
export const KEEP_MAX_DOUBLES = 8_000_000;

/** Scratch of at least `size` doubles for one solve: the workspace's own when small enough, else a temporary. */
export function solveScratch(ws: FactorWorkspace, size: number): Float64Array {
  if (ws.scratch.length >= size) return ws.scratch;
  const scratch = new Float64Array(size);
  if (size <= KEEP_MAX_DOUBLES) ws.scratch = scratch;
  return scratch;
}

/** Keeps a released factor array for the next factorization, unless enough are kept or it is large. */
export function keepSpare(ws: FactorWorkspace, values: Float64Array): void {
  if (ws.spare.length < SPARE_FACTORS && values.length <= KEEP_MAX_DOUBLES) ws.spare.push(values);
}

const workspaces = new WeakMap<Supernodes, FactorWorkspace>();

/**
 * The workspace of `sn` for the matrix pattern `(start, col)` factored under `perm`/`inverse`:
 * cached per supernode partition, rebuilt when the pattern arrays differ (a pattern built anew).
 */
export function factorWorkspace(sn: Supernodes, start: Int32Array, col: Int32Array, perm: Int32Array, inverse: Int32Array): FactorWorkspace {
  const cached = workspaces.get(sn);
  if (cached && cached.start === start && cached.col === col) return cached;
  const ws = buildWorkspace(sn, start, col, perm, inverse);
  workspaces.set(sn, ws);
  return ws;
}

function childrenOf(sn: Supernodes): { childStart: Int32Array; childList: Int32Array } {
  const childStart = new Int32Array(sn.count + 1);
  for (let s = 0; s < sn.count; s++) if (sn.parent[s]! >= 0) childStart[sn.parent[s]! + 1]!++;
  for (let s = 0; s < sn.count; s++) childStart[s + 1]! += childStart[s]!;
  const fill = childStart.slice(0, sn.count);
  const childList = new Int32Array(childStart[sn.count]!);
  for (let s = 0; s < sn.count; s++) if (sn.parent[s]! >= 0) childList[fill[sn.parent[s]!]!++] = s;
  return { childStart, childList };
}

function buildWorkspace(sn: Supernodes, start: Int32Array, col: Int32Array, perm: Int32Array, inverse: Int32Array): FactorWorkspace {
  const n = perm.length;
  const { childStart, childList } = childrenOf(sn);
  const position = new Int32Array(n); // local row index in the supernode being mapped
  const asmStart = new Int32Array(sn.count + 1);
  const relStart = new Int32Array(sn.count + 1);
  for (let s = 0; s < sn.count; s++) {
    let entries = 0;
    for (let c = sn.first[s]!; c < sn.first[s + 1]!; c++) {
      const old = perm[c]!;
      for (let p = start[old]!; p < start[old + 1]!; p++) if (inverse[col[p]!]! >= c) entries++;
    }
    asmStart[s + 1] = asmStart[s]! + entries;
    const u = sn.rowStart[s + 1]! - sn.rowStart[s]! - (sn.first[s + 1]! - sn.first[s]!);
    relStart[s + 1] = relStart[s]! + u;
  }
  const asmSource = new Int32Array(asmStart[sn.count]!);
  const asmTarget = new Int32Array(asmStart[sn.count]!);
  const rel = new Int32Array(relStart[sn.count]!);
  const panelRows = new Int32Array(sn.count);
  for (let s = 0; s < sn.count; s++) {
    const r0 = sn.rowStart[s]!;
    const m = sn.rowStart[s + 1]! - r0;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    for (let i = 0; i < m; i++) position[sn.rows[r0 + i]!] = i;
    let q = asmStart[s]!;
    for (let c = f; c < f + w; c++) {
      const old = perm[c]!;
      for (let p = start[old]!; p < start[old + 1]!; p++) {
        const i = inverse[col[p]!]!;
        if (i < c) continue;
        asmSource[q] = p;
        asmTarget[q++] = position[i]! * w + (c - f);
      }
    }
    for (let t = childStart[s]!; t < childStart[s + 1]!; t++) {
      const k = childList[t]!;
      const wk = sn.first[k + 1]! - sn.first[k]!;
      const from = sn.rowStart[k]! + wk;
      const uk = sn.rowStart[k + 1]! - from;
      let inPanel = 0;
      for (let a = 0; a < uk; a++) {
        const local = position[sn.rows[from + a]!]!;
        rel[relStart[k]! + a] = local;
        if (local < w) inPanel++;
      }
      panelRows[k] = inPanel;
    }
  }
  const stack = new Float64Array(stackPeakOf(sn, childStart, childList));
  return { start, col, asmStart, asmSource, asmTarget, childStart, childList, relStart, rel, panelRows, stack, spare: [], scratch: new Float64Array(0) };
}

/** Doubles the stack needs: at supernode s, its children's blocks plus its own block above them. */
function stackPeakOf(sn: Supernodes, childStart: Int32Array, childList: Int32Array): number {
  let top = 0;
  let peak = 0;
  for (let s = 0; s < sn.count; s++) {
    const u = sn.rowStart[s + 1]! - sn.rowStart[s]! - (sn.first[s + 1]! - sn.first[s]!);
    peak = Math.max(peak, top + u * u);
    for (let t = childStart[s]!; t < childStart[s + 1]!; t++) {
      const k = childList[t]!;
      const uk = sn.rowStart[k + 1]! - sn.rowStart[k]! - (sn.first[k + 1]! - sn.first[k]!);
      top -= uk * uk;
    }
    top += u * u;
  }
  return peak;
}
