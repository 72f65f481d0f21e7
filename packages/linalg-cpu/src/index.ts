export type {
  Network,
  SolverMethod,
  FactorOptions,
  FactorRequest,
  RightHandSides,
  SolveResult,
  Factorization,
  SolverBackend,
  BatchFactorRequest,
  BatchRightHandSides,
  BatchSolveResult,
  BatchFactorization,
  FusedRule,
  FusedNudge,
  FusedBoundary,
  FusedParametrisation,
  FusedTrainerRequest,
  FusedEvent,
  FusedTrainerState,
  FusedTrainer,
} from './solver.js';
export { factorBatchOf, factorEachSystem, type FactorOne } from './factor-batch.js';
export { SolverError } from './errors.js';
export { reduceSystem, type ReducedSystem } from './reduced-system.js';
export { systemPattern, type SystemPattern } from './system-pattern.js';
export { validateRequest } from './validate-request.js';
export { spdFactor, spdSolveInPlace, spdInverse, type SpdFactor } from './spd-dense.js';
export {
  createCpuBackend,
  factorSync,
  DENSE_LIMIT,
  DENSE_MAX,
  FILL_RATIO_LIMIT,
  CHEAP_FACTOR_FLOPS,
  AUTO_FACTOR_NONZEROS,
  MAX_FACTOR_NONZEROS,
  type CpuBackend,
  type CpuFactorization,
} from './cpu-backend.js';
export { nestedDissection } from './nested-dissection.js';
export { approximateMinimumDegree, type AmdResult } from './amd.js';
export { clearPlanCache, PLAN_CACHE_SIZE } from './plan-cache.js';
