import type { Circuit } from '@ohmlab/graph';
import type { FactorOptions, Factorization, RightHandSides, SolveResult, SolverBackend } from '@ohmlab/linalg-cpu';
import { activeNetwork, type ActiveNetwork } from './active-network.js';
import { LearnerNumericalError } from './errors.js';

/** Options of {@link openStateSolver}. */
export interface StateSolverOptions {
  /** Conductances of every edge of the circuit (default `circuit.conductances`); 0 = edge absent. */
  readonly conductances?: Float64Array;
  /** Passed to `backend.factor`. */
  readonly factorOptions?: FactorOptions;
  /** Label used in error messages (e.g. `step 12`). */
  readonly context?: string;
}

/**
 * One circuit at one conductance vector, with the two factorizations every state needs, created
 * lazily and shared by all states and samples of a training step:
 * - `inputsOnly`: Dirichlet set = input nodes (free, EP nudged, EP clamped states);
 * - `inputsAndOutputs`: Dirichlet set = input nodes then output nodes, in that order
 *   (CL nudged/clamped, AL reference/nudged/clamped states).
 * Call `dispose()` when done (releases GPU buffers on the WebGPU backend).
 */
export interface StateSolver {
  readonly backend: SolverBackend;
  readonly circuit: Circuit;
  /** Conductances of all edges (original indexing). */
  readonly conductances: Float64Array;
  readonly active: ActiveNetwork;
  inputsOnly(): Promise<Factorization>;
  inputsAndOutputs(): Promise<Factorization>;
  dispose(): void;
}

/**
 * Opens a {@link StateSolver}. Checks connectivity first.
 * @throws DisconnectedCircuitError when an output or a component has no path to an input.
 */
export function openStateSolver(backend: SolverBackend, circuit: Circuit, options: StateSolverOptions = {}): StateSolver {
  const conductances = options.conductances ?? circuit.conductances;
  const active = activeNetwork(circuit, conductances, options.context ?? 'circuit');
  let f1: Promise<Factorization> | undefined;
  let f2: Promise<Factorization> | undefined;
  const factor = (dirichletNodes: Uint32Array): Promise<Factorization> =>
    backend.factor({
      network: active.network,
      conductances: active.activeConductances,
      dirichletNodes,
      ...(options.factorOptions ? { options: options.factorOptions } : {}),
    });
  return {
    backend,
    circuit,
    conductances,
    active,
    inputsOnly() {
      f1 ??= factor(circuit.inputNodes);
      return f1;
    },
    inputsAndOutputs() {
      if (!f2) {
        const nIn = circuit.inputNodes.length;
        const d = new Uint32Array(nIn + circuit.outputNodes.length);
        d.set(circuit.inputNodes, 0);
        d.set(circuit.outputNodes, nIn);
        f2 = factor(d);
      }
      return f2;
    },
    dispose() {
      for (const f of [f1, f2]) if (f) void f.then((x) => x.dispose(), () => undefined);
      f1 = undefined;
      f2 = undefined;
    },
  };
}

/** Solves and rejects non-finite voltages with a clear error. */
export async function solveChecked(f: Factorization, rhs: RightHandSides, what: string): Promise<SolveResult> {
  const res = await f.solve(rhs);
  const v = res.voltages;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new LearnerNumericalError(
        `${what}: the solver returned a non-finite voltage (method ${f.method}); the conductances may be degenerate`,
      );
    }
  }
  return res;
}
