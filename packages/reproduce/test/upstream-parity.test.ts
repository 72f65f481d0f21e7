import { describe, expect, it } from 'vitest';
import { erdosRenyi, kite, voltageDivider, withSamples } from '../src/lab/circuits.js';
import { createInterimLab } from '../src/lab/interim/interim-lab.js';
import { createUpstreamLab } from '../src/lab/upstream-lab.js';
import { createRng } from '../src/rng.js';
import { gaussianSamples } from '../src/experiments/common.js';
import { denseTestBackend } from './dense-test-backend.js';

const interim = createInterimLab();
const upstream = createUpstreamLab(denseTestBackend);

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1e-300, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number)) / scale).toBeLessThan(tol);
}

describe('@ohmlab/learners adapter agrees with the interim implementation', () => {
  const base = erdosRenyi(8, 0.5, 3, 2, createRng(3));
  const batched = withSamples(base, gaussianSamples(base, 4, createRng(4)));
  const circuits = { kite: kite(0.1, 0.2, 0.4), divider: voltageDivider(1, 2, 1, 0.3), er: { ...base, targets: Float64Array.of(0.3, 0.6) }, batched };

  it.each(Object.entries(circuits))('%s: outputs and losses', async (_name, c) => {
    close(await upstream.outputs(c), await interim.outputs(c), 1e-12);
    expect(await upstream.loss(c)).toBeCloseTo(await interim.loss(c), 12);
    expect(await upstream.adjointLoss(c)).toBeCloseTo(await interim.adjointLoss(c), 12);
    expect(await upstream.weightedLoss(c)).toBeCloseTo(await interim.weightedLoss(c), 12);
  });

  it.each(Object.entries(circuits))('%s: velocities of every rule and nudge', async (_name, c) => {
    for (const rule of ['EP', 'CL', 'AL'] as const) {
      for (const spec of [{ rule, eta: 0 }, { rule, eta: 0.3 }, { rule, eta: -0.3 }, { rule, eta: 0.3, symmetric: true }]) {
        close(await upstream.velocity(c, spec), await interim.velocity(c, spec), 1e-10);
      }
    }
  });

  it('integrated CL flow: same trajectory and conserved mass', async () => {
    const opts = { tEnd: 5, record: 6, tolerance: 1e-10 };
    const a = await upstream.integrate(batched, { rule: 'CL', eta: 0 }, opts);
    const b = await interim.integrate(batched, { rule: 'CL', eta: 0 }, opts);
    close(a.t, b.t, 1e-12);
    close(a.loss, b.loss, 1e-6);
    close(a.mass, b.mass, 1e-8);
  });
});
