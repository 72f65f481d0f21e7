import { describe, expect, it } from 'vitest';
import * as linalg from '@ohmlab/linalg-cpu';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { computeStates, edgeContrast, type Rule, type Nudge } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { randomCircuit } from './circuits.js';
import { expectAllClose } from './close.js';

// The learners only see the SolverBackend interface; this checks the states and rules agree
// between the dense test reference and @ohmlab/linalg-cpu's backend (skipped, with the reason,
// while that package does not export createCpuBackend).
const create = (linalg as unknown as { createCpuBackend?: () => SolverBackend }).createCpuBackend;
const circuit = randomCircuit(12, 10, 2, 5, 21);

describe.skipIf(typeof create !== 'function')('parity with @ohmlab/linalg-cpu (skipped: createCpuBackend not exported yet)', () => {
  const cases: [Rule, Nudge][] = [['ep', 'zero'], ['cl', 'finite'], ['al', 'symmetric']];
  it.each(cases)('%s %s: contrast matches the dense reference', async (rule, nudge) => {
    const cpu = create!();
    const ref = createDenseBackend();
    const a = edgeContrast(circuit, await computeStates(cpu, circuit, { rule, nudge, eta: 0.3 }));
    const b = edgeContrast(circuit, await computeStates(ref, circuit, { rule, nudge, eta: 0.3 }));
    expectAllClose(a, b, 1e-9, 1e-12);
    expect(a.some((x) => x !== 0)).toBe(true);
    cpu.dispose();
  });
});
