/** An error the CLI reports as one line and a non-zero exit status (no stack trace). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The packages' named errors: their messages say what was wrong and how to fix it, so the CLI
 * prints the message alone. Matched by `name` (the WebGPU package is loaded only on request).
 */
const KNOWN_ERRORS = new Set([
  'UsageError',
  'CircuitError',
  'SolverError',
  'LearnerConfigError',
  'DisconnectedCircuitError',
  'BoundaryError',
  'LearnerNumericalError',
  'AnalysisError',
  'ReproduceOptionsError',
  'ReproduceAbortedError',
  'ExperimentFailedError',
  'WebGpuUnavailableError',
  'DeviceLostError',
  'GpuComputeError',
  'GpuTimeoutError',
]);

/** Prints an error: known error classes as `ohmlab: Name: message`, anything else with its stack. Returns the exit status (64 for usage errors). */
export function reportError(err: unknown): number {
  if (err instanceof Error) {
    if (KNOWN_ERRORS.has(err.name)) {
      process.stderr.write(`ohmlab: ${err.name}: ${err.message}\n`);
      return err.name === 'UsageError' ? 64 : 1;
    }
    process.stderr.write(`ohmlab: ${err.stack ?? err.message}\n`);
    return 1;
  }
  process.stderr.write(`ohmlab: ${String(err)}\n`);
  return 1;
}
