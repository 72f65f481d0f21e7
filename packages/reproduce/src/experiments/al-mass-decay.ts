import { claimAtMost } from '../claims.js';
import { erdosRenyi, withConductances } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Experiment } from '../types.js';
import { lab } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly tEnd: number;
  readonly record: number;
}

/** THEORY.md "Invariants": along AL, d/dt sum k^2 = -4 L_AL (not in the papers). */
export const alMassDecay: Experiment<Config> = {
  id: 'al-mass-decay',
  title: 'AL mass decay: d/dt sum k^2 = -4 L_AL',
  paper: 'Ohmlab (not in the papers)',
  reference: 'shared/THEORY.md, Invariants',
  description:
    'AL does not conserve sum k^2: sum_j k_j dk_j/dt = -|mu|^2 = -2 L_AL. Checked pointwise along an AL trajectory and in integrated form M(T) - M(0) = -4 integral of L_AL.',
  version: 1,
  quick: { nodes: 8, edgeProbability: 0.5, tEnd: 20, record: 801 },
  full: { nodes: 14, edgeProbability: 0.35, tEnd: 60, record: 2401 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
    const circuit = { ...base, targets: Float64Array.of(0.3, 0.6) };
    const traj = await L.integrate(circuit, { rule: 'AL', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, tolerance: 1e-10, signal: ctx.signal });
    let worst = 0;
    const checkedT: number[] = [];
    const dMdt: number[] = [];
    const minus4L: number[] = [];
    for (let i = 0; i < traj.t.length; i++) {
      if (i % 8 !== 0) continue;
      ctx.progress(i, traj.t.length, 'pointwise check');
      const at = withConductances(circuit, traj.conductances[i] as Float64Array);
      const v = await L.velocity(at, { rule: 'AL', eta: 0 });
      const k = traj.conductances[i] as Float64Array;
      const rate = 2 * k.reduce((a, kj, j) => a + kj * (v[j] as number), 0);
      const expected = -4 * (traj.loss[i] as number);
      checkedT.push(traj.t[i] as number);
      dMdt.push(rate);
      minus4L.push(expected);
      if ((traj.loss[i] as number) > 1e-20) worst = Math.max(worst, Math.abs(rate - expected) / Math.abs(expected));
    }
    // Integrated form with the trapezoid rule.
    const predicted = new Float64Array(traj.t.length);
    predicted[0] = traj.mass[0] as number;
    for (let i = 1; i < traj.t.length; i++) {
      const dt = (traj.t[i] as number) - (traj.t[i - 1] as number);
      predicted[i] = (predicted[i - 1] as number) - 2 * dt * ((traj.loss[i] as number) + (traj.loss[i - 1] as number));
    }
    const n = traj.t.length - 1;
    const drop = (traj.mass[0] as number) - (traj.mass[n] as number);
    const integratedError = Math.abs((predicted[n] as number) - (traj.mass[n] as number)) / Math.max(drop, 1e-300);
    const svg = linePlot({
      title: 'AL: mass against -4 x integral of the adjoint loss', xLabel: 'time t', yLabel: 'sum k^2',
      series: [{ label: 'M(t) along AL', x: traj.t, y: traj.mass }, { label: 'M(0) - 4 int L_AL dt', x: traj.t, y: predicted, dash: '5 3' }],
    });
    return {
      data: { checkedT, dMdt, minus4L, massStart: traj.mass[0], massEnd: traj.mass[traj.mass.length - 1] },
      claims: [
        claimAtMost('Pointwise: max |dM/dt + 4 L_AL| / (4 L_AL) along the trajectory', worst, 1e-8),
        claimAtMost('Integrated: |M(T) - (M(0) - 4 int L_AL)| / (M(0) - M(T)) (trapezoid rule)', integratedError, 1e-2),
      ],
      figures: [{ name: 'al-mass-decay', title: 'AL decreases sum k^2 at rate 4 L_AL (THEORY.md).', svg }],
      figuresOfMerit: { 'M(0)': traj.mass[0] as number, 'M(T)': traj.mass[n] as number, 'L_AL(0)': traj.loss[0] as number, 'L_AL(T)': traj.loss[n] as number },
    };
  },
};
