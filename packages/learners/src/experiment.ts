/**
 * `runExperiment`: runs a validated experiment with the discrete or continuous trainer and returns
 * a JSON-friendly result for `ohmlab train`; `historyToCsv` renders the history as CSV.
 */
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { trainContinuous } from './continuous-trainer.js';
import { trainDiscrete } from './discrete-trainer.js';
import { LearnerConfigError } from './errors.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { StopReason, TrainerOptions, TrainingEvent, TrainingHistory, TrainingProgress } from './trainer-types.js';
import type { TrainingPath } from './training-path.js';

/**
 * Record points of a discrete experiment without `record`: at most 201 (every step for up to 200
 * steps), so long runs keep a readable history and the steps between records can be fused on a
 * backend that offers it.
 */
export const DEFAULT_DISCRETE_RECORDS = 201;

/** JSON-friendly result of {@link runExperiment}. */
export interface ExperimentResult {
  readonly history: {
    readonly step?: number[];
    readonly time?: number[];
    readonly loss: number[];
    readonly weightedLoss: number[];
    readonly adjointLoss: number[];
    /** Conserved quantity of the parametrisation (sum k^2, sum R^2, sum theta). */
    readonly mass: number[];
    readonly conductances?: number[][];
  };
  readonly final: { readonly conductances: number[]; readonly loss: number | null; readonly step?: number; readonly time?: number };
  readonly events: TrainingEvent[];
  readonly stop: { readonly reason: StopReason; readonly message: string };
  readonly removedEdges: number[];
  /** Output nodes cut off (`onDisconnect: 'restrict'`), in order. */
  readonly cutOutputs: number[];
  /** Discrete: which path ran the steps (the backend's fused trainer or generic) and why; `path.summary` is one line. */
  readonly path?: TrainingPath;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  readonly backend: SolverBackend;
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** Keep conductances at each record point (default true). */
  readonly recordConductances?: boolean;
}

/**
 * Runs `config` (from `parseExperimentConfig`, with `circuit` already resolved to a Circuit).
 * Never throws for disconnection or boundary failures: they end the run and appear in `stop` and
 * `events`. Throws `LearnerConfigError` for invalid settings.
 */
export async function runExperiment(config: ExperimentConfig, options: RunExperimentOptions): Promise<ExperimentResult> {
  const circuit = config.circuit;
  if (typeof circuit === 'string') {
    throw new LearnerConfigError('circuit', `is the path ${JSON.stringify(circuit)}; read and parse it before calling runExperiment`);
  }
  const common: TrainerOptions = {
    rule: config.rule,
    nudge: config.nudge,
    ...(config.eta !== undefined ? { eta: config.eta } : {}),
    parametrisation: config.parametrisation,
    boundary: config.boundary,
    ...(config.onDisconnect !== undefined ? { onDisconnect: config.onDisconnect } : {}),
    recordConductances: options.recordConductances ?? true,
    ...(config.floor !== undefined ? { floor: config.floor } : {}),
    ...(config.lossTolerance !== undefined ? { lossTolerance: config.lossTolerance } : {}),
    ...(config.stagnation ? { stagnation: config.stagnation } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const result =
    config.time === 'discrete'
      ? await trainDiscrete(options.backend, circuit, {
          ...common,
          alpha: config.alpha!,
          steps: config.steps!,
          seed: config.seed,
          ...(config.fused !== undefined ? { fused: config.fused } : {}),
          ...(config.batchSize !== undefined ? { batchSize: config.batchSize } : {}),
          recordEvery: Math.max(1, Math.ceil(config.steps! / ((config.record ?? DEFAULT_DISCRETE_RECORDS) - 1))),
        })
      : await trainContinuous(options.backend, circuit, {
          ...common,
          duration: config.duration!,
          ...(config.alpha !== undefined ? { alpha: config.alpha } : {}),
          ...(config.record !== undefined ? { record: config.record } : {}),
        });
  const h = result.history;
  return {
    history: {
      ...(h.step ? { step: h.step } : {}),
      ...(h.time ? { time: h.time } : {}),
      loss: h.loss,
      weightedLoss: h.weightedLoss,
      adjointLoss: h.adjointLoss,
      mass: h.mass,
      ...(h.conductances ? { conductances: h.conductances.map((k) => Array.from(k)) } : {}),
    },
    final: {
      conductances: Array.from(result.final.conductances),
      loss: Number.isFinite(result.final.loss) ? result.final.loss : null,
      ...(result.final.step !== undefined ? { step: result.final.step } : {}),
      ...(result.final.time !== undefined ? { time: result.final.time } : {}),
    },
    events: result.events,
    stop: result.stop,
    removedEdges: result.removedEdges,
    cutOutputs: result.cutOutputs,
    ...(result.path ? { path: result.path } : {}),
  };
}

/**
 * The history as CSV: header `step|time,loss,weightedLoss,adjointLoss,mass[,k0,k1,...]`, one row
 * per record point, numbers in shortest round-trip form.
 */
export function historyToCsv(history: TrainingHistory | ExperimentResult['history']): string {
  const axis = history.step ? 'step' : 'time';
  const x = history.step ?? history.time ?? [];
  const ks = history.conductances;
  const m = ks && ks.length > 0 ? ks[0]!.length : 0;
  const header = [axis, 'loss', 'weightedLoss', 'adjointLoss', 'mass', ...Array.from({ length: m }, (_, j) => `k${j}`)];
  const lines = [header.join(',')];
  for (let i = 0; i < x.length; i++) {
    const row = [x[i], history.loss[i], history.weightedLoss[i], history.adjointLoss[i], history.mass[i]].map(String);
    if (ks) for (const v of ks[i]!) row.push(String(v));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
