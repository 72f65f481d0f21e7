/** Circuit families of the benchmark (@ohmlab/graph builders). */
export type CircuitFamily = 'erdos-renyi' | 'grid';

/** One measured configuration of the Benchmark page. Times in milliseconds (wall clock). */
export interface BenchmarkRow {
  /** Which backend was asked for. */
  readonly kind: 'cpu' | 'webgpu';
  /** The backend's own name. */
  readonly backend: string;
  readonly circuit: CircuitFamily;
  readonly nodes: number;
  readonly edges: number;
  /** Right-hand sides per solve, and samples per training step. */
  readonly batch: number;
  /** The solver's method (dense, sparse-cholesky, pcg, webgpu-dense, webgpu-pcg). */
  readonly method: string;
  /** Factorization plus its first batched solve (a GPU factor may finish only when first used). */
  readonly factorSolveMs: number;
  /** Median wall time of one batched solve of `batch` right-hand sides on a ready factorization. */
  readonly solveMs: number;
  /** Right-hand sides solved per second (`batch / solveMs`). */
  readonly solvesPerSecond: number;
  /** Median wall time of one EP (zero nudge) training step over `batch` samples: factor, free and clamped states, contrast. */
  readonly stepMs: number;
  /** Samples per second of that training step (`batch / stepMs`). */
  readonly samplesPerSecond: number;
  /** Largest relative residual of the timed solves (float64, as the solver reports it). */
  readonly maxResidual: number;
}

export interface BenchmarkPlan {
  /** Erdős–Rényi node counts (mean degree 4). */
  readonly erdosRenyiNodes: readonly number[];
  /** Grid side lengths (side × side nodes). */
  readonly gridSides: readonly number[];
  readonly batches: readonly number[];
  /** Timed repetitions per measurement (the median is reported). */
  readonly repetitions: number;
}

export const fullPlan: BenchmarkPlan = {
  erdosRenyiNodes: [100, 1000, 10000],
  gridSides: [10, 32, 100],
  batches: [1, 16, 64],
  repetitions: 3,
};

/** Small plan for tests and quick looks (`?quick=1`). */
export const quickPlan: BenchmarkPlan = {
  erdosRenyiNodes: [16, 64],
  gridSides: [6],
  batches: [1, 8],
  repetitions: 1,
};

export interface BenchmarkRequest {
  readonly type: 'run';
  readonly plan: BenchmarkPlan;
  readonly backends: ReadonlyArray<'cpu' | 'webgpu'>;
}

export type BenchmarkReply =
  | { readonly type: 'backend'; readonly kind: 'cpu' | 'webgpu'; readonly name: string; readonly description: string }
  | { readonly type: 'row'; readonly row: BenchmarkRow }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'done'; readonly elapsedMs: number }
  | { readonly type: 'error'; readonly message: string };
