/**
 * The fused path of the discrete trainer (README "Fused path"): between two record points the
 * backend's fused trainer (`SolverBackend.fusedTrainer`) applies the steps on its device; here its
 * output is read back, checked, and turned into learners' state and events. The model is changed
 * only when a chunk is accepted, so a rejected chunk is simply redone by the generic path.
 */
import type { Circuit } from '@ohmlab/graph';
import type { FusedTrainer, SolverBackend } from '@ohmlab/linalg-cpu';
import { conductancesFromParameters, type Parametrisation } from './parametrisation.js';
import type { MiniBatchSchedule, SampleBatch, ScheduleState } from './samples.js';
import type { TrainingEvent } from './trainer-types.js';
import type { TrainingModel } from './training-model.js';

/** Parametrisation names by code (`parametrisation.ts`: 0 conductance, 1 resistance, 2 log). */
const KIND_NAMES: readonly Parametrisation[] = ['conductance', 'resistance', 'log'];

/** One boundary hit: edge `edge` reached its level in the step that ends at `step`. */
interface Hit {
  readonly kind: 'removed' | 'reflected' | 'clipped';
  readonly edge: number;
  readonly step: number;
}

/** What one fused chunk produced (steps count from the start of the learners run). */
export interface FusedChunk {
  /** Steps applied (fewer than asked when the fused trainer stopped). */
  readonly applied: number;
  /** Base loss at the start of each applied step (L, or L_AL for AL), over all samples. */
  readonly loss: Float64Array;
  /** Boundary hits, by step then edge. */
  readonly hits: readonly Hit[];
  /** Parameters and removed flags after the chunk. */
  readonly parameters: Float64Array;
  readonly removed: Uint8Array;
  /** The fused trainer stopped (a node lost its path to every input, or a resistance would reach 0). */
  readonly stopped: boolean;
  /** Fallbacks inside the fused trainer during the chunk. */
  readonly fallbacks: readonly string[];
  readonly runsOn: string;
  /** Boundary hits lost by the device (the events would be incomplete). */
  readonly lostEvents: number;
}

/** A fused trainer started from a model's current parameters, read back chunk by chunk. */
export class FusedSteps {
  private stepsSeen = 0;
  private eventsSeen = 0;
  private lost = 0;

  private constructor(
    private readonly trainer: FusedTrainer,
    /** Learners step at which the fused trainer started. */
    private readonly offset: number,
  ) {}

  /**
   * Starts the backend's fused trainer at the model's parameters (every edge above its level) and
   * step `offset`. Returns it, or why it could not start (the error message of the backend).
   */
  static async start(backend: SolverBackend, circuit: Circuit, model: TrainingModel, all: SampleBatch, alpha: number, offset: number, batchSize?: number): Promise<FusedSteps | string> {
    const { rule, nudge, eta } = model.nudge;
    const floor = model.level.find(Number.isFinite);
    try {
      const trainer = await backend.fusedTrainer!({
        network: circuit,
        inputNodes: circuit.inputNodes,
        outputNodes: circuit.outputNodes,
        conductances: conductancesFromParameters(model.kinds, model.theta),
        parameters: model.theta.slice(),
        parametrisation: Array.from(model.kinds, (k) => KIND_NAMES[k]!),
        samples: { count: all.count, inputs: all.inputs, targets: all.targets },
        rule,
        nudge,
        ...(nudge !== 'zero' && eta !== undefined ? { eta } : {}),
        alpha,
        ...(batchSize !== undefined ? { batchSize: Math.min(batchSize, all.count) } : {}),
        boundary: model.boundary,
        ...(model.boundary === 'clip' && floor !== undefined ? { floor } : {}),
      });
      return new FusedSteps(trainer, offset);
    } catch (err) {
      return `the fused trainer could not start (${(err as Error).message})`;
    }
  }

  get runsOn(): string {
    return this.trainer.runsOn;
  }

  /** The reason of a fallback the trainer reported at its start (it then runs on the CPU), if any. */
  async startFallback(): Promise<string | null> {
    if (this.trainer.runsOn !== 'cpu') return null;
    const state = await this.trainer.read();
    const first = state.events.find((e) => e.kind === 'fallback');
    return first && first.kind === 'fallback' ? first.reason : 'the fused trainer runs on the CPU';
  }

  /** Applies up to `count` steps on the device (`batches`: their mini-batches) and reads back what they did. */
  async run(count: number, batches?: Uint32Array): Promise<FusedChunk> {
    await this.trainer.step(count, batches);
    const state = await this.trainer.read();
    const done = state.steps[0]! - this.stepsSeen;
    const loss = state.loss[0]!.slice(this.stepsSeen, this.stepsSeen + done);
    const hits: Hit[] = [];
    const fallbacks: string[] = [];
    let stopped = false;
    for (const e of state.events.slice(this.eventsSeen)) {
      if (e.kind === 'fallback') fallbacks.push(`moved to the CPU at step ${this.offset + e.step}: ${e.reason}`);
      else if (e.kind === 'stopped') stopped = true;
      else hits.push({ kind: e.kind, edge: e.edge, step: this.offset + e.step });
    }
    hits.sort((a, b) => a.step - b.step || a.edge - b.edge);
    const lostEvents = state.lostEvents - this.lost;
    this.stepsSeen = state.steps[0]!;
    this.eventsSeen = state.events.length;
    this.lost = state.lostEvents;
    return { applied: done, loss, hits, parameters: state.parameters, removed: state.removed, stopped, fallbacks, runsOn: state.runsOn, lostEvents };
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

/**
 * Why a chunk cannot be taken as it is (then the generic path redoes it from its first step), or
 * null: boundary events lost on the device, a non-finite loss or parameter (the generic path finds
 * the exact step and stops there), or removal flags that disagree with the events.
 */
export function rejectChunk(model: TrainingModel, chunk: FusedChunk): string | null {
  if (chunk.lostEvents > 0) return `${chunk.lostEvents} boundary event(s) did not fit the device's event buffer`;
  if (!chunk.loss.every(Number.isFinite) || !chunk.parameters.every(Number.isFinite)) return 'a loss or parameter is not finite';
  const removed = model.removed.slice();
  for (const h of chunk.hits) if (h.kind === 'removed') removed[h.edge] = 1;
  for (let j = 0; j < removed.length; j++) {
    if (removed[j] !== chunk.removed[j]) return `the removed flag of edge ${j} disagrees with the boundary events`;
  }
  return null;
}

/**
 * Takes an accepted chunk into the model: boundary events (as the generic path records them, via
 * `model.hitBoundary`), then the parameters, with edges on their level put exactly on it (the
 * device keeps ~48-bit parameters). Appends the events to `events`.
 */
export function acceptChunk(model: TrainingModel, chunk: FusedChunk, events: TrainingEvent[]): void {
  for (const h of chunk.hits) events.push(model.hitBoundary(h.edge, { step: h.step }));
  const theta = model.theta;
  theta.set(chunk.parameters);
  for (let j = 0; j < theta.length; j++) {
    const level = model.level[j]!;
    if (model.removed[j] || Math.abs(theta[j]! - level) <= 1e-12 * level) theta[j] = level;
  }
}

/**
 * The mini-batches of a fused chunk, drawn from learners' seeded schedule as the generic path would
 * draw them: step `s` takes the batch already drawn for its evaluation (`first`, if any), each
 * later step the next one. {@link rewind} puts the schedule where the generic path expects it.
 */
export class ChunkBatches {
  private constructor(
    private readonly schedule: MiniBatchSchedule,
    private readonly saved: ScheduleState,
    private readonly fromFirst: number,
    /** `count x batchSize` sample indices, step by step. */
    readonly indices: Uint32Array,
  ) {}

  static draw(schedule: MiniBatchSchedule, first: Uint32Array | undefined, count: number): ChunkBatches {
    const saved = schedule.save();
    const rows = first ? [first] : [];
    while (rows.length < count) rows.push(schedule.next());
    const indices = new Uint32Array(rows.reduce((n, r) => n + r.length, 0));
    rows.reduce((at, r) => (indices.set(r, at), at + r.length), 0);
    return new ChunkBatches(schedule, saved, first ? 1 : 0, indices);
  }

  /** After `applied` steps of the chunk were taken (0 for a rejected chunk): the draws of the rest are undone. */
  rewind(applied: number): void {
    this.schedule.restore(this.saved);
    for (let i = this.fromFirst; i < applied; i++) this.schedule.next();
  }
}
