/**
 * Errors of the WebGPU backend. Request errors (bad network, singular system) are the CPU
 * package's `SolverError`, re-thrown unchanged so both backends fail alike.
 */

/** No WebGPU adapter or device could be obtained; the message says why and how to get one. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

/** The GPU device was lost (driver reset, `destroy()`, out of memory) during a GPU call. */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

/** A GPU computation could not be done (binding limits exceeded, non-finite float32 values). */
export class GpuComputeError extends Error {
  override name = 'GpuComputeError';
}

/**
 * A GPU promise (adapter, device, buffer mapping, queue completion) did not settle within the
 * watchdog time. The device is then treated as lost: the work continues on the CPU. Raise
 * `watchdogMs` for very large batches on a software adapter.
 */
export class GpuTimeoutError extends DeviceLostError {
  override name = 'GpuTimeoutError';
}
