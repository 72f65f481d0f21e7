/**
 * Named errors of `@ohmlab/learners`. Messages say what was wrong and how to fix it.
 */

/** An option or experiment-file field is missing, of the wrong type or out of range. */
export class LearnerConfigError extends Error {
  override readonly name = 'LearnerConfigError';
  /** The offending field, e.g. `eta` or `parametrisation[3]`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/**
 * The active circuit cannot be solved: an output lost every path to an input, or a connected
 * component has no input (its voltages would be undefined). Thrown instead of solving a singular
 * system, typically after edge removal (THEORY.md "Circuit": `L_c` must be positive definite).
 */
export class DisconnectedCircuitError extends Error {
  override readonly name = 'DisconnectedCircuitError';
  /** Output nodes with no path to any input through active edges. */
  readonly disconnectedOutputs: readonly number[];
  /** Non-input nodes in components that contain no input (the first few). */
  readonly floatingNodes: readonly number[];
  constructor(disconnectedOutputs: readonly number[], floatingNodes: readonly number[], context: string) {
    const parts: string[] = [];
    if (disconnectedOutputs.length > 0) {
      parts.push(`output node(s) ${disconnectedOutputs.join(', ')} have no path to an input`);
    }
    if (floatingNodes.length > 0) {
      parts.push(`node(s) ${floatingNodes.slice(0, 10).join(', ')}${floatingNodes.length > 10 ? ', ...' : ''} lie in a component without an input`);
    }
    super(
      `${context}: ${parts.join('; ')}. The system would be singular. ` +
        'Use boundary "clip" (a conductance floor) or a different circuit/learning rate.',
    );
    this.disconnectedOutputs = disconnectedOutputs;
    this.floatingNodes = floatingNodes;
  }
}

/** A parameter left its admissible range in a way the chosen boundary rule cannot handle. */
export class BoundaryError extends Error {
  override readonly name = 'BoundaryError';
  /** Original edge index. */
  readonly edge: number;
  constructor(edge: number, message: string) {
    super(`edge ${edge}: ${message}`);
    this.edge = edge;
  }
}

/** A numerical result was not finite (NaN or infinity) or an integrator failed. */
export class LearnerNumericalError extends Error {
  override readonly name = 'LearnerNumericalError';
}
