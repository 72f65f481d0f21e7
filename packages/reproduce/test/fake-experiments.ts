import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { claimAtMost } from '../src/claims.js';
import { linePlot } from '../src/svg/line-plot.js';
import type { Experiment } from '../src/types.js';

/** A backend stub: the fake experiments never solve anything. */
export const fakeBackend: SolverBackend = {
  name: 'fake',
  description: 'test stub',
  factor: () => Promise.reject(new Error('the fake backend cannot factor')),
  dispose: () => undefined,
};

export interface Counters {
  calls: Record<string, number>;
  /** Experiment ids that throw on their next call. */
  failOnce: Set<string>;
  /** Called from inside an experiment's progress loop (abort here). */
  onStep?: ((id: string, step: number) => void) | undefined;
}

/** Cheap deterministic experiments that count their calls. */
export function fakeExperiments(counters: Counters, scale = 1): Experiment<{ n: number; rate: number }>[] {
  return ['alpha', 'beta', 'gamma'].map((id, index) => ({
    id,
    title: `Fake ${id}`,
    paper: 'Test',
    reference: `Figure ${index}`,
    description: 'a geometric decay',
    version: 1,
    quick: { n: 20, rate: 0.1 * (index + 1) * scale },
    full: { n: 40, rate: 0.1 * (index + 1) * scale },
    async run(ctx) {
      counters.calls[id] = (counters.calls[id] ?? 0) + 1;
      const { n, rate } = ctx.config;
      const loss: number[] = [];
      for (let k = 0; k < n; k++) {
        ctx.progress(k, n, `step ${k}`);
        counters.onStep?.(id, k);
        if (counters.failOnce.has(id) && k === 5) {
          counters.failOnce.delete(id);
          throw new Error(`planned failure in ${id}`);
        }
        loss.push(Math.exp(-rate * k) * (1 + (ctx.seed % 7) * 1e-3));
        await Promise.resolve();
      }
      const svg = linePlot({ title: id, xLabel: 'k', yLabel: 'loss', yLog: true, series: [{ label: id, x: loss.map((_, k) => k), y: loss }] });
      return {
        data: { loss: new Float64Array(loss) },
        claims: [claimAtMost('final loss below 1', loss[loss.length - 1] ?? Number.NaN, 1)],
        figures: [{ name: id, title: `${id} decay`, svg }],
        figuresOfMerit: { rate },
      };
    },
  }));
}
