/**
 * The trainable state shared by both trainers: per-edge parametrisation, parameters theta,
 * boundary levels and removed edges, the problem being solved (the whole circuit, or its part
 * still connected to the inputs under `onDisconnect: 'restrict'`, `connected-problem.ts`), and the
 * velocity `dtheta/dt = -f'(theta) g` of the rule (see `rules.ts`), with the boundary rule applied.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import {
  fullProblem,
  nodesLosingInputs,
  originalEdgeValues,
  problemBatch,
  problemEdgeValues,
  restrictProblem,
  type TrainingProblem,
} from './connected-problem.js';
import { BoundaryError, LearnerConfigError, LearnerNumericalError } from './errors.js';
import { adjointLoss, outputLoss, trainingMetrics, type TrainingMetrics } from './metrics.js';
import {
  CONDUCTANCE,
  LOG,
  RESISTANCE,
  conductancesFromParameters,
  parametersFromConductances,
  parametrisationKinds,
} from './parametrisation.js';
import { edgeContrast, parameterVelocity } from './rules.js';
import type { SampleBatch } from './samples.js';
import { openStateSolver } from './state-solver.js';
import { checkNudge, stepStates, type NudgeOptions } from './step-states.js';
import { checkTrainerOptions } from './trainer-options.js';
import type { BoundaryRule, DisconnectPolicy, TrainerOptions, TrainingEvent } from './trainer-types.js';

type Where = { step: number } | { time: number };

/** Result of one velocity evaluation. */
export interface Evaluation {
  /** `dtheta/dt` per unit learning rate, boundary rule applied. */
  readonly velocity: Float64Array;
  /** The rule's base loss on the batch: L (EP, CL) or L_AL (AL). */
  readonly baseLoss: number;
  /** Full-batch metrics, when requested. */
  readonly metrics?: TrainingMetrics;
}

export class TrainingModel {
  readonly kinds: Uint8Array;
  readonly theta: Float64Array;
  readonly removed: Uint8Array;
  /** Boundary level per edge (0 or the floor); NaN for log edges (no boundary). */
  readonly level: Float64Array;
  readonly boundary: BoundaryRule;
  readonly removedEdges: number[] = [];
  /** Output nodes cut off (original numbering), in order (`onDisconnect: 'restrict'`). */
  readonly cutOutputs: number[] = [];
  readonly nudge: NudgeOptions;
  readonly onDisconnect: DisconnectPolicy;
  /** The problem being solved: the whole circuit, or its part still connected to an input. */
  problem: TrainingProblem;

  constructor(
    readonly backend: SolverBackend,
    readonly circuit: Circuit,
    readonly options: TrainerOptions,
  ) {
    checkNudge(options);
    checkTrainerOptions(options);
    this.nudge = { rule: options.rule, nudge: options.nudge, ...(options.eta !== undefined ? { eta: options.eta } : {}) };
    const m = circuit.edgeFrom.length;
    this.kinds = parametrisationKinds(options.parametrisation ?? 'conductance', m);
    this.theta = parametersFromConductances(this.kinds, circuit.conductances);
    this.removed = new Uint8Array(m);
    this.boundary = options.boundary ?? 'remove';
    if (!['remove', 'reflect', 'clip'].includes(this.boundary)) {
      throw new LearnerConfigError('boundary', `must be "remove", "reflect" or "clip", got ${JSON.stringify(this.boundary)}`);
    }
    this.onDisconnect = options.onDisconnect ?? 'stop';
    if (!['stop', 'restrict'].includes(this.onDisconnect)) {
      throw new LearnerConfigError('onDisconnect', `must be "stop" or "restrict", got ${JSON.stringify(this.onDisconnect)}`);
    }
    this.problem = fullProblem(circuit);
    let scale = 0;
    for (const t of this.theta) scale = Math.max(scale, Math.abs(t));
    const floor = options.floor ?? 1e-6 * scale;
    if (this.boundary === 'clip' && !(floor > 0 && Number.isFinite(floor))) {
      throw new LearnerConfigError('floor', `must be finite and > 0 for boundary "clip", got ${floor}`);
    }
    this.level = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      this.level[j] = this.kinds[j] === LOG ? Number.NaN : this.boundary === 'clip' ? floor : 0;
      if (this.theta[j]! <= this.level[j]!) {
        throw new LearnerConfigError(`conductances[${j}]`, `starts at or below the clip floor ${floor}; lower "floor"`);
      }
    }
  }

  /**
   * Conductances of all edges for parameters `theta` (0 for removed or resting edges). With
   * `strict`, a resistance at or below 0 throws BoundaryError and an overflowing conductance
   * LearnerNumericalError; otherwise they give k = Infinity.
   */
  conductances(theta: Float64Array = this.theta, strict = true): Float64Array {
    const k = conductancesFromParameters(this.kinds, theta);
    for (let j = 0; j < k.length; j++) {
      if (this.removed[j] || (this.kinds[j] === CONDUCTANCE && theta[j]! <= 0)) k[j] = 0;
      else if (this.kinds[j] === RESISTANCE && !(theta[j]! > 0)) {
        if (!strict) {
          k[j] = Number.POSITIVE_INFINITY;
          continue;
        }
        throw new BoundaryError(j, `resistance reached ${theta[j]} (a short circuit); use boundary "clip" with a floor on R`);
      } else if (strict && !Number.isFinite(k[j]!)) {
        throw new LearnerNumericalError(`the conductance of edge ${j} is ${k[j]} (parameter ${theta[j]}); lower alpha`);
      }
    }
    return k;
  }

  /**
   * Velocity at `theta` on `batch` (all original edges; 0 outside `problem`); with `metricsBatch`,
   * also the full metrics there (same solver). Removed and frozen edges get 0; edges at their
   * level get `max(v, 0)` (they may only move up). `problem` defaults to the model's own.
   */
  async evaluate(theta: Float64Array, batch: SampleBatch, context: string, metricsBatch?: SampleBatch, problem = this.problem): Promise<Evaluation> {
    const m = theta.length;
    const conductances = this.conductances(theta);
    if (problem.outputCount === 0) {
      // no output left: no learning signal, every loss is an empty sum
      return { velocity: new Float64Array(m), baseLoss: 0, ...(metricsBatch ? { metrics: { loss: 0, weightedLoss: 0, adjointLoss: 0 } } : {}) };
    }
    const solver = openStateSolver(this.backend, problem.circuit, {
      conductances: problemEdgeValues(problem, conductances),
      context,
      ...(this.options.factorOptions ? { factorOptions: this.options.factorOptions } : {}),
      ...(this.options.strategy ? { strategy: this.options.strategy } : {}),
    });
    try {
      const sub = problemBatch(problem, batch);
      // step states first: with the response strategy their one solve call also serves the metrics
      const states = await stepStates(solver, sub, this.nudge);
      const metrics = metricsBatch
        ? await trainingMetrics(solver, metricsBatch === batch ? sub : problemBatch(problem, metricsBatch), metricsBatch === batch ? states.free : undefined)
        : undefined;
      const contrast = originalEdgeValues(problem, edgeContrast(problem.circuit, states), m);
      const velocity = parameterVelocity(this.kinds, theta, contrast);
      this.constrain(theta, velocity, problem);
      const baseLoss = states.base.kind === 'free' ? outputLoss(states.base) : adjointLoss(states.base);
      checkFinite(velocity, baseLoss, metrics, context);
      return { velocity, baseLoss, ...(metrics ? { metrics } : {}) };
    } finally {
      solver.dispose();
    }
  }

  /** Applies the boundary rule (and the freezing of edges outside `problem`) to a velocity in place. */
  constrain(theta: Float64Array, velocity: Float64Array, problem = this.problem): void {
    for (let j = 0; j < velocity.length; j++) {
      if (this.removed[j] || problem.outside[j]) velocity[j] = 0;
      else if (theta[j]! <= this.level[j]! && velocity[j]! < 0) velocity[j] = 0;
    }
  }

  /**
   * Puts edge j on its boundary (theta = level exactly) and returns the event.
   * @throws BoundaryError for a resistance edge reaching R = 0 without `clip`.
   */
  hitBoundary(j: number, where: Where): TrainingEvent {
    if (this.kinds[j] === RESISTANCE && this.boundary !== 'clip') {
      this.theta[j] = 0;
      throw new BoundaryError(j, 'resistance reached 0 (a short circuit); use boundary "clip" with a floor on R');
    }
    this.theta[j] = this.level[j]!;
    if (this.boundary === 'remove') {
      this.removed[j] = 1;
      this.removedEdges.push(j);
      return { kind: 'removed', edge: j, ...where };
    }
    return { kind: this.boundary === 'reflect' ? 'reflected' : 'clipped', edge: j, ...where };
  }

  /** Edges whose value crossed below their level going from `before` to `after`. */
  crossings(before: Float64Array, after: Float64Array): number[] {
    const out: number[] = [];
    for (let j = 0; j < after.length; j++) {
      if (this.moves(j) && before[j]! > this.level[j]! && after[j]! <= this.level[j]!) out.push(j);
    }
    return out;
  }

  /**
   * Per edge: `resting` 1 on its boundary (removed, resting at 0 under `reflect`, held at the
   * floor under `clip`), `frozen` 1 outside the problem (`onDisconnect: 'restrict'`).
   */
  boundaryFlags(): { resting: Uint8Array; frozen: Uint8Array } {
    const m = this.theta.length;
    const resting = new Uint8Array(m);
    for (let j = 0; j < m; j++) resting[j] = this.removed[j] || (this.kinds[j] !== LOG && this.theta[j]! <= this.level[j]!) ? 1 : 0;
    return { resting, frozen: this.problem.outside.slice() };
  }

  /** Whether edge j can still move (neither removed nor frozen outside the problem). */
  moves(j: number): boolean {
    return !this.removed[j] && !this.problem.outside[j];
  }

  /**
   * After boundary events: with `onDisconnect: 'restrict'`, drops the nodes that lost every path
   * to an input from the problem and returns an `output-cut` event for each output among them
   * (none with `stop`: the next solve reports the disconnection).
   */
  restrictAfterBoundary(where: Where): TrainingEvent[] {
    if (this.onDisconnect !== 'restrict') return [];
    const lost = nodesLosingInputs(this.circuit, this.problem, this.conductances(this.theta, false));
    if (lost.length === 0) return [];
    this.problem = restrictProblem(this.circuit, this.problem, lost);
    const isOutput = new Set(this.circuit.outputNodes);
    const cut = lost.filter((i) => isOutput.has(i));
    this.cutOutputs.push(...cut);
    return cut.map((node) => ({
      kind: 'output-cut' as const,
      edge: -1,
      node,
      ...where,
      message: `output node ${node} lost its last path to an input; it leaves the loss (${this.problem.outputCount} output(s) left)`,
    }));
  }

  /**
   * The part of the circuit still connected to an input at the current parameters (the model's
   * own problem when nothing more is cut off): what a disconnection stop is recorded on.
   */
  connectedProblem(): TrainingProblem {
    const lost = nodesLosingInputs(this.circuit, this.problem, this.conductances(this.theta, false));
    return lost.length === 0 ? this.problem : restrictProblem(this.circuit, this.problem, lost);
  }
}

/** Throws LearnerNumericalError when a velocity entry or a loss is not finite. */
function checkFinite(velocity: Float64Array, baseLoss: number, metrics: TrainingMetrics | undefined, context: string): void {
  const bad = velocity.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new LearnerNumericalError(`${context}: the update of edge ${bad} is ${velocity[bad]}; lower alpha or check the conductances`);
  const losses = [baseLoss, ...(metrics ? [metrics.loss, metrics.weightedLoss, metrics.adjointLoss] : [])];
  if (!losses.every(Number.isFinite)) throw new LearnerNumericalError(`${context}: a loss is not finite (${losses.join(', ')}); lower alpha or check the conductances`);
}
