/**
 * A tiny dense reference backend for tests (Gaussian elimination with partial pivoting on the
 * free-node block of the Laplacian). Independent of @ohmlab/linalg-cpu.
 */
import type { Factorization, FactorRequest, RightHandSides, SolveResult, SolverBackend } from '@ohmlab/linalg-cpu';

export function createDenseBackend(): SolverBackend {
  return {
    name: 'dense-test',
    description: 'dense Gaussian elimination (test reference)',
    async factor(req: FactorRequest): Promise<Factorization> {
      const n = req.network.nodeCount;
      const L = new Float64Array(n * n);
      const { edgeFrom, edgeTo } = req.network;
      for (let j = 0; j < edgeFrom.length; j++) {
        const u = edgeFrom[j]!;
        const w = edgeTo[j]!;
        const k = req.conductances[j]!;
        L[u * n + u]! += k;
        L[w * n + w]! += k;
        L[u * n + w]! -= k;
        L[w * n + u]! -= k;
      }
      const D = req.dirichletNodes;
      const isD = new Int32Array(n).fill(-1);
      D.forEach((d, i) => (isD[d] = i));
      const F: number[] = [];
      for (let i = 0; i < n; i++) if (isD[i]! < 0) F.push(i);
      const nf = F.length;
      return {
        method: 'dense',
        nodeCount: n,
        dirichletNodes: D,
        async solve(rhs: RightHandSides): Promise<SolveResult> {
          const c = rhs.count;
          const V = new Float64Array(c * n);
          const cur = new Float64Array(c * D.length);
          for (let r = 0; r < c; r++) {
            const x = V.subarray(r * n, (r + 1) * n);
            for (let i = 0; i < D.length; i++) x[D[i]!] = rhs.dirichletValues[r * D.length + i]!;
            const b = new Float64Array(n);
            if (rhs.injection) {
              const nodes = rhs.injection.nodes;
              for (let i = 0; i < nodes.length; i++) b[nodes[i]!]! += rhs.injection.values[r * nodes.length + i]!;
            }
            // A z = b_F - L_FD x_D
            const A = new Float64Array(nf * nf);
            const z = new Float64Array(nf);
            for (let a = 0; a < nf; a++) {
              const ia = F[a]!;
              let s = b[ia]!;
              for (let i = 0; i < D.length; i++) s -= L[ia * n + D[i]!]! * x[D[i]!]!;
              z[a] = s;
              for (let q = 0; q < nf; q++) A[a * nf + q] = L[ia * n + F[q]!]!;
            }
            gauss(A, z, nf);
            for (let a = 0; a < nf; a++) x[F[a]!] = z[a]!;
            for (let i = 0; i < D.length; i++) {
              let s = 0;
              for (let q = 0; q < n; q++) s += L[D[i]! * n + q]! * x[q]!;
              cur[r * D.length + i] = s;
            }
          }
          return { count: c, nodeCount: n, voltages: V, dirichletCurrents: cur, residuals: new Float64Array(c), maxResidual: 0, iterations: 0 };
        },
        dispose() {},
      };
    },
    dispose() {},
  };
}

function gauss(A: Float64Array, z: Float64Array, n: number): void {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]!) > Math.abs(A[p * n + c]!)) p = r;
    if (A[p * n + c] === 0) throw new Error('singular');
    if (p !== c) {
      for (let q = 0; q < n; q++) {
        const t = A[c * n + q]!;
        A[c * n + q] = A[p * n + q]!;
        A[p * n + q] = t;
      }
      const t = z[c]!;
      z[c] = z[p]!;
      z[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c]! / A[c * n + c]!;
      if (f === 0) continue;
      for (let q = c; q < n; q++) A[r * n + q]! -= f * A[c * n + q]!;
      z[r]! -= f * z[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = z[r]!;
    for (let q = r + 1; q < n; q++) s -= A[r * n + q]! * z[q]!;
    z[r] = s / A[r * n + r]!;
  }
}
