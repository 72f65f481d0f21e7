import { claimAtLeast, claimAtMost } from '../claims.js';
import { crossbar } from '../circuits.js';
import { fitLateDecay, maxRelativeChange } from '../fit.js';
import { createRng } from '../rng.js';
import { linePlot, type Series } from '../svg/line-plot.js';
import { flow } from '../training/flow.js';
import { last } from '../training/trajectory.js';
import type { Claim, Experiment } from '../types.js';
import { runProgress } from './common.js';

interface Config {
  readonly inputs: number;
  readonly targets: readonly number[];
  readonly duration: number;
  readonly record: number;
}

/** Paper 2, Theorem 4.4 and Remark 4.5: CL and EP on a single-output crossbar converge exponentially. */
export const crossbarExponential: Experiment<Config> = {
  id: 'crossbar-exponential',
  title: 'Exponential convergence on crossbars',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 4.4, Remark 4.5',
  description:
    'One output joined to every input (a crossbar column; the outputs of a crossbar train independently) with inputs spread over [0, 1]; targets inside the input range, including one close to the top so that conductances to low inputs shrink to zero and are removed. The loss must converge to zero exponentially for CL and EP (zero nudge), also through removals.',
  version: 3,
  quick: { inputs: 4, targets: [0.35, 0.9], duration: 600, record: 301 },
  full: { inputs: 8, targets: [0.2, 0.35, 0.6, 0.9, 0.97], duration: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const rng = createRng(ctx.seed);
    const u = Array.from({ length: cfg.inputs }, (_, i) => 1 - i / (cfg.inputs - 1));
    const claims: Claim[] = [];
    const series: Series[] = [];
    const merit: Record<string, number> = {};
    let step = 0;
    for (const target of cfg.targets) {
      const circuit = crossbar(cfg.inputs, 1, rng, u, [target]);
      for (const rule of ['cl', 'ep'] as const) {
        const name = rule.toUpperCase();
        const traj = await flow(ctx.backend, circuit, { rule, nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, rtol: 1e-10, onProgress: runProgress(ctx, step++, 2 * cfg.targets.length, `${name}, t = ${target}`) });
        const fit = fitLateDecay(traj.t, traj.loss);
        merit[`${name} t=${target}: late rate`] = fit.rate;
        merit[`${name} t=${target}: removals`] = traj.removals.length;
        merit[`${name} t=${target}: L(T)/L(0)`] = last(traj.loss) / (traj.loss[0] as number);
        claims.push(claimAtLeast(`${name}, t = ${target}: the loss converges exponentially, fitted rate of the late half`, fit.rate, 1e-3, '> 0'));
        claims.push(claimAtMost(`${name}, t = ${target}: the late half is exponential (max deviation of log L from the fitted line)`, fit.maxLogDeviation, 0.5));
        claims.push(claimAtMost(`${name}, t = ${target}: sum k^2 conserved through removals (max relative change)`, maxRelativeChange(traj.mass), 1e-6));
        series.push({ label: `${name} t=${target}${traj.removals.length > 0 ? ` (${traj.removals.length} removed)` : ''}`, x: traj.t, y: traj.loss, ...(rule === 'ep' ? { dash: '5 3' } : {}) });
      }
    }
    const svg = linePlot({ legendAt: 'outside', title: 'Single-output crossbar: loss', xLabel: 'time t', yLabel: 'loss L', yLog: true, series });
    return {
      data: { inputVoltages: u, targets: cfg.targets },
      claims,
      figures: [{ name: 'crossbar-exponential', title: 'Exponential loss decay on a crossbar column for CL (solid) and EP (dashed) (Paper 2, Thm 4.4).', svg }],
      figuresOfMerit: merit,
    };
  },
};
