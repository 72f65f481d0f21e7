import { claimAtLeast, claimAtMost } from '../claims.js';
import { fitLateDecay } from '../fit.js';
import { erdosRenyi, withConductances } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Claim, Experiment } from '../types.js';
import { lab, perturbation, plus } from './common.js';

interface Config {
  readonly circuits: number;
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly perturbation: number;
  readonly tEnd: number;
  readonly record: number;
}

/** EP, CL and AL side by side on the same circuits from the same start (not in the papers). */
export const rulesSideBySide: Experiment<Config> = {
  id: 'rules-side-by-side',
  title: 'EP, CL and AL side by side',
  paper: 'Ohmlab (not in the papers)',
  reference: 'Paper 1, Sections 4-5 (EP, CL, AL flows and coercivity)',
  description:
    'Random circuits with two outputs whose targets are reachable (outputs of hidden conductances); the three zero-nudge flows start from the same perturbation. Each loss (EP, CL: |r|^2/2; AL: |mu|^2/2) should decay; the fitted late rates of EP and AL are compared with 2c at the end point.',
  version: 1,
  quick: { circuits: 2, nodes: 8, edgeProbability: 0.5, perturbation: 0.2, tEnd: 600, record: 301 },
  full: { circuits: 5, nodes: 12, edgeProbability: 0.4, perturbation: 0.2, tEnd: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const claims: Claim[] = [];
    const series = [];
    const merit: Record<string, number> = {};
    let step = 0;
    for (let n = 0; n < cfg.circuits; n++) {
      const hidden = erdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
      const targets = await L.outputs(hidden);
      const start = { ...withConductances(hidden, plus(hidden.conductances, perturbation(rng, hidden.conductances.length, cfg.perturbation))), targets };
      for (const rule of ['EP', 'CL', 'AL'] as const) {
        ctx.progress(step++, 3 * cfg.circuits, `circuit ${n + 1}, ${rule}`);
        const traj = await L.integrate(start, { rule, eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
        const ratio = (traj.loss[traj.loss.length - 1] as number) / (traj.loss[0] as number);
        merit[`#${n + 1} ${rule}: L(T)/L(0)`] = ratio;
        const late = fitLateDecay(traj.t, traj.loss);
        claims.push(claimAtLeast(`circuit ${n + 1}, ${rule}: the loss decays exponentially (late-half rate)`, late.rate, 1e-4, '> 0'));
        if (rule !== 'CL') {
          let worstIncrease = 0;
          for (let i = 1; i < traj.loss.length; i++) worstIncrease = Math.max(worstIncrease, ((traj.loss[i] as number) - (traj.loss[i - 1] as number)) / (traj.loss[0] as number));
          claims.push(claimAtMost(`circuit ${n + 1}, ${rule}: gradient flow, the loss never increases (largest increase / L(0))`, worstIncrease, 1e-12));
          const end = withConductances(start, traj.conductances[traj.conductances.length - 1] as Float64Array);
          const c = await L.coercivityConstant(end, rule);
          merit[`#${n + 1} ${rule}: rate / 2c`] = late.rate / (2 * c);
          claims.push(claimAtLeast(`circuit ${n + 1}, ${rule}: fitted late rate >= 2c at the limit (Thm 5.2 / AL analogue), rate / 2c`, late.rate / (2 * c), 0.9, '>= 0.9'));
        }
        series.push({ label: `#${n + 1} ${rule}`, x: traj.t, y: traj.loss, dash: rule === 'CL' ? '5 3' : rule === 'AL' ? '2 2' : undefined });
      }
    }
    const svg = linePlot({ title: 'EP (solid), CL (dashed), AL (dotted) from the same start', xLabel: 'time t', yLabel: 'loss', yLog: true, series: series.map((s) => (s.dash === undefined ? { label: s.label, x: s.x, y: s.y } : { label: s.label, x: s.x, y: s.y, dash: s.dash })) });
    return {
      data: { circuits: cfg.circuits },
      claims,
      figures: [{ name: 'rules-side-by-side', title: 'EP, CL and AL on the same circuits and starts.', svg }],
      figuresOfMerit: merit,
    };
  },
};
