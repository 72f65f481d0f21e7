import type { Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import { describe, expect, it } from 'vitest';
import { LearnerConfigError, openStateSolver, referenceState, sampleBatch, stepStates, trainDiscrete, trainingMetrics } from '../src/index.js';
import { randomCircuit } from './circuits.js';
import { createDenseBackend } from './dense-backend.js';

/**
 * No factorization outlives its state solver (a leak would hold GPU buffers on WebGPU): a backend
 * that counts live factorizations sees 0 after many open / solve / dispose cycles, after a
 * dispose that comes while a factorization is still being made, and after training runs; a solver
 * used after dispose() makes no new factorization and says so.
 */
function countingBackend(delayMs = 0): SolverBackend & { live: number; made: number } {
  const inner = createDenseBackend();
  const counter = {
    name: 'counting',
    description: 'counts live factorizations',
    live: 0,
    made: 0,
    async factor(request: Parameters<SolverBackend['factor']>[0]): Promise<Factorization> {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const f = await inner.factor(request);
      counter.live++;
      counter.made++;
      let disposed = false;
      return {
        method: f.method,
        nodeCount: f.nodeCount,
        dirichletNodes: f.dirichletNodes,
        solve: (rhs) => f.solve(rhs),
        dispose() {
          if (disposed) return;
          disposed = true;
          counter.live--;
          f.dispose();
        },
      };
    },
    dispose() {},
  };
  return counter;
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const circuit = randomCircuit(12, 8, 2, 5, 7);
const batch = sampleBatch(circuit);

describe('state solver lifetime', () => {
  it.each(['response', 'direct'] as const)('200 open / solve / dispose cycles (%s) leave no factorization alive', async (strategy) => {
    const backend = countingBackend();
    for (let c = 0; c < 200; c++) {
      const k = circuit.conductances.map((v, j) => v * (1 + 0.3 * Math.sin(c + j)));
      const solver = openStateSolver(backend, circuit, { conductances: k, strategy });
      const states = await stepStates(solver, batch, { rule: 'cl', nudge: 'zero' });
      await trainingMetrics(solver, batch, states.free);
      await referenceState(solver, batch);
      solver.dispose();
    }
    await settle();
    expect(backend.made).toBeGreaterThanOrEqual(200);
    expect(backend.live).toBe(0);
  });

  it('a dispose while the factorization is still being made releases it once it exists', async () => {
    const backend = countingBackend(20);
    const solver = openStateSolver(backend, circuit);
    const pending = solver.inputsOnly();
    solver.dispose();
    await pending;
    await settle();
    expect(backend.made).toBe(1);
    expect(backend.live).toBe(0);
  });

  it('after dispose() no new factorization is made: calls that need one reject with a clear error', async () => {
    const backend = countingBackend();
    const solver = openStateSolver(backend, circuit, { context: 'step 3' });
    solver.dispose();
    await expect(solver.inputsOnly()).rejects.toThrow(LearnerConfigError);
    await expect(solver.inputsAndOutputs()).rejects.toThrow(/stateSolver: used after dispose\(\) \(step 3\); open a new state solver/);
    await expect(stepStates(solver, batch, { rule: 'ep', nudge: 'zero' })).rejects.toThrow(/used after dispose/);
    solver.dispose();
    await settle();
    expect(backend.made).toBe(0);
  });

  it('training runs (removals, a disconnection stop) leave no factorization alive', async () => {
    const backend = countingBackend();
    await trainDiscrete(backend, circuit, { rule: 'al', nudge: 'finite', eta: 0.5, alpha: 3, steps: 40, recordEvery: 1 });
    await trainDiscrete(backend, randomCircuit(10, 6, 2, 6, 3), { rule: 'ep', nudge: 'finite', eta: 2, alpha: 2, steps: 60, strategy: 'direct' });
    await settle();
    expect(backend.made).toBeGreaterThan(60);
    expect(backend.live).toBe(0);
  });
});
