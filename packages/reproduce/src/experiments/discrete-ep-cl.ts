import type { Circuit } from '@ohmlab/graph';
import { claimAtLeast, claimAtMost, claimClose } from '../claims.js';
import { fitLateDecay } from '../fit.js';
import { erdosRenyi, withConductances } from '../lab/circuits.js';
import type { Lab } from '../lab/index.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Claim, Experiment } from '../types.js';
import { lab, perturbation, plus } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly alpha: number;
  readonly etas: readonly number[];
  readonly steps: number;
  readonly perturbation: number;
}

/** Central finite-difference gradient of a loss in the conductances. */
async function fdGradient(c: Circuit, loss: (c: Circuit) => Promise<number>, h = 1e-6): Promise<Float64Array> {
  const g = new Float64Array(c.conductances.length);
  for (let j = 0; j < g.length; j++) {
    const kp = Float64Array.from(c.conductances);
    const km = Float64Array.from(c.conductances);
    kp[j] = (kp[j] as number) + h;
    km[j] = (km[j] as number) - h;
    g[j] = ((await loss(withConductances(c, kp))) - (await loss(withConductances(c, km)))) / (2 * h);
  }
  return g;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

function diff(a: ArrayLike<number>, b: ArrayLike<number>, sign = -1): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => (a[i] as number) + sign * (b[i] as number));
}

async function structureClaims(L: Lab, start: Circuit, etas: readonly number[]): Promise<Claim[]> {
  const vEP0 = await L.velocity(start, { rule: 'EP', eta: 0 });
  const vCL0 = await L.velocity(start, { rule: 'CL', eta: 0 });
  const gradL = await fdGradient(start, (c) => L.loss(c));
  const gradLD = await fdGradient(start, (c) => L.weightedLoss(c));
  const etaLo = etas[0] as number;
  const etaHi = etas[etas.length - 1] as number;
  const corr = async (rule: 'EP' | 'CL', eta: number, v0: Float64Array): Promise<number> => norm(diff(await L.velocity(start, { rule, eta }), v0)) / eta;
  return [
    claimAtMost('EP zero-nudge update is gradient descent on L: |v_EP + grad L| / |grad L| (finite differences)', norm(diff(vEP0, gradL, 1)) / norm(gradL), 1e-5),
    claimClose(`Thm 8.1 (eq. 51): the EP finite-nudge correction is linear in eta: (|v(${etaHi}) - v(0)|/${etaHi}) / (|v(${etaLo}) - v(0)|/${etaLo})`, (await corr('EP', etaHi, vEP0)) / (await corr('EP', etaLo, vEP0)), 1, 1e-4),
    claimAtLeast('Thm 8.3 (eq. 54): CL keeps a non-gradient part as eta -> 0: |v_CL(0) + grad L_D| / |grad L_D|', norm(diff(vCL0, gradLD, 1)) / norm(gradLD), 1e-3, '> 1e-3 (O(1), independent of eta)'),
  ];
}

/** Paper 1, Theorems 8.1 and 8.3: discrete EP and CL at finite alpha and eta decay geometrically. */
export const discreteEpCl: Experiment<Config> = {
  id: 'discrete-ep-cl',
  title: 'Discrete EP and CL at finite learning rate and nudge',
  paper: 'Paper 1 (Coercivity and local convergence)',
  reference: 'Theorems 8.1 and 8.3, eqs. (51) and (54)',
  description:
    'A random Erdos-Renyi circuit with two outputs; the targets are the outputs of hidden conductances k*, training starts from a random perturbation of k*. The physical one-sided rule k <- k - (alpha/2eta)((dv^eta)^2 - (dv^0)^2) is applied for several eta. Checks geometric decay and the structure of the update identities (EP correction O(eta), CL non-gradient part O(1)).',
  version: 1,
  quick: { nodes: 8, edgeProbability: 0.5, alpha: 0.5, etas: [0.01, 0.1, 0.5], steps: 300, perturbation: 0.1 },
  full: { nodes: 12, edgeProbability: 0.4, alpha: 0.5, etas: [0.001, 0.01, 0.1, 0.5, 1], steps: 1500, perturbation: 0.1 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const hidden = erdosRenyi(cfg.nodes, cfg.edgeProbability, 2, 2, rng);
    const targets = await L.outputs(hidden);
    const start = { ...withConductances(hidden, plus(hidden.conductances, perturbation(rng, hidden.conductances.length, cfg.perturbation))), targets };
    const claims: Claim[] = await structureClaims(L, start, cfg.etas);
    const series = [];
    const merit: Record<string, number> = {};
    const total = 2 * cfg.etas.length;
    let done = 0;
    for (const rule of ['EP', 'CL'] as const) {
      for (const eta of cfg.etas) {
        ctx.progress(done++, total, `${rule} eta = ${eta}`);
        const traj = await L.discrete(start, { rule, eta }, { alpha: cfg.alpha, steps: cfg.steps, signal: ctx.signal });
        const ratio = (traj.loss[traj.loss.length - 1] as number) / (traj.loss[0] as number);
        const fit = fitLateDecay(traj.t, traj.loss);
        merit[`${rule} eta=${eta}: per-step factor`] = Math.exp(-fit.rate);
        merit[`${rule} eta=${eta}: L(N)/L(0)`] = ratio;
        claims.push(claimAtMost(`${rule}, alpha = ${cfg.alpha}, eta = ${eta}: geometric decay, fitted per-step factor of L (late half)`, Math.exp(-fit.rate), 1 - 1e-4, '< 1'));
        claims.push(claimAtMost(`${rule}, alpha = ${cfg.alpha}, eta = ${eta}: the decay is geometric (max deviation of log L from the fitted line, late half)`, fit.maxLogDeviation, 0.5));
        series.push({ label: `${rule} eta=${eta}`, x: traj.t, y: traj.loss, dash: rule === 'CL' ? '5 3' : undefined });
      }
    }
    const svg = linePlot({ title: 'Discrete EP (solid) and CL (dashed) at finite alpha, eta', xLabel: 'step n', yLabel: 'loss L', yLog: true, series: series.map((s) => (s.dash === undefined ? { label: s.label, x: s.x, y: s.y } : { label: s.label, x: s.x, y: s.y, dash: s.dash })) });
    return {
      data: { edges: hidden.conductances.length, hiddenConductances: hidden.conductances, start: start.conductances, targets },
      claims,
      figures: [{ name: 'discrete-ep-cl', title: 'Geometric decay of the loss under the discrete physical rule (Paper 1, Thms 8.1, 8.3).', svg }],
      figuresOfMerit: merit,
      notes: [
        'Paper 1 gives no sizes for this experiment; circuit size, alpha and the eta values are Ohmlab choices (README).',
        'The linearity check differences velocities at the smallest eta, so its tolerance (1e-4) is set by the solver residual (1e-10) over that eta, not by the claim.',
      ],
    };
  },
};
