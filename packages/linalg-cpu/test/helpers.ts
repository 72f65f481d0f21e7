import { expect } from 'vitest';
import { distinctNodes, erdosRenyiNetwork, mulberry32, randomConductances, randomValues } from '../bench/networks.mjs';
import type { FactorRequest, Network, RightHandSides } from '../src/solver.js';

/** `y = L x = A^T K A x` straight from the edge list (independent of the solver's CSR assembly). */
export function laplacianTimes(network: Network, conductances: Float64Array, x: Float64Array): Float64Array {
  const y = new Float64Array(network.nodeCount);
  for (let j = 0; j < network.edgeFrom.length; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const current = conductances[j]! * (x[u]! - x[w]!);
    y[u]! += current;
    y[w]! -= current;
  }
  return y;
}

/** Row-wise `|L| |x|`: the scale of the componentwise backward error at each node. */
export function laplacianScale(network: Network, conductances: Float64Array, x: Float64Array): Float64Array {
  const s = new Float64Array(network.nodeCount);
  for (let j = 0; j < network.edgeFrom.length; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const t = conductances[j]! * (Math.abs(x[u]!) + Math.abs(x[w]!));
    s[u]! += t;
    s[w]! += t;
  }
  return s;
}

/** A seeded random circuit: Erdos-Renyi wiring, conductances in [0.5, 2), `dirichlet` held nodes. */
export function randomCircuit(nodeCount: number, seed: number, dirichlet = 3, meanDegree = 4): FactorRequest {
  const network = erdosRenyiNetwork(nodeCount, meanDegree, seed);
  return {
    network,
    conductances: randomConductances(network.edgeFrom.length, seed + 1),
    dirichletNodes: distinctNodes(nodeCount, dirichlet, seed + 2),
  };
}

/** A seeded batch: random held voltages and currents injected at `injected` free nodes. */
export function randomBatch(request: FactorRequest, count: number, seed: number, injected = 0): RightHandSides {
  const nd = request.dirichletNodes.length;
  const held = new Set(request.dirichletNodes);
  const nodes: number[] = [];
  for (let i = 0; nodes.length < injected; i++) {
    const v = (i * 7919 + seed) % request.network.nodeCount;
    if (!held.has(v) && !nodes.includes(v)) nodes.push(v);
  }
  const dirichletValues = randomValues(count * nd, seed);
  if (injected === 0) return { count, dirichletValues };
  return { count, dirichletValues, injection: { nodes: Uint32Array.from(nodes), values: randomValues(count * injected, seed + 1) } };
}

/** Dense injected-current vector of RHS `r` (length nodeCount). */
export function injectedCurrents(rhs: RightHandSides, r: number, nodeCount: number): Float64Array {
  const b = new Float64Array(nodeCount);
  if (!rhs.injection) return b;
  const { nodes, values } = rhs.injection;
  for (let q = 0; q < nodes.length; q++) b[nodes[q]!]! += values[r * nodes.length + q]!;
  return b;
}

/** Asserts `|a - b| <= atol + rtol |b|` entrywise, reporting the worst index. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (atol + rtol * Math.abs(expected[i]!));
    if (!(excess <= worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) expect.fail(`entry ${worst}: ${actual[worst]} vs ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
}

/** A seeded random `rows x cols` matrix (row-major), entries uniform in [-0.5, 0.5). */
export function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: rows * cols }, () => r() - 0.5);
}

/** A random symmetric positive definite matrix (row-major, full): B B^T + n I. */
export function randomSpd(n: number, seed: number): Float64Array {
  const b = randomMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = s;
    }
  }
  return a;
}
