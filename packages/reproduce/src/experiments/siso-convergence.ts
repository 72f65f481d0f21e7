import type { Circuit } from '@ohmlab/graph';
import { claimThat } from '../claims.js';
import { erdosRenyi, voltageDivider } from '../lab/circuits.js';
import type { Lab } from '../lab/index.js';
import { createRng } from '../rng.js';
import { linePlot } from '../svg/line-plot.js';
import type { Claim, Experiment } from '../types.js';
import { lab } from './common.js';

interface Config {
  readonly circuits: number;
  readonly nodes: number;
  readonly edgeProbability: number;
  readonly tEnd: number;
  readonly record: number;
}

/**
 * Input nodes adjacent to the output's component once the inputs are removed. The output voltage
 * can move inside (0, V) only when both the source and the ground touch that component.
 */
function inputsSeenByOutput(c: Circuit): Set<number> {
  const inputs = new Set(Array.from(c.inputNodes));
  const seen = new Set<number>();
  const visited = new Set<number>([c.outputNodes[0] as number]);
  const stack = [c.outputNodes[0] as number];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (let j = 0; j < c.edgeFrom.length; j++) {
      const a = c.edgeFrom[j] as number;
      const b = c.edgeTo[j] as number;
      const w = a === v ? b : b === v ? a : -1;
      if (w < 0) continue;
      if (inputs.has(w)) seen.add(w);
      else if (!visited.has(w)) (visited.add(w), stack.push(w));
    }
  }
  return seen;
}

/**
 * A circuit meeting every stated assumption of Thm 4.1 (one input, ground, one output, all
 * connected, positive conductances, 0 < t < V) whose output hangs from the source alone: the voltage
 * divider source - hidden - ground plus an edge source - output.
 */
function leafOnSource(): Circuit {
  const d = voltageDivider(1, 1, 1, 0.5);
  return {
    ...d,
    nodeCount: 4,
    edgeFrom: Uint32Array.of(...d.edgeFrom, d.inputNodes[0] as number),
    edgeTo: Uint32Array.of(...d.edgeTo, 3),
    conductances: Float64Array.of(...d.conductances, 1),
    outputNodes: Uint32Array.of(3),
  };
}

async function verdict(L: Lab, circuit: Circuit, rule: 'EP' | 'CL', cfg: Config, signal: AbortSignal | undefined) {
  const traj = await L.integrate(circuit, { rule, eta: 0 }, { tEnd: cfg.tEnd, record: cfg.record, signal });
  const ratio = (traj.loss[traj.loss.length - 1] as number) / (traj.loss[0] as number);
  const kMin = Math.min(...traj.finalConductances) / Math.sqrt(traj.mass[0] as number);
  return { traj, ratio, converged: ratio < 1e-8, died: traj.removals.length > 0 || kMin < 1e-6 };
}

/** Paper 2, Theorem 4.1: single input, single output: converge to y = t or a conductance dies. */
export const sisoConvergence: Experiment<Config> = {
  id: 'siso-convergence',
  title: 'Single-input single-output convergence',
  paper: 'Paper 2 (A conservation law)',
  reference: 'Theorem 4.1',
  description:
    'Random connected circuits with one input (1 V), ground and one output, target uniform in (0.1, 0.9). Theorem 4.1: for EP and CL either the loss goes to zero or some conductance tends to zero. Random instances whose output cannot move (the source or the ground does not touch the output\'s side of the circuit) are set aside and redrawn; one such circuit is tested explicitly, because it meets every assumption the theorem states.',
  version: 2,
  quick: { circuits: 3, nodes: 7, edgeProbability: 0.5, tEnd: 600, record: 301 },
  full: { circuits: 10, nodes: 12, edgeProbability: 0.35, tEnd: 1200, record: 601 },
  async run(ctx) {
    const cfg = ctx.config;
    const L = lab(ctx);
    const rng = createRng(ctx.seed);
    const claims: Claim[] = [];
    const series = [];
    let step = 0;
    let setAside = 0;
    for (let n = 0; n < cfg.circuits; n++) {
      let base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 2, 1, rng);
      for (let tries = 0; inputsSeenByOutput(base).size < 2 && tries < 100; tries++) {
        setAside++;
        base = erdosRenyi(cfg.nodes, cfg.edgeProbability, 2, 1, rng);
      }
      const circuit = { ...base, targets: Float64Array.of(0.1 + 0.8 * rng.uniform()) };
      for (const rule of ['EP', 'CL'] as const) {
        ctx.progress(step++, 2 * cfg.circuits + 2, `circuit ${n + 1}, ${rule}`);
        const v = await verdict(L, circuit, rule, cfg, ctx.signal);
        claims.push(claimThat(`circuit ${n + 1}, ${rule}: L(T)/L(0) < 1e-8 or a conductance tends to 0 (measured L(T)/L(0))`, v.ratio, v.converged || v.died, v.died ? 'an edge died' : '< 1e-8'));
        series.push({ label: `#${n + 1} ${rule}`, x: v.traj.t, y: v.traj.loss, dash: rule === 'CL' ? '5 3' : undefined });
      }
    }
    for (const rule of ['EP', 'CL'] as const) {
      ctx.progress(step++, 2 * cfg.circuits + 2, `output hanging from the source, ${rule}`);
      const v = await verdict(L, leafOnSource(), rule, cfg, ctx.signal);
      claims.push(claimThat(`output hanging from the source alone (all stated assumptions hold), ${rule}: converges or a conductance tends to 0 (measured L(T)/L(0))`, v.ratio, v.converged || v.died, '< 1e-8 or an edge dies'));
    }
    const svg = linePlot({ title: 'Single input / single output: loss', xLabel: 'time t', yLabel: 'loss L', yLog: true, series: series.map((s) => (s.dash === undefined ? { label: s.label, x: s.x, y: s.y } : { label: s.label, x: s.x, y: s.y, dash: s.dash })) });
    return {
      data: { circuits: cfg.circuits, setAside },
      claims,
      figures: [{ name: 'siso-convergence', title: 'Loss of EP (solid) and CL (dashed) on random single-input single-output circuits (Paper 2, Thm 4.1).', svg }],
      figuresOfMerit: { 'random instances set aside (output cannot move)': setAside },
      notes: ['Theorem 4.1 says the target is "clearly feasible"; that fails when the output sees only one of the two input voltages (e.g. it hangs from the source alone): y is then fixed, the flow is identically zero and neither alternative of the theorem happens.'],
    };
  },
};
