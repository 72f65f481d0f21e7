import { analyzeCircuit } from '@ohmlab/analysis';
import type { NudgeOptions } from '@ohmlab/learners';
import { claimAtLeast, claimAtMost, claimClose } from '../claims.js';
import { gaussianErdosRenyi } from '../circuits.js';
import { maxRelativeChange } from '../fit.js';
import { linePlot, type Series } from '../svg/line-plot.js';
import { velocity } from '../training/at-point.js';
import { flow } from '../training/flow.js';
import { last } from '../training/trajectory.js';
import type { Claim, Experiment } from '../types.js';
import { runProgress } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly samples: number;
  readonly eta: number;
  readonly duration: number;
  readonly record: number;
}

interface Run {
  readonly label: string;
  readonly nudge: NudgeOptions;
  /** 0: conserving; -1 / +1: expected sign of the drift (eq. 4.12: sign of -eta). */
  readonly drift: -1 | 0 | 1;
}

function runsOf(eta: number): Run[] {
  return [
    { label: 'EP, eta -> 0', nudge: { rule: 'ep', nudge: 'zero' }, drift: 0 },
    { label: 'CL, eta -> 0', nudge: { rule: 'cl', nudge: 'zero' }, drift: 0 },
    { label: `EP symmetric, eta = ${eta}`, nudge: { rule: 'ep', nudge: 'symmetric', eta }, drift: 0 },
    { label: `CL symmetric, eta = ${eta}`, nudge: { rule: 'cl', nudge: 'symmetric', eta }, drift: 0 },
    { label: `EP one-sided, eta = +${eta}`, nudge: { rule: 'ep', nudge: 'finite', eta }, drift: -1 },
    { label: `EP one-sided, eta = -${eta}`, nudge: { rule: 'ep', nudge: 'finite', eta: -eta }, drift: 1 },
    { label: `CL one-sided, eta = +${eta}`, nudge: { rule: 'cl', nudge: 'finite', eta }, drift: -1 },
    { label: `CL one-sided, eta = -${eta}`, nudge: { rule: 'cl', nudge: 'finite', eta: -eta }, drift: 1 },
  ];
}

/** Paper 2, Theorem 3.3 and eqs. (4.11)-(4.12): sum k^2 is conserved by EP, CL and symmetric clamping; one-sided nudges drift. */
export const conservation: Experiment<Config> = {
  id: 'conservation',
  title: 'Conservation of sum k^2 against the drift of one-sided nudges',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 3.3, Section 4 (symmetric clamping), eqs. (4.11)-(4.12)',
  description:
    'A random Erdos-Renyi circuit trained on a batch of Gaussian samples (batched update, eq. 4.13). EP and CL in the zero-nudge limit and with symmetric clamping at finite eta conserve sum k^2; one-sided nudges at +eta / -eta make it drift down / up (eq. 4.12), at the rate -eta sum_j k_j mean_s dvh_j^2 (eq. 4.11).',
  version: 3,
  quick: { nodes: 8, edgeProbability: 0.5, samples: 4, eta: 0.5, duration: 20, record: 41 },
  full: { nodes: 14, edgeProbability: 0.35, samples: 10, eta: 0.5, duration: 60, record: 121 },
  async run(ctx) {
    const cfg = ctx.config;
    const circuit = gaussianErdosRenyi(cfg, ctx.seed);
    const runs = runsOf(cfg.eta);
    const claims: Claim[] = [];
    const series: Series[] = [];
    const merit: Record<string, number> = {};
    for (const [i, run] of runs.entries()) {
      const traj = await flow(ctx.backend, circuit, run.nudge, { duration: cfg.duration, record: cfg.record, rtol: 1e-10, onProgress: runProgress(ctx, i, runs.length + 1, run.label) });
      const rel = Float64Array.from(traj.mass, (m) => m / (traj.mass[0] as number));
      const change = maxRelativeChange(traj.mass);
      const endChange = last(rel) - 1;
      merit[`${run.label}: max |dM|/M`] = change;
      if (run.drift === 0) claims.push(claimAtMost(`${run.label}: sum k^2 is conserved (max relative change)`, change, 1e-6));
      else if (run.drift < 0) claims.push(claimAtMost(`${run.label}: sum k^2 drifts down (eq. 4.12), relative change at T`, endChange, -1e-3, '< -1e-3'));
      else claims.push(claimAtLeast(`${run.label}: sum k^2 drifts up (eq. 4.12), relative change at T`, endChange, 1e-3, '> 1e-3'));
      series.push({ label: run.label, x: traj.t, y: rel, ...(run.drift === 0 ? {} : { dash: '5 3' }) });
    }
    ctx.progress(runs.length, runs.length + 1, 'drift rate at t = 0');
    // eq. (4.11) at t = 0: dM/dt = 2 k . v(eta) = eta * driftPerEta (analysis, from the clamped drops).
    for (const rule of ['ep', 'cl'] as const) {
      const v = await velocity(ctx.backend, circuit, { rule, nudge: 'finite', eta: cfg.eta });
      const measured = 2 * circuit.conductances.reduce((a, k, j) => a + k * (v[j] as number), 0);
      const predicted = cfg.eta * (await analyzeCircuit(ctx.backend, circuit, { rule })).driftPerEta;
      merit[`${rule.toUpperCase()} eta = ${cfg.eta}: dM/dt at t = 0`] = measured;
      claims.push(claimClose(`${rule.toUpperCase()}, eta = +${cfg.eta}: dM/dt at t = 0 equals -eta sum_j k_j mean_s dvh_j^2 (eq. 4.11; clamped drops from @ohmlab/analysis)`, measured, predicted, 1e-8));
    }
    const svg = linePlot({ legendAt: 'outside', title: 'Mass sum k^2 relative to its initial value', xLabel: 'time t', yLabel: 'M(t) / M(0)', series });
    return {
      data: { edges: circuit.conductances.length, samples: cfg.samples },
      claims,
      figures: [{ name: 'conservation', title: 'Conserved mass for EP, CL and symmetric clamping (solid); drift under one-sided nudges (dashed) (Paper 2).', svg }],
      figuresOfMerit: merit,
    };
  },
};
