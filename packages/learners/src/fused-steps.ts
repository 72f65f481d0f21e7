/**
 * The fused path of the discrete trainer (README "Fused path"): between two record points the
 * backend's fused trainer (`SolverBackend.fusedTrainer`) applies the steps on its device; here its
 * output is read back, checked, and turned into learners' state and events. The model is changed
 * only when a chunk is accepted, so a rejected chunk is simply redone by the generic path.
 */
import type { Circuit } from '@ohmlab/graph';
import type { FusedTrainer, SolverBackend } from '@ohmlab/linalg-cpu';
import type { SampleBatch } from './samples.js';
import type { TrainingEvent } from './trainer-types.js';
import type { TrainingModel } from './training-model.js';

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
  /** The fused trainer stopped (a node lost its path to every input). */
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
  static async start(backend: SolverBackend, circuit: Circuit, model: TrainingModel, all: SampleBatch, alpha: number, offset: number): Promise<FusedSteps | string> {
    const { rule, nudge, eta } = model.nudge;
    try {
      const trainer = await backend.fusedTrainer!({
        network: circuit,
        inputNodes: circuit.inputNodes,
        outputNodes: circuit.outputNodes,
        conductances: model.theta.slice(),
        samples: { count: all.count, inputs: all.inputs, targets: all.targets },
        rule,
        nudge,
        ...(nudge !== 'zero' && eta !== undefined ? { eta } : {}),
        alpha,
        boundary: model.boundary,
        ...(model.boundary === 'clip' ? { floor: model.level[0]! } : {}),
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

  /** Applies up to `count` steps on the device and reads back what they did. */
  async run(count: number): Promise<FusedChunk> {
    await this.trainer.step(count);
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
