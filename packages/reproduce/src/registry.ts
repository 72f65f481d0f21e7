import { alMassDecay } from './experiments/al-mass-decay.js';
import { conservation } from './experiments/conservation.js';
import { crossbarExponential } from './experiments/crossbar-exponential.js';
import { crossbarTraining } from './experiments/crossbar-training.js';
import { discreteEpCl } from './experiments/discrete-ep-cl.js';
import { erdosRenyiRemoval } from './experiments/erdos-renyi-removal.js';
import { kiteAlVsEp } from './experiments/kite-al-vs-ep.js';
import { kiteEpDecay } from './experiments/kite-ep-decay.js';
import { kiteLandscape } from './experiments/kite-landscape.js';
import { rulesSideBySide } from './experiments/rules-side-by-side.js';
import { sisoConvergence } from './experiments/siso-convergence.js';
import { voltageDividerFlow } from './experiments/voltage-divider-flow.js';
import { defineExperiment, type Experiment } from './types.js';

/** Every experiment of the reproduction, in run order (paper 1, paper 2, then Ohmlab's additions). */
export const EXPERIMENTS: readonly Experiment[] = [
  defineExperiment(kiteLandscape),
  defineExperiment(kiteEpDecay),
  defineExperiment(discreteEpCl),
  defineExperiment(kiteAlVsEp),
  defineExperiment(conservation),
  defineExperiment(voltageDividerFlow),
  defineExperiment(crossbarTraining),
  defineExperiment(erdosRenyiRemoval),
  defineExperiment(crossbarExponential),
  defineExperiment(sisoConvergence),
  defineExperiment(alMassDecay),
  defineExperiment(rulesSideBySide),
];
