import type { Circuit } from '@ohmlab/graph';
import type { Factorization, FactorRequest, RightHandSides, SolverBackend } from '@ohmlab/linalg-cpu';
import { nodeCurrent, solveDense } from '../src/lab/interim/dense-solve.js';

/**
 * A test double of the solver contract (linalg-cpu/src/solver.ts) on the interim dense solver, so
 * that the `@ohmlab/learners` adapter can be checked before `@ohmlab/linalg-cpu` ships a backend.
 */
export const denseTestBackend: SolverBackend = {
  name: 'dense-test',
  description: 'test double: dense elimination from @ohmlab/reproduce',
  async factor(request: FactorRequest): Promise<Factorization> {
    const network = { ...request.network } as unknown as Circuit;
    const k = request.conductances;
    const dirichlet = Array.from(request.dirichletNodes);
    return {
      method: 'dense-test',
      nodeCount: request.network.nodeCount,
      dirichletNodes: request.dirichletNodes,
      async solve(rhs: RightHandSides) {
        const n = request.network.nodeCount;
        const d = dirichlet.length;
        const voltages = new Float64Array(rhs.count * n);
        const dirichletCurrents = new Float64Array(rhs.count * d);
        for (let r = 0; r < rhs.count; r++) {
          const values = Array.from(rhs.dirichletValues.subarray(r * d, (r + 1) * d));
          const inject = new Map<number, number>();
          if (rhs.injection !== undefined) {
            const m = rhs.injection.nodes.length;
            rhs.injection.nodes.forEach((node, i) => inject.set(node, rhs.injection?.values[r * m + i] as number));
          }
          const x = solveDense(network, k, dirichlet, values, inject);
          voltages.set(x, r * n);
          dirichlet.forEach((node, i) => (dirichletCurrents[r * d + i] = nodeCurrent(network, k, x, node)));
        }
        return { count: rhs.count, nodeCount: n, voltages, dirichletCurrents, residuals: new Float64Array(rhs.count), maxResidual: 0, iterations: 0 };
      },
      dispose: () => undefined,
    };
  },
  dispose: () => undefined,
};
