/**
 * A circuit that cannot be used as given. `field` names the offending field of the JSON format
 * (e.g. `edges`, `conductances`, `inputs.nodes`, `samples[3].targets`), `index` the offending entry
 * when there is one (-1 otherwise). The message says what was wrong and how to fix it.
 */
export class CircuitError extends Error {
  override name = 'CircuitError';
  readonly field: string;
  readonly index: number;

  constructor(field: string, index: number, problem: string) {
    super(`${index >= 0 ? `${field}[${index}]` : field}: ${problem}`);
    this.field = field;
    this.index = index;
  }
}
