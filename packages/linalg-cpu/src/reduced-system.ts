import type { FactorRequest } from './solver.js';
import { SolverError } from './errors.js';
import { systemPattern, type SystemPattern } from './system-pattern.js';

/**
 * The system restricted to the free (non-Dirichlet) nodes: `L_FF x_F = b_F - L_FD x_D`: the
 * wiring's {@link SystemPattern} fields (full Laplacian CSR with rows = nodes and the diagonal
 * first, `free[k]` the node of free index k, `freeIndex[node]` its free index or -1 for Dirichlet
 * nodes, the free block `L_FF` over free indices, the coupling block `L_FD` with columns =
 * positions in `dirichletNodes`) plus their values for one conductance vector.
 */
export interface ReducedSystem
  extends Pick<SystemPattern, 'nodeCount' | 'dirichletNodes' | 'free' | 'freeIndex' | 'rowStart' | 'colIndex' | 'ffStart' | 'ffCol' | 'fdStart' | 'fdCol'> {
  /** Full Laplacian values (on `rowStart`, `colIndex`). */
  readonly values: Float64Array;
  /** `L_FF` values (on `ffStart`, `ffCol`). */
  readonly ffVal: Float64Array;
  /** `L_FD` values (on `fdStart`, `fdCol`). */
  readonly fdVal: Float64Array;
}

/** The numeric checks of a request whose structure matched a validated pattern: conductance count and values. */
function checkConductances(request: FactorRequest): void {
  const { network, conductances } = request;
  const m = network.edgeFrom.length;
  if (conductances.length !== m) throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  const j = firstBadConductance(conductances);
  if (j >= 0) throw new SolverError(`conductance of edge ${j} must be finite and > 0, got ${conductances[j]}`);
}

/** The first conductance that is not finite and > 0, or -1 (a loop-only function: see batch.ts). */
function firstBadConductance(conductances: Float64Array): number {
  for (let j = 0; j < conductances.length; j++) {
    const k = conductances[j]!;
    if (!(Number.isFinite(k) && k > 0)) return j;
  }
  return -1;
}

/** `out[q] = values[source[q]]` (a loop-only function: see batch.ts on why the caller allocates). */
function gather(values: Float64Array, source: Int32Array, out: Float64Array): Float64Array {
  for (let q = 0; q < source.length; q++) out[q] = values[source[q]!]!;
  return out;
}

/** The Laplacian's values on the pattern: each edge's conductance scattered to its four entries of `values` (zeroed). */
function laplacianValues(rowStart: Int32Array, edgeForward: Int32Array, edgeBackward: Int32Array, from: Uint32Array, to: Uint32Array, conductances: Float64Array, values: Float64Array): Float64Array {
  for (let j = 0; j < conductances.length; j++) {
    const k = conductances[j]!;
    values[rowStart[from[j]!]!]! += k;
    values[rowStart[to[j]!]!]! += k;
    values[edgeForward[j]!]! -= k;
    values[edgeBackward[j]!]! -= k;
  }
  return values;
}

/** The first node whose diagonal (conductance sum) is not finite, or -1. */
function firstNonFiniteDiagonal(n: number, rowStart: Int32Array, values: Float64Array): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[rowStart[i]!]!)) return i;
  return -1;
}

/**
 * Builds the Laplacian and its free and coupling blocks for the request's conductances. With
 * `pattern` (the cached structure of this very wiring, `plan-cache.ts`), only the conductances are
 * checked and scattered (O(edges)); without it the pattern is built and the whole request
 * validated. Throws `SolverError` on an invalid request.
 */
export function reduceSystem(request: FactorRequest, pattern?: SystemPattern): ReducedSystem {
  const pat = pattern ?? systemPattern(request);
  if (pattern) checkConductances(request);
  const { rowStart, colIndex, nodeCount: n } = pat;
  const { network, conductances } = request;
  const values = laplacianValues(rowStart, pat.edgeForward, pat.edgeBackward, network.edgeFrom, network.edgeTo, conductances, new Float64Array(colIndex.length));
  const bad = firstNonFiniteDiagonal(n, rowStart, values);
  if (bad >= 0) {
    throw new SolverError(`the conductances at node ${bad} sum to ${values[rowStart[bad]!]}, beyond float64 range; rescale the conductances (e.g. to siemens around 1)`);
  }
  return {
    nodeCount: n,
    dirichletNodes: request.dirichletNodes,
    free: pat.free,
    freeIndex: pat.freeIndex,
    rowStart,
    colIndex,
    values,
    ffStart: pat.ffStart,
    ffCol: pat.ffCol,
    ffVal: gather(values, pat.ffSource, new Float64Array(pat.ffSource.length)),
    fdStart: pat.fdStart,
    fdCol: pat.fdCol,
    fdVal: gather(values, pat.fdSource, new Float64Array(pat.fdSource.length)),
  };
}
