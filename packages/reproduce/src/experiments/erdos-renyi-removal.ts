import { claimAtLeast, claimAtMost, claimThat } from '../claims.js';
import { maxRelativeChange } from '../fit.js';
import { erdosRenyi, reachable, withSamples } from '../lab/circuits.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import { composePanels } from '../svg/xml.js';
import type { Experiment } from '../types.js';
import { edgeSeries, gaussianSamples, lab } from './common.js';

interface Config {
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly samples: number;
  readonly eta: number;
  readonly tEnd: number;
  readonly record: number;
}

/** Paper 2, Figure 6: an Erdos-Renyi circuit trained on 40 Gaussian samples; edge-removal events. */
export const erdosRenyiRemoval: Experiment<Config> = {
  id: 'erdos-renyi-removal',
  title: 'Erdos-Renyi circuit on 40 Gaussian samples: edge removal',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Figure 6, Section 4.2 (random circuit)',
  description:
    'Batched CL on 40 samples from a full-rank Gaussian (incommensurate constraints) with eta > 0 and eta = 0. At eta > 0 the mass first decreases, then edges die until no path joins inputs to outputs; eta = 0 conserves the mass.',
  version: 1,
  quick: { nodes: 9, edgeProbability: 0.45, samples: 40, eta: 1, tEnd: 40, record: 401 },
  full: { nodes: 14, edgeProbability: 0.35, samples: 40, eta: 1, tEnd: 200, record: 2001 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 3, 2, rng);
    const circuit = withSamples(base, gaussianSamples(base, cfg.samples, rng));
    ctx.progress(0, 2, 'eta = 0');
    const zero = await L.integrate(circuit, { rule: 'CL', eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    ctx.progress(1, 2, `eta = ${cfg.eta}`);
    const pos = await L.integrate(circuit, { rule: 'CL', eta: cfg.eta }, { tEnd: cfg.tEnd, record: cfg.record, signal: ctx.signal });
    const kEnd = pos.finalConductances;
    const fromInputs = reachable(base, kEnd, Array.from(base.inputNodes));
    const outputsReached = Array.from(base.outputNodes).filter((o) => fromInputs.has(o)).length;
    const touchesOutput = (j: number): boolean => base.outputNodes.includes(base.edgeFrom[j] as number) || base.outputNodes.includes(base.edgeTo[j] as number);
    const removed = new Set(pos.removals.map((r) => r.edge));
    const removedTouchingOutput = [...removed].filter(touchesOutput).length;
    const earlyIndex = Math.max(1, Math.floor(pos.mass.length / 20));
    const mass = linePlot({
      title: `Mass, eta = ${cfg.eta} and eta = 0`, xLabel: 'time t', yLabel: 'sum k^2',
      series: [{ label: `eta = ${cfg.eta}`, x: pos.t, y: pos.mass, color: 'black' }, { label: 'eta = 0', x: zero.t.filter((t) => t <= Math.max(pos.tFinal, (pos.t[1] as number) * 4)), y: zero.mass, color: '#888', dash: '5 3' }],
      vlines: pos.removals.map((r) => ({ x: r.t, color: '#2ca02c' })),
    });
    const edges = linePlot({
      title: `Conductances, eta = ${cfg.eta}`, xLabel: 'time t', yLabel: 'k_j', legend: false,
      series: Array.from({ length: base.conductances.length }, (_, j) => ({
        label: '', x: pos.t, y: edgeSeries(pos.conductances, j), color: removed.has(j) ? '#2ca02c' : '#1f77b4', width: 1,
      })),
    });
    return {
      data: { edges: base.conductances.length, removals: pos.removals, outputsCut: pos.outputsCut, tFinal: pos.tFinal, outputsReached, removedTouchingOutput, stoppedBecause: pos.stoppedBecause ?? null },
      claims: [
        claimAtMost('eta = 0: sum k^2 is conserved (max relative change)', maxRelativeChange(zero.mass), 1e-6),
        claimAtMost(`eta = ${cfg.eta}: the mass initially decreases, M(T/20) / M(0)`, (pos.mass[earlyIndex] as number) / (pos.mass[0] as number), 1 - 1e-6, '< 1'),
        claimAtLeast(`eta = ${cfg.eta}: edges are removed during training (count)`, pos.removals.length, 1),
        claimThat(`eta = ${cfg.eta}: edges die until no path joins the inputs to any output (outputs still reached at the end)`, outputsReached, outputsReached === 0, '0'),
      ],
      figures: [{ name: 'erdos-renyi-removal', title: 'Erdos-Renyi circuit, 40 Gaussian samples (Paper 2, Fig. 6): mass with removal events (green lines); conductances (green: removed edges).', svg: composePanels([mass, edges], 2, 'Erdos-Renyi training') }],
      figuresOfMerit: { removals: pos.removals.length, 'removed edges touching an output': removedTouchingOutput, 'outputs still reached': outputsReached, 'eta>0 run ended at t': pos.tFinal, 'eta>0 M(T)/M(0)': (pos.mass[pos.mass.length - 1] as number) / (pos.mass[0] as number) },
      notes: ['Graph size and edge probability of the paper\'s Fig. 6 were lost; 40 samples and a full-rank Gaussian follow the text; sizes are Ohmlab choices (README).', ...(pos.stoppedBecause === undefined ? [] : [`eta > 0 integration stopped: ${pos.stoppedBecause}`])],
    };
  },
};
