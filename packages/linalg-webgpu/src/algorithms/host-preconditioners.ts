import { spdSolveInPlace } from '@ohmlab/linalg-cpu';
import type { CoarseLevel } from './coarse-space.js';
import { csrMultiply, type HostCsr, type HostPreconditioner } from './host-pcg.js';

/**
 * Float64 host versions of the GPU preconditioners (for measurement, `host-pcg.ts`): Jacobi, the
 * block-Jacobi operator B of pcg.wgsl.ts (the same Chebyshev tile polynomial, step for step), and
 * the two-level operators on top of B with the coarse level of coarse-space.ts.
 */

/** `z = D^-1 r`. */
export function hostJacobi(a: HostCsr): HostPreconditioner {
  const inv = diagonalInverse(a);
  return (r, z) => {
    for (let i = 0; i < r.length; i++) z[i] = inv[i]! * r[i]!;
  };
}

function diagonalInverse(a: HostCsr): Float64Array {
  const n = a.start.length - 1;
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = a.start[i]!; e < a.start[i + 1]!; e++) if (a.col[e] === i) inv[i] = 1 / a.val[e]!;
  }
  return inv;
}

/**
 * Block-Jacobi B over tiles of consecutive rows: on each tile, `degree` Chebyshev steps on
 * `D^-1 A_tt z = D^-1 r_t` over `[lower, 2]` from z = 0, exactly the recurrence of
 * `preconditionTile` in pcg.wgsl.ts (in float64).
 */
export function hostBlockChebyshev(a: HostCsr, tileStart: Uint32Array, degree: number, lower: number): HostPreconditioner {
  const inv = diagonalInverse(a);
  const theta = (2 + lower) / 2;
  const delta = (2 - lower) / 2;
  const sigma = theta / delta;
  const n = a.start.length - 1;
  const res = new Float64Array(n);
  const dir = new Float64Array(n);
  const next = new Float64Array(n);
  return (r, z) => {
    for (let t = 0; t + 1 < tileStart.length; t++) {
      const s = tileStart[t]!;
      const end = tileStart[t + 1]!;
      for (let i = s; i < end; i++) {
        res[i] = inv[i]! * r[i]!;
        dir[i] = res[i]! / theta;
        z[i] = 0;
      }
      let rho = 1 / sigma;
      for (let k = 0; k < degree; k++) {
        for (let i = s; i < end; i++) z[i] = z[i]! + dir[i]!;
        if (k + 1 === degree) break;
        for (let i = s; i < end; i++) {
          let ad = 0;
          for (let e = a.start[i]!; e < a.start[i + 1]!; e++) {
            const c = a.col[e]!;
            if (c >= s && c < end) ad += a.val[e]! * dir[c]!;
          }
          next[i] = res[i]! - inv[i]! * ad;
        }
        const rhoNew = 1 / (2 * sigma - rho);
        for (let i = s; i < end; i++) {
          res[i] = next[i]!;
          dir[i] = rhoNew * rho * dir[i]! + ((2 * rhoNew) / delta) * res[i]!;
        }
        rho = rhoNew;
      }
    }
  };
}

/** `z = P A_c^-1 P^T r` (tile sums, coarse solve, broadcast back). */
export function hostCoarseCorrection(level: CoarseLevel): HostPreconditioner {
  const s = new Float64Array(level.nc);
  return (r, z) => {
    s.fill(0);
    for (let i = 0; i < r.length; i++) {
      const t = level.tileOf[i]!;
      s[t] = s[t]! + r[i]!;
    }
    spdSolveInPlace(level.factor, level.nc, s);
    for (let i = 0; i < r.length; i++) z[i] = s[level.tileOf[i]!]!;
  };
}

/** Additive two-level Schwarz: `M^-1 = B + P A_c^-1 P^T` (symmetric positive definite). */
export function hostTwoLevelAdditive(b: HostPreconditioner, level: CoarseLevel): HostPreconditioner {
  const coarse = hostCoarseCorrection(level);
  let zc = new Float64Array(0);
  return (r, z) => {
    if (zc.length !== r.length) zc = new Float64Array(r.length);
    b(r, z);
    coarse(r, zc);
    for (let i = 0; i < r.length; i++) z[i] = z[i]! + zc[i]!;
  };
}

/**
 * Symmetrised multiplicative (hybrid) two-level: coarse correction, B on the remaining residual,
 * coarse correction again: `M^-1 = Q + (I - Q A) B (I - A Q)` with `Q = P A_c^-1 P^T` (the
 * balancing form; symmetric positive definite). Two extra products with A per application.
 */
export function hostTwoLevelHybrid(a: HostCsr, b: HostPreconditioner, level: CoarseLevel): HostPreconditioner {
  const coarse = hostCoarseCorrection(level);
  const n = a.start.length - 1;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const av = new Float64Array(n);
  return (r, z) => {
    coarse(r, v); // Q r
    csrMultiply(a, v, av);
    for (let i = 0; i < n; i++) av[i] = r[i]! - av[i]!; // (I - A Q) r
    b(av, w); // B (I - A Q) r
    csrMultiply(a, w, av);
    coarse(av, z); // Q A B (...)
    for (let i = 0; i < n; i++) z[i] = v[i]! + w[i]! - z[i]!;
  };
}
