import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReproduceAbortedError } from '../src/errors.js';
import { reproduce } from '../src/reproduce.js';

const ONLY = ['kite-landscape', 'kite-al-vs-ep', 'voltage-divider-flow'];

async function files(dir: string, id: string): Promise<Record<string, { bytes: string; mtime: number }>> {
  const out: Record<string, { bytes: string; mtime: number }> = {};
  for (const name of await readdir(join(dir, id))) {
    const path = join(dir, id, name);
    out[name] = { bytes: await readFile(path, 'utf8'), mtime: (await stat(path)).mtimeMs };
  }
  return out;
}

describe('an interrupted real reproduction resumes', () => {
  it('keeps the finished experiment untouched, reruns the interrupted one, and ends like an uninterrupted run', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-interrupted-'));
    const controller = new AbortController();
    const run = reproduce({
      outDir, quick: true, only: ONLY, signal: controller.signal,
      onProgress: (e) => {
        if (e.experiment === 'kite-al-vs-ep' && e.done > 0.5 && e.done < e.total) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ReproduceAbortedError);
    expect((await readdir(outDir)).sort()).toEqual(['kite-landscape', 'report.html']);
    const finished = await files(outDir, 'kite-landscape');
    expect(Object.keys(finished).sort()).toEqual(['kite-landscape.json', 'kite-landscape.svg']);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('Not run (interrupted or failed): kite-al-vs-ep, voltage-divider-flow');

    const resumed = await reproduce({ outDir, quick: true, only: ONLY });
    expect(resumed.experiments.map((e) => [e.id, e.skipped])).toEqual([['kite-landscape', true], ['kite-al-vs-ep', false], ['voltage-divider-flow', false]]);
    expect(await files(outDir, 'kite-landscape')).toEqual(finished);
    for (const id of ONLY) expect((await readdir(join(outDir, id))).some((n) => n.endsWith('.tmp'))).toBe(false);

    const fresh = await reproduce({ outDir: await mkdtemp(join(tmpdir(), 'ohmlab-uninterrupted-')), quick: true, only: ONLY });
    expect(resumed.experiments.map((e) => e.claims)).toEqual(fresh.experiments.map((e) => e.claims));
  });
});
