import { describe, expect, it } from 'vitest';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { computeStates, trainDiscrete, type Nudge, type Rule } from '../src/index.js';
import { createDenseBackend } from './dense-backend.js';
import { randomCircuit } from './circuits.js';
import { countingBackend } from './reference-states.js';

// issue 3: "All states of one step share one factorization: solve them as one batch of
// right-hand sides, for all samples at once." The response strategy solves a basis: one state per
// input that is nonzero in some sample (here input 0; input 1 is ground) when fewer than the
// samples, plus one per output: q + p = 1 + 2 right-hand sides cover all S = 5 samples.
const S = 5;
const p = 2;
const circuit = randomCircuit(10, 8, p, S, 3);
const q = 1;
const cases: [Rule, Nudge][] = [
  ['ep', 'zero'], ['ep', 'finite'], ['ep', 'symmetric'],
  ['cl', 'zero'], ['cl', 'finite'], ['cl', 'symmetric'],
  ['al', 'zero'], ['al', 'finite'], ['al', 'symmetric'],
];

describe('solve calls per step', () => {
  it.each(cases)('response, %s %s: one factorization, one solve call of q + p right-hand sides', async (rule, nudge) => {
    const { backend, counts } = countingBackend(createDenseBackend());
    const s = await computeStates(backend, circuit, { rule, nudge, eta: 0.3, strategy: 'response' });
    expect(s.strategy).toBe('response');
    expect(counts).toEqual({ factor: 1, solve: 1, rhs: q + p });
  });

  it.each<[Rule, number, number]>([['ep', 1, 2], ['cl', 2, 2], ['al', 1, 2]])(
    'direct, %s zero: %i factorization(s), %i solve calls of S right-hand sides each',
    async (rule, factor, solve) => {
      const { backend, counts } = countingBackend(createDenseBackend());
      await computeStates(backend, circuit, { rule, nudge: 'zero', strategy: 'direct' });
      expect(counts).toEqual({ factor, solve, rhs: 2 * S });
    },
  );

  it('with no more samples than active inputs the basis is the samples\' own free states: S + p right-hand sides', async () => {
    const one = randomCircuit(10, 8, p, 1, 3);
    const { backend, counts } = countingBackend(createDenseBackend());
    await computeStates(backend, one, { rule: 'cl', nudge: 'zero', strategy: 'response' });
    expect(counts).toEqual({ factor: 1, solve: 1, rhs: 1 + p });
  });

  it('mini-batches and the full-batch metrics share one basis: still one solve call per step', async () => {
    const { backend, counts } = countingBackend(createDenseBackend());
    await trainDiscrete(backend, circuit, { rule: 'ep', nudge: 'zero', alpha: 0.01, steps: 2, batchSize: 2, seed: 1, recordEvery: 1 });
    expect(counts).toEqual({ factor: 3, solve: 3, rhs: 3 * (q + p) });
  });

  it('a training step that also records its metrics still solves once (metrics reuse the step states)', async () => {
    for (const rule of ['ep', 'cl', 'al'] as const) {
      const { backend, counts } = countingBackend(createDenseBackend());
      await trainDiscrete(backend, circuit, { rule, nudge: 'symmetric', eta: 0.2, alpha: 0.01, steps: 3, recordEvery: 1 });
      // steps 0, 1, 2 and the final record at step 3: four evaluations
      expect(counts).toEqual({ factor: 4, solve: 4, rhs: 4 * (q + p) });
    }
  });

  it('auto: response unless the outputs outnumber the extra right-hand sides of the direct route (by 8 on a direct factorization)', async () => {
    const auto = async (c: typeof circuit, rule: Rule, nudge: Nudge, backend = createDenseBackend()) =>
      (await computeStates(backend, c, { rule, nudge, eta: 0.1 })).strategy;
    const few = randomCircuit(30, 20, 3, 1, 4); // p = 3 outputs, S = 1 sample
    const many = randomCircuit(30, 20, 12, 1, 4); // p = 12 > 1 + RESPONSE_EXTRA_OUTPUTS
    expect(await auto(circuit, 'ep', 'zero')).toBe('response'); // p = 2 <= S = 5
    for (const rule of ['ep', 'cl', 'al'] as const) {
      expect(await auto(few, rule, 'zero')).toBe('response');
      expect(await auto(many, rule, 'zero')).toBe('direct');
      expect(await auto(many, rule, 'symmetric')).toBe('direct'); // 12 > 2 + 8
    }
    // an iterative "factorization" is cheap and every right-hand side costs a full solve: the count decides
    const dense = createDenseBackend();
    const iterative: SolverBackend = { ...dense, factor: async (req) => ({ ...(await dense.factor(req)), method: 'pcg' }) };
    expect(await auto(few, 'cl', 'zero', iterative)).toBe('direct');
    expect(await auto(few, 'ep', 'symmetric', iterative)).toBe('direct'); // 3 > 2
    expect(await auto(circuit, 'cl', 'zero', iterative)).toBe('response');
  });
});
