import { SolverError } from './errors.js';
import type { ReducedSystem } from './reduced-system.js';

export interface PcgOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
}

/**
 * Jacobi-preconditioned conjugate gradient on L_FF, batched: all RHS advance together, one sweep
 * over the matrix per iteration (node-major interleaved vectors, `v[k * count + r]`). Each RHS
 * stops updating once `|r| <= tol |b|`. Throws `SolverError` if the cap is reached first.
 */
export function pcgSolve(sys: ReducedSystem, b: Float64Array, count: number, opts: PcgOptions): { x: Float64Array; iterations: number } {
  const nf = sys.free.length;
  const { ffStart, ffCol, ffVal } = sys;
  const invDiag = new Float64Array(nf);
  for (let k = 0; k < nf; k++) {
    for (let p = ffStart[k]!; p < ffStart[k + 1]!; p++) if (ffCol[p] === k) invDiag[k] = 1 / ffVal[p]!;
  }
  const size = nf * count;
  const x = new Float64Array(size);
  const r = Float64Array.from(b);
  const z = new Float64Array(size);
  const d = new Float64Array(size);
  const q = new Float64Array(size);
  const rz = new Float64Array(count);
  const bNorm = new Float64Array(count);
  const active = new Uint8Array(count).fill(1);
  for (let k = 0; k < nf; k++) {
    for (let c = 0; c < count; c++) {
      const i = k * count + c;
      z[i] = invDiag[k]! * r[i]!;
      d[i] = z[i]!;
      rz[c]! += r[i]! * z[i]!;
      bNorm[c]! += b[i]! * b[i]!;
    }
  }
  let remaining = 0;
  for (let c = 0; c < count; c++) {
    bNorm[c] = Math.sqrt(bNorm[c]!);
    if (bNorm[c] === 0) active[c] = 0;
    else remaining++;
  }
  const dq = new Float64Array(count);
  const rr = Float64Array.from(bNorm, (v) => v * v);
  let it = 0;
  while (remaining > 0) {
    if (it >= opts.maxIterations) {
      let worst = 0;
      for (let c = 0; c < count; c++) if (active[c]) worst = Math.max(worst, Math.sqrt(rr[c]!) / bNorm[c]!);
      throw new SolverError(
        `PCG did not reach the relative residual ${opts.tolerance} in ${opts.maxIterations} iterations ` +
          `(reached ${worst.toExponential(3)}); raise maxIterations or tolerance, or use method "sparse-cholesky"`,
      );
    }
    it++;
    dq.fill(0);
    for (let k = 0; k < nf; k++) {
      const base = k * count;
      for (let c = 0; c < count; c++) q[base + c] = 0;
      for (let p = ffStart[k]!; p < ffStart[k + 1]!; p++) {
        const a = ffVal[p]!;
        const jb = ffCol[p]! * count;
        for (let c = 0; c < count; c++) q[base + c]! += a * d[jb + c]!;
      }
      for (let c = 0; c < count; c++) dq[c]! += d[base + c]! * q[base + c]!;
    }
    rr.fill(0);
    const rzNew = new Float64Array(count);
    for (let k = 0; k < nf; k++) {
      const base = k * count;
      for (let c = 0; c < count; c++) {
        if (!active[c]) continue;
        const alpha = rz[c]! / dq[c]!;
        const i = base + c;
        x[i]! += alpha * d[i]!;
        r[i]! -= alpha * q[i]!;
        z[i] = invDiag[k]! * r[i]!;
        rzNew[c]! += r[i]! * z[i]!;
        rr[c]! += r[i]! * r[i]!;
      }
    }
    for (let c = 0; c < count; c++) {
      if (!active[c]) continue;
      if (!Number.isFinite(rr[c]!)) throw new SolverError('PCG produced a non-finite residual; the system is singular or badly scaled');
      if (Math.sqrt(rr[c]!) <= opts.tolerance * bNorm[c]!) {
        active[c] = 0;
        remaining--;
      }
    }
    for (let k = 0; k < nf; k++) {
      const base = k * count;
      for (let c = 0; c < count; c++) {
        if (!active[c]) continue;
        const beta = rzNew[c]! / rz[c]!;
        d[base + c] = z[base + c]! + beta * d[base + c]!;
      }
    }
    for (let c = 0; c < count; c++) if (active[c]) rz[c] = rzNew[c]!;
  }
  return { x, iterations: it };
}
