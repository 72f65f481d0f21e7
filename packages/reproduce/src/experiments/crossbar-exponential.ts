import { claimAtLeast, claimAtMost } from '../claims.js';
import { fitLateDecay, maxRelativeChange } from '../fit.js';
import { crossbar } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Claim, Experiment } from '../types.js';
import { lab } from './common.js';

interface Config {
  readonly inputs: number;
  readonly targets: readonly number[];
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 2, Theorem 4.4 and Remark 4.5: CL and EP on a single-output crossbar converge exponentially. */
export const crossbarExponential: Experiment<Config> = {
  id: 'crossbar-exponential',
  title: 'Exponential convergence on crossbars',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 4.4, Remark 4.5',
  description:
    'One output joined to every input (a crossbar column) with inputs spread in [0, 1]; targets inside the input range, including one close to the top so that conductances to low inputs shrink to zero and are removed. The loss must converge to zero exponentially for CL and EP (zero nudge).',
  version: 1,
  quick: { inputs: 4, targets: [0.35, 0.9], tEnd: 600, record: 301 },
  full: { inputs: 8, targets: [0.2, 0.35, 0.6, 0.9, 0.97], tEnd: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const u = Array.from({ length: cfg.inputs }, (_, i) => 1 - i / (cfg.inputs - 1));
    const claims: Claim[] = [];
    const series = [];
    const merit: Record<string, number> = {};
    let step = 0;
    for (const target of cfg.targets) {
      const circuit = crossbar(cfg.inputs, 1, rng, u, [target]);
      for (const rule of ['CL', 'EP'] as const) {
        ctx.progress(step++, 2 * cfg.targets.length, `${rule}, t = ${target}`);
        const traj = await L.integrate(circuit, { rule, eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, tolerance: 1e-10, signal: ctx.signal });
        const ratio = (traj.loss[traj.loss.length - 1] as number) / (traj.loss[0] as number);
        const fitLate = fitLateDecay(traj.t, traj.loss);
        merit[`${rule} t=${target}: rate`] = fitLate.rate;
        merit[`${rule} t=${target}: removals`] = traj.removals.length;
        merit[`${rule} t=${target}: L(T)/L(0)`] = ratio;
        claims.push(claimAtLeast(`${rule}, t = ${target}: the late-half exponential rate of L is positive`, fitLate.rate, 1e-3));
        claims.push(claimAtMost(`${rule}, t = ${target}: the late half is exponential (max deviation of log L from the fitted line)`, fitLate.maxLogDeviation, 0.5));
        claims.push(claimAtMost(`${rule}, t = ${target}: sum k^2 conserved through removals (max relative change)`, maxRelativeChange(traj.mass), 1e-6));
        series.push({ label: `${rule} t=${target}${traj.removals.length > 0 ? ` (${traj.removals.length} removed)` : ''}`, x: traj.t, y: traj.loss, dash: rule === 'EP' ? '5 3' : undefined });
      }
    }
    const svg = linePlot({ title: 'Single-output crossbar: loss', xLabel: 'time t', yLabel: 'loss L', yLog: true, series: series.map((s) => (s.dash === undefined ? { label: s.label, x: s.x, y: s.y } : { label: s.label, x: s.x, y: s.y, dash: s.dash })) });
    return {
      data: { inputVoltages: u, targets: cfg.targets },
      claims,
      figures: [{ name: 'crossbar-exponential', title: 'Exponential loss decay on a crossbar column for CL (solid) and EP (dashed) (Paper 2, Thm 4.4).', svg }],
      figuresOfMerit: merit,
    };
  },
};
