import type { NudgeOptions } from '@ohmlab/learners';
import { claimAtMost } from '../claims.js';
import { voltageDivider } from '../circuits.js';
import { composePanels } from '../svg/xml.js';
import { velocity } from '../training/at-point.js';
import { flow } from '../training/flow.js';
import type { Claim, Experiment } from '../types.js';
import { runProgress } from './common.js';
import { dividerField, dividerPanel, fieldDistance, finiteNudgeClaims, zeroNudgeClaims, type DividerField } from './divider-field.js';

interface Config {
  readonly grid: number;
  readonly kMax: number;
  readonly samples: readonly { readonly u: number; readonly t: number }[];
  readonly start: readonly [number, number];
  readonly duration: number;
  readonly record: number;
}

/** Paper 2, Figure 4: CL flow fields of the voltage divider for eta = 0 and eta = +/-1. */
export const voltageDividerFlow: Experiment<Config> = {
  id: 'voltage-divider-flow',
  title: 'Voltage divider flow fields for eta = 0, +1, -1',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Figure 4, eq. (4.14), Section 4.2',
  description:
    'Batched CL on a voltage divider (input - k1 - output - k2 - ground) with two incommensurate samples. eta = 0 conserves k1^2 + k2^2 and has its fixed point on the ray k1/(k1+k2) = E[ut]/E[u^2]; symmetric clamping gives the same flow; eta = +1 (-1) has no interior fixed point and shrinks (grows) the mass.',
  version: 3,
  quick: { grid: 15, kMax: 2, samples: [{ u: 1, t: 0.3 }, { u: 2, t: 1.2 }], start: [1.4, 0.3], duration: 40, record: 161 },
  full: { grid: 31, kMax: 2, samples: [{ u: 1, t: 0.3 }, { u: 2, t: 1.2 }], start: [1.4, 0.3], duration: 80, record: 321 },
  async run(ctx) {
    const cfg = ctx.config;
    const samples = cfg.samples.map((s) => ({ inputs: Float64Array.of(s.u, 0), targets: Float64Array.of(s.t) }));
    const at = (k1: number, k2: number) => ({ ...voltageDivider(k1, k2), samples });
    const rhoStar = cfg.samples.reduce((a, s) => a + s.u * s.t, 0) / cfg.samples.reduce((a, s) => a + s.u * s.u, 0);
    const panels: string[] = [];
    const claims: Claim[] = [];
    let merit: Record<string, number> = { 'rho* = E[ut]/E[u^2]': rhoStar };
    const fields: DividerField[] = [];
    for (const [pi, eta] of ([0, 1, -1] as const).entries()) {
      const nudge: NudgeOptions = eta === 0 ? { rule: 'cl', nudge: 'zero' } : { rule: 'cl', nudge: 'finite', eta };
      ctx.progress(pi, 4, `eta = ${eta}: field`);
      const f = await dividerField(ctx.backend, cfg.grid, cfg.kMax, nudge, at);
      fields.push(f);
      const traj = await flow(ctx.backend, at(cfg.start[0], cfg.start[1]), nudge, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, pi + 0.5, 4, `eta = ${eta}: trajectory`) });
      if (eta === 0) {
        claims.push(...zeroNudgeClaims(f, await velocity(ctx.backend, at(rhoStar, 1 - rhoStar), nudge), traj, rhoStar));
        const end = traj.finalConductances;
        merit['eta = 0: k1/(k1+k2) at T'] = (end[0] as number) / ((end[0] as number) + (end[1] as number));
      } else {
        const finite = finiteNudgeClaims(f, traj, eta);
        claims.push(...finite.claims);
        merit = { ...merit, ...finite.merit };
      }
      panels.push(dividerPanel(f, traj, `CL, eta = ${eta > 0 ? '+1' : eta}`, cfg.start, rhoStar));
    }
    ctx.progress(3, 4, 'symmetric clamping');
    const sym = await dividerField(ctx.backend, cfg.grid, cfg.kMax, { rule: 'cl', nudge: 'symmetric', eta: 1 }, at);
    claims.push(claimAtMost('Symmetric clamping at eta = 1 gives the eta = 0 flow (Sec. 4): max over the grid of |v_sym - v_0|, relative to the largest |v_0|', fieldDistance(sym, fields[0] as DividerField), 1e-9));
    return {
      data: { rhoStar, samples: cfg.samples },
      claims,
      figures: [{ name: 'voltage-divider-flow', title: 'Voltage divider CL flow fields, eta = 0, +1, -1 (Paper 2, Fig. 4): arrows show the direction (darker = faster), red: a trajectory from the black dot, blue dashed: the conserved circle, green dotted: the eta = 0 fixed-point ray.', svg: composePanels(panels, 3, 'Voltage divider flow fields') }],
      figuresOfMerit: merit,
      notes: ['The samples of the paper\'s Fig. 4 were lost; two incommensurate samples (u, t) = (1, 0.3), (2, 1.2) are an Ohmlab choice.'],
    };
  },
};
