export type {
  Network,
  SolverMethod,
  FactorOptions,
  FactorRequest,
  RightHandSides,
  SolveResult,
  Factorization,
  SolverBackend,
} from './solver.js';
