/** Validation of the options shared by both trainers (`TrainerOptions`). */
import { LearnerConfigError } from './errors.js';
import type { TrainerOptions } from './trainer-types.js';

/**
 * Checks the optional settings every trainer reads: `lossTolerance` (finite, >= 0),
 * `stagnation` (`window` integer >= 1, `tolerance` finite >= 0), `floor` (finite > 0).
 * @throws LearnerConfigError naming the field.
 */
export function checkTrainerOptions(options: TrainerOptions): void {
  const { lossTolerance, stagnation, floor } = options;
  if (lossTolerance !== undefined && !(lossTolerance >= 0 && Number.isFinite(lossTolerance))) {
    throw new LearnerConfigError('lossTolerance', `must be a finite number >= 0, got ${lossTolerance}`);
  }
  if (stagnation !== undefined) {
    if (!Number.isInteger(stagnation.window) || stagnation.window < 1) {
      throw new LearnerConfigError('stagnation.window', `must be an integer >= 1, got ${stagnation.window}`);
    }
    if (!(stagnation.tolerance >= 0 && Number.isFinite(stagnation.tolerance))) {
      throw new LearnerConfigError('stagnation.tolerance', `must be a finite number >= 0, got ${stagnation.tolerance}`);
    }
  }
  if (floor !== undefined && !(floor > 0 && Number.isFinite(floor))) {
    throw new LearnerConfigError('floor', `must be a finite number > 0, got ${floor}`);
  }
}

/** `value` must be a finite number > 0 (or undefined). */
export function checkPositive(field: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0 && Number.isFinite(value))) {
    throw new LearnerConfigError(field, `must be a finite number > 0, got ${value}`);
  }
}

/** `value` must be an integer >= `min` (or undefined). */
export function checkInteger(field: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new LearnerConfigError(field, `must be an integer >= ${min}, got ${value}`);
  }
}
