import type { Circuit } from '@ohmlab/graph';
import { trainContinuous, type NudgeOptions, type TrainingResult } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { velocity } from './at-point.js';
import { connectedPart, type ConnectedPart } from './subcircuit.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link flow}. */
export interface FlowOptions {
  /** Integrate over `[0, duration]` (time in units of 1 / learning rate). */
  readonly duration: number;
  /** Number of evenly spaced records on `[0, duration]` (>= 2). */
  readonly record: number;
  /** Relative tolerance of learners' Dormand-Prince integrator (default: learners' 1e-9). */
  readonly rtol?: number;
  /** Fraction of `duration` done; may throw to abort (the error propagates). */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Conductances below this fraction of the largest initial conductance, when learners stops with
 * `disconnected`, are taken as having reached 0 (see {@link flow}).
 */
export const DEAD_EDGE_FRACTION = 1e-6;

/**
 * The bookkeeping of a flow across learners runs: records in the original edge numbering, the
 * current sub-circuit with its edge and node maps, conductances of edges outside it.
 */
class FlowState {
  readonly t: number[] = [];
  readonly loss: number[] = [];
  readonly weightedLoss: number[] = [];
  readonly adjointLoss: number[] = [];
  readonly mass: number[] = [];
  readonly conductances: Float64Array[] = [];
  readonly removals: { t: number; edge: number }[] = [];
  readonly outputsCut: { t: number; node: number }[] = [];
  /** Conductances of all original edges (removed: 0; floating: frozen). */
  readonly all: Float64Array;
  current: Circuit;
  edges: number[];
  nodes: number[];

  constructor(circuit: Circuit) {
    this.all = Float64Array.from(circuit.conductances);
    this.current = circuit;
    this.edges = Array.from(this.all.keys());
    this.nodes = Array.from({ length: circuit.nodeCount }, (_, i) => i);
  }

  /** All conductances, with the current sub-circuit's `k` in place. */
  full(k: Float64Array): Float64Array {
    const out = Float64Array.from(this.all);
    this.edges.forEach((old, j) => (out[old] = k[j] as number));
    return out;
  }

  /** Appends a learners run that started at `t0`; returns its final conductances and time. */
  absorb(result: TrainingResult, t0: number): { k: Float64Array; tStop: number } {
    const h = result.history;
    (h.time ?? []).forEach((time, i) => {
      if (this.t.length > 0 && t0 + time <= (this.t[this.t.length - 1] as number)) return;
      const k = this.full(h.conductances?.[i] as Float64Array);
      this.t.push(t0 + time);
      this.loss.push(h.loss[i] as number);
      this.weightedLoss.push(h.weightedLoss[i] as number);
      this.adjointLoss.push(h.adjointLoss[i] as number);
      this.mass.push(k.reduce((a, x) => a + x * x, 0));
      this.conductances.push(k);
    });
    for (const e of result.events) if (e.kind === 'removed') this.removals.push({ t: t0 + (e.time as number), edge: this.edges[e.edge] as number });
    const k = Float64Array.from(result.final.conductances);
    this.all.set(this.full(k));
    return { k, tStop: t0 + (result.final.time as number) };
  }

  /** Sets the edges at or below `deadBelow` to 0 (removed at `t`). */
  removeDead(k: Float64Array, deadBelow: number, t: number): void {
    for (let j = 0; j < k.length; j++) {
      if ((k[j] as number) > 0 && (k[j] as number) <= deadBelow) {
        k[j] = 0;
        this.removals.push({ t, edge: this.edges[j] as number });
      }
    }
    this.all.set(this.full(k));
  }

  /** Moves on to the connected part (cut outputs recorded at `t`); false when no output is left. */
  restrict(part: ConnectedPart, t: number): boolean {
    for (const node of part.cutOutputs) this.outputsCut.push({ t, node: this.nodes[node] as number });
    if (part.circuit === undefined) return false;
    this.edges = part.edges.map((j) => this.edges[j] as number);
    this.nodes = part.nodes.map((i) => this.nodes[i] as number);
    this.current = part.circuit;
    return true;
  }

  finish(tFinal: number, stoppedBecause?: string): Trajectory {
    return {
      t: Float64Array.from(this.t),
      loss: Float64Array.from(this.loss),
      weightedLoss: Float64Array.from(this.weightedLoss),
      adjointLoss: Float64Array.from(this.adjointLoss),
      mass: Float64Array.from(this.mass),
      conductances: this.conductances,
      removals: this.removals,
      outputsCut: this.outputsCut,
      finalConductances: Float64Array.from(this.all),
      tFinal,
      ...(stoppedBecause === undefined ? {} : { stoppedBecause }),
    };
  }
}

/** Approach windows per disconnection before the adapter gives up (each halves the gap to 0). */
const MAX_APPROACH_WINDOWS = 80;

/**
 * Time for the fastest-shrinking edge to reach 0 at its current speed, `min_j k_j / (-dk_j/dt)`
 * over the edges with k > 0 and dk/dt < 0 (Infinity if none shrinks).
 */
async function timeToNextZero(backend: SolverBackend, circuit: Circuit, k: Float64Array, nudge: NudgeOptions): Promise<number> {
  const v = await velocity(backend, { ...circuit, conductances: k }, nudge);
  let tau = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k.length; j++) if ((k[j] as number) > 0 && (v[j] as number) < 0) tau = Math.min(tau, (k[j] as number) / -(v[j] as number));
  return tau;
}

/**
 * The continuous-time flow of a rule (learners' `trainContinuous`, boundary `remove`), continued
 * past disconnections as paper 2, Sec. 4 prescribes ("restrict attention to the remaining
 * connected subnetwork"). Learners stops with `disconnected` when an output (or a hidden node)
 * loses its last path to the inputs, including when only a trial step of its integrator crossed
 * the last edge(s) of an output below 0 (so the crossing is not located). This adapter then:
 * 1. takes the edges below {@link DEAD_EDGE_FRACTION} of the largest initial conductance as removed
 *    at the stop time;
 * 2. if nothing is removed, lets learners integrate short windows of half the time the
 *    fastest-shrinking edge needs to reach 0 at its current speed, until that edge is below the
 *    threshold (each window halves its gap, so the removal time is found to about that precision);
 * 3. drops the nodes and outputs without a path to an input (cut outputs leave the loss, edges of
 *    floating parts keep their conductance) and restarts learners on the rest.
 * It ends when the time is up or no output is left. This adapter stands in for a missing learners
 * option (README, "What learners should offer").
 */
export async function flow(backend: SolverBackend, circuit: Circuit, nudge: NudgeOptions, options: FlowOptions): Promise<Trajectory> {
  const T = options.duration;
  const dt = T / (options.record - 1);
  const state = new FlowState(circuit);
  const deadBelow = DEAD_EDGE_FRACTION * state.all.reduce((a, x) => Math.max(a, x), 0);
  let t0 = 0;
  let window = T;
  let approaches = 0;
  for (;;) {
    const span = Math.min(window, T - t0);
    const result = await trainContinuous(backend, state.current, {
      ...nudge,
      duration: span,
      record: Math.max(2, Math.round(span / dt) + 1),
      boundary: 'remove',
      ...(options.rtol === undefined ? {} : { rtol: options.rtol }),
      ...(options.onProgress === undefined ? {} : { onProgress: (p) => options.onProgress?.((t0 + p.fraction * span) / T) }),
    });
    const { k, tStop } = state.absorb(result, t0);
    const approachEnded = approaches > 0 && result.stop.reason === 'budget' && tStop < T;
    if (result.stop.reason !== 'disconnected' && !approachEnded) {
      return state.finish(tStop, result.stop.reason === 'budget' ? undefined : `${result.stop.reason}: ${result.stop.message}`);
    }
    state.removeDead(k, deadBelow, tStop);
    const part = connectedPart(state.current, k);
    t0 = tStop;
    if (part.edges.length === state.current.edgeFrom.length) {
      // Nothing reached 0 yet: approach the crossing learners' trial step jumped over.
      const tau = await timeToNextZero(backend, state.current, k, nudge);
      if (++approaches > MAX_APPROACH_WINDOWS || !Number.isFinite(tau)) {
        return state.finish(tStop, `disconnected: ${result.stop.message} (not continued: no edge reached 0 after ${approaches} approach windows)`);
      }
      state.current = { ...state.current, conductances: k };
      window = tau / 2;
      continue;
    }
    approaches = 0;
    window = T;
    if (!state.restrict(part, tStop)) return state.finish(tStop, 'no output has a path to an input any more');
  }
}
