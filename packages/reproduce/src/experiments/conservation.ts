import { claimAtLeast, claimAtMost } from '../claims.js';
import { maxRelativeChange } from '../fit.js';
import { erdosRenyi, withSamples } from '../lab/circuits.js';
import type { NudgeSpec } from '../lab/index.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Claim, Experiment } from '../types.js';
import { gaussianSamples, lab } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly samples: number;
  readonly eta: number;
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 2, Theorem 3.3 and eqs. (4.11)-(4.12): sum k^2 is conserved by EP, CL and symmetric clamping; one-sided nudges drift. */
export const conservation: Experiment<Config> = {
  id: 'conservation',
  title: 'Conservation of sum k^2 against the drift of one-sided nudges',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 3.3, Section 4 (symmetric clamping), eqs. (4.11)-(4.12)',
  description:
    'A random Erdos-Renyi circuit trained on a batch of Gaussian samples. EP and CL in the zero-nudge limit and with symmetric clamping at finite eta conserve sum k^2; one-sided CL nudges at +eta / -eta make it drift down / up.',
  version: 1,
  quick: { nodes: 8, edgeProbability: 0.5, samples: 4, eta: 0.5, tEnd: 20, record: 41 },
  full: { nodes: 14, edgeProbability: 0.35, samples: 10, eta: 0.5, tEnd: 60, record: 121 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
    const circuit = withSamples(base, gaussianSamples(base, cfg.samples, rng));
    const runs: { label: string; spec: NudgeSpec; conserving: boolean }[] = [
      { label: 'EP, eta -> 0', spec: { rule: 'EP', eta: 0 }, conserving: true },
      { label: 'CL, eta -> 0', spec: { rule: 'CL', eta: 0 }, conserving: true },
      { label: `EP symmetric, eta = ${cfg.eta}`, spec: { rule: 'EP', eta: cfg.eta, symmetric: true }, conserving: true },
      { label: `CL symmetric, eta = ${cfg.eta}`, spec: { rule: 'CL', eta: cfg.eta, symmetric: true }, conserving: true },
      { label: `CL one-sided, eta = +${cfg.eta}`, spec: { rule: 'CL', eta: cfg.eta }, conserving: false },
      { label: `CL one-sided, eta = -${cfg.eta}`, spec: { rule: 'CL', eta: -cfg.eta }, conserving: false },
      { label: `EP one-sided, eta = +${cfg.eta}`, spec: { rule: 'EP', eta: cfg.eta }, conserving: false },
    ];
    const claims: Claim[] = [];
    const series = [];
    const merit: Record<string, number> = {};
    for (const [i, run] of runs.entries()) {
      ctx.progress(i, runs.length, run.label);
      const traj = await L.integrate(circuit, run.spec, { tEnd: cfg.tEnd, record: cfg.record, tolerance: 1e-10, signal: ctx.signal });
      const rel = Float64Array.from(traj.mass, (m) => m / (traj.mass[0] as number));
      const change = maxRelativeChange(traj.mass);
      const endChange = (rel[rel.length - 1] as number) - 1;
      merit[`${run.label}: max |dM|/M`] = change;
      if (run.conserving) claims.push(claimAtMost(`${run.label}: sum k^2 is conserved (max relative change)`, change, 1e-6));
      else if (run.spec.rule === 'CL' && run.spec.eta > 0) claims.push(claimAtMost(`${run.label}: sum k^2 drifts down (eq. 4.12), relative change at T`, endChange, -1e-3, '< -1e-3'));
      else if (run.spec.rule === 'CL') claims.push(claimAtLeast(`${run.label}: sum k^2 drifts up (eq. 4.12), relative change at T`, endChange, 1e-3, '> 1e-3'));
      else claims.push(claimAtLeast(`${run.label}: one-sided EP does not conserve sum k^2 (max relative change)`, change, 1e-3, '> 1e-3'));
      series.push({ label: run.label, x: traj.t, y: rel, dash: run.conserving ? undefined : '5 3' });
    }
    const svg = linePlot({ title: 'Mass sum k^2 / initial during training', xLabel: 'time t', yLabel: 'M(t) / M(0)', series: series.map((s) => (s.dash === undefined ? { label: s.label, x: s.x, y: s.y } : { label: s.label, x: s.x, y: s.y, dash: s.dash })) });
    return {
      data: { edges: base.conductances.length, samples: cfg.samples },
      claims,
      figures: [{ name: 'conservation', title: 'Conserved mass for EP, CL and symmetric clamping; drift under one-sided nudges (Paper 2).', svg }],
      figuresOfMerit: merit,
    };
  },
};
