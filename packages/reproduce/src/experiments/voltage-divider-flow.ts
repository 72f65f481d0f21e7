import { claimAtLeast, claimAtMost } from '../claims.js';
import { voltageDivider, withSamples } from '../lab/circuits.js';
import { flowFieldPlot } from '../svg/flow-field.js';
import { composePanels } from '../svg/xml.js';
import type { Claim, Experiment } from '../types.js';
import { edgeSeries, lab } from './common.js';

interface Config {
  readonly grid: number;
  readonly kMax: number;
  readonly samples: readonly { readonly u: number; readonly t: number }[];
  readonly start: readonly [number, number];
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 2, Figure 4: CL flow fields of the voltage divider for eta = 0 and eta = +/-1. */
export const voltageDividerFlow: Experiment<Config> = {
  id: 'voltage-divider-flow',
  title: 'Voltage divider flow fields for eta = 0, +1, -1',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Figure 4, eq. (4.14)',
  description:
    'Batched CL on a voltage divider (input - k1 - output - k2 - ground) with two incommensurate samples. eta = 0 conserves k1^2 + k2^2 and has its fixed point on the ray k1/(k1+k2) = E[ut]/E[u^2]; eta = +1 (-1) has no interior fixed point and shrinks (grows) the mass.',
  version: 1,
  quick: { grid: 15, kMax: 2, samples: [{ u: 1, t: 0.3 }, { u: 2, t: 1.2 }], start: [1.4, 0.3], tEnd: 40, record: 161 },
  full: { grid: 31, kMax: 2, samples: [{ u: 1, t: 0.3 }, { u: 2, t: 1.2 }], start: [1.4, 0.3], tEnd: 80, record: 321 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const samples = cfg.samples.map((s) => ({ inputs: Float64Array.from([s.u, 0]), targets: Float64Array.from([s.t]) }));
    const at = (k1: number, k2: number) => withSamples(voltageDivider(k1, k2), samples);
    const eu2 = cfg.samples.reduce((a, s) => a + s.u * s.u, 0);
    const rhoStar = cfg.samples.reduce((a, s) => a + s.u * s.t, 0) / eu2;
    const panels: string[] = [];
    const claims: Claim[] = [];
    const merit: Record<string, number> = { 'rho* = E[ut]/E[u^2]': rhoStar };
    const r0 = Math.hypot(...cfg.start);
    const circle = Array.from({ length: 91 }, (_, i) => (i / 90) * (Math.PI / 2));
    for (const [pi, eta] of [0, 1, -1].entries()) {
      ctx.progress(pi, 3, `eta = ${eta}`);
      const spec = { rule: 'CL' as const, eta };
      let worstRadial = -Infinity;
      let bestRadial = Infinity;
      let maxAbsKv = 0;
      let maxSpeed = 0;
      let minSpeed = Infinity;
      const cache = new Map<string, readonly [number, number]>();
      for (let j = 0; j < cfg.grid; j++) {
        for (let i = 0; i < cfg.grid; i++) {
          const k1 = ((i + 0.5) / cfg.grid) * cfg.kMax;
          const k2 = ((j + 0.5) / cfg.grid) * cfg.kMax;
          const v = await L.velocity(at(k1, k2), spec);
          const v1 = v[0] as number;
          const v2 = v[1] as number;
          cache.set(`${i},${j}`, [v1, v2]);
          const radial = (k1 * v1 + k2 * v2) / (Math.hypot(k1, k2) * Math.hypot(v1, v2));
          worstRadial = Math.max(worstRadial, radial);
          bestRadial = Math.min(bestRadial, radial);
          maxAbsKv = Math.max(maxAbsKv, Math.abs(k1 * v1 + k2 * v2) / Math.hypot(k1, k2));
          maxSpeed = Math.max(maxSpeed, Math.hypot(v1, v2));
          minSpeed = Math.min(minSpeed, Math.hypot(v1, v2) / Math.hypot(k1, k2));
        }
      }
      const traj = await L.integrate(at(cfg.start[0], cfg.start[1]), spec, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
      if (eta === 0) {
        const vStar = await L.velocity(at(rhoStar, 1 - rhoStar), spec);
        claims.push(claimAtMost('eta = 0: the flow is tangent to circles, max over the grid of |k.v| / |k| relative to the largest |v|', maxAbsKv / maxSpeed, 1e-9));
        claims.push(claimAtMost('eta = 0: k1/(k1+k2) = E[ut]/E[u^2] is an interior fixed point, |v| there', Math.hypot(vStar[0] as number, vStar[1] as number), 1e-12));
        const end = traj.conductances[traj.conductances.length - 1] as Float64Array;
        const rhoEnd = (end[0] as number) / ((end[0] as number) + (end[1] as number));
        merit['eta = 0: k1/(k1+k2) at T'] = rhoEnd;
        claims.push(claimAtMost('eta = 0: the trajectory converges to the fixed-point ray, |rho(T) - rho*|', Math.abs(rhoEnd - rhoStar), 1e-3));
      } else {
        const sign = eta > 0 ? 'shrinks' : 'grows';
        claims.push(eta > 0
          ? claimAtMost(`eta = +1: the mass ${sign} everywhere, max over the grid of k.v / (|k||v|)`, worstRadial, 0, '< 0')
          : claimAtLeast(`eta = -1: the mass ${sign} everywhere, min over the grid of k.v / (|k||v|)`, bestRadial, 0, '> 0'));
        claims.push(claimAtLeast(`eta = ${eta > 0 ? '+1' : '-1'}: no interior fixed point, min over the grid of |v| / |k|`, minSpeed, 1e-6));
        merit[`eta = ${eta}: removals`] = traj.removals.length;
      }
      const stride = Math.max(1, Math.floor(cfg.grid / 15));
      panels.push(flowFieldPlot({
        title: `CL, eta = ${eta > 0 ? '+1' : eta}`,
        xLabel: 'k1',
        yLabel: 'k2',
        xRange: [0, cfg.kMax],
        yRange: [0, cfg.kMax],
        arrows: Math.ceil(cfg.grid / stride),
        field: (x, y) => {
          const i = Math.min(cfg.grid - 1, Math.floor((x / cfg.kMax) * cfg.grid));
          const j = Math.min(cfg.grid - 1, Math.floor((y / cfg.kMax) * cfg.grid));
          return cache.get(`${i},${j}`) ?? [Number.NaN, Number.NaN];
        },
        curves: [
          { label: 'trajectory', x: edgeSeries(traj.conductances, 0), y: edgeSeries(traj.conductances, 1), color: '#d62728' },
          { label: 'k1^2 + k2^2 = const', x: circle.map((a) => r0 * Math.cos(a)), y: circle.map((a) => r0 * Math.sin(a)), color: '#1f77b4', dash: '4 3' },
          { label: 'fixed-point ray (eta = 0)', x: [0, cfg.kMax * rhoStar / Math.max(rhoStar, 1 - rhoStar)], y: [0, cfg.kMax * (1 - rhoStar) / Math.max(rhoStar, 1 - rhoStar)], color: '#2ca02c', dash: '2 2' },
        ],
        points: [{ x: cfg.start[0], y: cfg.start[1] }],
      }));
    }
    return {
      data: { rhoStar, samples: cfg.samples },
      claims,
      figures: [{ name: 'voltage-divider-flow', title: 'Voltage divider CL flow fields, eta = 0, +1, -1 (Paper 2, Fig. 4): arrows show direction (darker = faster), red: a trajectory, blue dashed: conserved circle.', svg: composePanels(panels, 3, 'Voltage divider flow fields') }],
      figuresOfMerit: merit,
      notes: ['The samples of the paper\'s Fig. 4 were lost; two incommensurate samples (u, t) = (1, 0.3), (2, 1.2) are an Ohmlab choice (README).'],
    };
  },
};
