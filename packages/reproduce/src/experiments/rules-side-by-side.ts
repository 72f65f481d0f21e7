import { claimAtLeast, claimAtMost } from '../claims.js';
import { movableErdosRenyi } from '../circuits.js';
import { fitLateDecay } from '../fit.js';
import { createRng } from '../rng.js';
import { linePlot, type Series } from '../svg/line-plot.js';
import { coercivity, freeOutputs } from '../training/at-point.js';
import { flow } from '../training/flow.js';
import { last } from '../training/trajectory.js';
import type { Claim, Experiment } from '../types.js';
import { perturbation, plus, runProgress } from './common.js';

interface Config {
  readonly circuits: number;
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly perturbation: number;
  readonly duration: number;
  readonly record: number;
}

const LOSS_NAME = { ep: 'L', cl: 'L_CL', al: 'L_AL' } as const;

/** EP, CL and AL side by side on the same circuits from the same start (not in the papers). */
export const rulesSideBySide: Experiment<Config> = {
  id: 'rules-side-by-side',
  title: 'EP, CL and AL side by side',
  paper: 'Ohmlab (not in the papers)',
  reference: 'Paper 1, Sections 4-5 (EP, CL, AL flows and coercivity)',
  description:
    'Random circuits with two outputs whose targets are reachable (outputs of hidden conductances; draws where an output sees a single input voltage, so that it cannot move, are set aside); the three zero-nudge flows start from the same perturbation. Each rule\'s own loss (EP: L, CL: the weighted loss L_CL, AL: L_AL) decays exponentially; EP and AL are gradient flows (their loss never increases); the fitted late rates are compared with 2c of the rule at the limit point (Thm 5.2, Thm 5.5, AL section).',
  version: 3,
  quick: { circuits: 2, nodes: 8, edgeProbability: 0.5, perturbation: 0.2, duration: 600, record: 301 },
  full: { circuits: 5, nodes: 12, edgeProbability: 0.4, perturbation: 0.2, duration: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const rng = createRng(ctx.seed);
    const claims: Claim[] = [];
    const series: Series[] = [];
    const merit: Record<string, number> = {};
    let step = 0;
    let redrawnTotal = 0;
    for (let n = 1; n <= cfg.circuits; n++) {
      const { circuit: hidden, redrawn } = movableErdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
      redrawnTotal += redrawn;
      const targets = await freeOutputs(ctx.backend, hidden);
      const start = { ...hidden, conductances: plus(hidden.conductances, perturbation(rng, hidden.conductances.length, cfg.perturbation)), targets };
      for (const rule of ['ep', 'cl', 'al'] as const) {
        const name = rule.toUpperCase();
        const traj = await flow(ctx.backend, start, { rule, nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, step++, 3 * cfg.circuits, `circuit ${n}, ${name}`) });
        const own = rule === 'ep' ? traj.loss : rule === 'cl' ? traj.weightedLoss : traj.adjointLoss;
        const late = fitLateDecay(traj.t, own);
        const c = (await coercivity(ctx.backend, { ...start, conductances: traj.finalConductances }))[rule];
        merit[`#${n} ${name}: ${LOSS_NAME[rule]}(T)/${LOSS_NAME[rule]}(0)`] = last(own) / (own[0] as number);
        merit[`#${n} ${name}: late rate / 2c`] = late.rate / (2 * c);
        claims.push(claimAtLeast(`circuit ${n}, ${name}: ${LOSS_NAME[rule]} decays exponentially (late-half rate)`, late.rate, 1e-4, '> 0'));
        claims.push(claimAtLeast(`circuit ${n}, ${name}: late rate of ${LOSS_NAME[rule]} >= 2c_${name} at the limit point (coercivity bound), rate / 2c`, late.rate / (2 * c), 0.9, '>= 0.9'));
        if (rule !== 'cl') {
          let worstIncrease = 0;
          for (let i = 1; i < own.length; i++) worstIncrease = Math.max(worstIncrease, ((own[i] as number) - (own[i - 1] as number)) / (own[0] as number));
          claims.push(claimAtMost(`circuit ${n}, ${name}: gradient flow, ${LOSS_NAME[rule]} never increases (largest increase / ${LOSS_NAME[rule]}(0))`, worstIncrease, 1e-12));
        }
        series.push({ label: `#${n} ${name} (${LOSS_NAME[rule]})`, x: traj.t, y: own, ...(rule === 'cl' ? { dash: '5 3' } : rule === 'al' ? { dash: '2 2' } : {}) });
      }
    }
    const svg = linePlot({ legendAt: 'outside', title: 'EP (solid), CL (dashed), AL (dotted) from the same start', xLabel: 'time t', yLabel: 'loss of the rule', yLog: true, series });
    return {
      data: { circuits: cfg.circuits },
      claims,
      figures: [{ name: 'rules-side-by-side', title: 'EP, CL and AL on the same circuits and starts, each with its own loss.', svg }],
      figuresOfMerit: { ...merit, 'draws set aside (an output saw one input voltage)': redrawnTotal },
    };
  },
};
