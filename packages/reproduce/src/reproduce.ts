import { join, resolve } from 'node:path';
import { createCpuBackend, type SolverBackend } from '@ohmlab/linalg-cpu';
import { ReproduceOptionsError } from './errors.js';
import { EXPERIMENTS } from './registry.js';
import { KNOWN_REFUTED_CLAIMS } from './refuted.js';
import { writeReport } from './report/write-report.js';
import { runOrResume } from './run-experiment.js';
import type { Experiment, ExperimentRecord, ExperimentSummary, ProgressEvent } from './types.js';

/** Options of `reproduce` (the engine behind `ohmlab reproduce [--out dir] [--quick]`). */
export interface ReproduceOptions {
  /** Output directory: `<outDir>/<id>/<id>.json|svg` per experiment and `<outDir>/report.html`. */
  readonly outDir: string;
  /** Reduced sizes (under two minutes on 2 cores). Default false. */
  readonly quick?: boolean;
  /** Global seed; each experiment derives its own from it and its id. Default 1. */
  readonly seed?: number;
  /** Solver backend; default the CPU float64 backend. */
  readonly backend?: SolverBackend;
  /** Run only these experiment ids (in registry order). */
  readonly only?: readonly string[];
  /** Rerun even finished experiments whose config is unchanged. */
  readonly force?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly log?: (message: string) => void;
  /** Abort between (and inside) experiments; finished ones stay on disk. */
  readonly signal?: AbortSignal;
  /** Replace the registry (tests). */
  readonly experiments?: readonly Experiment[];
}

/** What `reproduce` returns. */
export interface ReproduceSummary {
  readonly outDir: string;
  readonly reportFile: string;
  readonly mode: 'quick' | 'full';
  readonly seed: number;
  readonly backend: string;
  readonly durationMs: number;
  readonly experimentIds: readonly string[];
  readonly experiments: readonly ExperimentSummary[];
  readonly claims: { readonly total: number; readonly passed: number; readonly failed: number };
  /**
   * Every failing claim; `documented` when it is one of {@link KNOWN_REFUTED_CLAIMS} (refuted by
   * the numbers, explained in the README), otherwise a regression or a new finding.
   */
  readonly failing: readonly { readonly experiment: string; readonly claim: string; readonly documented: boolean }[];
}

/** Ids of the registered experiments, in run order. */
export function experimentIds(): string[] {
  return EXPERIMENTS.map((e) => e.id);
}

/** Checks the options; returns the seed and the experiments to run, in registry order. */
function selectExperiments(options: ReproduceOptions): { seed: number; selected: readonly Experiment[] } {
  if (options.outDir.trim() === '') throw new ReproduceOptionsError('outDir', 'is empty; pass a directory such as ./reproduction');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ReproduceOptionsError('seed', `must be an integer in [0, 2^32), got ${seed}`);
  }
  const registry = options.experiments ?? EXPERIMENTS;
  const known = new Set(registry.map((e) => e.id));
  for (const id of options.only ?? []) {
    if (!known.has(id)) throw new ReproduceOptionsError('only', `unknown experiment "${id}"; known: ${[...known].join(', ')}`);
  }
  return { seed, selected: options.only === undefined ? registry : registry.filter((e) => options.only?.includes(e.id)) };
}

/** Per-experiment summaries and every failing claim, marked `documented` when it is a known refutation. */
function summarize(records: readonly { record: ExperimentRecord; skipped: boolean }[], outDir: string): Pick<ReproduceSummary, 'experiments' | 'failing'> {
  const experiments: ExperimentSummary[] = records.map(({ record, skipped }) => ({
    id: record.id,
    title: record.title,
    skipped,
    durationMs: record.durationMs,
    claims: record.claims,
    passed: record.claims.filter((c) => c.pass).length,
    failed: record.claims.filter((c) => !c.pass).length,
    jsonFile: join(outDir, record.id, `${record.id}.json`),
    figureFiles: record.figures.map((f) => join(outDir, record.id, f.file)),
  }));
  const failing = records.flatMap(({ record }) => record.claims.filter((c) => !c.pass).map((c) => ({
    experiment: record.id,
    claim: c.claim,
    documented: KNOWN_REFUTED_CLAIMS.some((r) => r.experiment === record.id && r.claim === c.claim),
  })));
  return { experiments, failing };
}

/**
 * Re-run every numerical experiment of the two papers (or `only` some), check each claim, write
 * `<id>.json` + `<id>.svg` per experiment atomically and a self-contained `report.html`. Resumes:
 * finished experiments whose config hash is unchanged are skipped. Deterministic for a seed.
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceSummary> {
  const { seed, selected } = selectExperiments(options);
  const outDir = resolve(options.outDir);
  const mode = options.quick === true ? 'quick' : 'full';
  const ownBackend = options.backend === undefined;
  const backend = options.backend ?? createCpuBackend();
  const log = options.log ?? (() => undefined);
  const t0 = performance.now();
  const records: { record: ExperimentRecord; skipped: boolean }[] = [];
  const finish = async (): Promise<void> => {
    await writeReport(join(outDir, 'report.html'), records, { mode, seed, backend, totalMs: performance.now() - t0, planned: selected.map((e) => e.id) });
  };
  try {
    for (const experiment of selected) {
      records.push(await runOrResume(experiment, {
        outDir, mode, seed, backend, force: options.force === true, signal: options.signal, onProgress: options.onProgress, log,
      }));
    }
  } catch (error) {
    await finish().catch(() => undefined);
    throw error;
  } finally {
    if (ownBackend) backend.dispose();
  }
  await finish();
  const { experiments, failing } = summarize(records, outDir);
  const total = experiments.reduce((s, e) => s + e.claims.length, 0);
  return {
    outDir,
    reportFile: join(outDir, 'report.html'),
    mode,
    seed,
    backend: backend.name,
    durationMs: performance.now() - t0,
    experimentIds: selected.map((e) => e.id),
    experiments,
    claims: { total, passed: total - failing.length, failed: failing.length },
    failing,
  };
}
