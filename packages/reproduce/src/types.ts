import type { SolverBackend } from '@ohmlab/linalg-cpu';

/**
 * One numerical claim checked by an experiment, in the exact shape written to `<id>.json`:
 * `{"claim": "...", "measured": x, "expected": "...", "pass": true|false}`.
 * `measured` is the number the run produced (non-finite numbers are written as strings).
 */
export interface Claim {
  readonly claim: string;
  readonly measured: number | string;
  readonly expected: string;
  readonly pass: boolean;
}

/**
 * A case examined by an experiment that lies outside the assumptions of the paper's statement (so
 * it can neither confirm nor refute it), with the measured number that shows why.
 */
export interface OutOfScope {
  readonly case: string;
  readonly why: string;
  readonly measured: number | string;
}

/** One SVG figure produced by an experiment; `name` becomes the file `<name>.svg`. */
export interface Figure {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

/** What an experiment's run function returns. */
export interface ExperimentResult {
  /** Plain JSON-able data (typed arrays are converted to arrays on write). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly claims: readonly Claim[];
  readonly figures: readonly Figure[];
  /** Headline numbers shown in the report (fitted rates, final losses, ...). */
  readonly figuresOfMerit?: Readonly<Record<string, number | string>>;
  /** Free-text notes: decisions, what could not be recovered from the papers. */
  readonly notes?: readonly string[];
  /** Cases outside the stated assumptions (reported, never counted as claims). */
  readonly outOfScope?: readonly OutOfScope[];
}

/** A progress event, forwarded to `reproduce`'s `onProgress` (the CLI draws a bar per experiment). */
export interface ProgressEvent {
  readonly experiment: string;
  readonly done: number;
  readonly total: number;
  readonly message: string;
}

/** What a run function receives. */
export interface ExperimentContext<C> {
  /** The resolved configuration (quick or full sizes), already part of the config hash. */
  readonly config: C;
  /** The experiment's own seed, derived from the global seed and the experiment id. */
  readonly seed: number;
  /** The solver backend (CPU float64 unless the caller chose another). */
  readonly backend: SolverBackend;
  /** Report progress; throws `ReproduceAbortedError` when the run's AbortSignal fired. */
  progress(done: number, total: number, message?: string): void;
  /** Throws `ReproduceAbortedError` when the run's AbortSignal fired. */
  checkAborted(): void;
  readonly signal: AbortSignal | undefined;
  log(message: string): void;
}

/**
 * A registered experiment: what it reproduces, its quick and full configurations, and the code
 * that runs it. `version` is bumped when the code changes meaning, so old results are re-run.
 */
export interface Experiment<C = unknown> {
  readonly id: string;
  readonly title: string;
  /** Which paper and which figure / theorem it reproduces, e.g. "Paper 1, Figure 3". */
  readonly paper: string;
  readonly reference: string;
  readonly description: string;
  readonly version: number;
  readonly quick: C;
  readonly full: C;
  run(ctx: ExperimentContext<C>): Promise<ExperimentResult>;
}

/** The per-experiment record written to `<outDir>/<id>/<id>.json`. */
export interface ExperimentRecord {
  readonly id: string;
  readonly title: string;
  readonly paper: string;
  readonly reference: string;
  readonly description: string;
  readonly status: 'finished';
  readonly configHash: string;
  readonly mode: 'quick' | 'full';
  readonly seed: number;
  readonly backend: string;
  readonly config: unknown;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly figures: readonly { readonly name: string; readonly title: string; readonly file: string }[];
  readonly figuresOfMerit: Readonly<Record<string, number | string>>;
  readonly notes: readonly string[];
  readonly outOfScope: readonly OutOfScope[];
  readonly claims: readonly Claim[];
  readonly data: unknown;
}

/** Summary of one experiment in the value `reproduce` returns. */
export interface ExperimentSummary {
  readonly id: string;
  readonly title: string;
  readonly skipped: boolean;
  readonly durationMs: number;
  readonly claims: readonly Claim[];
  readonly passed: number;
  readonly failed: number;
  readonly jsonFile: string;
  readonly figureFiles: readonly string[];
}

/** Register an experiment with its own config type (erases `C` for the registry). */
export function defineExperiment<C>(experiment: Experiment<C>): Experiment {
  return experiment as unknown as Experiment;
}
