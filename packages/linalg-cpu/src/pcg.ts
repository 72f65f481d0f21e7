import { SolverError } from './errors.js';
import type { Preconditioner } from './preconditioners.js';
import type { ReducedSystem } from './reduced-system.js';

export interface PcgOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
  readonly preconditioner: Preconditioner;
}

/** `q = L_FF d` for a block of `count` interleaved vectors; returns nothing, fills `dq[c] = d_c . q_c`. */
function multiply(sys: ReducedSystem, d: Float64Array, q: Float64Array, dq: Float64Array, count: number): void {
  const { ffStart, ffCol, ffVal } = sys;
  const nf = sys.free.length;
  dq.fill(0);
  if (count === 1) {
    let s = 0;
    for (let k = 0; k < nf; k++) {
      let acc = 0;
      const end = ffStart[k + 1]!;
      for (let p = ffStart[k]!; p < end; p++) acc += ffVal[p]! * d[ffCol[p]!]!;
      q[k] = acc;
      s += acc * d[k]!;
    }
    dq[0] = s;
    return;
  }
  for (let k = 0; k < nf; k++) {
    const base = k * count;
    q.fill(0, base, base + count);
    const end = ffStart[k + 1]!;
    for (let p = ffStart[k]!; p < end; p++) {
      const a = ffVal[p]!;
      const jb = ffCol[p]! * count;
      for (let c = 0; c < count; c++) q[base + c]! += a * d[jb + c]!;
    }
    for (let c = 0; c < count; c++) dq[c]! += d[base + c]! * q[base + c]!;
  }
}

/** Per-RHS dot products `out[c] = a_c . b_c` of interleaved blocks. */
function dots(a: Float64Array, b: Float64Array, out: Float64Array, count: number): void {
  out.fill(0);
  if (count === 1) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    out[0] = s;
    return;
  }
  for (let i = 0; i < a.length; i += count) for (let c = 0; c < count; c++) out[c]! += a[i + c]! * b[i + c]!;
}

/**
 * Preconditioned conjugate gradient on `L_FF x = b`, batched: the `count` right-hand sides
 * (node-major interleaved, `v[k * count + c]`) advance together and share every sweep over the
 * matrix and the preconditioner. A right-hand side stops moving once `|r| <= tol |b|`. `x0` is
 * an optional starting point (warm start). Throws `SolverError` when the cap is reached first.
 */
export function pcgSolve(sys: ReducedSystem, b: Float64Array, count: number, opts: PcgOptions, x0?: Float64Array): { x: Float64Array; iterations: number } {
  const size = sys.free.length * count;
  // Each RHS is scaled to max-norm 1 (PCG is linear) so that norms cannot overflow.
  const scale = new Float64Array(count);
  for (let i = 0; i < size; i++) {
    const c = i % count;
    const v = Math.abs(b[i]!);
    if (v > scale[c]!) scale[c] = v;
  }
  for (let c = 0; c < count; c++) if (scale[c] === 0) scale[c] = 1;
  const bs = new Float64Array(size);
  for (let i = 0; i < size; i++) bs[i] = b[i]! / scale[i % count]!;
  const x = new Float64Array(size);
  if (x0) for (let i = 0; i < size; i++) x[i] = x0[i]! / scale[i % count]!;
  const { iterations } = pcgScaled(sys, bs, x, count, opts, x0 !== undefined);
  for (let i = 0; i < size; i++) x[i]! *= scale[i % count]!;
  return { x, iterations };
}

/** PCG on right-hand sides of max-norm <= 1, updating `x` (the start) in place. */
function pcgScaled(sys: ReducedSystem, b: Float64Array, x: Float64Array, count: number, opts: PcgOptions, warm: boolean): { iterations: number } {
  const size = x.length;
  const r = Float64Array.from(b);
  const q = new Float64Array(size);
  const tmp = new Float64Array(count);
  if (warm) {
    multiply(sys, x, q, tmp, count);
    for (let i = 0; i < size; i++) r[i]! -= q[i]!;
  }
  const bNorm = new Float64Array(count);
  dots(b, b, bNorm, count);
  const goal = Float64Array.from(bNorm, (v) => opts.tolerance * Math.sqrt(v));
  const rr = new Float64Array(count);
  dots(r, r, rr, count);
  const active = new Uint8Array(count);
  let remaining = 0;
  for (let c = 0; c < count; c++) {
    if (Math.sqrt(rr[c]!) > goal[c]!) {
      active[c] = 1;
      remaining++;
    }
  }
  if (remaining === 0) return { iterations: 0 };
  const z = new Float64Array(size);
  opts.preconditioner.apply(r, z, count);
  const d = Float64Array.from(z);
  const rz = new Float64Array(count);
  dots(r, z, rz, count);
  const dq = new Float64Array(count);
  const alpha = new Float64Array(count);
  const beta = new Float64Array(count);
  const rzNew = new Float64Array(count);
  let it = 0;
  while (remaining > 0) {
    if (it >= opts.maxIterations) throw notConverged(opts, rr, bNorm, active);
    it++;
    multiply(sys, d, q, dq, count);
    for (let c = 0; c < count; c++) alpha[c] = active[c] ? rz[c]! / dq[c]! : 0;
    step(x, r, d, q, alpha, count);
    opts.preconditioner.apply(r, z, count);
    dots(r, z, rzNew, count);
    dots(r, r, rr, count);
    for (let c = 0; c < count; c++) {
      if (!active[c]) continue;
      if (!Number.isFinite(rr[c]!)) throw new SolverError('PCG produced a non-finite residual; the system is singular or badly scaled');
      if (Math.sqrt(rr[c]!) <= goal[c]!) {
        active[c] = 0;
        remaining--;
      }
    }
    for (let c = 0; c < count; c++) {
      beta[c] = active[c] ? rzNew[c]! / rz[c]! : 0;
      rz[c] = rzNew[c]!;
    }
    direction(d, z, beta, count);
  }
  return { iterations: it };
}

/** `x += alpha d`, `r -= alpha q` per RHS. */
function step(x: Float64Array, r: Float64Array, d: Float64Array, q: Float64Array, alpha: Float64Array, count: number): void {
  if (count === 1) {
    const a = alpha[0]!;
    for (let i = 0; i < x.length; i++) {
      x[i]! += a * d[i]!;
      r[i]! -= a * q[i]!;
    }
    return;
  }
  for (let i = 0; i < x.length; i += count) {
    for (let c = 0; c < count; c++) {
      x[i + c]! += alpha[c]! * d[i + c]!;
      r[i + c]! -= alpha[c]! * q[i + c]!;
    }
  }
}

/** `d = z + beta d` per RHS. */
function direction(d: Float64Array, z: Float64Array, beta: Float64Array, count: number): void {
  if (count === 1) {
    const bt = beta[0]!;
    for (let i = 0; i < d.length; i++) d[i] = z[i]! + bt * d[i]!;
    return;
  }
  for (let i = 0; i < d.length; i += count) for (let c = 0; c < count; c++) d[i + c] = z[i + c]! + beta[c]! * d[i + c]!;
}

function notConverged(opts: PcgOptions, rr: Float64Array, bNorm: Float64Array, active: Uint8Array): SolverError {
  let worst = 0;
  for (let c = 0; c < rr.length; c++) if (active[c]) worst = Math.max(worst, Math.sqrt(rr[c]! / bNorm[c]!));
  return new SolverError(
    `PCG did not reach the relative residual ${opts.tolerance} in ${opts.maxIterations} iterations ` +
      `(reached ${worst.toExponential(3)}); raise maxIterations or tolerance, or use method "sparse-cholesky"`,
  );
}
