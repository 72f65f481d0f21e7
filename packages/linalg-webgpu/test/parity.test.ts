import { erdosRenyi, grid2d, kite, type Circuit } from '@ohmlab/graph';
import { createCpuBackend, factorBatchOf, factorSync, type SolverMethod } from '@ohmlab/linalg-cpu';
import { computeStates, edgeContrast, trainDiscrete, type Nudge, type Rule } from '@ohmlab/learners';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, edgeResidual, kclDefect, maxAbsDiff, releaseShared, seeded } from './helpers.js';

/**
 * Parity: the same cases on every available backend, checked against the float64 CPU solve and
 * against Kirchhoff's law from the edges. Documented tolerance (README "Precision"): relative
 * residual <= 1e-10 and voltages within 1e-8 V of the CPU on 1 V drives; training steps (edge
 * contrasts) within 1e-8 of max |g| and short trainings within 1e-8 relative, through
 * `@ohmlab/learners`, which sees only the solver interface.
 */
const backends = await availableBackends();
afterAll(() => releaseShared());
const reference = createCpuBackend();

interface Case {
  readonly label: string;
  readonly circuit: Circuit;
  readonly method: SolverMethod;
  readonly gpuMethod: string;
}

const cases: Case[] = [
  { label: 'Erdos-Renyi 60 nodes, dense', circuit: erdosRenyi({ nodes: 60, meanDegree: 4, seed: 7 }), method: 'auto', gpuMethod: 'webgpu-dense' },
  { label: 'Erdos-Renyi 300 nodes, auto (PCG past the dense limit)', circuit: erdosRenyi({ nodes: 300, meanDegree: 5, seed: 11, outputs: 3 }), method: 'auto', gpuMethod: 'webgpu-pcg' },
  { label: 'grid 12 x 12, PCG', circuit: grid2d({ rows: 12, cols: 12, seed: 5 }), method: 'pcg', gpuMethod: 'webgpu-pcg' },
  { label: 'grid 10 x 14, dense', circuit: grid2d({ rows: 10, cols: 14, seed: 2 }), method: 'dense', gpuMethod: 'webgpu-dense' },
];

describe.each(backends)('$name backend', ({ name, backend, skipReason, events }) => {
  if (!backend) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  describe.each(cases)('$label', ({ circuit, method, gpuMethod }) => {
    const held = circuit.inputNodes;
    const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: held, options: { method } };

    it('free state matches the CPU and Kirchhoff', async () => {
      const f = await backend.factor(request);
      if (name === 'webgpu') expect(f.method).toBe(gpuMethod);
      const got = await f.solve({ count: 1, dirichletValues: circuit.inputValues });
      const want = factorSync({ ...request, options: { method: 'dense' } }).solveSync({ count: 1, dirichletValues: circuit.inputValues });
      expect(got.maxResidual).toBeLessThanOrEqual(1e-10);
      expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-8);
      expect(maxAbsDiff(got.dirichletCurrents, want.dirichletCurrents)).toBeLessThan(1e-8 * circuit.conductances.length);
      expect(kclDefect(circuit, circuit.conductances, held, got.voltages)).toBeLessThan(1e-9);
      // Currents through the held nodes balance (no current leaves the network elsewhere).
      expect(Math.abs(got.dirichletCurrents.reduce((s, c) => s + c, 0))).toBeLessThan(1e-9);
      f.dispose();
    });

    it('a batch of right-hand sides with injected currents', async () => {
      const f = await backend.factor(request);
      const count = 5;
      const rand = seeded(99);
      const dirichletValues = Float64Array.from({ length: count * held.length }, () => rand(-1, 1));
      const nodes = circuit.outputNodes;
      const values = Float64Array.from({ length: count * nodes.length }, () => rand(-0.5, 0.5));
      const rhs = { count, dirichletValues, injection: { nodes, values } };
      const got = await f.solve(rhs);
      const want = factorSync({ ...request, options: { method: 'dense' } }).solveSync(rhs);
      expect(got.residuals.length).toBe(count);
      expect(got.maxResidual).toBeLessThanOrEqual(1e-10);
      expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-8);
      for (let r = 0; r < count; r++) {
        const v = got.voltages.subarray(r * circuit.nodeCount, (r + 1) * circuit.nodeCount);
        const inj = { nodes, values: values.subarray(r * nodes.length, (r + 1) * nodes.length) };
        expect(kclDefect(circuit, circuit.conductances, held, v, inj)).toBeLessThan(1e-9);
      }
      f.dispose();
    });
  });

  const samples = [
    { inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.4, 0.55) },
    { inputs: Float64Array.of(0.6, 0.1), targets: Float64Array.of(0.3, 0.35) },
  ];
  const training: [string, Circuit, Rule, Nudge, SolverMethod][] = [
    ['Erdos-Renyi 30 nodes, 2 samples, EP zero (dense)', erdosRenyi({ nodes: 30, meanDegree: 4, seed: 9, outputs: 2, samples }), 'ep', 'zero', 'auto'],
    ['Erdos-Renyi 30 nodes, 2 samples, CL finite (dense)', erdosRenyi({ nodes: 30, meanDegree: 4, seed: 9, outputs: 2, samples }), 'cl', 'finite', 'auto'],
    ['grid 9 x 9, EP finite (PCG)', grid2d({ rows: 9, cols: 9, seed: 6 }), 'ep', 'finite', 'pcg'],
    ['grid 9 x 9, CL zero (PCG)', grid2d({ rows: 9, cols: 9, seed: 6 }), 'cl', 'zero', 'pcg'],
  ];

  describe.each(training)('%s', (_label, circuit, rule, nudge, method) => {
    const options = { rule, nudge, eta: 0.05 };
    const factorOptions = { method };

    it('training step: edge contrast matches the float64 CPU', async () => {
      const got = edgeContrast(circuit, await computeStates(backend, circuit, { ...options, factorOptions }));
      const want = edgeContrast(circuit, await computeStates(reference, circuit, { ...options, factorOptions: { method: 'dense' } }));
      const scale = Math.max(...want.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      expect(maxAbsDiff(got, want) / scale).toBeLessThan(1e-8);
    });

    it('short training (4 steps): conductances and losses match the float64 CPU', async () => {
      const run = { ...options, alpha: 0.5, steps: 4, recordEvery: 1, factorOptions };
      const got = await trainDiscrete(backend, circuit, run);
      const want = await trainDiscrete(reference, circuit, { ...run, factorOptions: { method: 'dense' } });
      expect(got.stop.reason).toBe('budget');
      expect(maxAbsDiff(got.final.conductances, want.final.conductances) / Math.max(...want.final.conductances)).toBeLessThan(1e-8);
      expect(maxAbsDiff(Float64Array.from(got.history.loss), Float64Array.from(want.history.loss)) / Math.max(...want.history.loss)).toBeLessThan(1e-8);
      // The run moved the conductances (a test that cannot fail is a defect).
      expect(maxAbsDiff(want.final.conductances, circuit.conductances)).toBeGreaterThan(1e-6);
    });
  });

  // factorBatch (the shared interface, solver.ts): many conductance vectors of one topology,
  // against the CPU backend's float64 factorBatch and Kirchhoff's law with each system's own k.
  const batchCases: [string, Circuit, SolverMethod, string, number][] = [
    ['kite (5 nodes), 64 systems, auto', kite(), 'auto', 'webgpu-dense-batch', 64],
    ['Erdos-Renyi 30 nodes, 12 systems, dense', erdosRenyi({ nodes: 30, meanDegree: 4, seed: 21, outputs: 2 }), 'dense', 'webgpu-dense-batch', 12],
    ['grid 8 x 8, 5 systems, PCG', grid2d({ rows: 8, cols: 8, seed: 4 }), 'pcg', 'webgpu-pcg-batch', 5],
  ];
  describe.each(batchCases)('factorBatch: %s', (_label, circuit, method, gpuMethod, systems) => {
    it('matches the CPU factorBatch and Kirchhoff in every system', async () => {
      const m = circuit.conductances.length;
      const rand = seeded(systems + m);
      const conductances = Float64Array.from({ length: systems * m }, (_, i) => circuit.conductances[i % m]! * rand(0.2, 5));
      const held = circuit.inputNodes;
      const request = { network: circuit, conductances, dirichletNodes: held, options: { method } };
      const perSystem = 2;
      const nodes = circuit.outputNodes;
      const rhs = {
        perSystem,
        dirichletValues: Float64Array.from({ length: systems * perSystem * held.length }, () => rand(-1, 1)),
        injection: { nodes, values: Float64Array.from({ length: systems * perSystem * nodes.length }, () => rand(-0.3, 0.3)) },
      };
      const f = await factorBatchOf(backend)(request);
      if (name === 'webgpu') expect(f.method).toBe(gpuMethod);
      expect(f.systems).toBe(systems);
      const got = await f.solve(rhs);
      const want = await (await reference.factorBatch({ ...request, options: { method: 'dense' } })).solve(rhs);
      expect([got.systems, got.perSystem, got.count]).toEqual([systems, perSystem, systems * perSystem]);
      expect(got.maxResidual).toBeLessThanOrEqual(1e-10);
      expect(maxAbsDiff(got.voltages, want.voltages)).toBeLessThan(1e-8);
      expect(maxAbsDiff(got.dirichletCurrents, want.dirichletCurrents)).toBeLessThan(1e-8 * m);
      const n = circuit.nodeCount;
      for (let u = 0; u < systems * perSystem; u++) {
        const k = conductances.subarray(Math.floor(u / perSystem) * m, (Math.floor(u / perSystem) + 1) * m);
        const inj = { nodes, values: rhs.injection.values.subarray(u * nodes.length, (u + 1) * nodes.length) };
        // the documented target (README "Precision"), recomputed from the edges with this system's k
        expect(edgeResidual(circuit, k, held, got.voltages.subarray(u * n, (u + 1) * n), inj)).toBeLessThanOrEqual(1e-10);
      }
      f.dispose();
    });
  });

  it('met the tolerance on its own path (no CPU fallback)', () => {
    expect(events.filter((e) => e.type === 'fallback')).toEqual([]);
  });
});
