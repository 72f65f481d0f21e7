import { SolverError } from './errors.js';
import type { Network } from './solver.js';

/**
 * Checks a request: node count, edge arrays, endpoints (in range, no self-loop), Dirichlet set (in
 * range, distinct) and conductances (finite, > 0). `conductances` may hold several vectors of `m`
 * (`systems x m`, a batch request); a single request checks its length itself. Throws
 * `SolverError` naming the culprit.
 */
export function validateRequest(network: Network, conductances: Float64Array, dirichletNodes: Uint32Array): void {
  const n = network.nodeCount;
  const m = network.edgeFrom.length;
  if (!Number.isInteger(n) || n < 1) throw new SolverError(`nodeCount must be a positive integer, got ${n}`);
  if (network.edgeTo.length !== m) throw new SolverError(`edgeFrom has ${m} entries but edgeTo has ${network.edgeTo.length}`);
  if (conductances.length % Math.max(m, 1) !== 0 || (m === 0 && conductances.length !== 0)) {
    throw new SolverError(`conductances has ${conductances.length} entries but the network has ${m} edges`);
  }
  for (let j = 0; j < conductances.length; j++) {
    const k = conductances[j]!;
    if (!(Number.isFinite(k) && k > 0)) throw new SolverError(`conductance of edge ${j % m} must be finite and > 0, got ${k}`);
  }
  for (let j = 0; j < m; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    if (u >= n || w >= n) throw new SolverError(`edge ${j} has endpoint ${Math.max(u, w)} out of range 0..${n - 1}`);
    if (u === w) throw new SolverError(`edge ${j} is a self-loop at node ${u}`);
  }
  const seen = new Uint8Array(n);
  for (let d = 0; d < dirichletNodes.length; d++) {
    const v = dirichletNodes[d]!;
    if (v >= n) throw new SolverError(`Dirichlet node ${v} (position ${d}) is out of range 0..${n - 1}`);
    if (seen[v]) throw new SolverError(`Dirichlet node ${v} is listed twice`);
    seen[v] = 1;
  }
}
