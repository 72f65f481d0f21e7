import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { BackendPreference } from '../core/backend-choice.js';
import type { RunConfig } from '../core/run-config.js';
import type { CircuitSummary, RunEvent, StepRecord } from '../worker/train-protocol.js';
import { chooseBackend, describeGpuEvent } from './backends.js';
import { ChunkedTrainer, type ChunkOutcome, type ChunkPoint } from './chunked-trainer.js';
import { buildCircuit, summarise } from './circuits.js';
import { experimentFile, historyCsv, validatedExperiment } from './experiment.js';
import { analysePoint } from './point-analysis.js';

/** One chunk of a live run: the recorded points and events it produced. */
export interface SessionProgress {
  readonly records: readonly StepRecord[];
  readonly events: readonly RunEvent[];
  /** '' to go on; otherwise why training stopped. */
  readonly stopReason: string;
}

/**
 * One live training run as the Lab's worker drives it: the circuit (@ohmlab/graph), the backend,
 * the settings validated as `ohmlab train` validates them (@ohmlab/learners), training chunk by
 * chunk ({@link ChunkedTrainer}) and, at every kept point, the rule's coercivity constant and the
 * edge currents (@ohmlab/analysis).
 */
export class TrainingSession {
  readonly records: StepRecord[] = [];
  readonly events: RunEvent[] = [];
  private stopped = '';

  private constructor(
    readonly config: RunConfig,
    readonly circuit: Circuit,
    readonly summary: CircuitSummary,
    readonly backend: SolverBackend,
    readonly fallbackReason: string,
    private readonly trainer: ChunkedTrainer,
  ) {}

  /** Builds the circuit, validates the settings, picks the backend and records step 0. */
  static async open(config: RunConfig, preference: BackendPreference, notice: (message: string) => void): Promise<TrainingSession> {
    const circuit = buildCircuit(config.circuit);
    const experiment = validatedExperiment(config, circuit, config.train.maxSteps);
    const { backend, fallbackReason } = await chooseBackend(preference, (event) => notice(describeGpuEvent(event)));
    try {
      const trainer = new ChunkedTrainer(backend, { ...experiment, circuit });
      const session = new TrainingSession(config, circuit, summarise(circuit), backend, fallbackReason, trainer);
      await session.absorb(await trainer.start(), true);
      return session;
    } catch (error) {
      backend.dispose();
      throw error;
    }
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.trainer.step;
  }

  /** Why the run cannot go on ('' while it can): the step budget, the loss tolerance, a disconnection. */
  get stopReason(): string {
    if (this.stopped !== '') return this.stopped;
    return this.trainer.step >= this.config.train.maxSteps ? `budget: ${this.config.train.maxSteps} steps done` : '';
  }

  /** The latest record. */
  latest(): StepRecord {
    const last = this.records[this.records.length - 1];
    if (!last) throw new Error('the session has no record yet');
    return last;
  }

  /** Takes up to `count` steps (never past the step budget). */
  async advance(count: number): Promise<SessionProgress> {
    if (this.stopReason !== '') return { records: [], events: [], stopReason: this.stopReason };
    const steps = Math.min(count, this.config.train.maxSteps - this.trainer.step);
    const outcome = await this.trainer.advance(steps);
    const progress = await this.absorb(outcome, false);
    if (outcome.stopReason !== '') this.stopped = outcome.stopReason;
    return { ...progress, stopReason: this.stopReason };
  }

  /** The experiment file (re-runnable with `ohmlab train`) and the history CSV of the run so far. */
  exportRun(): { experimentJson: string; historyCsv: string } {
    const file = experimentFile(this.config, this.circuit, this.trainer.step);
    return { experimentJson: `${JSON.stringify(file, null, 2)}\n`, historyCsv: historyCsv(this.records) };
  }

  dispose(): void {
    this.backend.dispose();
  }

  /** Keeps every `recordEvery`-th point (and the last), analysed; returns what was kept. */
  private async absorb(outcome: ChunkOutcome, first: boolean): Promise<SessionProgress> {
    const every = Math.max(1, this.config.train.recordEvery);
    const records: StepRecord[] = [];
    const lastIndex = outcome.points.length - 1;
    for (const [index, point] of outcome.points.entries()) {
      const last = index === lastIndex && (outcome.stopReason !== '' || point.step >= this.config.train.maxSteps);
      if (!first && point.step % every !== 0 && !last) continue;
      records.push(await this.record(point));
    }
    const events = outcome.events.map((e) => ({
      step: e.step ?? this.trainer.step,
      kind: e.kind,
      edge: e.edge,
      message: e.message ?? '',
    }));
    this.records.push(...records);
    this.events.push(...events);
    return { records, events, stopReason: outcome.stopReason };
  }

  private async record(point: ChunkPoint): Promise<StepRecord> {
    const analysis = await analysePoint(this.backend, point.activeCircuit, this.config.train.rule);
    const currents = new Float64Array(point.conductances.length);
    point.activeEdges.forEach((original, j) => (currents[original] = analysis.currents[j] ?? 0));
    return {
      step: point.step,
      loss: point.loss,
      weightedLoss: point.weightedLoss,
      adjointLoss: point.adjointLoss,
      conservedQuantity: point.mass,
      coercivity: analysis.coercivity,
      conductances: point.conductances,
      currents,
      removed: point.removed,
    };
  }
}

