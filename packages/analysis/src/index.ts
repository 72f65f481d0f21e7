export { AnalysisError } from './errors.js';
export { linearise, type Linearisation } from './linearisation.js';
export { lossesOf } from './losses.js';
export {
  coercivityMatrix,
  adjointCoercivityMatrix,
  outputJacobian,
  coercivityConstants,
  type CoercivityConstants,
} from './coercivity.js';
export { flowOperator, conductanceVelocity, clampedDropSquares } from './flow.js';
export { conservationReport, type ConservationReport } from './conservation.js';
export { classifyFixedPoint, type FixedPointKind, type FixedPointOptions, type FixedPointReport } from './fixed-point.js';
export { solutionManifold, type SolutionManifold } from './solution-manifold.js';
export { analyzeCircuit, numericalRank, type AnalyzeOptions, type CircuitAnalysis } from './analyze-circuit.js';
export { transferMatrix, equivalentCrossbar } from './crossbar-sufficiency.js';
export { singularValues, type Dense } from './dense.js';
export { quantitiesAt, inputSpread, QUANTITIES, type Quantity } from './experiments/objective.js';
export { landscape, type Landscape, type LandscapeOptions } from './experiments/landscape.js';
export { degeneracySearch, nelderMead, type DegeneracyOptions, type DegeneracyResult } from './experiments/degeneracy.js';
export { genericity, type GenericityOptions, type GenericityResult, type GenericityRun } from './experiments/genericity.js';
export { kiteInvestigation, kiteReading, type KiteFinding, type KiteReading } from './experiments/kite.js';
