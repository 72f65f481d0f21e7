/**
 * Float64 host prototype of the sparse path's PCG (used to measure preconditioners before they go
 * to the GPU, by `test/two-level.test.ts` and the bench): CSR matrix-vector product and standard
 * preconditioned conjugate gradient with a caller-supplied preconditioner `z = M^-1 r`.
 */

/** A symmetric matrix in CSR form (float64 values, diagonal included). */
export interface HostCsr {
  readonly start: Uint32Array;
  readonly col: Uint32Array;
  readonly val: Float64Array;
}

/** `z = M^-1 r` (both of length n; `z` is overwritten). */
export type HostPreconditioner = (r: Float64Array, z: Float64Array) => void;

/** `y = A x`. */
export function csrMultiply(a: HostCsr, x: Float64Array, y: Float64Array): void {
  const n = a.start.length - 1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = a.start[i]!; e < a.start[i + 1]!; e++) s += a.val[e]! * x[a.col[e]!]!;
    y[i] = s;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Result of {@link hostPcg}: iterations until `|r| <= tol * |b|` for each requested tolerance. */
export interface HostPcgResult {
  readonly x: Float64Array;
  /** `iterations[k]`: first iteration at which `tolerances[k]` was met, -1 if never within `maxIterations`. */
  readonly iterations: number[];
  /** Final relative residual `|b - A x| / |b|` (recomputed, not the recursive one). */
  readonly residual: number;
}

/**
 * PCG from `x = 0` on `A x = b` in float64, the same recurrences as pcg.wgsl.ts (one
 * preconditioner application per iteration). Stops at the smallest tolerance or `maxIterations`.
 */
export function hostPcg(a: HostCsr, b: Float64Array, precondition: HostPreconditioner, tolerances: readonly number[], maxIterations: number): HostPcgResult {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  const bb = Math.sqrt(dot(b, b));
  const iterations = tolerances.map(() => -1);
  const record = (it: number): boolean => {
    const rel = Math.sqrt(dot(r, r)) / bb;
    tolerances.forEach((t, k) => {
      if (iterations[k] === -1 && rel <= t) iterations[k] = it;
    });
    return iterations.every((v) => v >= 0);
  };
  precondition(r, z);
  let rho = dot(r, z);
  p.set(z);
  for (let it = 0; !record(it) && it < maxIterations; ) {
    csrMultiply(a, p, q);
    const alpha = rho / dot(p, q);
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * q[i]!;
    }
    precondition(r, z);
    const next = dot(r, z);
    const beta = next / rho;
    rho = next;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
    it++;
  }
  csrMultiply(a, x, q);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += (b[i]! - q[i]!) ** 2;
  return { x, iterations, residual: Math.sqrt(rr) / bb };
}
