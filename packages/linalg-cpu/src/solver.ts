/**
 * The one solver interface of Ohmlab (STYLE.md "Backends"). `learners` and `analysis` see linear
 * algebra only through these types; `linalg-cpu` and `linalg-webgpu` implement them.
 *
 * Conventions (shared/THEORY.md "Circuit"):
 * - Edge j runs `edgeFrom[j] -> edgeTo[j]`; its voltage drop is `x[from] - x[to]`.
 * - Laplacian `L = A^T K A` with `K = diag(conductances)`.
 * - A solve holds the Dirichlet nodes at prescribed voltages and imposes Kirchhoff's current law
 *   `(L x)_i = b_i` at every other node, where `b_i` is the current injected INTO node i
 *   (positive raises the node's voltage). Nodes not named in an injection get `b_i = 0`.
 * - `dirichletCurrents[d] = (L x)_{D[d]}`: the current the source holding Dirichlet node `D[d]`
 *   must inject into the network (THEORY.md: adjoint error `mu = (L x^r)[O]`).
 * - Batches are stored right-hand-side-major: entry `(r, i)` of a batch of `count` vectors of
 *   length `len` lives at `r * len + i`.
 */

/** The wiring a solver needs: node count and oriented edges. A `Circuit` satisfies it structurally. */
export interface Network {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
}

/** Which algorithm factors the system. `auto` picks from size and structure. */
export type SolverMethod = 'auto' | 'dense' | 'sparse-cholesky' | 'pcg';

export interface FactorOptions {
  /** Override the automatic choice. Default `auto`. */
  readonly method?: SolverMethod;
  /** Relative residual target of iterative solves (default 1e-10). */
  readonly tolerance?: number;
  /** Iteration cap of iterative solves (default: 10 * nodeCount, at least 1000). */
  readonly maxIterations?: number;
  /**
   * Fill-reducing ordering of sparse Cholesky (CPU backend): `amd` (approximate minimum degree),
   * `nested-dissection`, or `auto` (default: AMD; on large systems also nested dissection, the
   * one with fewer operations wins).
   */
  readonly ordering?: 'auto' | 'amd' | 'nested-dissection';
  /** Preconditioner of PCG (CPU backend): `jacobi`, `incomplete-cholesky` (IC(0)), or `auto` (default). */
  readonly preconditioner?: 'auto' | 'jacobi' | 'incomplete-cholesky';
  /**
   * Solve a basis of the batch instead of every right-hand side when the batch spans fewer
   * directions than it has right-hand sides (CPU backend; default true). Every right-hand side of
   * a batch is a combination of the columns of `L_FD` (one per Dirichlet node whose values are not
   * all zero) and of unit currents at the injection nodes, so a batch of S samples over a few
   * inputs needs only a few solves. Results are checked against the direct residual; right-hand
   * sides whose combined residual misses the target are solved again on their own.
   */
  readonly basisSolve?: boolean;
}

export interface FactorRequest {
  readonly network: Network;
  /** Conductance of each edge, length = edge count, all > 0 and finite. */
  readonly conductances: Float64Array;
  /** Nodes held at prescribed voltages (inputs, and outputs for clamped states). Distinct. */
  readonly dirichletNodes: Uint32Array;
  readonly options?: FactorOptions;
}

/** A batch of right-hand sides for one factorization. */
export interface RightHandSides {
  /** Number of right-hand sides in the batch (>= 1). */
  readonly count: number;
  /** `count x dirichletNodes.length`, RHS-major: the held voltages. */
  readonly dirichletValues: Float64Array;
  /**
   * Optional currents injected into free (non-Dirichlet) nodes: `values` is
   * `count x nodes.length`, RHS-major. Naming a Dirichlet node here is an error.
   */
  readonly injection?: {
    readonly nodes: Uint32Array;
    readonly values: Float64Array;
  };
}

export interface SolveResult {
  readonly count: number;
  readonly nodeCount: number;
  /** `count x nodeCount`, RHS-major: the node voltages. */
  readonly voltages: Float64Array;
  /** `count x dirichletNodes.length`, RHS-major: `(L x)` at the Dirichlet nodes. */
  readonly dirichletCurrents: Float64Array;
  /**
   * Relative residual of each RHS at the free nodes, computed in float64:
   * `|b_F - (L x)_F| / max(|b_F| + |L_FD x_D|, tiny)`.
   */
  readonly residuals: Float64Array;
  /** Largest entry of `residuals`. */
  readonly maxResidual: number;
  /** Iterations used by iterative methods (max over the batch); 0 for direct ones. */
  readonly iterations: number;
}

/** A factored system: one network, one conductance vector, one Dirichlet set. */
export interface Factorization {
  /** The algorithm actually used, e.g. `dense`, `sparse-cholesky`, `pcg`, `webgpu-pcg`. */
  readonly method: string;
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  /** Solve a batch of right-hand sides. */
  solve(rhs: RightHandSides): Promise<SolveResult>;
  /** Release resources (GPU buffers). Idempotent. */
  dispose(): void;
}

/**
 * Many conductance vectors of ONE network (a sweep: landscape grid points, circuits of one
 * topology), all factored with the same Dirichlet set. System `s` is the system with conductances
 * `conductances[s * edgeCount .. (s + 1) * edgeCount)`.
 */
export interface BatchFactorRequest {
  readonly network: Network;
  /** `systems x edgeCount`, system-major; all > 0 and finite; `systems >= 1` (so edgeCount >= 1). */
  readonly conductances: Float64Array;
  /** Nodes held at prescribed voltages in every system. Distinct. */
  readonly dirichletNodes: Uint32Array;
  /** Applied to every system, with each backend's meaning of {@link FactorOptions}. */
  readonly options?: FactorOptions;
}

/** Right-hand sides of a batch: the same number, `perSystem`, for every system. */
export interface BatchRightHandSides {
  /** Right-hand sides per system (>= 1). */
  readonly perSystem: number;
  /**
   * `systems x perSystem x dirichletNodes.length`, system-major then RHS-major: the held voltages
   * of RHS `t` of system `s` start at `(s * perSystem + t) * dirichletNodes.length`.
   */
  readonly dirichletValues: Float64Array;
  /** Currents into free nodes: `values` is `systems x perSystem x nodes.length`, same layout. */
  readonly injection?: {
    readonly nodes: Uint32Array;
    readonly values: Float64Array;
  };
}

/**
 * A {@link SolveResult} over all `systems x perSystem` right-hand sides: batch index
 * `u = s * perSystem + t` is RHS `t` of system `s` (`count = systems * perSystem`).
 */
export interface BatchSolveResult extends SolveResult {
  readonly systems: number;
  readonly perSystem: number;
}

/** Factored systems of one network: many conductance vectors, one Dirichlet set. */
export interface BatchFactorization {
  /** The algorithm actually used, e.g. `dense`, `webgpu-dense-batch`, `webgpu-pcg-batch`. */
  readonly method: string;
  readonly systems: number;
  readonly nodeCount: number;
  readonly dirichletNodes: Uint32Array;
  /** Solve `perSystem` right-hand sides for every system. */
  solve(rhs: BatchRightHandSides): Promise<BatchSolveResult>;
  /** Release resources (GPU buffers). Idempotent. */
  dispose(): void;
}

/** Learning rules of a fused training run (shared/THEORY.md "Learning rules"): EP, CL, AL. */
export type FusedRule = 'ep' | 'cl' | 'al';
/** `zero`: clamped state (eta ignored); `finite`: `x^eta` vs the base state; `symmetric`: `x^{+eta}` vs `x^{-eta}`. */
export type FusedNudge = 'zero' | 'finite' | 'symmetric';
/** What happens when a conductance reaches its level (0, or `floor` for `clip`), as in `@ohmlab/learners`. */
export type FusedBoundary = 'remove' | 'reflect' | 'clip';
/**
 * How an edge's parameter theta gives its conductance (THEORY.md "Invariants", as `@ohmlab/learners`):
 * `conductance` `k = theta`, `resistance` `k = 1 / theta` (theta = R in ohms), `log` `k = exp(theta)`.
 */
export type FusedParametrisation = 'conductance' | 'resistance' | 'log';

/**
 * A discrete training run of one circuit topology, for one or many initial conductance vectors at
 * once (`circuits x edges`), on a per-edge parametrisation `k = f(theta)` (THEORY.md "Learning
 * rules"; default the conductance `k = theta`): `theta <- theta - alpha f'(theta) g` with `g` the
 * rule's edge contrast in `dE/dk` averaged over the step's samples (all of them, or the mini-batch
 * the caller names per step with `batchSize`), then the boundary rule (conductance and resistance
 * edges; log edges have none). Same semantics as `trainDiscrete` of `@ohmlab/learners` with the
 * same `parametrisation` and `batchSize` (learners passes its seeded schedule's batches) and `onDisconnect: 'stop'`;
 * a resistance reaching 0 without `clip` (a short circuit; learners' stop reason `boundary`) stops
 * the circuit before that step, with a `stopped` event.
 */
export interface FusedTrainerRequest {
  /** Wiring (a `Circuit` satisfies it). */
  readonly network: Network;
  readonly inputNodes: Uint32Array;
  readonly outputNodes: Uint32Array;
  /** Initial conductances in siemens, `circuits x edges`, all finite and > 0 (parameters above `floor` for `clip`). */
  readonly conductances: Float64Array;
  /** Per edge (or one for all edges): how theta gives k. Default `conductance`. */
  readonly parametrisation?: FusedParametrisation | readonly FusedParametrisation[];
  /**
   * Initial parameters theta (`circuits x edges`), taken exactly (a caller resuming a run keeps
   * them); `conductances` must then be `f(theta)`. Default: theta from `conductances` (`k`, `1/k`, `log k`).
   */
  readonly parameters?: Float64Array;
  /** All samples, in volts: `inputs` is `count x inputNodes`, `targets` is `count x outputNodes`. */
  readonly samples: { readonly count: number; readonly inputs: Float64Array; readonly targets: Float64Array };
  readonly rule: FusedRule;
  readonly nudge: FusedNudge;
  /**
   * Samples per step (1..count; default all, a full batch). When set, every `step(n, batches)`
   * names the samples of each of its n steps (`batches`: n x batchSize indices into `samples`).
   */
  readonly batchSize?: number;
  /** Nudge amplitude for `finite` / `symmetric` (finite, nonzero). */
  readonly eta?: number;
  /** Learning rate alpha (> 0): one step is `k <- k - alpha g`, `g` in V^2 (`dE/dk`), so alpha is in S/V^2. */
  readonly alpha: number;
  /** Default `remove`. */
  readonly boundary?: FusedBoundary;
  /** Level of `clip` on theta (siemens for conductance edges, ohms for resistance edges; > 0); default `1e-6 * max |theta|`. */
  readonly floor?: number;
  /** Relative residual every state must reach (the solver's measure; default 1e-12). */
  readonly tolerance?: number;
  /** Cap on refinement sweeps per state and step (default 12). */
  readonly maxSweeps?: number;
  /** Steps between float64 host verifications of a device step (default 25; 0 = never, not advised). */
  readonly verifyEvery?: number;
}

/** Something that happened in a fused training run, in order. `step`: the step after which it happened. */
export type FusedEvent =
  /** An edge reached its level (boundary rule of `@ohmlab/learners`: removed, reflected or clipped). */
  | { readonly kind: 'removed' | 'reflected' | 'clipped'; readonly circuit: number; readonly edge: number; readonly step: number }
  /**
   * A circuit stopped: a node lost its path to every input (learners' stop reason `disconnected`),
   * or a resistance would reach 0 without `clip` (learners' `boundary`; that step is not applied).
   */
  | { readonly kind: 'stopped'; readonly circuit: number; readonly step: number; readonly message: string }
  /** The run moved to the CPU (float64) at `step` (the steps after it were recomputed there). */
  | { readonly kind: 'fallback'; readonly step: number; readonly reason: string };

/** What {@link FusedTrainer.read} returns: everything the run recorded so far (float64 on the host). */
export interface FusedTrainerState {
  /** Steps done per circuit (a stopped circuit stays at the step where it stopped). */
  readonly steps: Uint32Array;
  /** Parameters theta, `circuits x edges` (k, R or log k per edge's parametrisation). */
  readonly parameters: Float64Array;
  /** Conductances of the next step: `f(theta)`, or 0 for removed edges and edges resting at 0. */
  readonly conductances: Float64Array;
  /** 1 where the edge was removed (boundary `remove`). */
  readonly removed: Uint8Array;
  /** Per circuit, the rule's base loss at the start of each step (`L`, or `L_AL` for AL), over the step's samples (all, or its mini-batch). */
  readonly loss: Float64Array[];
  readonly events: readonly FusedEvent[];
  /** Where the steps run now: the backend's device (e.g. `webgpu`), or `cpu` after a fallback. */
  readonly runsOn: string;
  /**
   * Boundary hits that did not fit the device's event buffer between two readbacks (parameters are
   * unaffected; the events are then incomplete).
   */
  readonly lostEvents: number;
  /** Float64 checks of device steps made so far and the worst values they found (relative). */
  readonly checks: { readonly count: number; readonly residual: number; readonly update: number };
}

/**
 * A discrete training run resident on the backend's device (see {@link FusedTrainerRequest}).
 * `step(n)` advances every circuit by n steps (states, contrast, update and boundary rule without
 * a readback per step); `read()` returns what was recorded. A failure on the device continues on
 * the CPU from the last checked parameters, reported as a `fallback` event, so no step is lost.
 */
export interface FusedTrainer {
  readonly circuits: number;
  readonly edges: number;
  /** See {@link FusedTrainerState.runsOn}. */
  readonly runsOn: string;
  /**
   * `batches` (required with `batchSize`, else not allowed): `count x batchSize` sample indices,
   * the mini-batch of each of the `count` steps in order.
   */
  step(count: number, batches?: Uint32Array): Promise<void>;
  read(): Promise<FusedTrainerState>;
  /** Releases device resources. Idempotent. */
  dispose(): void;
}

/** A backend: CPU (float64, the ground truth) or WebGPU. */
export interface SolverBackend {
  readonly name: string;
  /** Human-readable description (e.g. the GPU adapter); for logs and reports. */
  readonly description: string;
  factor(request: FactorRequest): Promise<Factorization>;
  /**
   * Factors many conductance vectors of one network at once (one batched GPU job on WebGPU).
   * Both Ohmlab backends implement it; it is optional so that a minimal backend (a test double)
   * needs only `factor`. Callers use `factorBatchOf(backend)`, which falls back to one `factor`
   * per system where a backend lacks it.
   */
  factorBatch?(request: BatchFactorRequest): Promise<BatchFactorization>;
  /**
   * A whole discrete training run on the backend's device, one dispatch per step (the WebGPU
   * backend; absent on the CPU backend). Optional: `@ohmlab/learners` uses it where a backend
   * offers it and the trainer's options are covered (see {@link FusedTrainerRequest}), else
   * factors and solves every step through `factor`.
   * @throws SolverError for an invalid request.
   */
  fusedTrainer?(request: FusedTrainerRequest): Promise<FusedTrainer>;
  dispose(): void;
}
