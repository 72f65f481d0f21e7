/** Settings of mixed-precision iterative refinement (float64 residual, float32 GPU correction). */
export interface RefinementOptions {
  /** Target relative residual (same measure as `SolveResult.residuals`; default 1e-10). */
  readonly tolerance: number;
  /** Cap on correction solves (default 12). */
  readonly maxRefinements: number;
}

/**
 * One float32 correction solve of many units at once: `rhs` holds `count` normalised residuals
 * (of the units listed in `units`, in that order); returns the corrections in the same layout.
 */
export type CorrectionSolve = (rhs: Float32Array, count: number, units: readonly number[]) => Promise<{ x: Float32Array; iterations: number }>;

/** Float64 residuals of some units (RHS), written into `out` (unit-major, `len` each). */
export type ResidualFn = (units: readonly number[], out: Float64Array) => void;

/** Outcome of a refinement: per-unit relative residual and whether it met the tolerance. */
export interface RefinementOutcome {
  readonly residuals: Float64Array;
  readonly converged: Uint8Array;
  readonly refinements: number;
  readonly iterations: number;
}

/**
 * Mixed-precision iterative refinement (Wilkinson; Higham, "Accuracy and Stability", ch. 12):
 * `r = b - L x` in float64 on the host, `L d = r / |r|` solved in float32 on the GPU,
 * `x += |r| d`; repeat until `|r| / scale <= tolerance` or the cap. A unit whose residual does not
 * at least halve in a step has stagnated (float32 cannot resolve it) and stops unconverged, for
 * the caller to fall back to the CPU. `x` is updated in place (unit-major, `len` per unit).
 */
export async function refine(
  x: Float64Array,
  len: number,
  scale: Float64Array,
  residual: ResidualFn,
  correct: CorrectionSolve,
  options: RefinementOptions,
): Promise<RefinementOutcome> {
  const units = scale.length;
  const residuals = new Float64Array(units);
  const converged = new Uint8Array(units);
  let active = Array.from({ length: units }, (_, u) => u);
  let res = new Float64Array(units * len);
  residual(active, res);
  let refinements = 0;
  let iterations = 0;
  for (;;) {
    const norms = new Float64Array(active.length);
    const next: number[] = [];
    for (let a = 0; a < active.length; a++) {
      const u = active[a]!;
      let e2 = 0;
      for (let k = a * len; k < (a + 1) * len; k++) e2 += res[k]! ** 2;
      const norm = Math.sqrt(e2);
      const rel = scale[u]! > 0 ? norm / scale[u]! : norm;
      const previous = residuals[u]!;
      residuals[u] = rel;
      norms[a] = norm;
      if (rel <= options.tolerance) converged[u] = 1;
      else if (refinements === 0 || rel <= 0.5 * previous) next.push(a);
    }
    if (next.length === 0 || refinements >= options.maxRefinements) break;
    const rhs = new Float32Array(next.length * len);
    for (let i = 0; i < next.length; i++) {
      const a = next[i]!;
      const inv = 1 / norms[a]!;
      for (let k = 0; k < len; k++) rhs[i * len + k] = res[a * len + k]! * inv;
    }
    const d = await correct(rhs, next.length, next.map((a) => active[a]!));
    iterations += d.iterations;
    refinements++;
    for (let i = 0; i < next.length; i++) {
      const a = next[i]!;
      const u = active[a]!;
      const norm = norms[a]!;
      for (let k = 0; k < len; k++) x[u * len + k]! += norm * d.x[i * len + k]!;
    }
    active = next.map((a) => active[a]!);
    res = new Float64Array(active.length * len);
    residual(active, res);
  }
  return { residuals, converged, refinements, iterations };
}
