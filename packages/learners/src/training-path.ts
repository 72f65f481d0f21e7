/**
 * Which path a discrete run takes (README "Fused path"): the backend's fused trainer
 * (`SolverBackend.fusedTrainer`: whole steps on the device, records evaluated here) or the generic
 * path (one factorization and one batch of solves per step through `factor`).
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { LearnerConfigError } from './errors.js';

/**
 * Whether a discrete run may use the backend's fused trainer:
 * - `auto` (default): where the backend offers one, the options are covered
 *   ({@link fusedCoverage}) and records are at least 2 steps apart (with a record at every step
 *   every step needs a generic solve anyway, so fusing saves nothing), and its device takes the run;
 * - `never`: always the generic path;
 * - `require`: the fused trainer or a `LearnerConfigError` (also when records are 1 step apart, or
 *   when the backend runs it on its CPU fallback).
 */
export type FusedPolicy = 'auto' | 'never' | 'require';

/** The path a discrete run took (`TrainingResult.path`, `DiscreteSnapshot.path`). */
export interface TrainingPath {
  /** The path the run started on: `fused` (backend's fused trainer) or `generic` (factor + solve per step). */
  readonly kind: 'fused' | 'generic';
  /** Why: the fused trainer's backend, or what kept the run on the generic path. */
  readonly reason: string;
  /** Steps applied by the fused trainer (the others by the generic path). */
  readonly fusedSteps: number;
  /** Where the fused trainer ran its last steps: its device (e.g. `webgpu`), or `cpu` after a fallback. */
  readonly runsOn?: string;
  /** In order: fallbacks inside the fused trainer and hand-overs to the generic path, each with its step. */
  readonly notes: readonly string[];
  /** One line for summaries, e.g. `fused (webgpu): 1000 of 1000 steps`. */
  readonly summary: string;
}

/** The options {@link fusedCoverage} looks at. */
export interface FusedCoverageOptions {
  /** Kept for callers; full batches and mini-batches are both covered now. */
  readonly batchSize?: number | undefined;
  readonly onDisconnect?: string | undefined;
}

/**
 * Why the fused trainer cannot run these options on this backend, or null when it can: it needs a
 * backend with `fusedTrainer`, `onDisconnect: 'stop'` and at least one output. (Rules EP/CL/AL,
 * all nudges and boundary rules, every parametrisation (conductance, resistance, log, per edge),
 * full batches and seeded mini-batches, loss-tolerance and stagnation stops are covered.) `kinds` (the per-edge
 * parametrisation) is kept in the signature for callers; every kind is covered now.
 */
export function fusedCoverage(backend: SolverBackend, circuit: Circuit, _kinds: Uint8Array, options: FusedCoverageOptions): string | null {
  if (typeof backend.fusedTrainer !== 'function') return `backend "${backend.name}" has no fused trainer`;
  if ((options.onDisconnect ?? 'stop') !== 'stop') return 'the fused trainer stops at a disconnection (onDisconnect "restrict" is set)';
  if (circuit.outputNodes.length === 0) return 'the circuit has no output node';
  return null;
}

/**
 * The path a new run starts on. Throws `LearnerConfigError` (field `fused`) for an unknown policy,
 * or for `require` when the fused trainer cannot run the options.
 */
export function choosePath(policy: unknown, backend: SolverBackend, circuit: Circuit, kinds: Uint8Array, options: FusedCoverageOptions, recordEvery: number): PathTracker {
  if (policy !== 'auto' && policy !== 'never' && policy !== 'require') {
    throw new LearnerConfigError('fused', `must be "auto", "never" or "require", got ${JSON.stringify(policy)}`);
  }
  if (policy === 'never') return new PathTracker('generic', 'option fused: "never"');
  const uncovered = fusedCoverage(backend, circuit, kinds, options);
  if (uncovered !== null && policy === 'require') throw new LearnerConfigError('fused', `is "require", but ${uncovered}`);
  if (uncovered !== null) return new PathTracker('generic', uncovered);
  if (policy === 'auto' && recordEvery === 1) {
    return new PathTracker('generic', 'a record at every step (recordEvery 1) needs a generic solve per step: fusing would save nothing');
  }
  return new PathTracker('fused', `backend "${backend.name}" has a fused trainer and the options are covered`);
}

/** Mutable record of a run's path; `value(steps)` is the public {@link TrainingPath}. */
export class PathTracker {
  fusedSteps = 0;
  runsOn: string | undefined;
  readonly notes: string[] = [];

  constructor(
    public kind: 'fused' | 'generic',
    public reason: string,
  ) {}

  /** The run is on the fused path now (it started there and has not been handed over). */
  fusedActive = false;

  value(steps: number): TrainingPath {
    const where = this.runsOn ? ` (${this.runsOn})` : '';
    const summary =
      this.kind === 'generic'
        ? `generic (factor + solve per step): ${this.reason}`
        : `fused${where}: ${this.fusedSteps} of ${steps} steps in the fused trainer${this.notes.length > 0 ? `; ${this.notes.join('; ')}` : ''}`;
    return { kind: this.kind, reason: this.reason, fusedSteps: this.fusedSteps, ...(this.runsOn ? { runsOn: this.runsOn } : {}), notes: this.notes.slice(), summary };
  }
}
