export { LearnerConfigError, DisconnectedCircuitError, BoundaryError, LearnerNumericalError } from './errors.js';
export { sampleBatch, selectSamples, MiniBatchSchedule, type SampleBatch } from './samples.js';
export { activeNetwork, type ActiveNetwork } from './active-network.js';
export { openStateSolver, solveChecked, type StateSolver, type StateSolverOptions, type StateStrategy } from './state-solver.js';
export { outputResponseFrom, spdInverse, type OutputResponse } from './output-response.js';
export { basisPlan, type BasisPlan, type StateBasis, type Factored } from './state-basis.js';
export {
  freeState,
  freeStateWithResponse,
  referenceState,
  resolveStrategy,
  responseRhs,
  RESPONSE_EXTRA_OUTPUTS,
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
  type StepStatesExtras,
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
export {
  trainDiscrete,
  createDiscreteTrainer,
  type DiscreteTrainerOptions,
  type DiscreteTrainerSetup,
  type DiscreteTrainer,
  type DiscreteChunk,
  type DiscreteSnapshot,
} from './discrete-trainer.js';
export { trainContinuous, type ContinuousTrainerOptions } from './continuous-trainer.js';
export { fusedCoverage, type FusedPolicy, type TrainingPath, type FusedCoverageOptions } from './training-path.js';
export type {
  BoundaryRule,
  DisconnectPolicy,
  TrainingEvent,
  StopReason,
  TrainingStop,
  TrainingProgress,
  TrainerOptions,
  TrainingHistory,
  TrainingResult,
} from './trainer-types.js';
export { parseExperimentConfig, type ExperimentConfig, type ParseExperimentOptions } from './experiment-config.js';
export { runExperiment, historyToCsv, DEFAULT_DISCRETE_RECORDS, type ExperimentResult, type RunExperimentOptions } from './experiment.js';
