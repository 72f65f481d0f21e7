/**
 * Named errors of @ohmlab/analysis. `field` names the offending option or circuit field.
 */
export class AnalysisError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'AnalysisError';
    this.field = field;
  }
}
