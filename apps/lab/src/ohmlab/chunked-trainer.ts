import { removeEdges, withConductances, type Circuit } from '@ohmlab/graph';
import { createDiscreteTrainer, type DiscreteChunk, type DiscreteTrainer, type ExperimentConfig, type TrainingEvent } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';

/**
 * The Lab trains step by step (Run / Pause / Step) with @ohmlab/learners' resumable discrete
 * trainer (`createDiscreteTrainer`): each chunk continues the same run (parameters, resting edges,
 * mini-batch order, stopping rules), so any sequence of chunks gives the run of one `trainDiscrete`
 * call. This class only reshapes the recorded points for the Lab's views. No update is computed here.
 */
export interface ChunkPoint {
  /** Lab step (0 = the start of the run). */
  readonly step: number;
  readonly loss: number;
  readonly weightedLoss: number;
  readonly adjointLoss: number;
  readonly mass: number;
  /** Conductances in the original edge order (0 for removed edges). */
  readonly conductances: Float64Array;
  /** 1 for edges removed at or before this step. */
  readonly removed: Uint8Array;
  /** The circuit the solver sees at this step: removed edges left out, conductances set. */
  readonly activeCircuit: Circuit;
  /** Active edge index -> original edge index. */
  readonly activeEdges: Int32Array;
}

/** Events in the original edge order and lab steps. */
export interface ChunkOutcome {
  readonly points: readonly ChunkPoint[];
  readonly events: readonly TrainingEvent[];
  /** Why training cannot go on ('' when it can): loss tolerance, disconnection, boundary. */
  readonly stopReason: string;
}

export class ChunkedTrainer {
  private readonly trainer: DiscreteTrainer;
  /** Removed edges as of the last point handed out. */
  private readonly removed: Uint8Array;
  /** Original indices of the edges not removed, and the circuit of those edges. */
  private activeEdges: Int32Array;
  private activeWiring: Circuit;

  constructor(
    backend: SolverBackend,
    readonly experiment: ExperimentConfig & { readonly circuit: Circuit },
  ) {
    const e = experiment;
    this.trainer = createDiscreteTrainer(backend, e.circuit, {
      rule: e.rule,
      nudge: e.nudge,
      ...(e.eta !== undefined && e.nudge !== 'zero' ? { eta: e.eta } : {}),
      alpha: e.alpha ?? Number.NaN,
      ...(e.steps !== undefined ? { steps: e.steps } : {}),
      recordEvery: 1,
      parametrisation: e.parametrisation,
      boundary: e.boundary,
      seed: e.seed,
      ...(e.onDisconnect !== undefined ? { onDisconnect: e.onDisconnect } : {}),
      ...(e.batchSize !== undefined ? { batchSize: e.batchSize } : {}),
      ...(e.floor !== undefined ? { floor: e.floor } : {}),
      ...(e.lossTolerance !== undefined ? { lossTolerance: e.lossTolerance } : {}),
      recordConductances: true,
    });
    const m = e.circuit.edgeFrom.length;
    this.removed = new Uint8Array(m);
    this.activeEdges = Int32Array.from({ length: m }, (_, j) => j);
    this.activeWiring = e.circuit;
  }

  /** Lab steps taken so far. */
  get step(): number {
    return this.trainer.stepCount;
  }

  /** The state at step 0 (one evaluation, no update). */
  async start(): Promise<ChunkOutcome> {
    return this.outcome(await this.trainer.step(0));
  }

  /** Takes `count` more steps (fewer when training stops). */
  async advance(count: number): Promise<ChunkOutcome> {
    return this.outcome(await this.trainer.step(count));
  }

  /** The chunk's points with the removed edges and active circuit of each. */
  private outcome(chunk: DiscreteChunk): ChunkOutcome {
    const h = chunk.history;
    const removals = chunk.events.filter((e) => e.kind === 'removed');
    const points = (h.step ?? []).map((step, i): ChunkPoint => {
      this.applyRemovals(removals, step);
      const conductances = Float64Array.from(h.conductances?.[i] ?? []);
      return {
        step,
        loss: h.loss[i] ?? Number.NaN,
        weightedLoss: h.weightedLoss[i] ?? Number.NaN,
        adjointLoss: h.adjointLoss[i] ?? Number.NaN,
        mass: h.mass[i] ?? Number.NaN,
        conductances,
        removed: this.removed.slice(),
        activeCircuit: withConductances(this.activeWiring, Float64Array.from(this.activeEdges, (j) => conductances[j] ?? 0)),
        activeEdges: this.activeEdges,
      };
    });
    this.applyRemovals(removals, Number.POSITIVE_INFINITY);
    const stop = chunk.stop;
    return { points, events: chunk.events, stopReason: stop === null || stop.reason === 'budget' ? '' : `${stop.reason}: ${stop.message}` };
  }

  /** Marks the edges removed at or before `step` and updates the active circuit's wiring. */
  private applyRemovals(removals: readonly TrainingEvent[], step: number): void {
    const now = removals.filter((e) => (e.step ?? 0) <= step && this.removed[e.edge] === 0);
    if (now.length === 0) return;
    for (const e of now) this.removed[e.edge] = 1;
    this.activeEdges = this.activeEdges.filter((j) => this.removed[j] === 0);
    this.activeWiring = removeEdges(this.experiment.circuit, Array.from(this.removed.keys()).filter((j) => this.removed[j] === 1)).circuit;
  }
}
