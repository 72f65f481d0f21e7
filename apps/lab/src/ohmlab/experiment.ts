import { parseCircuit, type Circuit } from '@ohmlab/graph';
import {
  historyToCsv,
  parametersFromConductances,
  parametrisationKinds,
  parseExperimentConfig,
  type ExperimentConfig,
} from '@ohmlab/learners';
import type { RunConfig } from '../core/run-config.js';
import type { StepRecord } from '../worker/train-protocol.js';
import { circuitJson } from './circuits.js';

/** Relative clip floor: the trainer's own default (`1e-6 max |theta_0|`), fixed at the run's start. */
const relativeFloor = 1e-6;

/**
 * The run as an experiment file of `ohmlab train` (the fields @ohmlab/learners'
 * `parseExperimentConfig` reads), for `steps` steps, every step recorded. The clip floor is written
 * out (the trainer's default computed from the initial parameters) so that a replay matches.
 */
export function experimentFile(config: RunConfig, circuit: Circuit, steps: number): Record<string, unknown> {
  const t = config.train;
  const file: Record<string, unknown> = {
    name: `lab-${config.circuit.kind}-${t.rule}`,
    description: `Exported from the Ohmlab lab (${config.circuit.fileName ?? config.circuit.kind}, ${steps} steps)`,
    circuit: circuitJson(circuit),
    rule: t.rule,
    nudge: t.nudge,
    alpha: t.alpha,
    time: 'discrete',
    steps,
    parametrisation: t.parametrisation,
    boundary: t.boundary,
    seed: t.seed,
    lossTolerance: t.lossTolerance,
  };
  if (t.nudge !== 'zero') file['eta'] = t.eta;
  if (steps >= 1) file['record'] = steps + 1;
  if (t.boundary === 'clip') file['floor'] = clipFloor(circuit, t.parametrisation);
  return file;
}

/**
 * Validates the settings as @ohmlab/learners does for `ohmlab train`.
 * @throws LearnerConfigError naming the bad field (e.g. eta = 0 with a finite nudge).
 */
export function validatedExperiment(config: RunConfig, circuit: Circuit, steps: number): ExperimentConfig {
  return parseExperimentConfig(experimentFile(config, circuit, steps), { parseCircuit });
}

/** The clip floor in the parameter's unit: `1e-6 max |theta_0|` (the trainer's default). */
export function clipFloor(circuit: Circuit, parametrisation: RunConfig['train']['parametrisation']): number {
  const theta = parametersFromConductances(parametrisationKinds(parametrisation, circuit.edgeFrom.length), circuit.conductances);
  let scale = 0;
  for (const value of theta) scale = Math.max(scale, Math.abs(value));
  return relativeFloor * scale;
}

/**
 * The recorded history as CSV: @ohmlab/learners' `historyToCsv` columns
 * (`step,loss,weightedLoss,adjointLoss,mass,k0..`) plus the lab's `coercivity` column last.
 */
export function historyCsv(records: readonly StepRecord[]): string {
  const csv = historyToCsv({
    step: records.map((r) => r.step),
    loss: records.map((r) => r.loss),
    weightedLoss: records.map((r) => r.weightedLoss),
    adjointLoss: records.map((r) => r.adjointLoss),
    mass: records.map((r) => r.conservedQuantity),
    conductances: records.map((r) => r.conductances),
  });
  const lines = csv.trimEnd().split('\n');
  return `${lines.map((line, i) => `${line},${i === 0 ? 'coercivity' : String(records[i - 1]?.coercivity ?? '')}`).join('\n')}\n`;
}
