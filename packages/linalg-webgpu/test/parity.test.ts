import { erdosRenyi, grid2d, type Circuit } from '@ohmlab/graph';
import { factorSync, type SolverMethod } from '@ohmlab/linalg-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, kclDefect, maxAbsDiff, seeded } from './helpers.js';

/**
 * Parity: the same cases on every available backend, checked against the float64 CPU solve and
 * against Kirchhoff's law from the edges. Documented tolerance (README "Precision"): relative
 * residual <= 1e-10 and voltages within 1e-8 V of the CPU on 1 V drives.
 */
const backends = await availableBackends();
afterAll(() => backends.forEach((b) => b.backend?.dispose()));

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

  it('met the tolerance on its own path (no CPU fallback)', () => {
    expect(events.filter((e) => e.type === 'fallback')).toEqual([]);
  });
});
