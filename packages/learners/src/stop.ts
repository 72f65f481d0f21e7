import { BoundaryError, DisconnectedCircuitError, LearnerNumericalError } from './errors.js';
import type { Recorder } from './recorder.js';
import type { SampleBatch } from './samples.js';
import type { TrainingEvent, TrainingResult, TrainingStop } from './trainer-types.js';
import type { Evaluation, TrainingModel } from './training-model.js';

/** Turns a disconnection, boundary or non-finite error into a stop report; rethrows anything else. */
export function stopFromError(err: unknown, where: string): TrainingStop {
  if (err instanceof DisconnectedCircuitError) return { reason: 'disconnected', message: err.message };
  if (err instanceof BoundaryError) return { reason: 'boundary', message: `${where}: ${err.message}` };
  if (err instanceof LearnerNumericalError) return { reason: 'non-finite', message: err.message.startsWith(where) ? err.message : `${where}: ${err.message}` };
  throw err;
}

/**
 * The result of a run that stopped with `stop` at `where`. `final.loss` is the loss recorded at the
 * stop point when that record was taken on the model's own problem (`finalOnOwnProblem`), else NaN
 * (the circuit there cannot be solved as a whole).
 */
export function trainingResult(
  model: TrainingModel,
  recorder: Recorder,
  events: TrainingEvent[],
  stop: TrainingStop,
  where: { step: number } | { time: number },
  finalOnOwnProblem: boolean,
): TrainingResult {
  const at = 'step' in where ? where.step : where.time;
  const loss = finalOnOwnProblem && recorder.isAt(at, model.theta) ? recorder.loss.at(-1)! : Number.NaN;
  return {
    history: recorder.history(),
    final: { conductances: model.conductances(model.theta, false), parameters: model.theta.slice(), loss, ...where },
    events,
    stop,
    removedEdges: model.removedEdges.slice(),
    cutOutputs: model.cutOutputs.slice(),
  };
}

/** Is `err` one of the errors that end training with a report (see {@link stopFromError})? */
export function isStopError(err: unknown): boolean {
  return err instanceof DisconnectedCircuitError || err instanceof BoundaryError || err instanceof LearnerNumericalError;
}

/**
 * The full-batch evaluation of the stop point, for its record: on the model's problem (`own`), or,
 * when the circuit is disconnected there (`onDisconnect: 'stop'`), on the part still connected to
 * an input (`connected`: losses over the outputs still connected). `null` when it cannot be solved
 * at all (a resistance at 0, non-finite values; already reported in the stop).
 */
export async function stopPointEvaluation(model: TrainingModel, all: SampleBatch, context: string): Promise<{ ev: Evaluation; on: 'own' | 'connected' } | null> {
  try {
    return { ev: await model.evaluate(model.theta, all, context, all), on: 'own' };
  } catch (err) {
    if (!isStopError(err)) throw err;
    if (!(err instanceof DisconnectedCircuitError)) return null;
  }
  try {
    return { ev: await model.evaluate(model.theta, all, context, all, model.connectedProblem()), on: 'connected' };
  } catch (err) {
    if (!isStopError(err)) throw err;
    return null;
  }
}
