import { mkdtemp, readFile, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentFailedError, ReproduceAbortedError } from '../src/errors.js';
import { reproduce } from '../src/reproduce.js';
import { fakeBackend, fakeExperiments, type Counters } from './fake-experiments.js';

async function snapshot(dir: string, id: string): Promise<{ json: string; svg: string; mtimeJson: number; mtimeSvg: number }> {
  const jsonPath = join(dir, id, `${id}.json`);
  const svgPath = join(dir, id, `${id}.svg`);
  return {
    json: await readFile(jsonPath, 'utf8'),
    svg: await readFile(svgPath, 'utf8'),
    mtimeJson: (await stat(jsonPath)).mtimeMs,
    mtimeSvg: (await stat(svgPath)).mtimeMs,
  };
}

function newCounters(): Counters {
  return { calls: {}, failOnce: new Set() };
}

describe('resume after an interrupted run', () => {
  it('a thrown error midway keeps finished experiments; the rerun skips them untouched', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-resume-'));
    const counters = newCounters();
    counters.failOnce.add('beta');
    const experiments = fakeExperiments(counters);
    await expect(reproduce({ outDir, quick: true, backend: fakeBackend, experiments })).rejects.toBeInstanceOf(ExperimentFailedError);
    expect(counters.calls).toEqual({ alpha: 1, beta: 1 });
    const before = await snapshot(outDir, 'alpha');
    expect((await readdir(outDir)).sort()).toEqual(['alpha', 'report.html']);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('Not run (interrupted or failed): beta, gamma');

    await new Promise((r) => setTimeout(r, 20));
    const summary = await reproduce({ outDir, quick: true, backend: fakeBackend, experiments });
    expect(counters.calls).toEqual({ alpha: 1, beta: 2, gamma: 1 });
    expect(await snapshot(outDir, 'alpha')).toEqual(before);
    expect(summary.experiments.map((e) => [e.id, e.skipped])).toEqual([['alpha', true], ['beta', false], ['gamma', false]]);
    expect(summary.claims).toEqual({ total: 3, passed: 3, failed: 0 });
    const record = JSON.parse(await readFile(join(outDir, 'beta', 'beta.json'), 'utf8')) as { status: string; claims: unknown[] };
    expect(record.status).toBe('finished');
    expect(record.claims).toHaveLength(1);
    expect((await readdir(join(outDir, 'beta'))).sort()).toEqual(['beta.json', 'beta.svg']);
  });

  it('an AbortSignal fired inside an experiment stops the run; resuming redoes only that one', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-abort-'));
    const counters = newCounters();
    const controller = new AbortController();
    counters.onStep = (id, step) => {
      if (id === 'gamma' && step === 3) controller.abort();
    };
    const experiments = fakeExperiments(counters);
    await expect(reproduce({ outDir, quick: true, backend: fakeBackend, experiments, signal: controller.signal })).rejects.toBeInstanceOf(ReproduceAbortedError);
    const alpha = await snapshot(outDir, 'alpha');
    const beta = await snapshot(outDir, 'beta');
    expect(await readdir(outDir)).not.toContain('gamma');
    counters.onStep = undefined;
    const summary = await reproduce({ outDir, quick: true, backend: fakeBackend, experiments });
    expect(counters.calls).toEqual({ alpha: 1, beta: 1, gamma: 2 });
    expect(await snapshot(outDir, 'alpha')).toEqual(alpha);
    expect(await snapshot(outDir, 'beta')).toEqual(beta);
    expect(summary.experiments.filter((e) => e.skipped).map((e) => e.id)).toEqual(['alpha', 'beta']);
  });

  it('a changed config, seed or mode reruns; a torn JSON record reruns; results are deterministic', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-change-'));
    const counters = newCounters();
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters) });
    const first = JSON.parse(await readFile(join(outDir, 'gamma', 'gamma.json'), 'utf8')) as { data: unknown; configHash: string };
    // Same options: nothing reruns.
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters) });
    expect(counters.calls).toEqual({ alpha: 1, beta: 1, gamma: 1 });
    // Torn record for beta: reruns beta only.
    await writeFile(join(outDir, 'beta', 'beta.json'), '{"status":"finish');
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters) });
    expect(counters.calls).toEqual({ alpha: 1, beta: 2, gamma: 1 });
    // Changed config: all rerun, with a different hash.
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters, 2) });
    expect(counters.calls).toEqual({ alpha: 2, beta: 3, gamma: 2 });
    const changed = JSON.parse(await readFile(join(outDir, 'gamma', 'gamma.json'), 'utf8')) as { configHash: string };
    expect(changed.configHash).not.toBe(first.configHash);
    // Another seed: reruns; back to the first config and seed: the data is identical to the first run.
    await reproduce({ outDir, quick: true, seed: 9, backend: fakeBackend, experiments: fakeExperiments(counters) });
    expect(counters.calls.gamma).toBe(3);
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters) });
    const again = JSON.parse(await readFile(join(outDir, 'gamma', 'gamma.json'), 'utf8')) as { data: unknown; configHash: string };
    expect(again.configHash).toBe(first.configHash);
    expect(again.data).toEqual(first.data);
  });

  it('an inner computation that fails because the signal fired is reported as an abort', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-inner-abort-'));
    const counters = newCounters();
    const controller = new AbortController();
    counters.onStep = (id, step) => {
      if (id === 'beta' && step === 2) {
        controller.abort();
        throw new Error('integrator saw the signal');
      }
    };
    const run = reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(counters), signal: controller.signal });
    await expect(run).rejects.toBeInstanceOf(ReproduceAbortedError);
    expect(await readdir(outDir)).toEqual(expect.arrayContaining(['alpha', 'report.html']));
    expect(await readdir(outDir)).not.toContain('beta');
  });

  it('forwards progress events and rejects unknown ids', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-progress-'));
    const events: { experiment: string; done: number; total: number }[] = [];
    await reproduce({ outDir, quick: true, backend: fakeBackend, experiments: fakeExperiments(newCounters()), only: ['beta'], onProgress: (e) => events.push(e) });
    expect(new Set(events.map((e) => e.experiment))).toEqual(new Set(['beta']));
    expect(events.at(-1)).toMatchObject({ done: 1, total: 1 });
    expect(events.some((e) => e.total === 20 && e.done === 10)).toBe(true);
    await expect(reproduce({ outDir, backend: fakeBackend, experiments: fakeExperiments(newCounters()), only: ['nope'] })).rejects.toThrow(/unknown experiment "nope"/);
  });
});
