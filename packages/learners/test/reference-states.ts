/**
 * Independent references for the state tests: every state solved from its definition in
 * shared/THEORY.md "States" with raw `backend.factor` / `solve` calls on explicit Dirichlet sets
 * (no @ohmlab/learners code involved), an explicit dense Laplacian for Kirchhoff checks, and a
 * backend wrapper that counts factor and solve calls.
 */
import type { Circuit } from '@ohmlab/graph';
import type { Factorization, FactorRequest, RightHandSides, SolverBackend } from '@ohmlab/linalg-cpu';

export interface SampleData {
  readonly u: number[][];
  readonly t: number[][];
}

export function samplesOf(c: Circuit): SampleData {
  const list = c.samples && c.samples.length > 0 ? c.samples : [{ inputs: c.inputValues, targets: c.targets }];
  return { u: list.map((s) => Array.from(s.inputs)), t: list.map((s) => Array.from(s.targets)) };
}

async function solveOne(backend: SolverBackend, c: Circuit, k: Float64Array, dirichlet: number[], held: number[], inject?: { nodes: number[]; values: number[] }): Promise<{ x: Float64Array; currents: Float64Array }> {
  const keep: number[] = [];
  k.forEach((v, j) => v > 0 && keep.push(j));
  const f: Factorization = await backend.factor({
    network: { nodeCount: c.nodeCount, edgeFrom: Uint32Array.from(keep.map((j) => c.edgeFrom[j]!)), edgeTo: Uint32Array.from(keep.map((j) => c.edgeTo[j]!)) },
    conductances: Float64Array.from(keep.map((j) => k[j]!)),
    dirichletNodes: Uint32Array.from(dirichlet),
  });
  const rhs: RightHandSides = {
    count: 1,
    dirichletValues: Float64Array.from(held),
    ...(inject ? { injection: { nodes: Uint32Array.from(inject.nodes), values: Float64Array.from(inject.values) } } : {}),
  };
  const r = await f.solve(rhs);
  f.dispose();
  return { x: r.voltages, currents: r.dirichletCurrents };
}

/** All states of sample s, from their definitions (THEORY.md "States"), one solve each. */
export async function definitionStates(backend: SolverBackend, c: Circuit, s: number, eta: number, k = c.conductances) {
  const { u, t } = samplesOf(c);
  const I = Array.from(c.inputNodes);
  const O = Array.from(c.outputNodes);
  const IO = [...I, ...O];
  const zeros = I.map(() => 0);
  const free = await solveOne(backend, c, k, I, u[s]!);
  const y = O.map((o) => free.x[o]!);
  const e = y.map((yo, i) => t[s]![i]! - yo);
  const ref = await solveOne(backend, c, k, IO, [...u[s]!, ...t[s]!]);
  const mu = Array.from(ref.currents.subarray(I.length));
  return {
    free: free.x,
    y,
    epNudged: (await solveOne(backend, c, k, I, u[s]!, { nodes: O, values: e.map((v) => eta * v) })).x,
    epClamped: (await solveOne(backend, c, k, I, zeros, { nodes: O, values: e })).x,
    clNudged: (await solveOne(backend, c, k, IO, [...u[s]!, ...y.map((yo, i) => yo + eta * e[i]!)])).x,
    clClamped: await solveOne(backend, c, k, IO, [...zeros, ...e]),
    reference: ref.x,
    mu,
    alNudged: (await solveOne(backend, c, k, IO, [...u[s]!, ...t[s]!.map((to, i) => to + eta * mu[i]!)])).x,
    alClamped: await solveOne(backend, c, k, IO, [...zeros, ...mu]),
  };
}

/** `L x` with the Laplacian assembled edge by edge (THEORY.md "Circuit"). */
export function laplacianTimes(c: Circuit, x: ArrayLike<number>, k = c.conductances): Float64Array {
  const out = new Float64Array(c.nodeCount);
  for (let j = 0; j < k.length; j++) {
    const a = c.edgeFrom[j]!;
    const b = c.edgeTo[j]!;
    const i = k[j]! * (x[a]! - x[b]!);
    out[a]! += i;
    out[b]! -= i;
  }
  return out;
}

/** Output loss L = mean_s |y - t|^2 / 2 and adjoint loss L_AL = mean_s |mu|^2 / 2, from definitions. */
export async function definitionLosses(backend: SolverBackend, c: Circuit, k: Float64Array): Promise<{ L: number; LAL: number }> {
  const { u, t } = samplesOf(c);
  const I = Array.from(c.inputNodes);
  const O = Array.from(c.outputNodes);
  let L = 0;
  let LAL = 0;
  for (let s = 0; s < u.length; s++) {
    const free = await solveOne(backend, c, k, I, u[s]!);
    O.forEach((o, i) => (L += 0.5 * (free.x[o]! - t[s]![i]!) ** 2));
    const ref = await solveOne(backend, c, k, [...I, ...O], [...u[s]!, ...t[s]!]);
    for (const m of ref.currents.subarray(I.length)) LAL += 0.5 * m * m;
  }
  return { L: L / u.length, LAL: LAL / u.length };
}

/** Central finite-difference gradient of `f` at k, step `1e-6 k_j`. */
export async function fdGradient(k: Float64Array, f: (k: Float64Array) => Promise<number>): Promise<Float64Array> {
  const g = new Float64Array(k.length);
  for (let j = 0; j < k.length; j++) {
    const h = 1e-6 * k[j]!;
    const kp = k.slice();
    const km = k.slice();
    kp[j]! += h;
    km[j]! -= h;
    g[j] = ((await f(kp)) - (await f(km))) / (2 * h);
  }
  return g;
}

/** Wraps a backend and counts `factor` calls and `solve` calls (with their right-hand sides). */
export function countingBackend(inner: SolverBackend) {
  const counts = { factor: 0, solve: 0, rhs: 0 };
  const backend: SolverBackend = {
    name: inner.name,
    description: inner.description,
    async factor(req: FactorRequest) {
      counts.factor++;
      const f = await inner.factor(req);
      return {
        method: f.method,
        nodeCount: f.nodeCount,
        dirichletNodes: f.dirichletNodes,
        solve(rhs: RightHandSides) {
          counts.solve++;
          counts.rhs += rhs.count;
          return f.solve(rhs);
        },
        dispose: () => f.dispose(),
      };
    },
    dispose: () => inner.dispose(),
  };
  const reset = () => Object.assign(counts, { factor: 0, solve: 0, rhs: 0 });
  return { backend, counts, reset };
}

/**
 * EP coercivity at k for sample 0 (THEORY.md "Coercivity"): eigenvalues (ascending) of `M^T M`,
 * `M = diag(dv^f) A L_c^{-1} B` (m x p), from raw solves; `c_EP = sigma_min(M)^2` is the first.
 * Supports p <= 2.
 */
export async function coercivityEP(backend: SolverBackend, c: Circuit, k: Float64Array): Promise<number[]> {
  const p = c.outputNodes.length;
  const n = c.nodeCount;
  const nIn = c.inputNodes.length;
  const u = samplesOf(c).u[0]!;
  const f = await backend.factor({ network: c, conductances: k, dirichletNodes: c.inputNodes });
  const eye = new Float64Array(p * p);
  for (let i = 0; i < p; i++) eye[i * p + i] = 1;
  const z = await f.solve({ count: p, dirichletValues: new Float64Array(p * nIn), injection: { nodes: c.outputNodes, values: eye } });
  const x = (await f.solve({ count: 1, dirichletValues: Float64Array.from(u) })).voltages;
  f.dispose();
  const A = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = 0; j < k.length; j++) {
    const a = c.edgeFrom[j]!;
    const b = c.edgeTo[j]!;
    const row = Array.from({ length: p }, (_, i) => (x[a]! - x[b]!) * (z.voltages[i * n + a]! - z.voltages[i * n + b]!));
    for (let i = 0; i < p; i++) for (let q = 0; q < p; q++) A[i]![q]! += row[i]! * row[q]!;
  }
  if (p === 1) return [A[0]![0]!];
  if (p !== 2) throw new Error('coercivityEP supports p <= 2');
  const tr = A[0]![0]! + A[1]![1]!;
  const det = A[0]![0]! * A[1]![1]! - A[0]![1]! * A[1]![0]!;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  return [tr / 2 - disc, tr / 2 + disc];
}
