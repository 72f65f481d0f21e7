import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng.js';
import { erdosRenyi, kite, voltageDivider, withConductances } from '../circuits.js';
import { createInterimLab } from './interim-lab.js';

const lab = createInterimLab();

async function fdGradient(c: ReturnType<typeof kite>, f: (c: ReturnType<typeof kite>) => Promise<number>, h = 1e-6): Promise<number[]> {
  const g: number[] = [];
  for (let j = 0; j < c.conductances.length; j++) {
    const kp = Float64Array.from(c.conductances);
    const km = Float64Array.from(c.conductances);
    kp[j] = (kp[j] as number) + h;
    km[j] = (km[j] as number) - h;
    g.push(((await f(withConductances(c, kp))) - (await f(withConductances(c, km)))) / (2 * h));
  }
  return g;
}

describe('interim lab (checked against closed forms and finite differences)', () => {
  it('voltage divider output is u k1 / (k1 + k2)', async () => {
    const y = await lab.outputs(voltageDivider(3, 1, 2));
    expect(y[0]).toBeCloseTo((2 * 3) / 4, 14);
  });

  it('EP zero-nudge velocity is -grad L and AL velocity is -grad L_AL (finite differences)', async () => {
    const c = { ...erdosRenyi(7, 0.5, 3, 2, createRng(5)), targets: Float64Array.of(0.3, 0.6) };
    const vEP = await lab.velocity(c, { rule: 'EP', eta: 0 });
    const gL = await fdGradient(c, (x) => lab.loss(x));
    gL.forEach((g, j) => expect(vEP[j]).toBeCloseTo(-g, 8));
    const vAL = await lab.velocity(c, { rule: 'AL', eta: 0 });
    const gA = await fdGradient(c, (x) => lab.adjointLoss(x));
    gA.forEach((g, j) => expect(vAL[j]).toBeCloseTo(-g, 8));
  });

  it('sum k dk/dt: 0 for EP and CL, -2 L_AL for AL; symmetric clamping equals zero nudge', async () => {
    const c = { ...erdosRenyi(8, 0.5, 3, 2, createRng(9)), targets: Float64Array.of(0.2, 0.7) };
    const dot = (v: Float64Array): number => v.reduce((a, x, j) => a + x * (c.conductances[j] as number), 0);
    expect(Math.abs(dot(await lab.velocity(c, { rule: 'EP', eta: 0 })))).toBeLessThan(1e-14);
    expect(Math.abs(dot(await lab.velocity(c, { rule: 'CL', eta: 0 })))).toBeLessThan(1e-14);
    expect(dot(await lab.velocity(c, { rule: 'AL', eta: 0 }))).toBeCloseTo(-2 * (await lab.adjointLoss(c)), 13);
    const sym = await lab.velocity(c, { rule: 'CL', eta: 0.7, symmetric: true });
    const zero = await lab.velocity(c, { rule: 'CL', eta: 0 });
    sym.forEach((v, j) => expect(v).toBeCloseTo(zero[j] as number, 14));
  });

  it('single output: dL/dt = -2 c_EP L exactly (c_EP = |M|^2)', async () => {
    const c = kite(0.2, 0.1, 0.4);
    const v = await lab.velocity(c, { rule: 'EP', eta: 0 });
    const g = await fdGradient(c, (x) => lab.loss(x));
    const dLdt = g.reduce((a, gj, j) => a + gj * (v[j] as number), 0);
    const cEP = await lab.coercivityConstant(c, 'EP');
    expect(dLdt / (-2 * cEP * (await lab.loss(c)))).toBeCloseTo(1, 6);
  });

  it('integration conserves sum k^2 for CL and removes an edge that reaches zero', async () => {
    const c = voltageDivider(1, 0.05, 1, 0.02);
    const traj = await lab.integrate(c, { rule: 'CL', eta: 0 }, { tEnd: 5, record: 11, tolerance: 1e-10 });
    for (const m of traj.mass) expect(m / (traj.mass[0] as number)).toBeCloseTo(1, 8);
    // Target above the input voltage: k2 is pushed through zero at a finite rate (dk2/dt -> -0.2).
    const cut = await lab.integrate(voltageDivider(1, 0.3, 1, 1.2), { rule: 'CL', eta: 0 }, { tEnd: 20, record: 21, tolerance: 1e-10 });
    expect(cut.removals.map((r) => r.edge)).toEqual([1]);
    expect(cut.finalConductances[1]).toBe(0);
    expect(cut.finalConductances[0]).toBeCloseTo(Math.hypot(1, 0.3), 7);
    expect(cut.outputsCut).toEqual([]);
  });
});
