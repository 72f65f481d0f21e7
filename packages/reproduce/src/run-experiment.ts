import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { writeFileAtomic } from './atomic-write.js';
import { configHash, deriveSeed } from './config-hash.js';
import { ExperimentFailedError, ReproduceAbortedError } from './errors.js';
import { readJsonIfValid, writeJsonAtomic } from './json-file.js';
import type { Experiment, ExperimentContext, ExperimentRecord, ExperimentResult, ProgressEvent } from './types.js';

/** Everything `runOrResume` needs besides the experiment. */
export interface RunSettings {
  readonly outDir: string;
  readonly mode: 'quick' | 'full';
  readonly seed: number;
  readonly backend: SolverBackend;
  readonly force: boolean;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
  readonly log: (message: string) => void;
}

/** Paths of an experiment's outputs: `<outDir>/<id>/<id>.json` and its SVGs beside it. */
export function experimentPaths(outDir: string, id: string): { dir: string; json: string } {
  const dir = join(outDir, id);
  return { dir, json: join(dir, `${id}.json`) };
}

/** The value whose hash decides whether a finished result can be reused. */
export function hashInput(experiment: Experiment, settings: Pick<RunSettings, 'mode' | 'seed' | 'backend'>): unknown {
  return {
    id: experiment.id,
    version: experiment.version,
    mode: settings.mode,
    seed: settings.seed,
    backend: settings.backend.name,
    config: settings.mode === 'quick' ? experiment.quick : experiment.full,
  };
}

function isFinishedRecord(value: unknown, hash: string): value is ExperimentRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<ExperimentRecord>;
  return r.status === 'finished' && r.configHash === hash && Array.isArray(r.claims) && Array.isArray(r.figures);
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Progress of one experiment, at most one event per percent of progress (and one per new message). */
function progressEmitter(experiment: Experiment, settings: RunSettings): (done: number, total: number, message: string) => void {
  let shown = { fraction: -1, message: '' };
  return (done, total, message) => {
    const fraction = total > 0 ? done / total : 1;
    if (message === shown.message && fraction < 1 && fraction - shown.fraction < 0.01) return;
    shown = { fraction, message };
    settings.onProgress?.({ experiment: experiment.id, done, total, message });
  };
}

/** The finished record on disk, when its config hash matches and every figure it lists is present. */
async function reusableRecord(dir: string, json: string, hash: string): Promise<ExperimentRecord | undefined> {
  const previous = await readJsonIfValid(json);
  if (!isFinishedRecord(previous, hash)) return undefined;
  const present = await Promise.all(previous.figures.map((f) => exists(join(dir, f.file))));
  return present.every(Boolean) ? previous : undefined;
}

/** The context an experiment runs in: its config and seed, the backend, abort checks and progress. */
function experimentContext(experiment: Experiment, settings: RunSettings, emit: (done: number, total: number, message: string) => void): ExperimentContext<unknown> {
  const checkAborted = (): void => {
    if (settings.signal?.aborted === true) throw new ReproduceAbortedError(experiment.id);
  };
  return {
    config: settings.mode === 'quick' ? experiment.quick : experiment.full,
    seed: deriveSeed(settings.seed, experiment.id),
    backend: settings.backend,
    signal: settings.signal,
    checkAborted,
    progress(done, total, message = '') {
      checkAborted();
      emit(done, total, message);
    },
    log: (message) => settings.log(`[${experiment.id}] ${message}`),
  };
}

/** Runs the experiment; an abort stays an abort, any other error becomes an `ExperimentFailedError`. */
async function runExperiment(experiment: Experiment, context: ExperimentContext<unknown>, signal: AbortSignal | undefined): Promise<ExperimentResult> {
  try {
    return await experiment.run(context);
  } catch (error) {
    if (error instanceof ReproduceAbortedError) throw error;
    if (isAborted(signal)) throw new ReproduceAbortedError(experiment.id);
    throw new ExperimentFailedError(experiment.id, error);
  }
}

/**
 * Run one experiment, or reuse its finished record when the config hash is unchanged and every
 * file it lists is present. Figures are written first and the JSON record last (both atomically),
 * so a record on disk always describes a complete result.
 */
export async function runOrResume(experiment: Experiment, settings: RunSettings): Promise<{ record: ExperimentRecord; skipped: boolean }> {
  const { dir, json } = experimentPaths(settings.outDir, experiment.id);
  const hash = configHash(hashInput(experiment, settings));
  const emit = progressEmitter(experiment, settings);
  const previous = settings.force ? undefined : await reusableRecord(dir, json, hash);
  if (previous) {
    emit(1, 1, 'unchanged, skipped');
    return { record: previous, skipped: true };
  }
  if (isAborted(settings.signal)) throw new ReproduceAbortedError(experiment.id);
  const context = experimentContext(experiment, settings, emit);
  emit(0, 1, 'starting');
  const startedAt = new Date();
  const t0 = performance.now();
  const result = await runExperiment(experiment, context, settings.signal);
  context.checkAborted();
  const durationMs = performance.now() - t0;
  for (const f of result.figures) await writeFileAtomic(join(dir, `${f.name}.svg`), f.svg);
  const record: ExperimentRecord = {
    id: experiment.id,
    title: experiment.title,
    paper: experiment.paper,
    reference: experiment.reference,
    description: experiment.description,
    status: 'finished',
    configHash: hash,
    mode: settings.mode,
    seed: context.seed,
    backend: settings.backend.name,
    config: context.config,
    startedAt: startedAt.toISOString(),
    durationMs,
    figures: result.figures.map((f) => ({ name: f.name, title: f.title, file: `${f.name}.svg` })),
    figuresOfMerit: result.figuresOfMerit ?? {},
    notes: result.notes ?? [],
    outOfScope: result.outOfScope ?? [],
    claims: result.claims,
    data: result.data,
  };
  await writeJsonAtomic(json, record);
  emit(1, 1, 'done');
  return { record, skipped: false };
}
