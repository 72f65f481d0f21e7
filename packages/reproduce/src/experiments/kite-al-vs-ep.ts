import { claimAtLeast, claimAtMost } from '../claims.js';
import { kite } from '../lab/circuits.js';
import { linePlot } from '../svg/line-plot.js';
import type { Experiment } from '../types.js';
import { lab } from './common.js';

interface Config {
  readonly offTarget: number;
  readonly tEnd: number;
  readonly record: number;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Paper 1, Section 6 "Comparison with AL": EP and AL at the kite's degenerate points. */
export const kiteAlVsEp: Experiment<Config> = {
  id: 'kite-al-vs-ep',
  title: 'AL against EP at the kite degenerate point',
  paper: 'Paper 1 (Coercivity and local convergence)',
  reference: 'Section 6: spurious fixed points, comparison with AL',
  description:
    'At the paper\'s degenerate conductances (s = r = 0) with a target t != t*, the paper says the EP update vanishes identically (a spurious fixed point) while AL moves only k5 and k6, keeping k5 = k6. Both flows are then integrated from there.',
  version: 1,
  quick: { offTarget: 0.45, tEnd: 60, record: 61 },
  full: { offTarget: 0.45, tEnd: 200, record: 201 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const point = kite(0, 0, cfg.offTarget);
    const k = point.conductances;
    const vEP = await L.velocity(point, { rule: 'EP', eta: 0 });
    const vAL = await L.velocity(point, { rule: 'AL', eta: 0 });
    const alOnMiddle = Math.hypot(vAL[4] as number, vAL[5] as number) / norm(vAL);
    ctx.progress(1, 3, 'EP flow');
    const ep = await L.integrate(point, { rule: 'EP', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    ctx.progress(2, 3, 'AL flow');
    const al = await L.integrate(point, { rule: 'AL', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    const epFinal = ep.loss[ep.loss.length - 1] as number;
    const svg = linePlot({
      title: `Kite at s = r = 0, target t = ${cfg.offTarget}`,
      xLabel: 'time t',
      yLabel: 'loss',
      yLog: true,
      series: [
        { label: 'EP: L = |y - t|^2 / 2', x: ep.t, y: ep.loss },
        { label: 'AL: adjoint loss |mu|^2 / 2', x: al.t, y: al.loss, dash: '5 3' },
      ],
    });
    return {
      data: { conductances: k, vEP, vAL, epLoss: ep.loss, alLoss: al.loss, t: ep.t },
      claims: [
        claimAtMost('EP update vanishes at the degenerate point with t != t* (spurious fixed point): |v_EP| / |k|', norm(vEP) / norm(k), 1e-10),
        claimAtLeast('AL update is nonzero there: |v_AL| / |k|', norm(vAL) / norm(k), 1e-6),
        claimAtLeast('AL acts only on k5, k6: share of |v_AL| on the middle branch', alOnMiddle, 1 - 1e-9, '= 1'),
        claimAtMost('AL keeps k5 = k6 (swap symmetry): |dk5/dt - dk6/dt| / |v_AL|', Math.abs((vAL[4] as number) - (vAL[5] as number)) / norm(vAL), 1e-9),
        claimAtLeast('EP stays stuck at nonzero loss: L(T) / L(0)', epFinal / (ep.loss[0] as number), 0.99, '~1 (no progress)'),
      ],
      figures: [{ name: 'kite-al-vs-ep', title: 'EP and AL started at the kite degenerate conductances with t != t*.', svg }],
      figuresOfMerit: { '|v_EP|': norm(vEP), '|v_AL|': norm(vAL), 'EP L(T)/L(0)': epFinal / (ep.loss[0] as number), 'AL L(T)/L(0)': (al.loss[al.loss.length - 1] as number) / (al.loss[0] as number) },
      notes: ['The paper\'s off-manifold target was lost; t = 0.45 is an Ohmlab choice (README).'],
    };
  },
};
