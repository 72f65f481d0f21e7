import { describe, expect, it } from 'vitest';
import {
  clampedState,
  computeStates,
  edgeContrast,
  freeState,
  nudgedState,
  openStateSolver,
  outputLoss,
  referenceState,
  adjointLoss,
  sampleBatch,
  trainingMetrics,
  type Rule,
} from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { randomCircuit } from './circuits.js';
import { expectAllClose } from './close.js';

const backend = createDenseBackend();
const circuit = randomCircuit(9, 8, 2, 3, 7);
const batch = sampleBatch(circuit);

async function lossAt(k: Float64Array, which: 'L' | 'AL'): Promise<number> {
  const solver = openStateSolver(backend, circuit, { conductances: k });
  const v = which === 'L' ? outputLoss(await freeState(solver, batch)) : adjointLoss(await referenceState(solver, batch));
  solver.dispose();
  return v;
}

async function fdGradient(which: 'L' | 'AL'): Promise<Float64Array> {
  const k = circuit.conductances;
  const g = new Float64Array(k.length);
  for (let j = 0; j < k.length; j++) {
    const h = 1e-6 * k[j]!;
    const kp = k.slice();
    const km = k.slice();
    kp[j]! += h;
    km[j]! -= h;
    g[j] = ((await lossAt(kp, which)) - (await lossAt(km, which))) / (2 * h);
  }
  return g;
}

describe('states', () => {
  it.each<Rule>(['ep', 'cl', 'al'])('%s nudged state is affine in eta: x^eta = x^0 + eta xh', async (rule) => {
    const solver = openStateSolver(backend, circuit);
    const base = rule === 'al' ? await referenceState(solver, batch) : await freeState(solver, batch);
    const xh = await clampedState(solver, rule, batch, base);
    const nudged = await nudgedState(solver, rule, batch, base, [0.7, -1.3]);
    const n = circuit.nodeCount;
    [0.7, -1.3].forEach((eta, b) => {
      const expected = base.voltages.map((v, i) => v + eta * xh.voltages[i]!);
      expectAllClose(nudged.voltages.subarray(b * batch.count * n, (b + 1) * batch.count * n), expected, 1e-10, 1e-12);
    });
    solver.dispose();
  });

  it('EP zero-nudge contrast equals grad L (finite differences)', async () => {
    const states = await computeStates(backend, circuit, { rule: 'ep', nudge: 'zero' });
    expectAllClose(edgeContrast(circuit, states), await fdGradient('L'), 1e-6, 1e-9);
  });

  it('AL zero-nudge contrast equals grad L_AL (finite differences)', async () => {
    const states = await computeStates(backend, circuit, { rule: 'al', nudge: 'zero' });
    expectAllClose(edgeContrast(circuit, states), await fdGradient('AL'), 1e-6, 1e-9);
  });

  it('finite-eta EP contrast equals grad L + (eta/2) mean dvh^2', async () => {
    const eta = 0.37;
    const fin = await computeStates(backend, circuit, { rule: 'ep', nudge: 'finite', eta });
    const zero = await computeStates(backend, circuit, { rule: 'ep', nudge: 'zero' });
    const grad = await fdGradient('L');
    const n = circuit.nodeCount;
    const xh = zero.clamped!.voltages;
    const expected = grad.map((gj, j) => {
      let s = 0;
      for (let q = 0; q < batch.count; q++) {
        const d = xh[q * n + circuit.edgeFrom[j]!]! - xh[q * n + circuit.edgeTo[j]!]!;
        s += d * d;
      }
      return gj + (eta / 2) * (s / batch.count);
    });
    expectAllClose(edgeContrast(circuit, fin), expected, 1e-6, 1e-9);
  });

  it.each<Rule>(['ep', 'cl', 'al'])('%s symmetric clamping at eta = 0.5 equals the zero-nudge rule', async (rule) => {
    const sym = await computeStates(backend, circuit, { rule, nudge: 'symmetric', eta: 0.5 });
    const zero = await computeStates(backend, circuit, { rule, nudge: 'zero' });
    expectAllClose(edgeContrast(circuit, sym), edgeContrast(circuit, zero), 1e-9, 1e-12);
  });

  it('weighted loss equals 1/2 r^T G^{-1} r with G from unit injections; CL clamped currents are D (t - y)', async () => {
    const solver = openStateSolver(backend, circuit);
    const free = await freeState(solver, batch);
    const f1 = await solver.inputsOnly();
    const nIn = circuit.inputNodes.length;
    const unit = await f1.solve({
      count: 2,
      dirichletValues: new Float64Array(2 * nIn),
      injection: { nodes: circuit.outputNodes, values: Float64Array.from([1, 0, 0, 1]) },
    });
    const n = circuit.nodeCount;
    const [o0, o1] = [circuit.outputNodes[0]!, circuit.outputNodes[1]!];
    const G = [unit.voltages[o0]!, unit.voltages[n + o0]!, unit.voltages[o1]!, unit.voltages[n + o1]!];
    const det = G[0]! * G[3]! - G[1]! * G[2]!;
    const D = [G[3]! / det, -G[1]! / det, -G[2]! / det, G[0]! / det];
    let w = 0;
    for (let s = 0; s < batch.count; s++) {
      const r0 = free.residual[2 * s]!;
      const r1 = free.residual[2 * s + 1]!;
      w += 0.5 * (r0 * (D[0]! * r0 + D[1]! * r1) + r1 * (D[2]! * r0 + D[3]! * r1));
    }
    const metrics = await trainingMetrics(solver, batch);
    expect(metrics.weightedLoss).toBeCloseTo(w / batch.count, 12);
    expect(metrics.loss).toBeCloseTo(outputLoss(free), 14);
    const cl = await clampedState(solver, 'cl', batch, free);
    const s0 = [-free.residual[0]!, -free.residual[1]!];
    expectAllClose(cl.outputCurrents.subarray(0, 2), [D[0]! * s0[0]! + D[1]! * s0[1]!, D[2]! * s0[0]! + D[3]! * s0[1]!], 1e-10, 1e-12);
    solver.dispose();
  });
});
