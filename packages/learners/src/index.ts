export { LearnerConfigError, DisconnectedCircuitError, BoundaryError, LearnerNumericalError } from './errors.js';
export { sampleBatch, selectSamples, MiniBatchSchedule, type SampleBatch } from './samples.js';
export { activeNetwork, type ActiveNetwork } from './active-network.js';
export { openStateSolver, type StateSolver, type StateSolverOptions } from './state-solver.js';
export {
  freeState,
  referenceState,
  clampedState,
  nudgedState,
  baseState,
  type Rule,
  type NodeStates,
  type FreeState,
  type ReferenceState,
  type BaseState,
  type ClampedState,
  type NudgedStates,
} from './states.js';
export {
  stepStates,
  computeStates,
  checkNudge,
  type Nudge,
  type NudgeOptions,
  type StepStates,
  type ComputeStatesOptions,
} from './step-states.js';
export {
  parametrisationKinds,
  parametersFromConductances,
  conductancesFromParameters,
  conductanceDerivative,
  conservedMass,
  CONDUCTANCE,
  RESISTANCE,
  LOG,
  type Parametrisation,
  type ParametrisationSpec,
} from './parametrisation.js';
export { edgeContrast, parameterVelocity } from './rules.js';
export { outputLoss, adjointLoss, trainingMetrics, type TrainingMetrics } from './metrics.js';
export { dormandPrinceStep, type DormandPrinceStep } from './dormand-prince.js';
export { trainDiscrete, type DiscreteTrainerOptions } from './discrete-trainer.js';
export { trainContinuous, type ContinuousTrainerOptions } from './continuous-trainer.js';
export type {
  BoundaryRule,
  TrainingEvent,
  StopReason,
  TrainingProgress,
  TrainerOptions,
  TrainingHistory,
  TrainingResult,
} from './trainer-types.js';
export { parseExperimentConfig, type ExperimentConfig, type ParseExperimentOptions } from './experiment-config.js';
export { runExperiment, historyToCsv, type ExperimentResult, type RunExperimentOptions } from './experiment.js';
