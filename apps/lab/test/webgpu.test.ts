import { join } from 'node:path';
import { parseCircuit } from '@ohmlab/graph';
import { parseExperimentConfig, runExperiment } from '@ohmlab/learners';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromiumMissing, launch, openPage, outputDir } from './browser.js';
import { chartData, downloadedText, labNumbers, numberAttribute, shortTraining, waitForState } from './page-helpers.js';

/** Chromium with WebGPU on (SwiftShader when there is no GPU): every page runs on the GPU backend. */
describe.skipIf(chromiumMissing !== '')(`lab in chromium with WebGPU${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  const url = inject('labUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(true);
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('Lab: a short EP training on the GPU lowers the loss, the plots show it, the export replays it', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await page.waitForSelector('#backend-badge[data-backend="webgpu"]', { timeout: 30_000 });
    await waitForState(page, '#lab-status', 'ready', 60_000, '[data-backend="webgpu"]');
    const { initial, final, step } = await shortTraining(page, 150, 80_000);
    expect(step).toBe(150);
    expect(final).toBeGreaterThan(0);
    expect(final).toBeLessThan(0.5 * initial);
    // Every recorded step is plotted; the loss plot starts and ends at the status line's values.
    const loss = await chartData(page, 'Loss');
    expect(loss.points).toBe(151);
    expect(loss.first).toBe(initial);
    expect(loss.last).toBe(final);
    for (const title of ['Conserved quantity', 'Conductances', 'Coercivity constant']) {
      expect((await chartData(page, title)).points).toBe(151);
    }
    const coercivity = await chartData(page, 'Coercivity constant');
    expect(coercivity.last).toBeGreaterThan(0);
    expect(await page.locator('.circuit-view line').count()).toBe(await numberAttribute(page, '.circuit-view', 'edges'));
    expect(await page.locator('#backend-note').isHidden()).toBe(true);
    await page.screenshot({ path: join(outputDir, 'lab.png'), fullPage: true });

    // The experiment file is what `ohmlab train` reads; replayed on the CPU in Node (float64) it
    // reaches the loss the lab reached on the GPU (float32 kernels refined to 1e-10 residuals).
    const experiment = await downloadedText(page, '#btn-export-json');
    const config = parseExperimentConfig(JSON.parse(experiment.text), { parseCircuit });
    expect(config.steps).toBe(150);
    const replay = await runExperiment(config, { backend: createCpuBackend() });
    expect(Math.abs((replay.history.loss[0] ?? Number.NaN) - initial) / initial).toBeLessThan(1e-7);
    expect(Math.abs((replay.final.loss ?? Number.NaN) - final) / final).toBeLessThan(1e-6);
    const csv = await downloadedText(page, '#btn-export-csv');
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]?.startsWith('step,loss,weightedLoss,adjointLoss,mass,k0,')).toBe(true);
    expect(lines[0]?.endsWith(',coercivity')).toBe(true);
    expect(lines).toHaveLength(152);
    expect(Number(lines[151]?.split(',')[1])).toBe(final);
    expect(errors).toEqual([]);
  });

  test('Lab: Step, Pause, Resume and Reset drive the worker', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await waitForState(page, '#lab-status', 'ready', 60_000, '[data-backend="webgpu"]');
    await page.click('#btn-step');
    await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="1"]');
    await page.click('#btn-step');
    await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="2"]');
    await page.click('#btn-run');
    await waitForState(page, '#lab-status', 'running', 30_000);
    await page.waitForFunction(() => Number(document.querySelector('#lab-status')?.getAttribute('data-step')) >= 10, undefined, { timeout: 30_000 });
    await page.click('#btn-pause');
    await waitForState(page, '#lab-status', 'paused', 30_000);
    const paused = (await labNumbers(page)).step;
    await page.waitForTimeout(500);
    expect((await labNumbers(page)).step).toBe(paused);
    expect(await page.locator('#btn-run').textContent()).toBe('Resume');
    await page.click('#btn-run');
    await page.waitForFunction((n) => Number(document.querySelector('#lab-status')?.getAttribute('data-step')) > n, paused, { timeout: 30_000 });
    await page.click('#btn-reset');
    await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="0"]');
    expect((await chartData(page, 'Loss')).points).toBe(1);
    expect(errors).toEqual([]);
  });

  test("Landscape: the kite's Figure 3 slice (s, r) with output level sets, batched on the GPU", async () => {
    const { page, errors } = await openPage(browser, `${url}?quick=1#/landscape`);
    await waitForState(page, '#landscape-status', 'done', 60_000);
    expect(await page.locator('#landscape-status').getAttribute('data-backend')).toBe('webgpu');
    // The paper's slice, labelled so: s breaks k1/k2 = k3/k4, r breaks k5 = k6.
    expect(await page.locator('#landscape-status').getAttribute('data-ulabel')).toMatch(/^s .*k1\/k2 = k3\/k4/);
    expect(await page.locator('#landscape-status').getAttribute('data-vlabel')).toMatch(/^r .*k5 = k6/);
    // Closed form at the origin (all k = 1, the paper's "non-coercive" point): c_EP = 1/16, not 0;
    // and the slice holds smaller values than the origin (c is not minimal there).
    const origin = await numberAttribute(page, '#landscape-status', 'origin');
    expect(origin).toBeCloseTo(1 / 16, 8);
    const min = await numberAttribute(page, '#landscape-status', 'min');
    const max = await numberAttribute(page, '#landscape-status', 'max');
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThan(origin);
    expect(max).toBeGreaterThan(origin);
    expect(Number.isFinite(max)).toBe(true);
    const paths = await page.locator('.heatmap path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('d') ?? ''));
    expect(paths.filter((d) => d.length > 0).length).toBeGreaterThan(3);
    expect(await page.locator('.heatmap path[stroke="#ff4040"]').count()).toBe(1);
    await page.screenshot({ path: join(outputDir, 'landscape.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('Benchmark: detects the adapter and measures CPU and WebGPU rows', async () => {
    const { page, errors } = await openPage(browser, `${url}?quick=1#/benchmark`);
    await waitForState(page, '#bench-status', 'done', 85_000);
    expect(await page.locator('#bench-adapter').getAttribute('data-available')).toBe('true');
    expect(await page.locator('#bench-adapter').textContent()).toContain('maxStorageBufferBindingSize');
    const results = JSON.parse(await page.locator('#bench-json').inputValue()) as {
      rows: Array<{ kind: string; backend: string; maxResidual: number; solvesPerSecond: number; samplesPerSecond: number }>;
      plan: { erdosRenyiNodes: number[]; gridSides: number[]; batches: number[] };
    };
    const perBackend = (results.plan.erdosRenyiNodes.length + results.plan.gridSides.length) * results.plan.batches.length;
    expect(await page.locator('#bench-table tr[data-backend="cpu"]').count()).toBe(perBackend);
    expect(await page.locator('#bench-table tr[data-backend="webgpu"]').count()).toBe(perBackend);
    for (const row of results.rows) {
      expect(row.backend).toBe(row.kind);
      expect(row.solvesPerSecond).toBeGreaterThan(0);
      expect(row.samplesPerSecond).toBeGreaterThan(0);
      expect(row.maxResidual).toBeLessThan(1e-8);
    }
    expect(Number(await page.locator('#bench-chart').getAttribute('data-series'))).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(outputDir, 'benchmark.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
