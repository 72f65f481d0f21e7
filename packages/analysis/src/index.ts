export { AnalysisError } from './errors.js';
export { linearise, lineariseBatch, type Linearisation, type LineariseOptions } from './linearisation.js';
export { lossesOf } from './losses.js';
export { activeEdges, activeIncidenceMatrix, activeIncidenceDense, activeResponseMatrix, type ActiveIncidence } from './active-edges.js';
export {
  coercivityMatrix,
  adjointCoercivityMatrix,
  outputJacobian,
  coercivityConstants,
  coercivityConstantOf,
  type CoercivityConstants,
} from './coercivity.js';
export { flowOperator, conductanceVelocity, clampedDropSquares } from './flow.js';
export { conservationReport, type ConservationReport } from './conservation.js';
export { classifyFixedPoint, type FixedPointKind, type FixedPointOptions, type FixedPointReport } from './fixed-point.js';
export { solutionManifold, type SolutionManifold } from './solution-manifold.js';
export { columnCoupling, outputBoundaries, outputIsolation, type OutputIsolation } from './maximum-principle.js';
export { analyzeCircuit, numericalRank, type AnalyzeOptions, type CircuitAnalysis, type ConservationJson } from './analyze-circuit.js';
export { transferMatrix, equivalentCrossbar } from './crossbar-sufficiency.js';
export { singularValues, type Dense } from './dense.js';
export { quantitiesAt, quantitiesOf, inputSpread, QUANTITIES, type Quantity } from './experiments/objective.js';
export { landscape, orthogonalDirection, LANDSCAPE_BATCH, type Landscape, type LandscapeOptions } from './experiments/landscape.js';
export { degeneracySearch, nelderMead, type DegeneracyOptions, type DegeneracyResult } from './experiments/degeneracy.js';
export { genericity, type GenericityOptions, type GenericityResult, type GenericityRun } from './experiments/genericity.js';
export {
  kiteInvestigation,
  kiteReading,
  kiteCircuit,
  kiteSlicePoint,
  kiteFreeOutput,
  checkKiteBase,
  KITE_UNIT_BASE,
  KITE_REPRODUCE_BASE,
  type KiteFinding,
  type KiteReading,
  type KiteInvestigationOptions,
} from './experiments/kite.js';
export { kiteClaims, kiteLandscape, kiteRun, type KiteClaims, type KiteClaimsOptions, type KiteUpdate, type KiteRun } from './experiments/kite-claims.js';
export { kiteCensus, type CensusOptions, type CensusResult } from './experiments/kite-census.js';
export {
  maximumPrincipleSearch,
  type MaximumPrincipleSearchOptions,
  type MaximumPrincipleSearchResult,
} from './experiments/maximum-principle-search.js';
