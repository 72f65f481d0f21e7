import { kiteCircuit } from '@ohmlab/analysis';
import { claimAtLeast, claimAtMost } from '../claims.js';
import { kiteCriticalTarget } from './kite-closed-form.js';
import { linePlot } from '../svg/line-plot.js';
import { composePanels } from '../svg/xml.js';
import { freeOutputs, velocity } from '../training/at-point.js';
import { flow } from '../training/flow.js';
import { edgeSeries, last } from '../training/trajectory.js';
import type { Experiment } from '../types.js';
import { norm, runProgress } from './common.js';

interface Config {
  readonly base: readonly number[];
  /** The target t != t* (the paper's off-manifold target was lost). */
  readonly offTarget: number;
  readonly duration: number;
  readonly record: number;
}

/** Paper 1, Section 6 "Spurious fixed points" and "Comparison with AL": EP and AL at the kite's degenerate point. */
export const kiteAlVsEp: Experiment<Config> = {
  id: 'kite-al-vs-ep',
  title: 'AL against EP at the kite degenerate point',
  paper: 'Paper 1 (Coercivity and local convergence)',
  reference: 'Section 6: spurious fixed points (t != t*), comparison with AL',
  description:
    'At the paper\'s degenerate conductances (ratio condition and k5 = k6: s = r = 0) with a target t != t*, the paper says the EP update vanishes identically (a spurious fixed point, stuck at nonzero loss), while AL acts only on k5 and k6, keeps k5 = k6 and the ratio condition, never changes the output from t*, and drives k5 = k6 to 0. Both zero-nudge flows are integrated from there.',
  version: 3,
  quick: { base: [1, 1, 1, 1, 1, 1], offTarget: 0.45, duration: 120, record: 61 },
  full: { base: [1, 1, 1, 1, 1, 1], offTarget: 0.45, duration: 300, record: 301 },
  async run(ctx) {
    const cfg = ctx.config;
    const tStar = kiteCriticalTarget(cfg.base);
    const point = kiteCircuit({ base: cfg.base, s: 0, r: 0, target: cfg.offTarget });
    const k = point.conductances;
    const vEP = await velocity(ctx.backend, point, { rule: 'ep', nudge: 'zero' });
    const vAL = await velocity(ctx.backend, point, { rule: 'al', nudge: 'zero' });
    const alOnMiddle = Math.hypot(vAL[4] as number, vAL[5] as number) / norm(vAL);
    const ep = await flow(ctx.backend, point, { rule: 'ep', nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, 0, 3, 'EP flow') });
    const al = await flow(ctx.backend, point, { rule: 'al', nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, 1, 3, 'AL flow') });
    ctx.progress(2, 3, 'AL outputs');
    const yAL = new Float64Array(al.t.length);
    let asymmetry = 0;
    let ratioBreak = 0;
    for (const [i, kk] of al.conductances.entries()) {
      yAL[i] = (await freeOutputs(ctx.backend, { ...point, conductances: kk }))[0] as number;
      const [k1, k2, k3, k4, k5, k6] = kk as unknown as [number, number, number, number, number, number];
      asymmetry = Math.max(asymmetry, Math.abs(k5 - k6) / norm(kk));
      ratioBreak = Math.max(ratioBreak, Math.abs(k1 * k4 - k2 * k3) / (k1 * k4));
    }
    const outputDrift = yAL.reduce((a, y) => Math.max(a, Math.abs(y - tStar)), 0);
    const k5Ratio = (last(edgeSeries(al, 4)) as number) / (k[4] as number);
    const losses = linePlot({
      title: `Kite at s = r = 0, target t = ${cfg.offTarget} (t* = ${tStar})`, xLabel: 'time t', yLabel: 'loss', yLog: true,
      series: [
        { label: 'EP: L = |y - t|^2 / 2', x: ep.t, y: ep.loss },
        { label: 'AL: L_AL = |mu|^2 / 2', x: al.t, y: al.adjointLoss, dash: '5 3' },
      ],
    });
    const edges = linePlot({
      title: 'AL: conductances and output', xLabel: 'time t', yLabel: 'k_j, y', yDomain: [0.4, 1.4],
      series: [
        { label: 'k1 = k3 (s-a, s-b)', x: al.t, y: edgeSeries(al, 0) },
        { label: 'k2 = k4 (a-g, b-g)', x: al.t, y: edgeSeries(al, 1) },
        { label: 'k5 = k6 (strut)', x: al.t, y: edgeSeries(al, 4) },
        { label: 'output y', x: al.t, y: yAL, dash: '5 3' },
      ],
    });
    return {
      data: { tStar, target: cfg.offTarget, conductances: k, vEP, vAL, t: ep.t, epLoss: ep.loss, alAdjointLoss: al.adjointLoss, alOutput: yAL },
      claims: [
        claimAtMost('EP update vanishes at the degenerate point with t != t* (spurious fixed point): |v_EP| / |k|', norm(vEP) / norm(k), 1e-10),
        claimAtLeast('EP stays stuck at nonzero loss: L(T) / L(0)', last(ep.loss) / (ep.loss[0] as number), 0.99, '~1 (no progress)'),
        claimAtLeast('The AL update is nonzero there (no fixed point for AL): |v_AL| / |k|', norm(vAL) / norm(k), 1e-6),
        claimAtLeast('AL acts only on k5, k6 (the outer conductances stay fixed): share of |v_AL| on k5, k6', alOnMiddle, 1 - 1e-9, '= 1'),
        claimAtMost('AL keeps k5 = k6 (swap symmetry a <-> b): max |k5 - k6| / |k| along the flow', asymmetry, 1e-9),
        claimAtMost('AL keeps the ratio condition k1/k2 = k3/k4 (invariant manifold): max |k1 k4 - k2 k3| / (k1 k4) along the flow', ratioBreak, 1e-9),
        claimAtMost('Along AL the output never changes from t*: max |y - t*| along the flow', outputDrift, 1e-9),
        claimAtMost('AL drives k5 = k6 to 0 (a boundary minimum of L_AL): k5(T) / k5(0)', k5Ratio, 0.01),
      ],
      figures: [{ name: 'kite-al-vs-ep', title: 'EP and AL started at the kite\'s degenerate conductances with t != t* (Paper 1, Sec. 6): losses, and the AL conductances and output.', svg: composePanels([losses, edges], 2, 'Kite: EP and AL at the degenerate point') }],
      figuresOfMerit: { '|v_EP| / |k|': norm(vEP) / norm(k), '|v_AL| / |k|': norm(vAL) / norm(k), 'EP L(T)/L(0)': last(ep.loss) / (ep.loss[0] as number), 'AL L_AL(T)/L_AL(0)': last(al.adjointLoss) / (al.adjointLoss[0] as number), 'AL output y(T)': last(yAL), 'AL k5(T)': last(edgeSeries(al, 4)) },
      notes: [
        'The paper\'s off-manifold target was lost; t = 0.45 is an Ohmlab choice. Base point: graph\'s kite() default (all k = 1, t* = 1/2).',
        'The EP update does not vanish because c_EP > 0 at this point (maximum principle, see kite-landscape). Holding the output at t != x_a makes the AL reference state drive current through the outer edges too, so AL changes them, which moves y = k1/(k1 + k2) to the target.',
      ],
    };
  },
};
