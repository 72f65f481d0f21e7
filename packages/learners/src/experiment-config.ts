/**
 * The experiment file of `ohmlab train` (issue 3): a circuit plus the training settings.
 * `parseExperimentConfig` validates it field by field and throws {@link LearnerConfigError}
 * naming the offending field.
 */
import type { Circuit } from '@ohmlab/graph';
import { LearnerConfigError } from './errors.js';
import type { Parametrisation, ParametrisationSpec } from './parametrisation.js';
import type { Rule } from './states.js';
import type { Nudge } from './step-states.js';
import type { BoundaryRule, DisconnectPolicy } from './trainer-types.js';
import type { FusedPolicy } from './training-path.js';

/** A validated experiment. `circuit` is a Circuit, or a path string the caller must resolve. */
export interface ExperimentConfig {
  readonly circuit: Circuit | string;
  readonly rule: Rule;
  readonly nudge: Nudge;
  /** Required for `finite` and `symmetric`; ignored for `zero`. */
  readonly eta?: number;
  /** Learning rate (discrete) or rate multiplier (continuous, default 1). Required for discrete. */
  readonly alpha?: number;
  readonly time: 'discrete' | 'continuous';
  /** Discrete: number of steps. */
  readonly steps?: number;
  /** Continuous: integrate to this time. */
  readonly duration?: number;
  /** Number of record points (continuous: evenly spaced in time; discrete: in steps). */
  readonly record?: number;
  readonly parametrisation: ParametrisationSpec;
  readonly boundary: BoundaryRule;
  /** What to do when an output loses its last path to an input (default `stop`; `DisconnectPolicy`). */
  readonly onDisconnect?: DisconnectPolicy;
  readonly seed: number;
  /** Optional extras: mini-batch size (discrete), clip floor, loss tolerance, stagnation rule. */
  readonly batchSize?: number;
  readonly floor?: number;
  readonly lossTolerance?: number;
  readonly stagnation?: { readonly window: number; readonly tolerance: number };
  /** Discrete: may the backend's fused trainer run the steps (`auto` default, `never`, `require`; `FusedPolicy`). */
  readonly fused?: FusedPolicy;
}

const FIELDS = [
  'circuit', 'rule', 'nudge', 'eta', 'alpha', 'time', 'steps', 'duration', 'record', 'parametrisation',
  'boundary', 'onDisconnect', 'seed', 'batchSize', 'floor', 'lossTolerance', 'stagnation', 'fused', 'name', 'description',
];

function oneOf<T extends string>(raw: Record<string, unknown>, field: string, allowed: readonly T[], fallback?: T): T {
  const v = raw[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new LearnerConfigError(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function num(raw: Record<string, unknown>, field: string, check: (x: number) => boolean, what: string): number | undefined {
  const v = raw[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    throw new LearnerConfigError(field, `must be ${what}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function isCircuit(c: unknown): c is Circuit {
  return typeof c === 'object' && c !== null && (c as Circuit).edgeFrom instanceof Uint32Array && (c as Circuit).conductances instanceof Float64Array;
}

/** Options of {@link parseExperimentConfig}. */
export interface ParseExperimentOptions {
  /** Turns an inline circuit JSON object into a Circuit (pass `parseCircuit` of @ohmlab/graph). */
  readonly parseCircuit?: (raw: unknown) => Circuit;
}

/** The `circuit` field: an inline circuit object, an already-built `Circuit`, or a path string. */
function circuitField(raw: Record<string, unknown>, options: ParseExperimentOptions): Circuit | string {
  const c = raw['circuit'];
  if (typeof c === 'string' || isCircuit(c)) return c;
  if (typeof c === 'object' && c !== null) {
    if (!options.parseCircuit) throw new LearnerConfigError('circuit', 'inline circuit given but no parseCircuit was passed to parseExperimentConfig');
    return options.parseCircuit(c);
  }
  throw new LearnerConfigError('circuit', 'must be an inline circuit object or a path string');
}

/** The fields each time mode requires and the ones it forbids. */
function checkTimeFields(raw: Record<string, unknown>, time: 'discrete' | 'continuous', given: { alpha: number | undefined; steps: number | undefined; duration: number | undefined }): void {
  if (time === 'discrete') {
    if (given.alpha === undefined) throw new LearnerConfigError('alpha', 'is required for time "discrete"');
    if (given.steps === undefined) throw new LearnerConfigError('steps', 'is required for time "discrete"');
    if (given.duration !== undefined) throw new LearnerConfigError('duration', 'applies to time "continuous" only; use "steps"');
    return;
  }
  if (given.duration === undefined) throw new LearnerConfigError('duration', 'is required for time "continuous"');
  if (given.steps !== undefined) throw new LearnerConfigError('steps', 'applies to time "discrete" only; use "duration"');
  if (raw['batchSize'] !== undefined) throw new LearnerConfigError('batchSize', 'mini-batches apply to time "discrete" only');
  if (raw['fused'] !== undefined) throw new LearnerConfigError('fused', 'the fused trainer applies to time "discrete" only');
}

/** `parametrisation`: one kind for every edge, or an array of kinds, one per edge. */
function parametrisationField(raw: Record<string, unknown>): ParametrisationSpec {
  const kinds = ['conductance', 'resistance', 'log'] as const;
  const p = raw['parametrisation'];
  if (p === undefined) return 'conductance';
  if (!Array.isArray(p)) return oneOf(raw, 'parametrisation', kinds);
  p.forEach((x, j) => {
    if (!kinds.includes(x as Parametrisation)) throw new LearnerConfigError(`parametrisation[${j}]`, `must be one of "conductance", "resistance", "log", got ${JSON.stringify(x)}`);
  });
  return p as Parametrisation[];
}

/** `stagnation`: `{"window": integer >= 1, "tolerance": number >= 0}` or absent. */
function stagnationField(raw: Record<string, unknown>): ExperimentConfig['stagnation'] {
  const st = raw['stagnation'];
  if (st === undefined) return undefined;
  const s = st as Record<string, unknown>;
  if (typeof st !== 'object' || st === null || !Number.isInteger(s['window']) || (s['window'] as number) < 1 || typeof s['tolerance'] !== 'number' || !((s['tolerance'] as number) >= 0)) {
    throw new LearnerConfigError('stagnation', `must be {"window": integer >= 1, "tolerance": number >= 0}, got ${JSON.stringify(st)}`);
  }
  return { window: s['window'] as number, tolerance: s['tolerance'] as number };
}

/** The optional fields that are given (an absent field stays absent, never `undefined`). */
function givenFields<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * Validates an experiment file (parsed JSON). `circuit` may be an inline circuit object (parsed
 * with `options.parseCircuit`), an already-built `Circuit`, or a path string left for the caller.
 * Unknown fields are rejected (typos would otherwise be ignored silently).
 * @throws LearnerConfigError naming the field and the allowed values.
 */
export function parseExperimentConfig(json: unknown, options: ParseExperimentOptions = {}): ExperimentConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LearnerConfigError('experiment', 'must be a JSON object');
  }
  const raw = json as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key)) throw new LearnerConfigError(key, `unknown field; allowed fields: ${FIELDS.join(', ')}`);
  }
  const circuit = circuitField(raw, options);
  const rule = oneOf(raw, 'rule', ['ep', 'cl', 'al'] as const);
  const nudge = oneOf(raw, 'nudge', ['finite', 'symmetric', 'zero'] as const);
  const time = oneOf(raw, 'time', ['discrete', 'continuous'] as const);
  const eta = num(raw, 'eta', (x) => x !== 0 || nudge === 'zero', 'a finite nonzero number');
  if (nudge !== 'zero' && eta === undefined) throw new LearnerConfigError('eta', `is required for nudge "${nudge}"`);
  const alpha = num(raw, 'alpha', (x) => x > 0, 'a finite number > 0');
  const steps = num(raw, 'steps', (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0');
  const duration = num(raw, 'duration', (x) => x >= 0, 'a finite number >= 0');
  const record = num(raw, 'record', (x) => Number.isInteger(x) && x >= 2, 'an integer >= 2');
  checkTimeFields(raw, time, { alpha, steps, duration });
  const parametrisation = parametrisationField(raw);
  const boundary = oneOf(raw, 'boundary', ['remove', 'reflect', 'clip'] as const, 'remove');
  const onDisconnect = raw['onDisconnect'] === undefined ? undefined : oneOf(raw, 'onDisconnect', ['stop', 'restrict'] as const);
  const fused = raw['fused'] === undefined ? undefined : oneOf(raw, 'fused', ['auto', 'never', 'require'] as const);
  const seed = num(raw, 'seed', (x) => Number.isInteger(x), 'an integer') ?? 0;
  const batchSize = num(raw, 'batchSize', (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
  const floor = num(raw, 'floor', (x) => x > 0, 'a finite number > 0');
  const lossTolerance = num(raw, 'lossTolerance', (x) => x >= 0, 'a finite number >= 0');
  const stagnation = stagnationField(raw);
  return {
    circuit, rule, nudge, time, parametrisation, boundary, seed,
    ...givenFields({ eta, alpha, steps, duration, record, batchSize, floor, lossTolerance, stagnation, onDisconnect, fused }),
  };
}
