import type { Circuit } from '@ohmlab/graph';
import type { FactorOptions, Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import { activeNetwork, type ActiveNetwork } from './active-network.js';
import { LearnerConfigError } from './errors.js';
import { solveChecked } from './solve-checked.js';

export { solveChecked };
import { outputResponseFrom, type OutputResponse } from './output-response.js';
import type { SampleBatch } from './samples.js';
import { basisPlan, solveStateBasis, type BasisPlan, type StateBasis } from './state-basis.js';

/**
 * How the states of a step are obtained (README "One factorization per step"):
 * - `response`: ONE factorization (Dirichlet set = inputs); the free states and the `p`
 *   unit-current output responses are solved in one batch of at most `S + p` right-hand sides
 *   (`q + p` with `q = min(S, inputs used)`, `state-basis.ts`), and every other state (clamped,
 *   nudged, AL reference) is a combination of them (`output-response.ts`, `response-states.ts`);
 * - `direct`: every state is solved on its own Dirichlet set (inputs, or inputs + outputs), one RHS
 *   batch per state kind (up to two factorizations and two solve calls per step);
 * - `auto` (default): `response`, except when the outputs outnumber the extra right-hand sides of
 *   the direct route and the solver is iterative, or outnumber them by more than
 *   `RESPONSE_EXTRA_OUTPUTS` (see `resolveStrategy` in `states.ts`).
 */
export type StateStrategy = 'auto' | 'response' | 'direct';

/** Options of {@link openStateSolver}. */
export interface StateSolverOptions {
  /** Conductances of every edge of the circuit (default `circuit.conductances`); 0 = edge absent. */
  readonly conductances?: Float64Array;
  /** Passed to `backend.factor`. */
  readonly factorOptions?: FactorOptions;
  /** Label used in error messages (e.g. `step 12`). */
  readonly context?: string;
  /** Default `auto`. */
  readonly strategy?: StateStrategy;
}

/**
 * One circuit at one conductance vector, with the factorizations and output response every state
 * needs, created lazily and shared by all states and samples of a training step:
 * - `inputsOnly`: Dirichlet set = input nodes (free states, output response, EP states);
 * - `inputsAndOutputs`: Dirichlet set = input nodes then output nodes (only the `direct` strategy
 *   uses it, for CL and AL states);
 * - `outputResponse`: `Z`, `G`, `D` (`output-response.ts`), `p` unit-current solves on `inputsOnly`.
 * Call `dispose()` when done (releases GPU buffers on the WebGPU backend).
 */
export interface StateSolver {
  readonly backend: SolverBackend;
  readonly circuit: Circuit;
  /** Conductances of all edges (original indexing). */
  readonly conductances: Float64Array;
  readonly active: ActiveNetwork;
  readonly strategy: StateStrategy;
  inputsOnly(): Promise<Factorization>;
  inputsAndOutputs(): Promise<Factorization>;
  /** The output response (cached; `p` right-hand sides on `inputsOnly` the first time). */
  outputResponse(): Promise<OutputResponse>;
  /** Whether the output response is already solved (or being solved). */
  hasOutputResponse(): boolean;
  /**
   * The basis of the `response` strategy for `batch` (`state-basis.ts`): its q input states and
   * the p output responses in ONE solve call of `q + p` right-hand sides (`q` when the response is
   * cached). A basis of unit-input states is cached and shared by every batch that uses those inputs.
   */
  stateBasis(batch: SampleBatch): Promise<StateBasis>;
  /** Whether `stateBasis(batch)` is cached (a basis of unit-input states for the inputs it uses). */
  hasStateBasis(batch: SampleBatch): boolean;
  /**
   * Releases the factorizations (GPU buffers on WebGPU), also those still being made. Idempotent.
   * Afterwards no new factorization is made: a call that needs one rejects with LearnerConfigError.
   */
  dispose(): void;
}

const STRATEGIES: readonly StateStrategy[] = ['auto', 'response', 'direct'];

/**
 * Opens a {@link StateSolver}. Checks connectivity first.
 * @throws DisconnectedCircuitError when an output or a component has no path to an input.
 */
export function openStateSolver(backend: SolverBackend, circuit: Circuit, options: StateSolverOptions = {}): StateSolver {
  const strategy = options.strategy ?? 'auto';
  if (!STRATEGIES.includes(strategy)) {
    throw new LearnerConfigError('strategy', `must be "auto", "response" or "direct", got ${JSON.stringify(strategy)}`);
  }
  return new LazyStateSolver(backend, circuit, strategy, options);
}

/** The {@link StateSolver}: factorizations, output response and bases made on first use and cached. */
class LazyStateSolver implements StateSolver {
  readonly conductances: Float64Array;
  readonly active: ActiveNetwork;
  private f1: Promise<Factorization> | undefined;
  private f2: Promise<Factorization> | undefined;
  private response: Promise<OutputResponse> | undefined;
  private disposed = false;
  private readonly inputBases = new Map<string, Promise<StateBasis>>();

  constructor(
    readonly backend: SolverBackend,
    readonly circuit: Circuit,
    readonly strategy: StateStrategy,
    private readonly options: StateSolverOptions,
  ) {
    this.conductances = options.conductances ?? circuit.conductances;
    this.active = activeNetwork(circuit, this.conductances, options.context ?? 'circuit');
  }

  /** The one place factorizations are made: none after dispose(), so none can outlive the solver. */
  private factor(dirichletNodes: Uint32Array): Promise<Factorization> {
    const { options } = this;
    if (this.disposed) {
      return Promise.reject(new LearnerConfigError('stateSolver', `used after dispose()${options.context ? ` (${options.context})` : ''}; open a new state solver`));
    }
    return this.backend.factor({
      network: this.active.network,
      conductances: this.active.activeConductances,
      dirichletNodes,
      ...(options.factorOptions ? { options: options.factorOptions } : {}),
    });
  }

  inputsOnly(): Promise<Factorization> {
    return (this.f1 ??= this.factor(this.circuit.inputNodes));
  }

  inputsAndOutputs(): Promise<Factorization> {
    const { inputNodes, outputNodes } = this.circuit;
    if (!this.f2) {
      const d = new Uint32Array(inputNodes.length + outputNodes.length);
      d.set(inputNodes, 0);
      d.set(outputNodes, inputNodes.length);
      this.f2 = this.factor(d);
    }
    return this.f2;
  }

  /** Solves a basis; the first one also produces the (then cached) output response. */
  private solveBasis(plan: BasisPlan, batch: SampleBatch): Promise<StateBasis> {
    const cached = this.response;
    const pending = (async () => solveStateBasis(await this.inputsOnly(), this.circuit, plan, batch, cached ? await cached : null))();
    if (!cached) {
      const mine = pending.then((b) => b.response);
      this.response = mine;
      // a failed solve leaves no cache behind (its callers get the error; later calls retry)
      mine.catch(() => {
        if (this.response === mine) this.response = undefined;
      });
    }
    return pending;
  }

  /** The cached basis of unit-input states at `key`, solved by `plan` the first time. */
  private inputBasis(key: string, plan: BasisPlan, batch: SampleBatch): Promise<StateBasis> {
    let basis = this.inputBases.get(key);
    if (!basis) {
      basis = this.solveBasis(plan, batch);
      this.inputBases.set(key, basis);
      basis.catch(() => this.inputBases.delete(key));
    }
    return basis;
  }

  outputResponse(): Promise<OutputResponse> {
    const { circuit } = this;
    if (circuit.outputNodes.length === 0) return Promise.resolve(outputResponseFrom(new Float64Array(0), circuit.nodeCount, circuit.outputNodes));
    if (this.response) return this.response;
    const q = circuit.inputNodes.length;
    const empty: SampleBatch = { count: 1, inputCount: q, outputCount: circuit.outputNodes.length, inputs: new Float64Array(q), targets: new Float64Array(circuit.outputNodes.length) };
    // no input is nonzero: a basis of the p unit-current responses alone
    return this.inputBasis('', { kind: 'inputs', positions: new Uint32Array(0) }, empty).then((b) => b.response);
  }

  hasOutputResponse(): boolean {
    return this.response !== undefined;
  }

  hasStateBasis(batch: SampleBatch): boolean {
    const plan = basisPlan(batch);
    return plan.kind === 'inputs' && this.inputBases.has(plan.positions.join(','));
  }

  stateBasis(batch: SampleBatch): Promise<StateBasis> {
    const plan = basisPlan(batch);
    return plan.kind === 'samples' ? this.solveBasis(plan, batch) : this.inputBasis(plan.positions.join(','), plan, batch);
  }

  dispose(): void {
    this.disposed = true;
    // a factorization still being made is disposed as soon as it exists; the backend defers the
    // release of one whose solve is still in flight until that solve ends
    for (const f of [this.f1, this.f2]) if (f) void f.then((x) => x.dispose(), () => undefined);
    this.f1 = undefined;
    this.f2 = undefined;
    this.response = undefined;
    this.inputBases.clear();
  }
}
