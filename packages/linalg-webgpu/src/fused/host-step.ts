import { factorSync, SolverError } from '@ohmlab/linalg-cpu';
import type { Network } from '@ohmlab/linalg-cpu';
import { conductanceSlope, LOG, RESISTANCE, stepConductances } from './fused-parameters.js';
import type { FusedPlan } from './fused-request.js';

/** One boundary hit: edge `edge` reached its level during the step that ends at `step`. */
export interface BoundaryHit {
  readonly edge: number;
  readonly step: number;
}

/** The states of one step (float64, `count x nodeCount` each) and what follows from them. */
export interface HostStates {
  /** Base state (free for EP/CL, AL reference), then the clamped or nudged state(s). */
  readonly states: Float64Array[];
  /** The rule's base loss: `mean_s |y - t|^2 / 2` (EP, CL) or `mean_s |mu|^2 / 2` (AL). */
  readonly loss: number;
}

/** The network of the edges with k > 0 and their conductances. */
function activePart(network: Network, k: Float64Array): { net: Network; kActive: Float64Array } {
  const keep: number[] = [];
  k.forEach((v, j) => v > 0 && keep.push(j));
  return {
    net: { nodeCount: network.nodeCount, edgeFrom: Uint32Array.from(keep, (j) => network.edgeFrom[j]!), edgeTo: Uint32Array.from(keep, (j) => network.edgeTo[j]!) },
    kActive: Float64Array.from(keep, (j) => k[j]!),
  };
}

function heldB(plan: FusedPlan, S: number, inputs: (s: number, i: number) => number, outputs: (s: number, o: number) => number): Float64Array {
  const nIn = plan.request.inputNodes.length;
  const p = plan.request.outputNodes.length;
  const d = nIn + p;
  const out = new Float64Array(S * d);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < nIn; i++) out[s * d + i] = inputs(s, i);
    for (let o = 0; o < p; o++) out[s * d + nIn + o] = outputs(s, o);
  }
  return out;
}

/**
 * Throws `SolverError` (a disconnection) when a non-input node has no path to an input through
 * edges with k > 0, the check `@ohmlab/learners` makes before every step (its activeNetwork).
 */
export function checkGrounded(plan: FusedPlan, k: Float64Array): void {
  const { network, inputNodes } = plan.request;
  const parent = Int32Array.from({ length: plan.n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let j = 0; j < plan.m; j++) if (k[j]! > 0) parent[find(network.edgeFrom[j]!)] = find(network.edgeTo[j]!);
  const grounded = new Uint8Array(plan.n);
  for (const v of inputNodes) grounded[find(v)] = 1;
  for (let i = 0; i < plan.n; i++) {
    if (!grounded[find(i)]) throw new SolverError(`node ${i} has no path to any input through active edges: the circuit is disconnected`);
  }
}

/**
 * The states of one step in float64 on the CPU (shared/THEORY.md "States"), as `@ohmlab/learners`
 * computes them: EP/CL free state, AL reference state; then the clamped state (zero nudge) or the
 * nudged state(s) at `eta` (and `-eta`). Throws `SolverError` when a node has no path to an input.
 */
export function hostStates(plan: FusedPlan, k: Float64Array): HostStates {
  const { network, inputNodes, outputNodes, samples, rule, nudge } = plan.request;
  const S = samples.count;
  const nIn = inputNodes.length;
  const p = outputNodes.length;
  const n = plan.n;
  checkGrounded(plan, k);
  const { net, kActive } = activePart(network, k);
  const both = new Uint32Array(nIn + p);
  both.set(inputNodes);
  both.set(outputNodes, nIn);
  const fa = () => factorSync({ network: net, conductances: kActive, dirichletNodes: inputNodes });
  const fb = () => factorSync({ network: net, conductances: kActive, dirichletNodes: both });
  const u = (s: number, i: number) => samples.inputs[s * nIn + i]!;
  const t = (s: number, o: number) => samples.targets[s * p + o]!;
  const A = rule === 'ep' || rule === 'cl' ? fa() : undefined;
  const B = rule === 'ep' ? undefined : fb();
  let base: Float64Array;
  const e = new Float64Array(S * p);
  if (rule === 'al') {
    const res = B!.solveSync({ count: S, dirichletValues: heldB(plan, S, u, t) });
    base = res.voltages;
    for (let s = 0; s < S; s++) for (let o = 0; o < p; o++) e[s * p + o] = res.dirichletCurrents[s * (nIn + p) + nIn + o]!;
  } else {
    base = A!.solveSync({ count: S, dirichletValues: samples.inputs }).voltages;
    for (let s = 0; s < S; s++) for (let o = 0; o < p; o++) e[s * p + o] = t(s, o) - base[s * n + outputNodes[o]!]!;
  }
  let sq = 0;
  for (const v of e) sq += v * v;
  const weights = nudge === 'zero' ? [1] : nudge === 'finite' ? [plan.eta] : [plan.eta, -plan.eta];
  const clamped = nudge === 'zero';
  const states = [base];
  for (const w of weights) {
    if (rule === 'ep') {
      const values = e.map((v) => w * v);
      const dirichletValues = clamped ? new Float64Array(S * nIn) : samples.inputs;
      states.push(A!.solveSync({ count: S, dirichletValues, injection: { nodes: outputNodes, values } }).voltages);
    } else {
      const anchor = (s: number, o: number) => (clamped ? 0 : rule === 'al' ? t(s, o) : base[s * n + outputNodes[o]!]!);
      const held = heldB(plan, S, (s, i) => (clamped ? 0 : u(s, i)), (s, o) => anchor(s, o) + w * e[s * p + o]!);
      states.push(B!.solveSync({ count: S, dirichletValues: held }).voltages);
    }
  }
  return { states, loss: (0.5 * sq) / S };
}

/** The rule's edge contrast `g_j` averaged over samples (THEORY.md "Learning rules"), from the states. */
export function hostContrast(plan: FusedPlan, states: readonly Float64Array[]): Float64Array {
  const { network, nudge } = plan.request;
  const S = plan.samples;
  const n = plan.n;
  const g = new Float64Array(plan.m);
  const scale = nudge === 'zero' ? 1 / S : nudge === 'finite' ? 1 / (2 * plan.eta * S) : 1 / (4 * plan.eta * S);
  const [x0, x1, x2] = states as [Float64Array, Float64Array, Float64Array | undefined];
  for (let j = 0; j < plan.m; j++) {
    const a = network.edgeFrom[j]!;
    const b = network.edgeTo[j]!;
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const d0 = x0[s * n + a]! - x0[s * n + b]!;
      const d1 = x1[s * n + a]! - x1[s * n + b]!;
      if (nudge === 'zero') sum += d0 * d1;
      else if (nudge === 'finite') sum += (d1 - d0) * (d1 + d0);
      else {
        const d2 = x2![s * n + a]! - x2![s * n + b]!;
        sum += (d1 - d2) * (d1 + d2);
      }
    }
    g[j] = sum * scale;
  }
  return g;
}

/**
 * `theta <- theta - alpha f'(theta) g` with the boundary rule, in place, as `@ohmlab/learners` does
 * it (`rules.ts` parameterVelocity, `training-model.ts` constrain/hitBoundary): removed edges do not
 * move, an edge resting at its level may only rise, an edge that crosses its level is put on it
 * (and removed under `remove`); log edges have no level. Returns the hits, stamped `step + 1`.
 * A resistance crossing 0 without `clip` (a short circuit) throws `SolverError` and changes nothing.
 */
export function applyUpdate(plan: FusedPlan, theta: Float64Array, removed: Uint8Array, g: Float64Array, step: number): BoundaryHit[] {
  const { alpha } = plan.request;
  const { kinds, level } = plan;
  const after = new Float64Array(theta.length);
  const hits: BoundaryHit[] = [];
  for (let j = 0; j < theta.length; j++) {
    const before = theta[j]!;
    const bounded = kinds[j] !== LOG;
    let v = -conductanceSlope(kinds[j]!, before) * g[j]!;
    if (removed[j] || (bounded && before <= level && v < 0)) v = 0;
    after[j] = before + alpha * v;
    if (bounded && !removed[j] && before > level && after[j]! <= level) {
      if (kinds[j] === RESISTANCE && plan.boundary !== 'clip') {
        throw new SolverError(`the resistance of edge ${j} would reach 0 in step ${step + 1} (a short circuit); use boundary "clip" with a floor on R`);
      }
      after[j] = level;
      hits.push({ edge: j, step: step + 1 });
    }
  }
  theta.set(after);
  if (plan.boundary === 'remove') for (const h of hits) removed[h.edge] = 1;
  return hits;
}

/** Outcome of one float64 host step. */
export interface HostStepResult {
  readonly loss: number;
  readonly hits: BoundaryHit[];
}

/**
 * One full training step on the CPU in float64 (the fallback path): states, contrast, update.
 * Throws `SolverError` when the active circuit leaves a node without a path to an input.
 */
export function hostStep(plan: FusedPlan, theta: Float64Array, removed: Uint8Array, step: number): HostStepResult {
  const { states, loss } = hostStates(plan, stepConductances(plan.kinds, theta, removed));
  const hits = applyUpdate(plan, theta, removed, hostContrast(plan, states), step);
  return { loss, hits };
}

/**
 * True when `e` says the circuit stops: a node cut off from every input, or a resistance reaching 0
 * without `clip` (a short circuit).
 */
export function isCircuitStop(e: unknown): boolean {
  return e instanceof SolverError && /no path to any (Dirichlet node|input)|\(a short circuit\)/.test(e.message);
}
