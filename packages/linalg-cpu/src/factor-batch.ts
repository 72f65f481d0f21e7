import { SolverError } from './errors.js';
import type { BatchFactorization, BatchFactorRequest, BatchRightHandSides, BatchSolveResult, Factorization, FactorRequest, SolveResult, SolverBackend } from './solver.js';

/** Factors one system (a backend's `factor`). */
export type FactorOne = (request: FactorRequest) => Promise<Factorization>;

/** Number of systems of a batch request: `conductances.length / edgeCount`, checked. */
export function batchSystems(request: BatchFactorRequest): number {
  const m = request.network.edgeFrom?.length ?? 0;
  const total = request.conductances?.length ?? 0;
  if (m === 0) throw new SolverError('a batch needs a network with at least one edge (systems are counted in edge-count blocks of conductances)');
  const systems = total / m;
  if (!Number.isInteger(systems) || systems < 1) {
    throw new SolverError(`conductances has ${total} entries; expected systems x edgeCount with systems >= 1 and edgeCount = ${m}`);
  }
  return systems;
}

/** Checks the lengths of a batch of right-hand sides (values are checked by each system's solve). */
function checkBatchRhs(rhs: BatchRightHandSides, systems: number, nd: number): void {
  const P = rhs.perSystem;
  if (!Number.isInteger(P) || P < 1) throw new SolverError(`perSystem must be a positive integer, got ${P}`);
  if (rhs.dirichletValues.length !== systems * P * nd) {
    throw new SolverError(`dirichletValues has ${rhs.dirichletValues.length} entries; expected systems x perSystem x dirichletNodes = ${systems} x ${P} x ${nd}`);
  }
  const inj = rhs.injection;
  if (inj && inj.values.length !== systems * P * inj.nodes.length) {
    throw new SolverError(`injection.values has ${inj.values.length} entries; expected systems x perSystem x injection.nodes = ${systems} x ${P} x ${inj.nodes.length}`);
  }
}

/** Solves the `perSystem` right-hand sides of system `s` on its own factorization. */
function solveSystem(f: Factorization, rhs: BatchRightHandSides, s: number, nd: number): Promise<SolveResult> {
  const P = rhs.perSystem;
  const inj = rhs.injection;
  const nq = inj?.nodes.length ?? 0;
  return f.solve({
    count: P,
    dirichletValues: rhs.dirichletValues.subarray(s * P * nd, (s + 1) * P * nd),
    ...(inj ? { injection: { nodes: inj.nodes, values: inj.values.subarray(s * P * nq, (s + 1) * P * nq) } } : {}),
  });
}

/** Prefixes a `SolverError` with the system it concerns (other errors pass unchanged). */
function inSystem(e: unknown, s: number): unknown {
  return e instanceof SolverError ? new SolverError(`system ${s}: ${e.message}`) : e;
}

/**
 * A batch factorization built from one factorization per system (solver.ts `BatchFactorization`):
 * system `s` is `factorOne` of its conductances, and a batch solve is one `solve` of `perSystem`
 * right-hand sides per system, gathered system-major. This is how the CPU backend batches (its
 * symbolic analysis is cached per wiring, plan-cache.ts, so every system after the first only
 * refactors numerically) and the fallback of {@link factorBatchOf} for backends without
 * `factorBatch`. Factorizations are made eagerly (errors surface here, named by system) and
 * kept until `dispose()`.
 * @throws SolverError for a malformed batch, or the first system's factor error, prefixed `system s:`.
 */
export async function factorEachSystem(factorOne: FactorOne, request: BatchFactorRequest): Promise<BatchFactorization> {
  const systems = batchSystems(request);
  const m = request.network.edgeFrom.length;
  const dirichletNodes = request.dirichletNodes.slice();
  const parts: Factorization[] = [];
  try {
    for (let s = 0; s < systems; s++) {
      const conductances = request.conductances.slice(s * m, (s + 1) * m);
      const one: FactorRequest = { network: request.network, conductances, dirichletNodes, ...(request.options ? { options: request.options } : {}) };
      try {
        parts.push(await factorOne(one));
      } catch (e) {
        throw inSystem(e, s);
      }
    }
  } catch (e) {
    for (const f of parts) f.dispose();
    throw e;
  }
  const nodeCount = request.network.nodeCount;
  const nd = dirichletNodes.length;
  let disposed = false;
  const solve = async (rhs: BatchRightHandSides): Promise<BatchSolveResult> => {
    if (disposed) throw new SolverError('this batch factorization was disposed; factor again');
    checkBatchRhs(rhs, systems, nd);
    const P = rhs.perSystem;
    const voltages = new Float64Array(systems * P * nodeCount);
    const dirichletCurrents = new Float64Array(systems * P * nd);
    const residuals = new Float64Array(systems * P);
    let iterations = 0;
    for (let s = 0; s < systems; s++) {
      const res = await solveSystem(parts[s]!, rhs, s, nd).catch((e: unknown) => {
        throw inSystem(e, s);
      });
      voltages.set(res.voltages, s * P * nodeCount);
      dirichletCurrents.set(res.dirichletCurrents, s * P * nd);
      residuals.set(res.residuals, s * P);
      iterations = Math.max(iterations, res.iterations);
    }
    let maxResidual = 0;
    for (const r of residuals) if (!(r <= maxResidual)) maxResidual = r;
    return { count: systems * P, nodeCount, voltages, dirichletCurrents, residuals, maxResidual, iterations, systems, perSystem: P };
  };
  return {
    method: [...new Set(parts.map((f) => f.method))].join('+'),
    systems,
    nodeCount,
    dirichletNodes,
    solve,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const f of parts) f.dispose();
    },
  };
}

/**
 * The batched factorization of `backend`: its own `factorBatch` when it has one (both Ohmlab
 * backends do; WebGPU runs the whole batch as one GPU job), else one `factor` per system
 * ({@link factorEachSystem}). Use this instead of calling `backend.factorBatch` directly, so that
 * minimal backends (test doubles with `factor` only) work too.
 */
export function factorBatchOf(backend: SolverBackend): (request: BatchFactorRequest) => Promise<BatchFactorization> {
  if (typeof backend.factorBatch === 'function') return (request) => backend.factorBatch!(request);
  return (request) => factorEachSystem((one) => backend.factor(one), request);
}
