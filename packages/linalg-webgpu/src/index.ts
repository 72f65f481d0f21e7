export {
  createWebGpuBackend,
  requestWebGpuBackend,
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
export type { WebGpuEvent, WebGpuStats } from './backend-events.js';
export type { DeviceOptions } from './device/acquire-device.js';
export type { RefinementOptions } from './algorithms/refinement.js';
export { WebGpuUnavailableError, DeviceLostError, GpuComputeError } from './errors.js';
export type { LimitOverrides } from './gpu/gpu-context.js';
