// Circuits and right-hand sides of the linalg-cpu benchmark (plain JS, no build step).
import { distinctNodes, erdosRenyiNetwork, gridNetwork, randomConductances, randomValues } from './networks.mjs';

const networks = new Map();

/** Erdos-Renyi (mean degree 4, kept connected) with n nodes, or the side x side grid with side = round(sqrt(n)). */
export function benchNetwork(kind, n) {
  const key = `${kind}-${n}`;
  if (!networks.has(key)) {
    const side = Math.round(Math.sqrt(n));
    networks.set(key, kind === 'grid' ? gridNetwork(side, side) : erdosRenyiNetwork(n, 4, 1));
  }
  return networks.get(key);
}

/** Conductances uniform in [0.5, 2), three held nodes (two inputs and a ground), the given method. */
export function benchRequest(network, method) {
  return {
    network,
    conductances: randomConductances(network.edgeFrom.length, 2),
    dirichletNodes: distinctNodes(network.nodeCount, 3, 3),
    options: { method },
  };
}

/** `count` right-hand sides of full rank: random held voltages and random currents at `count` free nodes; basisSolve off. */
export function fullRankBatch(request, count, seed) {
  const held = new Set(request.dirichletNodes);
  const nodes = [];
  for (const v of distinctNodes(request.network.nodeCount, count + 3, seed)) if (!held.has(v) && nodes.length < count) nodes.push(v);
  return {
    count,
    dirichletValues: randomValues(count * 3, seed),
    injection: { nodes: Uint32Array.from(nodes), values: randomValues(count * nodes.length, seed + 1) },
  };
}

/** A training batch: `count` samples of voltages at the two inputs, the third held node grounded. */
export function sampleBatch(request, count, seed) {
  const u = randomValues(count * 3, seed);
  for (let r = 0; r < count; r++) u[r * 3 + 2] = 0;
  return { count, dirichletValues: u };
}
