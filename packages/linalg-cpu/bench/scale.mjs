// Scale check of @ohmlab/linalg-cpu (run under /usr/bin/time -v for the peak memory): an
// Erdos-Renyi circuit of 100,000 nodes and mean degree 4 (`er`) or a 1000 x 1000 grid (`grid`):
// factor (auto), one solve with 1 right-hand side, one with 64 (full rank, basisSolve off).
// Prints one JSON line. Usage: node bench/scale.mjs er|grid
import { factorSync } from '../dist/index.js';
import { distinctNodes, erdosRenyiNetwork, gridNetwork, randomConductances } from './networks.mjs';
import { fullRankBatch } from './cases.mjs';

const which = process.argv[2] ?? 'er';
const t0 = performance.now();
const network = which === 'grid' ? gridNetwork(1000, 1000) : erdosRenyiNetwork(100_000, 4, 1);
const request = { network, conductances: randomConductances(network.edgeFrom.length, 2), dirichletNodes: distinctNodes(network.nodeCount, 3, 3) };
const t1 = performance.now();
const f = factorSync(request);
const t2 = performance.now();
const one = f.solveSync(fullRankBatch(request, 1, 11));
const t3 = performance.now();
const many = f.solveSync({ ...fullRankBatch(request, 64, 12) });
const t4 = performance.now();
console.log(JSON.stringify({
  which, nodes: network.nodeCount, edges: network.edgeFrom.length, method: f.method, ordering: f.ordering, preconditioner: f.preconditioner,
  factorNonzeros: f.factorNonzeros, factorFlops: f.factorFlops,
  build_ms: t1 - t0, factor_ms: t2 - t1, solve1_ms: t3 - t2, solve64_ms: t4 - t3, total_ms: t4 - t0,
  residual1: one.maxResidual, iterations1: one.iterations, residual64: many.maxResidual, iterations64: many.iterations,
  heap_mib: Math.round(process.memoryUsage().rss / 2 ** 20),
}));
