export { reproduce, experimentIds, type ReproduceOptions, type ReproduceSummary } from './reproduce.js';
export { EXPERIMENTS } from './registry.js';
export { KNOWN_REFUTED_CLAIMS, type RefutedClaim } from './refuted.js';
export type {
  Claim,
  Figure,
  Experiment,
  ExperimentContext,
  ExperimentResult,
  ExperimentRecord,
  ExperimentSummary,
  ProgressEvent,
  OutOfScope,
} from './types.js';
export { ReproduceAbortedError, ReproduceOptionsError, ExperimentFailedError } from './errors.js';
export { writeFileAtomic } from './atomic-write.js';
export { configHash, canonicalJson, deriveSeed } from './config-hash.js';
export { claimAtLeast, claimAtMost, claimClose, claimThat } from './claims.js';
export { linePlot, heatmapPlot, flowFieldPlot, composePanels } from './svg/index.js';
export type { LinePlotOptions, Series, HeatmapOptions, GridField, ContourOverlay, FlowFieldOptions, VectorField } from './svg/index.js';
