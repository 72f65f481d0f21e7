import { claimAtLeast, claimAtMost, claimThat } from '../claims.js';
import { maxRelativeChange } from '../fit.js';
import { crossbar, withSamples } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import { composePanels } from '../svg/xml.js';
import type { Experiment } from '../types.js';
import { gaussianSamples, lab } from './common.js';

interface Config {
  readonly inputs: number;
  readonly outputs: number;
  readonly samples: number;
  readonly eta: number;
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 2, Figure 5: crossbar trained by batched CL with eta > 0 against eta = 0. */
export const crossbarTraining: Experiment<Config> = {
  id: 'crossbar-training',
  title: 'Crossbar training with eta > 0 against eta = 0',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Figure 5, Section 4.2',
  description:
    'A crossbar (every input joined to every output) trained by batched CL on incommensurate Gaussian samples. With eta > 0 the conductance mass shrinks and conductances hit zero; with eta = 0 the mass is conserved.',
  version: 1,
  quick: { inputs: 3, outputs: 2, samples: 8, eta: 1, tEnd: 40, record: 81 },
  full: { inputs: 5, outputs: 3, samples: 20, eta: 1, tEnd: 150, record: 301 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const base = crossbar(cfg.inputs, cfg.outputs, rng);
    const circuit = withSamples(base, gaussianSamples(base, cfg.samples, rng));
    ctx.progress(0, 2, 'eta = 0');
    const zero = await L.integrate(circuit, { rule: 'CL', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    ctx.progress(1, 2, `eta = ${cfg.eta}`);
    const pos = await L.integrate(circuit, { rule: 'CL', eta: cfg.eta }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    const last = (a: Float64Array): number => a[a.length - 1] as number;
    const mass = linePlot({
      title: 'Conductance mass', xLabel: 'time t', yLabel: 'sum k^2',
      series: [{ label: 'eta = 0', x: zero.t, y: zero.mass }, { label: `eta = ${cfg.eta}`, x: pos.t, y: pos.mass, dash: '5 3' }],
      vlines: pos.removals.map((r) => ({ x: r.t, color: '#d62728' })),
      xLog: false,
    });
    const loss = linePlot({
      title: 'Batched loss', xLabel: 'time t', yLabel: 'loss', yLog: true,
      series: [{ label: 'eta = 0', x: zero.t, y: zero.loss }, { label: `eta = ${cfg.eta}`, x: pos.t, y: pos.loss, dash: '5 3' }],
    });
    return {
      data: { finalPositive: pos.finalConductances, edges: base.conductances.length, removalsPositive: pos.removals, removalsZero: zero.removals, stoppedPositive: pos.stoppedBecause ?? null },
      claims: [
        claimAtMost('eta = 0: sum k^2 is conserved (max relative change)', maxRelativeChange(zero.mass), 1e-6),
        claimAtMost('eta = 0: the batched loss decreases, L(T) / L(0)', last(zero.loss) / (zero.loss[0] as number), 1),
        claimAtMost(`eta = ${cfg.eta}: the mass shrinks, M(T) / M(0)`, last(pos.mass) / (pos.mass[0] as number), 0.5, '< 0.5'),
        claimAtLeast(`eta = ${cfg.eta}: conductances hit zero and are removed (count)`, pos.removals.length, 1),
        claimThat(`eta = ${cfg.eta}: eventually all conductances hit zero (fraction removed)`, pos.removals.length / base.conductances.length, pos.finalConductances.every((k) => k === 0), '1'),
      ],
      figures: [{ name: 'crossbar-training', title: 'Crossbar: mass and loss for eta = 0 and eta > 0 (Paper 2, Fig. 5); red dashed lines: edge removals at eta > 0.', svg: composePanels([mass, loss], 2, 'Crossbar training') }],
      figuresOfMerit: { 'eta=0 max |dM|/M': maxRelativeChange(zero.mass), 'eta>0 M(T)/M(0)': last(pos.mass) / (pos.mass[0] as number), 'eta>0 removals': pos.removals.length, 'eta=0 removals': zero.removals.length },
      notes: ['Crossbar size, samples and duration of the paper\'s Fig. 5 were lost; sizes here are Ohmlab choices (README).'],
    };
  },
};
