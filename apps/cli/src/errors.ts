/** An error the CLI reports as one line and a non-zero exit status (no stack trace). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Known error classes of the packages print their message only; anything else prints the stack. */
export function reportError(err: unknown): number {
  if (err instanceof Error) {
    const known = ['UsageError', 'CircuitError', 'SolverError', 'ExperimentConfigError', 'LearnerError', 'TrainingError', 'AnalysisError'];
    if (known.includes(err.name) || known.includes(err.constructor?.name ?? '')) {
      process.stderr.write(`ohmlab: ${err.name}: ${err.message}\n`);
      return err.name === 'UsageError' ? 64 : 1;
    }
    process.stderr.write(`ohmlab: ${err.stack ?? err.message}\n`);
    return 1;
  }
  process.stderr.write(`ohmlab: ${String(err)}\n`);
  return 1;
}
