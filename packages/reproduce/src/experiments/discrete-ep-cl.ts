import { clampedDropSquares, linearise } from '@ohmlab/analysis';
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { claimAtLeast, claimAtMost } from '../claims.js';
import { movableErdosRenyi } from '../circuits.js';
import { fitLateDecay } from '../fit.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import { coercivity, freeOutputs, losses, velocity } from '../training/at-point.js';
import { discreteRule } from '../training/discrete.js';
import { last } from '../training/trajectory.js';
import type { Claim, Experiment } from '../types.js';
import { minus, norm, perturbation, plus, runProgress } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly alpha: number;
  readonly etas: readonly number[];
  readonly steps: number;
  readonly perturbation: number;
  /** Check the per-step contraction at every `stride`-th step. */
  readonly stride: number;
}

/** Central finite-difference gradient (step h) of a loss in the conductances. */
async function fdGradient(c: Circuit, loss: (c: Circuit) => Promise<number>, h = 1e-6): Promise<Float64Array> {
  const g = new Float64Array(c.conductances.length);
  for (let j = 0; j < g.length; j++) {
    const kp = Float64Array.from(c.conductances);
    const km = Float64Array.from(c.conductances);
    kp[j] = (kp[j] as number) + h;
    km[j] = (km[j] as number) - h;
    g[j] = ((await loss({ ...c, conductances: kp })) - (await loss({ ...c, conductances: km }))) / (2 * h);
  }
  return g;
}

/**
 * The update identities of paper 1, eqs. (51) and (54), at the start point: the zero-nudge EP step
 * is -grad L; the finite-nudge part is exactly -(eta/2) dvh^2 (O(eta)) for EP and CL; CL's
 * zero-nudge step differs from -grad L_CL by an O(1) amount, whatever eta.
 */
async function identityClaims(backend: SolverBackend, start: Circuit, etas: readonly number[]): Promise<{ claims: Claim[]; merit: Record<string, number> }> {
  const vEP0 = await velocity(backend, start, { rule: 'ep', nudge: 'zero' });
  const vCL0 = await velocity(backend, start, { rule: 'cl', nudge: 'zero' });
  const gradL = await fdGradient(start, async (c) => (await losses(backend, c)).loss);
  const gradLD = await fdGradient(start, async (c) => (await losses(backend, c)).weightedLoss);
  const lin = await linearise(backend, start);
  // The finite rule subtracts squared drops of size ~max|dv^0|^2 and divides by 2 eta: round-off
  // in the update is relative to that scale, not to the (much smaller) O(eta) correction.
  const maxDrop = lin.freeDrops.reduce((a, d) => Math.max(a, Math.abs(d)), 0);
  let worstEP = 0;
  let worstCL = 0;
  let smallestEtaCL = Number.NaN;
  for (const [rule, v0] of [['ep', vEP0], ['cl', vCL0]] as const) {
    const h = clampedDropSquares(lin, rule);
    for (const eta of etas) {
      const v = await velocity(backend, start, { rule, nudge: 'finite', eta });
      const predicted = h.map((x) => -(eta / 2) * x);
      const err = norm(minus(minus(v, v0), predicted)) / Math.max(norm(v0), (maxDrop * maxDrop) / (2 * Math.abs(eta)));
      if (rule === 'ep') worstEP = Math.max(worstEP, err);
      else worstCL = Math.max(worstCL, err);
      if (rule === 'cl' && eta === etas[0]) smallestEtaCL = norm(plus(v, gradLD)) / norm(gradLD);
    }
  }
  const nonGradient = norm(plus(vCL0, gradLD)) / norm(gradLD);
  const epNoise = norm(plus(vEP0, gradL)) / norm(gradL);
  return {
    claims: [
      claimAtMost('eq. (51): the zero-nudge EP step is gradient descent, |v_EP(0) + grad L| / |grad L| (central differences)', epNoise, 1e-5),
      claimAtMost('eq. (51): v_EP(eta) = v_EP(0) - (eta/2) dvh_EP^2 exactly (the correction is O(eta)): worst |error| / max(|v_EP(0)|, max|dv^0|^2 / 2eta) over eta', worstEP, 1e-10),
      claimAtMost('eq. (54): v_CL(eta) = v_CL(0) - (eta/2) dvh_CL^2 exactly (the eta-dependent part is O(eta)): worst |error| / max(|v_CL(0)|, max|dv^0|^2 / 2eta) over eta', worstCL, 1e-10),
      claimAtLeast('eq. (54): CL keeps a non-gradient part at eta -> 0: |v_CL(0) + grad L_CL| / |grad L_CL|, over the same measure for EP (its finite-difference noise)', nonGradient / epNoise, 1e3, '> 1e3 (far above the noise)'),
    ],
    merit: { 'CL non-gradient part |v_CL(0) + grad L_CL| / |grad L_CL|': nonGradient, [`same at eta = ${etas[0]} (finite part included)`]: smallestEtaCL, 'EP: |v_EP(0) + grad L| / |grad L|': epNoise },
  };
}

/** Paper 1, Theorems 8.1 and 8.3: discrete EP and CL at finite alpha and eta decay geometrically. */
export const discreteEpCl: Experiment<Config> = {
  id: 'discrete-ep-cl',
  title: 'Discrete EP and CL at finite learning rate and nudge',
  paper: 'Paper 1 (Coercivity and local convergence)',
  reference: 'Theorems 8.1 and 8.3, eqs. (51) and (54)',
  description:
    'A random Erdos-Renyi circuit with two outputs; the targets are the outputs of hidden conductances k*, training starts from a random perturbation of k*. The physical one-sided rule k <- k - (alpha/2eta)((dv^eta)^2 - (dv^0)^2) is applied for several eta. Checks the update identities (EP correction O(eta), CL non-gradient part independent of eta) and geometric decay: each step contracts the loss by at least the PL factor 1 - alpha c (c_EP for L, c_CL for the weighted loss L_CL).',
  version: 3,
  quick: { nodes: 8, edgeProbability: 0.5, alpha: 0.5, etas: [0.01, 0.1, 0.5], steps: 300, perturbation: 0.1, stride: 3 },
  full: { nodes: 12, edgeProbability: 0.4, alpha: 0.5, etas: [0.001, 0.01, 0.1, 0.5, 1], steps: 1500, perturbation: 0.1, stride: 5 },
  async run(ctx) {
    const cfg = ctx.config;
    const rng = createRng(ctx.seed);
    const { circuit: hidden, redrawn } = movableErdosRenyi(cfg.nodes, cfg.edgeProbability, 2, 2, rng);
    const targets = await freeOutputs(ctx.backend, hidden);
    const start = { ...hidden, conductances: plus(hidden.conductances, perturbation(rng, hidden.conductances.length, cfg.perturbation)), targets };
    const { claims, merit } = await identityClaims(ctx.backend, start, cfg.etas);
    const series = [];
    const total = 2 * cfg.etas.length;
    let done = 0;
    for (const rule of ['ep', 'cl'] as const) {
      for (const eta of cfg.etas) {
        const traj = await discreteRule(ctx.backend, start, { rule, nudge: 'finite', eta }, { alpha: cfg.alpha, steps: cfg.steps, onProgress: runProgress(ctx, done++, total, `${rule.toUpperCase()} eta = ${eta}`) });
        const lossOf = rule === 'ep' ? traj.loss : traj.weightedLoss;
        const name = rule === 'ep' ? 'L' : 'L_CL';
        const label = `${rule.toUpperCase()}, alpha = ${cfg.alpha}, eta = ${eta}`;
        let worst = 0;
        // Steps above the round-off floor (1e-20 of the initial loss) only.
        for (let n = 0; n + 1 < lossOf.length && (lossOf[n + 1] as number) > 1e-20 * (lossOf[0] as number); n += cfg.stride) {
          const c = await coercivity(ctx.backend, { ...start, conductances: traj.conductances[n] as Float64Array });
          const contraction = (lossOf[n + 1] as number) / (lossOf[n] as number);
          worst = Math.max(worst, contraction / (1 - cfg.alpha * (rule === 'ep' ? c.ep : c.cl)));
        }
        const fit = fitLateDecay(traj.t, lossOf);
        merit[`${label}: late per-step factor of ${name}`] = Math.exp(-fit.rate);
        merit[`${label}: ${name}(N)/${name}(0)`] = last(lossOf) / (lossOf[0] as number);
        claims.push(claimAtMost(`${label}: geometric decay, every step contracts ${name} by at least the PL factor 1 - alpha c(k_n) (Thm ${rule === 'ep' ? '8.1' : '8.3'}): max over n of (${name}_{n+1} / ${name}_n) / (1 - alpha c(k_n))`, worst, 1, '<= 1'));
        series.push({ label: `${rule.toUpperCase()} eta=${eta}`, x: traj.t, y: lossOf, ...(rule === 'cl' ? { dash: '5 3' } : {}) });
      }
    }
    const svg = linePlot({ legendAt: 'outside', title: 'Discrete EP (L, solid) and CL (L_CL, dashed) at finite alpha, eta', xLabel: 'step n', yLabel: 'loss', yLog: true, series });
    return {
      data: { edges: hidden.conductances.length, hiddenConductances: hidden.conductances, start: start.conductances, targets },
      claims,
      figures: [{ name: 'discrete-ep-cl', title: 'Geometric decay of the loss under the discrete physical rule (Paper 1, Thms 8.1, 8.3).', svg }],
      figuresOfMerit: { ...merit, 'draws set aside (an output saw one input voltage)': redrawn },
      notes: [
        'Paper 1 gives no sizes for this experiment; circuit size, alpha and the eta values are Ohmlab choices.',
        'The theorems combine the descent lemma with the PL inequality |grad|^2 >= 2 c L, which gives L_{n+1} <= (1 - alpha c) L_n for a small enough alpha; c is evaluated at each checked step k_n (@ohmlab/analysis: c_EP for L, c_CL for the weighted loss L_CL).',
        'The finite-nudge parts are checked against @ohmlab/analysis\' clamped drops (linearisation), the gradients by central differences of learners\' losses.',
      ],
    };
  },
};
