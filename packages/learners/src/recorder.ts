import type { TrainingMetrics } from './metrics.js';
import { conservedMass } from './parametrisation.js';
import type { TrainingHistory } from './trainer-types.js';

/** Accumulates a {@link TrainingHistory}; `axis` says whether points are steps or times. */
export class Recorder {
  readonly axisValues: number[] = [];
  readonly loss: number[] = [];
  readonly weightedLoss: number[] = [];
  readonly adjointLoss: number[] = [];
  readonly mass: number[] = [];
  readonly conductances: Float64Array[] = [];
  constructor(
    readonly axis: 'step' | 'time',
    readonly keepConductances: boolean,
  ) {}

  /** The last recorded axis value (NaN if none). */
  get last(): number {
    return this.axisValues.length > 0 ? this.axisValues[this.axisValues.length - 1]! : Number.NaN;
  }

  private lastTheta: Float64Array | null = null;

  /** Whether the last record was taken at `at` with exactly these parameters. */
  isAt(at: number, theta: Float64Array): boolean {
    const last = this.lastTheta;
    return this.last === at && last !== null && last.length === theta.length && last.every((v, j) => v === theta[j]);
  }

  record(at: number, metrics: TrainingMetrics, kinds: Uint8Array, theta: Float64Array, k: Float64Array): void {
    this.lastTheta = theta.slice();
    this.axisValues.push(at);
    this.loss.push(metrics.loss);
    this.weightedLoss.push(metrics.weightedLoss);
    this.adjointLoss.push(metrics.adjointLoss);
    this.mass.push(conservedMass(kinds, theta));
    if (this.keepConductances) this.conductances.push(k.slice());
  }

  /** Number of points recorded so far. */
  get length(): number {
    return this.axisValues.length;
  }

  /** The history (live arrays). */
  history(): TrainingHistory {
    return {
      [this.axis]: this.axisValues,
      loss: this.loss,
      weightedLoss: this.weightedLoss,
      adjointLoss: this.adjointLoss,
      mass: this.mass,
      ...(this.keepConductances ? { conductances: this.conductances } : {}),
    };
  }

  /** A copy of the points recorded from index `from` on (all of them for 0). */
  since(from: number): TrainingHistory {
    return {
      [this.axis]: this.axisValues.slice(from),
      loss: this.loss.slice(from),
      weightedLoss: this.weightedLoss.slice(from),
      adjointLoss: this.adjointLoss.slice(from),
      mass: this.mass.slice(from),
      ...(this.keepConductances ? { conductances: this.conductances.slice(from) } : {}),
    };
  }
}

/** Tracks the base loss for the stagnation rule. Returns true when training has stagnated. */
export class StagnationMonitor {
  private readonly values: number[] = [];
  constructor(private readonly rule?: { readonly window: number; readonly tolerance: number }) {}
  push(loss: number): boolean {
    if (!this.rule) return false;
    this.values.push(loss);
    if (this.values.length <= this.rule.window) return false;
    const old = this.values.shift()!;
    return old - loss < this.rule.tolerance * old;
  }

  /**
   * The first index of `losses` at which pushing them in turn would stop, with a relative `slack`
   * on the test (`old - loss < (tolerance + slack) * old`), or -1. Leaves the monitor unchanged.
   */
  firstStop(losses: ArrayLike<number>, slack = 0): number {
    if (!this.rule) return -1;
    const values = this.values.slice();
    for (let i = 0; i < losses.length; i++) {
      values.push(losses[i]!);
      if (values.length <= this.rule.window) continue;
      const old = values.shift()!;
      if (old - losses[i]! < (this.rule.tolerance + slack) * Math.abs(old)) return i;
    }
    return -1;
  }
}
