/** One measured configuration of the Benchmark page. */
export interface BenchmarkRow {
  /** Which backend was asked for. */
  readonly kind: 'cpu' | 'webgpu';
  /** The backend's own name. */
  readonly backend: string;
  readonly circuit: 'erdos-renyi' | 'grid';
  readonly nodes: number;
  readonly edges: number;
  /** Right-hand sides per solve, and samples per training step. */
  readonly batch: number;
  /** The solver's method (dense, sparse-cholesky, pcg, webgpu-...). */
  readonly method: string;
  readonly factorMs: number;
  /** Median wall time of one batched solve. */
  readonly solveMs: number;
  /** Right-hand sides solved per second (`batch / solveMs`). */
  readonly solvesPerSecond: number;
  /** Median wall time of one training step over `batch` samples; NaN when not measured. */
  readonly stepMs: number;
  readonly maxResidual: number;
  /** Why a measurement is missing, '' otherwise. */
  readonly note: string;
}

export interface BenchmarkPlan {
  /** Erdős–Rényi node counts (mean degree 4). */
  readonly erdosRenyiNodes: readonly number[];
  /** Grid side lengths (side x side nodes). */
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
  erdosRenyiNodes: [40, 200],
  gridSides: [8],
  batches: [1, 8],
  repetitions: 1,
};

export type BenchmarkRequest = {
  readonly type: 'run';
  readonly plan: BenchmarkPlan;
  readonly backends: ReadonlyArray<'cpu' | 'webgpu'>;
};

export type BenchmarkReply =
  | { readonly type: 'backend'; readonly name: string; readonly description: string; readonly fallbackReason: string }
  | { readonly type: 'row'; readonly row: BenchmarkRow }
  | { readonly type: 'done'; readonly elapsedMs: number }
  | { readonly type: 'error'; readonly message: string };
