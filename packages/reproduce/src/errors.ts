/** The run was cancelled through its AbortSignal; finished experiments stay on disk. */
export class ReproduceAbortedError extends Error {
  constructor(experiment: string | undefined) {
    super(
      `reproduce was aborted${experiment === undefined ? '' : ` during experiment "${experiment}"`}; ` +
        'finished experiments are kept and a rerun with the same options resumes after them',
    );
    this.name = 'ReproduceAbortedError';
  }
}

/** Bad options to `reproduce` (unknown experiment id, empty output directory, bad seed...). */
export class ReproduceOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`reproduce option "${option}": ${message}`);
    this.name = 'ReproduceOptionsError';
  }
}

/** An experiment's run function threw; wraps the cause with the experiment id. */
export class ExperimentFailedError extends Error {
  constructor(
    readonly experiment: string,
    cause: unknown,
  ) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(`experiment "${experiment}" failed: ${inner}. Earlier experiments are kept; fix and rerun to resume`, {
      cause,
    });
    this.name = 'ExperimentFailedError';
  }
}
