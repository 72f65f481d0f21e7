import { BoundaryError, DisconnectedCircuitError } from './errors.js';
import type { StopReason } from './trainer-types.js';
import type { TrainingModel } from './training-model.js';
import { sampleBatch } from './samples.js';

/** Turns a disconnection or boundary error into a stop report; rethrows anything else. */
export function stopFromError(err: unknown, where: string): { reason: StopReason; message: string } {
  if (err instanceof DisconnectedCircuitError) return { reason: 'disconnected', message: err.message };
  if (err instanceof BoundaryError) return { reason: 'boundary', message: `${where}: ${err.message}` };
  throw err;
}

/** L over all samples at the model's parameters, or NaN when the circuit cannot be solved. */
export async function finalLoss(model: TrainingModel): Promise<number> {
  try {
    const all = sampleBatch(model.circuit);
    const ev = await model.evaluate(model.theta, all, 'final', all);
    return ev.metrics!.loss;
  } catch (err) {
    if (err instanceof DisconnectedCircuitError || err instanceof BoundaryError) return Number.NaN;
    throw err;
  }
}
