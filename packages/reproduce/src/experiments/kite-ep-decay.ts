import { claimClose, claimThat } from '../claims.js';
import { fitDecayRate } from '../fit.js';
import { kite, withConductances } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Experiment } from '../types.js';
import { lab, perturbation, plus } from './common.js';

interface Config {
  readonly offsets: readonly number[];
  readonly r: number;
  readonly perturbation: number;
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 1, Figure 4: EP loss decay from a perturbed point at several slice offsets s; rates vs 2c. */
export const kiteEpDecay: Experiment<Config> = {
  id: 'kite-ep-decay',
  title: 'EP loss decay on the kite at several slice offsets',
  paper: 'Paper 1 (Coercivity and local convergence)',
  reference: 'Figure 4, Theorem 5.2',
  description:
    'For each offset s the target is the output at k(s, r), so k(s, r) lies on the solution manifold; EP flow (zero nudge) starts from one fixed random perturbation of it. The fitted exponential rate of the loss is compared with 2c at the end point (for one output, dL/dt = -2cL exactly).',
  version: 1,
  quick: { offsets: [0.05, 0.2, 0.4], r: 0.1, perturbation: 0.05, tEnd: 150, record: 61 },
  full: { offsets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.4], r: 0.1, perturbation: 0.05, tEnd: 300, record: 201 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const delta = perturbation(rng, 6, cfg.perturbation);
    const series = [];
    const claims = [];
    const rates: number[] = [];
    const merit: Record<string, number> = {};
    for (const [i, s] of cfg.offsets.entries()) {
      ctx.progress(i, cfg.offsets.length, `s = ${s}`);
      const base = kite(s, cfg.r);
      const target = await L.outputs(base);
      const start = { ...withConductances(base, plus(base.conductances, delta)), targets: target };
      const traj = await L.integrate(start, { rule: 'EP', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
      const fit = fitDecayRate(traj.t, traj.loss, { tFrom: cfg.tEnd / 4, floor: 1e-26 });
      const end = withConductances(start, traj.conductances[traj.conductances.length - 1] as Float64Array);
      const cEnd = await L.coercivityConstant(end, 'EP');
      const cBase = await L.coercivityConstant({ ...base, targets: target }, 'EP');
      rates.push(fit.rate);
      merit[`rate (s=${s})`] = fit.rate;
      merit[`2c at end (s=${s})`] = 2 * cEnd;
      claims.push(claimClose(`s = ${s}: fitted decay rate of L equals 2c at the limit point (Thm 5.2: dL/dt <= -2cL)`, fit.rate, 2 * cEnd, 0.1));
      series.push({ label: `s = ${s} (2c = ${(2 * cBase).toPrecision(3)})`, x: traj.t, y: traj.loss });
    }
    const increasing = rates.every((r, i) => i === 0 || r > (rates[i - 1] as number));
    claims.push(claimThat('The decay rate increases with s (tracking c)', rates[rates.length - 1] as number, increasing, 'rates strictly increasing in s'));
    const svg = linePlot({ title: 'Kite: EP loss from a perturbed point', xLabel: 'time t', yLabel: 'loss L', yLog: true, series });
    return {
      data: { offsets: cfg.offsets, rates, delta },
      claims,
      figures: [{ name: 'kite-ep-decay', title: 'EP loss decay (semi-log) for several offsets s (Paper 1, Fig. 4).', svg }],
      figuresOfMerit: merit,
      notes: ['The values of r and t used in the paper were lost; r = 0.1 and t = y(k(s, r)) are Ohmlab choices (README).'],
    };
  },
};
