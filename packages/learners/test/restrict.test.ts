import { describe, expect, it } from 'vitest';
import { parseExperimentConfig, runExperiment, trainContinuous, trainDiscrete } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { hangingOutput, makeCircuit } from './circuits.js';

/**
 * `onDisconnect: 'restrict'` (paper 2 sec. 4): outputs that lose every path to an input leave the
 * problem (an `output-cut` event each), training goes on over the outputs still connected, and
 * stops only when none is left. References are closed forms of the circuits, integrated by hand.
 */
const backend = createDenseBackend();

/**
 * The hanging-output circuit in closed form (u on node 0, node 1 grounded): output 3 hangs on edge
 * 2-3 from node 2 of the divider 0-2-1, so `y3 = u k0/(k0+k1)`; output 4 is the divider 0-4-1,
 * `y4 = u k3/(k3+k4)`. With the inputs grounded a unit current into output 3 raises it by
 * `1/k2 + 1/(k0+k1)`, into output 4 by `1/(k3+k4)`: G is diagonal, D = G^{-1}. EP clamped drops
 * (current e = t - y in): edges 0, 1: -/+ e3/(k0+k1), edge 2: -e3/k2; edges 3, 4: -/+ e4/(k3+k4).
 */
function hangingModel(k: number[], u: number, t: [number, number], alive3: boolean) {
  const [k0, k1, k2, k3, k4] = k as [number, number, number, number, number];
  const y3 = (u * k0) / (k0 + k1);
  const y4 = (u * k3) / (k3 + k4);
  const r3 = alive3 ? y3 - t[0] : 0;
  const r4 = y4 - t[1];
  const d3 = alive3 ? 1 / (1 / k2 + 1 / (k0 + k1)) : 0;
  const d4 = k3 + k4;
  const free = [u - y3, y3, 0, u - y4, y4];
  const h2 = -r3 / (k0 + k1);
  const h4 = -r4 / (k3 + k4);
  const clamped = [-h2, h2, alive3 ? r3 / k2 : 0, -h4, h4];
  return {
    loss: (r3 * r3 + r4 * r4) / 2,
    weightedLoss: (d3 * r3 * r3 + d4 * r4 * r4) / 2,
    adjointLoss: ((d3 * r3) ** 2 + (d4 * r4) ** 2) / 2,
    /** finite-eta EP contrast per edge: `dv^f dvh + (eta/2) dvh^2` (x^eta = x^f + eta xh exactly). */
    contrast: (eta: number) => free.map((d, j) => d * clamped[j]! + (eta / 2) * clamped[j]! ** 2),
  };
}

function relClose(a: number, b: number, rtol: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.max(Math.abs(a), Math.abs(b), 1e-300));
}

describe('onDisconnect: restrict, discrete', () => {
  const samples: { u: number; t: [number, number] }[] = [{ u: 1, t: [0.3, 0.6] }, { u: 0.8, t: [0.2, 0.5] }, { u: 1.2, t: [0.5, 0.75] }];
  const circuit = hangingOutput(samples);
  const eta = 1;
  const alpha = 0.5;
  const steps = 30;

  /** The run by hand: records (losses, conductances) at every step, removals and the cut. */
  function reference() {
    let k = [1, 1, 0.2, 1, 1];
    let alive3 = true;
    const points: { loss: number; weightedLoss: number; adjointLoss: number; k: number[] }[] = [];
    const events: string[] = [];
    for (let n = 0; ; n++) {
      const at = samples.map((s) => hangingModel(k, s.u, s.t, alive3));
      const mean = (f: (m: (typeof at)[number]) => number): number => at.reduce((a, m) => a + f(m), 0) / at.length;
      points.push({ loss: mean((m) => m.loss), weightedLoss: mean((m) => m.weightedLoss), adjointLoss: mean((m) => m.adjointLoss), k: k.slice() });
      if (n === steps) return { points, events };
      const g = [0, 1, 2, 3, 4].map((j) => mean((m) => m.contrast(eta)[j]!));
      k = k.map((kj, j) => (j === 2 && !alive3 ? 0 : kj - alpha * g[j]!));
      k.forEach((kj, j) => {
        if (kj <= 0 && !(j === 2 && !alive3)) {
          expect(j).toBe(2); // the scenario removes only the hanging edge
          k[j] = 0;
          alive3 = false;
          events.push(`removed:2@${n + 1}`, `output-cut:3@${n + 1}`);
        }
      });
    }
  }

  it('the hanging output is cut, the other output trains on: every point equals the closed form', async () => {
    const ref = reference();
    expect(ref.events.length).toBe(2);
    const res = await trainDiscrete(backend, circuit, { rule: 'ep', nudge: 'finite', eta, alpha, steps, recordEvery: 1, onDisconnect: 'restrict' });
    expect(res.stop.reason).toBe('budget');
    expect(res.events.map((e) => `${e.kind}:${e.kind === 'output-cut' ? e.node : e.edge}@${e.step}`)).toEqual(ref.events);
    expect(res.cutOutputs).toEqual([3]);
    expect(res.history.step!.length).toBe(steps + 1);
    ref.points.forEach((p, n) => {
      relClose(res.history.loss[n]!, p.loss, 1e-12);
      relClose(res.history.weightedLoss[n]!, p.weightedLoss, 1e-12);
      relClose(res.history.adjointLoss[n]!, p.adjointLoss, 1e-12);
      p.k.forEach((kj, j) => expect(Math.abs(res.history.conductances![n]![j]! - kj)).toBeLessThanOrEqual(1e-12));
    });
    relClose(res.final.loss, ref.points.at(-1)!.loss, 1e-12);
  });

  it('with stop (default) the run ends at the cut, recorded there over the outputs still connected', async () => {
    const ref = reference();
    const cut = Number(ref.events[0]!.split('@')[1]);
    const res = await trainDiscrete(backend, circuit, { rule: 'ep', nudge: 'finite', eta, alpha, steps, recordEvery: 1 });
    expect(res.stop.reason).toBe('disconnected');
    expect(res.stop.message).toMatch(/output node\(s\) 3 have no path to an input/);
    expect(res.history.step).toEqual(Array.from({ length: cut + 1 }, (_, n) => n));
    relClose(res.history.loss.at(-1)!, ref.points[cut]!.loss, 1e-12);
    relClose(res.history.weightedLoss.at(-1)!, ref.points[cut]!.weightedLoss, 1e-12);
    expect(Number.isNaN(res.final.loss)).toBe(true); // L over all outputs is undefined there
    expect(res.cutOutputs).toEqual([]);
  });

  it('the experiment file takes onDisconnect and the JSON reports the cut outputs', async () => {
    const cfg = parseExperimentConfig({ circuit, rule: 'ep', nudge: 'finite', eta, alpha, time: 'discrete', steps, onDisconnect: 'restrict' });
    const out = await runExperiment(cfg, { backend });
    expect(out.cutOutputs).toEqual([3]);
    expect(out.events.some((e) => e.kind === 'output-cut' && e.node === 3)).toBe(true);
    expect(() => parseExperimentConfig({ circuit, rule: 'ep', nudge: 'zero', alpha, time: 'discrete', steps, onDisconnect: 'go-on' })).toThrow(/onDisconnect: must be one of "stop", "restrict"/);
    await expect(trainDiscrete(backend, circuit, { rule: 'ep', nudge: 'zero', alpha, steps, onDisconnect: 'x' as 'stop' })).rejects.toThrow(/onDisconnect/);
  });
});

describe('onDisconnect: restrict, a circuit given with a part cut off', () => {
  // divider 0 - 2 - 1 with output 2; nodes 3 - 4 (output 4) float on their own edge
  const circuit = makeCircuit({ n: 5, edges: [[0, 2], [2, 1], [3, 4]], k: [1, 3, 2], inputs: [0, 1], u: [1, 0], outputs: [2, 4], t: [0.5, 0.1] });
  const y = 1 / (1 + 3);

  it('starts restricted: the floating output is cut at step / time 0, its edge frozen', async () => {
    const d = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'zero', alpha: 0.1, steps: 5, onDisconnect: 'restrict', recordEvery: 1 });
    expect(d.events[0]).toEqual(expect.objectContaining({ kind: 'output-cut', node: 4, step: 0 }));
    expect(d.stop.reason).toBe('budget');
    relClose(d.history.loss[0]!, (y - 0.5) ** 2 / 2, 1e-14);
    expect(d.final.conductances[2]).toBe(2);
    const c = await trainContinuous(backend, circuit, { rule: 'cl', nudge: 'zero', duration: 1, record: 3, onDisconnect: 'restrict' });
    expect(c.events[0]).toEqual(expect.objectContaining({ kind: 'output-cut', node: 4, time: 0 }));
    relClose(c.history.loss[0]!, (y - 0.5) ** 2 / 2, 1e-14);
    expect(c.final.conductances[2]).toBe(2);
    // zero nudge CL conserves sum k^2, the frozen edge included
    relClose(c.history.mass.at(-1)!, 1 + 9 + 4, 1e-8);
    const stopped = await trainDiscrete(backend, circuit, { rule: 'cl', nudge: 'zero', alpha: 0.1, steps: 5 });
    expect(stopped.stop.reason).toBe('disconnected');
    expect(stopped.final.step).toBe(0);
  });
});

/** Classical RK4 on `y' = f(y)` from `y` over `[0, T]` in steps `dt`; `stop(y)` ends it at a sign change (linear interpolation). */
function rk4(f: (y: number[]) => number[], y: number[], T: number, dt: number, crossing?: (y: number[]) => number): { y: number[]; t: number } {
  let t = 0;
  while (t < T - 1e-15) {
    const h = Math.min(dt, T - t);
    const a = f(y);
    const b = f(y.map((v, i) => v + (h / 2) * a[i]!));
    const c = f(y.map((v, i) => v + (h / 2) * b[i]!));
    const d = f(y.map((v, i) => v + h * c[i]!));
    const next = y.map((v, i) => v + (h / 6) * (a[i]! + 2 * b[i]! + 2 * c[i]! + d[i]!));
    if (crossing && crossing(next) <= 0) return { y, t: t + (h * crossing(y)) / (crossing(y) - crossing(next)) };
    y = next;
    t += h;
  }
  return { y, t };
}

describe('onDisconnect: restrict, continuous', () => {
  it('the cut is located at the removal time an independent RK4 gives; the other output trains on', async () => {
    // One sample (u = 1). Edge 2-3 carries no free current, so under a finite EP nudge
    // dk2/dt = -(eta/2) e3^2 / k2^2: it reaches 0 in finite time with unbounded speed (RK4 on k2^3).
    const eta = 20;
    const t: [number, number] = [0.3, 0.6];
    const circuit = hangingOutput([{ u: 1, t }]);
    const res = await trainContinuous(backend, circuit, { rule: 'ep', nudge: 'finite', eta, duration: 1, record: 5, onDisconnect: 'restrict' });
    expect(res.stop.reason).toBe('budget');
    const removal = res.events.find((e) => e.kind === 'removed')!;
    expect(removal.edge).toBe(2);
    expect(res.events.filter((e) => e.kind !== 'removed')).toEqual([expect.objectContaining({ kind: 'output-cut', node: 3, edge: -1, time: removal.time })]);
    const inner = ([k0, k1, s]: number[]) => {
      const g = hangingModel([k0!, k1!, Math.cbrt(s!), 1, 1], 1, t, true).contrast(eta);
      return [-g[0]!, -g[1]!, -3 * (eta / 2) * (t[0] - k0! / (k0! + k1!)) ** 2];
    };
    const cut = rk4(inner, [1, 1, 0.2 ** 3], 1, 1e-6, (y) => y[2]!);
    relClose(removal.time!, cut.t, 1e-6);
    // edges 3, 4 (output 4) do not see the other part: RK4 on them alone over the whole run
    const outer = ([k3, k4]: number[]) => hangingModel([1, 1, 1, k3!, k4!], 1, t, false).contrast(eta).slice(3).map((g) => -g);
    const end = rk4(outer, [1, 1], 1, 1e-4);
    relClose(res.final.conductances[3]!, end.y[0]!, 1e-8);
    relClose(res.final.conductances[4]!, end.y[1]!, 1e-8);
    // after the cut node 2 carries no clamped current: k0, k1 keep their values at the cut
    relClose(res.final.conductances[0]!, cut.y[0]!, 1e-6);
    const afterCut = res.history.time!.map((time, i) => [time, i] as const).filter(([time]) => time > removal.time!);
    expect(afterCut.length).toBe(4);
    for (const [, i] of afterCut) {
      expect(res.history.conductances![i]![0]).toBe(res.final.conductances[0]);
      expect(res.history.conductances![i]![2]).toBe(0);
    }
    // the recorded losses are the closed form over the outputs still connected at that time
    res.history.time!.forEach((time, i) => {
      const m = hangingModel(Array.from(res.history.conductances![i]!), 1, t, time < removal.time!);
      relClose(res.history.loss[i]!, m.loss, 1e-12);
      relClose(res.history.adjointLoss[i]!, m.adjointLoss, 1e-12);
    });
  });

  it('a crossbar is trained until no output is left; each removal lies exactly on the crossing', async () => {
    // inputs 0, 1, 2 (2 grounded), outputs 3, 4, edge (i, o) at index 3 (o - 3) + i: y_o = sum_i k_oi u_i / sum_i k_oi
    const samples = [
      { inputs: [0.9, 0.2, 0], targets: [1.4, -0.3] },
      { inputs: [0.1, 0.7, 0], targets: [-0.2, 1.1] },
      { inputs: [0.5, 0.4, 0], targets: [0.9, 0.8] },
    ];
    const edges: [number, number][] = [[0, 3], [1, 3], [2, 3], [0, 4], [1, 4], [2, 4]];
    const k = [1.19, 1.27, 0.72, 1.12, 0.585, 1.09];
    const circuit = makeCircuit({ n: 5, edges, k, inputs: [0, 1, 2], u: samples[0]!.inputs, outputs: [3, 4], t: samples[0]!.targets, samples });
    const res = await trainContinuous(backend, circuit, { rule: 'cl', nudge: 'finite', eta: 1, duration: 60, record: 121, onDisconnect: 'restrict' });
    expect(res.stop.reason).toBe('disconnected');
    expect(res.stop.message).toMatch(/no output node has a path to an input any more \(outputs cut: \d, \d\)/);
    expect(res.removedEdges.slice().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(res.final.conductances)).toEqual([0, 0, 0, 0, 0, 0]);
    const cuts = res.events.filter((e) => e.kind === 'output-cut');
    expect(cuts.map((e) => e.node).sort()).toEqual([3, 4]);
    const stopTime = res.final.time!;
    expect(cuts.at(-1)!.time).toBe(stopTime);
    expect(res.events.at(-1)).toEqual(expect.objectContaining({ kind: 'stopped', time: stopTime }));
    // a point at the stop time: every loss is the empty sum over no output
    expect(res.history.time!.at(-1)).toBe(stopTime);
    expect([res.history.loss.at(-1), res.history.weightedLoss.at(-1), res.history.adjointLoss.at(-1), res.final.loss]).toEqual([0, 0, 0, 0]);
    const cutTime = (o: number): number => cuts.find((e) => e.node === o)!.time!;
    for (const cut of cuts) {
      // the output's last edge vanished at its cut: y_o = u_i, and CL at eta = 1 holds the output
      // at t, so dk/dt = -mean_s (u_i - t)^2 / 2 (constant) from the previous event on; every record
      // in between predicts the removal time exactly
      const o = cut.node! - 3;
      const lastEdge = res.events.filter((e) => e.kind === 'removed' && e.time === cut.time)[0]!.edge;
      const i = lastEdge - 3 * o;
      const rate = samples.reduce((a, s) => a + (s.inputs[i]! - s.targets[o]!) ** 2, 0) / samples.length / 2;
      const previous = Math.max(...res.events.filter((e) => e.kind === 'removed' && e.time! < cut.time! && e.edge >= 3 * o && e.edge < 3 * o + 3).map((e) => e.time!));
      let checked = 0;
      res.history.time!.forEach((time, q) => {
        if (time <= previous || time >= cut.time!) return;
        relClose(time + res.history.conductances![q]![lastEdge]! / rate, cut.time!, 1e-12);
        checked++;
      });
      expect(checked).toBeGreaterThan(3);
    }
    // recorded losses: the closed-form loss over the outputs still connected
    res.history.time!.forEach((time, q) => {
      if (time === stopTime) return;
      let total = 0;
      for (const s of samples) {
        for (let o = 0; o < 2; o++) {
          if (time >= cutTime(o + 3)) continue;
          const kq = res.history.conductances![q]!;
          const den = kq[3 * o]! + kq[3 * o + 1]! + kq[3 * o + 2]!;
          const y = (kq[3 * o]! * s.inputs[0]! + kq[3 * o + 1]! * s.inputs[1]!) / den;
          total += (y - s.targets[o]!) ** 2 / 2;
        }
      }
      relClose(res.history.loss[q]!, total / samples.length, 1e-11);
    });
  });
});
