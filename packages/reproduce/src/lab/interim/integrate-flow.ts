import type { Circuit } from '@ohmlab/graph';
import type { FlowOptions, NudgeSpec, Trajectory } from '../lab.js';
import { reachable } from '../circuits.js';
import { lossOf, mass, velocityOf } from './states.js';

/** Adaptive Bogacki-Shampine RK3(2) with edge removal at k_j = 0 (step shortened to hit it). */
export function integrateFlow(c: Circuit, spec: NudgeSpec, options: FlowOptions): Trajectory {
  let k: Float64Array = Float64Array.from(c.conductances);
  const tol = options.tolerance ?? 1e-7;
  let active = c;
  const rootMass0 = Math.sqrt(mass(k));
  const outputsCut: { t: number; node: number }[] = [];
  const f = (kk: Float64Array): Float64Array => velocityOf(active, kk, spec);
  const rec = { t: [] as number[], loss: [] as number[], mass: [] as number[], k: [] as Float64Array[] };
  const removals: { t: number; edge: number }[] = [];
  const record = (t: number): void => {
    rec.t.push(t);
    rec.loss.push(lossOf(active, k, spec.rule));
    rec.mass.push(mass(k));
    rec.k.push(Float64Array.from(k));
  };
  let t = 0;
  let h = options.tEnd / 1000;
  let nextRecord = 0;
  const dtRecord = options.tEnd / (options.record - 1);
  record(0);
  nextRecord = 1;
  let stoppedBecause: string | undefined;
  let evals = 0;
  while (nextRecord < options.record) {
    if (options.signal?.aborted === true) throw new Error('aborted');
    if (++evals > 200_000) throw new Error(`integrator: more than 200000 steps by t = ${t} (h = ${h}, k = ${Array.from(k).slice(0, 4).join(', ')}); the flow may be stiff`);
    const tTarget = nextRecord * dtRecord;
    h = Math.min(h, tTarget - t);
    if (mass(k) < 1e-12 * rootMass0 * rootMass0) {
      for (let j = 0; j < k.length; j++) if ((k[j] as number) > 0) removals.push({ t, edge: j });
      k = new Float64Array(k.length);
      stoppedBecause = 'all conductances reached zero (sum k^2 below 1e-12 of its initial value)';
      break;
    }
    let k1: Float64Array;
    try {
      k1 = f(k);
    } catch (error) {
      stoppedBecause = error instanceof Error ? error.message : String(error);
      break;
    }
    const add = (base: Float64Array, terms: [number, Float64Array][]): Float64Array => {
      const out = Float64Array.from(base);
      for (const [coef, v] of terms) for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + coef * (v[j] as number);
      return out;
    };
    let kNew: Float64Array;
    let err = 0;
    let forced = false;
    try {
      const pos = (v: Float64Array): Float64Array => v.map((x) => Math.max(x, 0));
      const k2 = f(pos(add(k, [[h / 2, k1]])));
      const k3 = f(pos(add(k, [[(3 * h) / 4, k2]])));
      kNew = add(k, [[(2 * h) / 9, k1], [h / 3, k2], [(4 * h) / 9, k3]]);
      const k4 = f(kNew.map((x) => Math.max(x, 0)));
      const kLow = add(k, [[(7 * h) / 24, k1], [h / 4, k2], [h / 3, k3], [h / 8, k4]]);
      for (let j = 0; j < k.length; j++) err = Math.max(err, Math.abs((kNew[j] as number) - (kLow[j] as number)) / (tol + tol * Math.abs(k[j] as number)));
    } catch (error) {
      if (h >= 1e-10 * options.tEnd) {
        h /= 4;
        continue;
      }
      // A stage cut an output off: an edge is about to die. Remove the smallest (near-zero) edge.
      let smallest = -1;
      for (let j = 0; j < k.length; j++) if ((k[j] as number) > 0 && (smallest < 0 || (k[j] as number) < (k[smallest] as number))) smallest = j;
      if (smallest < 0 || (k[smallest] as number) > 1e-6 * rootMass0) {
        stoppedBecause = error instanceof Error ? error.message : String(error);
        break;
      }
      kNew = Float64Array.from(k);
      kNew[smallest] = 0;
      forced = true;
    }
    // An edge crossing zero: shorten the step to land on it (within 1e-9 relative), then remove it.
    // A shrinking edge below 1e-7 |k(0)| counts as having reached zero (the flow is stiff there).
    let crossing = -1;
    for (let j = 0; j < k.length; j++) if ((k[j] as number) > 0 && (kNew[j] as number) <= 0) crossing = j;
    if (crossing < 0) {
      for (let j = 0; j < k.length; j++) {
        if ((k[j] as number) > 0 && (k[j] as number) < 1e-7 * rootMass0 && (k1[j] as number) < 0) {
          crossing = j;
          forced = true;
        }
      }
    }

    if (err > 1 && h > 1e-12) {
      h *= Math.max(0.2, 0.9 * err ** (-1 / 3));
      continue;
    }
    if (crossing >= 0) {
      const kj = k[crossing] as number;
      const slope = (k1[crossing] as number);
      if (!forced && kj > 1e-9 * rootMass0 && h > 1e-12) {
        h = Math.min(h / 2, slope < 0 ? (0.99 * kj) / -slope : h / 2);
        continue;
      }
      kNew = Float64Array.from(k);
      kNew[crossing] = 0;
      removals.push({ t, edge: crossing });
      k = kNew;
      h = Math.max(h, 1e-9 * options.tEnd);
      // Outputs that lost every path to the inputs leave the problem (paper 2, Sec. 4: restrict to
      // the remaining connected subnetwork); with none left, training has nothing to act on.
      const reached = reachable(active, k, Array.from(active.inputNodes));
      const keep = Array.from(active.outputNodes, (o, i) => [o, i] as const).filter(([o]) => reached.has(o));
      if (keep.length < active.outputNodes.length) {
        for (const o of active.outputNodes) if (!reached.has(o)) outputsCut.push({ t, node: o });
        if (keep.length === 0) {
          stoppedBecause = 'no output has a path to an input any more (all cut off by edge removal)';
          break;
        }
        const pick = (v: Float64Array): Float64Array => Float64Array.from(keep, ([, i]) => v[i] as number);
        active = {
          ...active,
          outputNodes: Uint32Array.from(keep, ([o]) => o),
          targets: pick(active.targets),
          ...(active.samples === undefined ? {} : { samples: active.samples.map((s) => ({ inputs: s.inputs, targets: pick(s.targets) })) }),
        };
      }
      continue;
    }
    t += h;
    k = kNew;
    h = Math.max(h, 1e-9 * options.tEnd) * Math.min(4, 0.9 * Math.max(err, 1e-12) ** (-1 / 3));
    if (t >= tTarget - 1e-12 * options.tEnd) {
      try {
        record(tTarget);
      } catch (error) {
        stoppedBecause = error instanceof Error ? error.message : String(error);
        break;
      }
      nextRecord++;
      options.onProgress?.(nextRecord / options.record);
    }
  }
  const out: Trajectory = { t: Float64Array.from(rec.t), loss: Float64Array.from(rec.loss), mass: Float64Array.from(rec.mass), conductances: rec.k, removals, outputsCut, finalConductances: k, tFinal: t };
  return stoppedBecause === undefined ? out : { ...out, stoppedBecause };
}
