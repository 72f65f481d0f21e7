import { claimAtMost, claimThat } from '../claims.js';
import { crossbar, gaussianSamples } from '../circuits.js';
import { maxRelativeChange } from '../fit.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import { composePanels } from '../svg/xml.js';
import { flow } from '../training/flow.js';
import { last, seriesToEnd } from '../training/trajectory.js';
import type { Experiment } from '../types.js';
import { runProgress } from './common.js';

interface Config {
  readonly inputs: number;
  readonly outputs: number;
  readonly samples: number;
  readonly eta: number;
  readonly duration: number;
  readonly record: number;
}

/** Paper 2, Figure 5: crossbar trained by batched CL with eta > 0 against eta = 0. */
export const crossbarTraining: Experiment<Config> = {
  id: 'crossbar-training',
  title: 'Crossbar training with eta > 0 against eta = 0',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Figure 5, Section 4.2',
  description:
    'A crossbar (every input joined to every output) trained by batched CL on incommensurate Gaussian samples. With eta > 0 the conductance mass shrinks and, eventually, every conductance hits zero (the task fails); with eta = 0 the mass is conserved.',
  version: 3,
  quick: { inputs: 3, outputs: 2, samples: 8, eta: 1, duration: 60, record: 121 },
  full: { inputs: 5, outputs: 3, samples: 20, eta: 1, duration: 150, record: 301 },
  async run(ctx) {
    const cfg = ctx.config;
    const rng = createRng(ctx.seed);
    const base = crossbar(cfg.inputs, cfg.outputs, rng);
    const circuit = { ...base, samples: gaussianSamples(base, cfg.samples, rng) };
    const zero = await flow(ctx.backend, circuit, { rule: 'cl', nudge: 'zero' }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, 0, 2, 'eta = 0') });
    const pos = await flow(ctx.backend, circuit, { rule: 'cl', nudge: 'finite', eta: cfg.eta }, { duration: cfg.duration, record: cfg.record, onProgress: runProgress(ctx, 1, 2, `eta = ${cfg.eta}`) });
    // eta > 0 collapses early: its panels show [0, 1.5 x its end], the eta = 0 panels the whole run.
    const zoom: [number, number] = [0, Math.min(cfg.duration, 1.5 * pos.tFinal)];
    const removalLines = pos.removals.map((r) => ({ x: r.t, color: '#d62728', label: 'edge removed (eta > 0)' }));
    const edgePanel = (title: string, traj: typeof pos, xDomain?: [number, number]) => linePlot({
      title, xLabel: 'time t', yLabel: 'k_j', legend: false, ...(xDomain === undefined ? {} : { xDomain }),
      series: Array.from({ length: base.conductances.length }, (_, j) => ({ label: `k${j}`, ...seriesToEnd(traj, j), width: 1.2 })),
    });
    const panels = [
      linePlot({
        title: 'Conductance mass (start of the run)', xLabel: 'time t', yLabel: 'sum k^2', xDomain: zoom, legendAt: 'bottom-right',
        series: [{ label: 'eta = 0', x: zero.t, y: zero.mass }, { label: `eta = ${cfg.eta}`, ...seriesToEnd(pos, -1), dash: '5 3' }],
        vlines: removalLines,
      }),
      edgePanel(`Conductances, eta = ${cfg.eta} (all reach 0)`, pos, zoom),
      linePlot({
        title: 'Batched loss of the connected outputs', xLabel: 'time t', yLabel: 'loss', yLog: true,
        series: [{ label: 'eta = 0', x: zero.t, y: zero.loss }, { label: `eta = ${cfg.eta}`, x: pos.t, y: pos.loss, dash: '5 3' }],
      }),
      edgePanel('Conductances, eta = 0 (mass conserved)', zero),
    ];
    const removedFraction = pos.finalConductances.filter((k) => k === 0).length / base.conductances.length;
    return {
      data: { edges: base.conductances.length, finalPositive: pos.finalConductances, removalsPositive: pos.removals, outputsCutPositive: pos.outputsCut, removalsZero: zero.removals, endedPositive: pos.tFinal, stoppedPositive: pos.stoppedBecause ?? null },
      claims: [
        claimAtMost('eta = 0: sum k^2 is conserved (max relative change)', maxRelativeChange(zero.mass), 1e-6),
        claimAtMost('eta = 0: the batched loss decreases, L(T) / L(0)', last(zero.loss) / (zero.loss[0] as number), 1, '< 1'),
        claimAtMost(`eta = ${cfg.eta}: the mass shrinks, M(end) / M(0)`, last(seriesToEnd(pos, -1).y) / (pos.mass[0] as number), 0.5, '< 0.5'),
        claimThat(`eta = ${cfg.eta}: eventually all conductances hit zero (fraction of edges removed)`, removedFraction, removedFraction === 1, '1'),
      ],
      figures: [{ name: 'crossbar-training', title: 'Crossbar trained by batched CL (Paper 2, Fig. 5): mass and conductances for eta > 0 (zoomed on its collapse; red lines: edge removals) and eta = 0, and the batched loss.', svg: composePanels(panels, 2, 'Crossbar training') }],
      figuresOfMerit: { 'eta=0 max |dM|/M': maxRelativeChange(zero.mass), 'eta=0 removals': zero.removals.length, 'eta>0 M(end)/M(0)': last(seriesToEnd(pos, -1).y) / (pos.mass[0] as number), 'eta>0 removals': pos.removals.length, 'eta>0 last output cut at t': pos.outputsCut.at(-1)?.t ?? Number.NaN },
      notes: ['Crossbar size, samples and duration of the paper\'s Fig. 5 were lost; sizes here are Ohmlab choices.', 'After an output loses its last edge it leaves the loss (paper 2, Sec. 4: the remaining connected subnetwork).'],
    };
  },
};
