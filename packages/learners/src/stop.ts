import { BoundaryError, DisconnectedCircuitError, LearnerNumericalError } from './errors.js';
import type { StopReason } from './trainer-types.js';
import type { TrainingModel } from './training-model.js';
import { sampleBatch } from './samples.js';

/** Turns a disconnection, boundary or non-finite error into a stop report; rethrows anything else. */
export function stopFromError(err: unknown, where: string): { reason: StopReason; message: string } {
  if (err instanceof DisconnectedCircuitError) return { reason: 'disconnected', message: err.message };
  if (err instanceof BoundaryError) return { reason: 'boundary', message: `${where}: ${err.message}` };
  if (err instanceof LearnerNumericalError) return { reason: 'non-finite', message: err.message.startsWith(where) ? err.message : `${where}: ${err.message}` };
  throw err;
}

/**
 * L over all samples at the model's parameters, or NaN when the circuit cannot be solved there.
 * `recorded` (the loss already recorded at these parameters, if any) saves the solve.
 */
export async function finalLoss(model: TrainingModel, recorded?: number): Promise<number> {
  if (recorded !== undefined) return recorded;
  try {
    const all = sampleBatch(model.circuit);
    const ev = await model.evaluate(model.theta, all, 'final', all);
    return ev.metrics!.loss;
  } catch (err) {
    if (isStopError(err)) return Number.NaN;
    throw err;
  }
}

/** Is `err` one of the errors that end training with a report (see {@link stopFromError})? */
export function isStopError(err: unknown): boolean {
  return err instanceof DisconnectedCircuitError || err instanceof BoundaryError || err instanceof LearnerNumericalError;
}

/** Runs a final record; a circuit that cannot be solved there (already reported in `stop`) is skipped. */
export async function recordIfSolvable(record: () => Promise<unknown>): Promise<void> {
  try {
    await record();
  } catch (err) {
    if (!isStopError(err)) throw err;
  }
}
