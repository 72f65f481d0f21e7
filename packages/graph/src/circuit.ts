/**
 * A linear resistor network with inputs and outputs (shared/THEORY.md "Circuit").
 *
 * - Nodes `0..nodeCount-1`; edge j is oriented `edgeFrom[j] -> edgeTo[j]`, its drop is
 *   `x[edgeFrom[j]] - x[edgeTo[j]]`. Conductances are in siemens (any consistent unit), all > 0.
 * - Input nodes are held at `inputValues` (Dirichlet). Ground is an input at 0 V.
 * - Output nodes carry `targets`; output and input sets are disjoint.
 * - `samples` (optional) is a dataset of input/target pairs for the same input and output nodes.
 *
 * A `Circuit` structurally satisfies the solver's `Network` (`nodeCount`, `edgeFrom`, `edgeTo`).
 * Treat it as immutable: operations return new circuits.
 */
export interface Circuit {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly conductances: Float64Array;
  readonly inputNodes: Uint32Array;
  readonly inputValues: Float64Array;
  readonly outputNodes: Uint32Array;
  readonly targets: Float64Array;
  readonly samples?: readonly Sample[];
}

/** One input/target pair: `inputs[i]` drives `inputNodes[i]`, `targets[o]` is for `outputNodes[o]`. */
export interface Sample {
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}
