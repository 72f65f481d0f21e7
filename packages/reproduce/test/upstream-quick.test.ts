import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_REFUTED_CLAIMS } from '../src/refuted.js';
import { reproduce } from '../src/reproduce.js';
import { denseTestBackend } from './dense-test-backend.js';

describe('quick reproduction through @ohmlab/learners (dense test backend)', () => {
  it('reaches the same verdicts as the interim implementation: exactly the documented refutations fail', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-upstream-'));
    const summary = await reproduce({ outDir, quick: true, backend: denseTestBackend });
    const failing = summary.failing.map((f) => `${f.experiment}: ${f.claim}`).sort();
    expect(failing).toEqual(KNOWN_REFUTED_CLAIMS.map((r) => `${r.experiment}: ${r.claim}`).sort());
  }, 170_000);
});
