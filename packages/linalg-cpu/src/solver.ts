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
  dispose(): void;
}
