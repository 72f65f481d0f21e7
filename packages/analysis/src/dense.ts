/**
 * Small dense helpers for p x p and m x P matrices (row-major Float64Array), built on ml-matrix.
 * Used only for the small matrices of the analysis (M, G, D); every circuit solve goes through
 * the SolverBackend.
 */
import { EigenvalueDecomposition, inverse as mlInverse, Matrix, SingularValueDecomposition } from 'ml-matrix';

/** A row-major dense matrix. */
export interface Dense {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function toMatrix(a: Dense): Matrix {
  const m = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]!);
  return m;
}

export function fromMatrix(m: Matrix): Dense {
  const data = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) data[i * m.columns + j] = m.get(i, j);
  return { rows: m.rows, cols: m.columns, data };
}

/** Singular values of `a`, descending, `min(rows, cols)` of them (zeros included). */
export function singularValues(a: Dense): Float64Array {
  if (a.rows === 0 || a.cols === 0) return new Float64Array(0);
  // SVD of the tall orientation; ml-matrix handles wide input too, but tall is its best case.
  const m = a.rows >= a.cols ? toMatrix(a) : toMatrix(a).transpose();
  const svd = new SingularValueDecomposition(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  const s = Float64Array.from(svd.diagonal, (x) => Math.max(0, x));
  return s.sort().reverse();
}

/** Symmetric square root and inverse square root of an SPD matrix via its eigendecomposition. */
export function symmetricSqrt(a: Dense): { sqrt: Dense; invSqrt: Dense } {
  const eig = new EigenvalueDecomposition(toMatrix(a), { assumeSymmetric: true });
  const V = eig.eigenvectorMatrix;
  const lam = eig.realEigenvalues;
  const n = a.rows;
  const s = new Matrix(n, n);
  const si = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      let y = 0;
      for (let q = 0; q < n; q++) {
        const l = lam[q]!;
        const vv = V.get(i, q) * V.get(j, q);
        x += Math.sqrt(Math.max(l, 0)) * vv;
        y += vv / Math.sqrt(l);
      }
      s.set(i, j, x);
      si.set(i, j, y);
    }
  }
  return { sqrt: fromMatrix(s), invSqrt: fromMatrix(si) };
}

/** `a b`. */
export function multiply(a: Dense, b: Dense): Dense {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let q = 0; q < a.cols; q++) {
      const x = a.data[i * a.cols + q]!;
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += x * b.data[q * b.cols + j]!;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** `a v` for a vector `v` of length `a.cols`. */
export function multiplyVector(a: Dense, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** Inverse of a small square matrix. */
export function inverse(a: Dense): Dense {
  return fromMatrix(mlInverse(toMatrix(a)));
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Block-diagonal `I_S (x) a` applied on the right: columns of `m` grouped in `S` blocks of `a.rows`. */
export function rightMultiplyBlocks(m: Dense, a: Dense): Dense {
  const p = a.rows;
  const S = m.cols / p;
  const out = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < p; j++) {
        let x = 0;
        for (let q = 0; q < p; q++) x += m.data[r * m.cols + s * p + q]! * a.data[q * p + j]!;
        out[r * m.cols + s * p + j] = x;
      }
    }
  }
  return { rows: m.rows, cols: m.cols, data: out };
}
