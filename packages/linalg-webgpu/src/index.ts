export {
  createWebGpuBackend,
  requestWebGpuBackend,
  isSoftwareAdapter,
  DEFAULT_TOLERANCE,
  GPU_DENSE_LIMIT,
  type WebGpuBackend,
  type WebGpuBackendOptions,
} from './webgpu-backend.js';
export {
  DENSE_BATCH_LIMIT,
  type BatchFactorRequest,
  type BatchRightHandSides,
  type BatchSolveResult,
  type BatchFactorization,
} from './batch-factorization.js';
export type { FusedTrainerRequest, FusedRule, FusedNudge, FusedBoundary, FusedParametrisation } from './fused/fused-request.js';
export type { FusedTrainer, FusedTrainerState, FusedEvent } from './fused/fused-trainer-types.js';
export { FUSED_NODE_LIMIT } from './fused/gpu-fused-run.js';
export type { PcgPreconditioner } from './algorithms/gpu-pcg.js';
export { TWO_LEVEL_TILE_LIMIT } from './algorithms/coarse-space.js';
export {
  preconditionerStudy,
  preconditionerStudyOf,
  type PreconditionerStudyOptions,
  type PreconditionerStudyRow,
  type StudyPreconditioner,
} from './algorithms/preconditioner-study.js';
export { pcgBytesPerIteration, type PcgThroughput, type PcgThroughputRequest } from './algorithms/pcg-throughput.js';
export type { WebGpuEvent, WebGpuStats } from './backend-events.js';
export type { DeviceOptions } from './device/acquire-device.js';
export type { RefinementOptions } from './algorithms/refinement.js';
export { DEFAULT_WATCHDOG_MS } from './gpu/watchdog.js';
export { WebGpuUnavailableError, DeviceLostError, GpuComputeError, GpuTimeoutError } from './errors.js';
export type { LimitOverrides } from './gpu/gpu-context.js';
