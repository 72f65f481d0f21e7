import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromiumMissing, launch, openPage, outputDir } from './browser.js';
import { numberAttribute, setControl, shortTraining, waitForState } from './page-helpers.js';

/** A voltage divider as a dropped file: k = (1, 3), source 1 V, ground, target 0.6. */
const dividerJson = JSON.stringify({
  nodes: 3,
  edges: [[0, 2], [2, 1]],
  conductances: [1, 3],
  inputs: { nodes: [0, 1], values: [1, 0] },
  outputs: { nodes: [2], targets: [0.6] },
});

/** Chromium without `--enable-unsafe-webgpu`: no adapter, every page on the CPU with a note. */
describe.skipIf(chromiumMissing !== '')(`lab without WebGPU${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  const url = inject('labUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(false);
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('every page works on the CPU and says so', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await page.waitForSelector('#backend-badge:not([data-backend="pending"])', { timeout: 30_000 });
    const badge = await page.locator('#backend-badge').getAttribute('data-backend');
    expect(badge, 'chromium offered a WebGPU adapter without --enable-unsafe-webgpu; the CPU-only path needs a browser without one').toBe('cpu');
    expect(await page.locator('#backend-note').isVisible()).toBe(true);
    expect(await page.locator('#backend-note').textContent()).toContain('CPU');
    const { initial, final } = await shortTraining(page, 100, 60_000);
    expect(final).toBeLessThan(0.5 * initial);
    expect(await page.locator('#lab-status').getAttribute('data-backend')).toBe('cpu');
    await page.screenshot({ path: join(outputDir, 'lab-cpu.png'), fullPage: true });

    await page.goto(`${url}?quick=1#/landscape`);
    await waitForState(page, '#landscape-status', 'done', 60_000);
    expect(await page.locator('#landscape-status').getAttribute('data-backend')).toBe('cpu');
    expect(await numberAttribute(page, '#landscape-status', 'origin')).toBeCloseTo(1 / 16, 10);
    expect(await page.locator('#landscape-status').getAttribute('data-ulabel')).toMatch(/^s /);
    // Other circuits keep the generic slice k* + e1 u + e2 v.
    await setControl(page, '#landscape-circuit', 'divider');
    await page.click('#btn-landscape');
    await waitForState(page, '#landscape-status', 'done', 60_000, '[data-ulabel^="e1"]');
    expect(await page.locator('#landscape-status').getAttribute('data-vlabel')).toMatch(/^e2 /);
    expect(await page.locator('#landscape-slice').textContent()).toContain('k* + e1·u + e2·v');

    await page.goto(`${url}?quick=1#/benchmark`);
    await waitForState(page, '#bench-status', 'done', 60_000);
    expect(await page.locator('#bench-adapter').getAttribute('data-available')).toBe('false');
    expect(await page.locator('#bench-table tr[data-backend="cpu"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#bench-table tr[data-backend="webgpu"]').count()).toBe(0);
    expect(await page.locator('#backend-note').isVisible()).toBe(true);
    await page.screenshot({ path: join(outputDir, 'benchmark-cpu.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('a dropped circuit JSON file is loaded and trained', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await waitForState(page, '#lab-status', 'ready', 30_000);
    await page.setInputFiles('#circuit-file', { name: 'divider.json', mimeType: 'application/json', buffer: Buffer.from(dividerJson) });
    await page.waitForSelector('.circuit-view[data-nodes="3"][data-edges="2"]', { timeout: 30_000 });
    await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="0"]');
    // Closed form: y = k1 / (k1 + k2) = 0.25 V, L = (0.25 - 0.6)^2 / 2.
    expect(await numberAttribute(page, '#lab-status', 'loss')).toBeCloseTo(0.5 * 0.35 ** 2, 12);
    const { initial, final } = await shortTraining(page, 40, 30_000);
    expect(final).toBeLessThan(initial);
    expect(await page.locator('#drop-zone').getAttribute('data-file')).toBe('divider.json');
    expect(errors).toEqual([]);
  });

  test('removed edges are drawn as removed and a disconnection stops the run with its reason', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await waitForState(page, '#lab-status', 'ready', 30_000);
    await setControl(page, '#circuit-kind', 'crossbar');
    await setControl(page, '#rule', 'al');
    await setControl(page, '#alpha', '5');
    await setControl(page, '#max-steps', '30');
    await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="0"]');
    expect(await numberAttribute(page, '.circuit-view', 'edges')).toBe(6);
    await page.click('#btn-run');
    await waitForState(page, '#lab-status', 'stopped', 30_000);
    expect(await page.locator('#lab-status').textContent()).toContain('disconnected');
    const removed = await numberAttribute(page, '.circuit-view', 'removed');
    expect(removed).toBeGreaterThan(0);
    expect(await page.locator('.circuit-view line[data-removed="true"][stroke-dasharray="4 3"]').count()).toBe(removed);
    expect(await page.locator('#lab-events li', { hasText: 'removed edge' }).count()).toBeGreaterThanOrEqual(removed);
    await page.screenshot({ path: join(outputDir, 'lab-removed.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('bad input gets a message naming the field, never a NaN or a hang', async () => {
    const { page, errors } = await openPage(browser, `${url}#/lab`);
    await waitForState(page, '#lab-status', 'ready', 30_000);
    const errorText = async (): Promise<string> => {
      await page.waitForSelector('#lab-status[data-state="error"]', { timeout: 30_000 });
      return (await page.locator('#lab-status').textContent()) ?? '';
    };
    await setControl(page, '#alpha', '-1');
    expect(await errorText()).toMatch(/alpha.*> 0/);
    await setControl(page, '#alpha', '0.5');
    await waitForState(page, '#lab-status', 'ready', 30_000);
    // Issue 2's own example: nodes 3 and 4 have no path to an input (a singular system).
    const floating = '{"nodes": 5, "edges": [[0,2],[2,1]], "conductances": [1,2], "inputs": {"nodes": [0,1], "values": [1,0]}, "outputs": {"nodes": [4], "targets": [0.5]}}';
    await page.setInputFiles('#circuit-file', { name: 'floating.json', mimeType: 'application/json', buffer: Buffer.from(floating) });
    expect(await errorText()).toMatch(/CircuitError.*node 3.*no path to any input/);
    await page.setInputFiles('#circuit-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"nodes": 3,') });
    expect(await errorText()).toMatch(/JSON/);
    expect(await page.locator('#lab-status').textContent()).not.toMatch(/NaN/);
    expect(errors).toEqual([]);
  });

  test('?backend=cpu turns WebGPU off even where it exists', async () => {
    const gpuBrowser = await launch(true);
    try {
      const { page, errors } = await openPage(gpuBrowser, `${url}?backend=cpu&quick=1#/landscape`);
      await page.waitForSelector('#backend-badge[data-backend="cpu"]', { timeout: 30_000 });
      expect(await page.locator('#backend-note').textContent()).toContain('?backend=cpu');
      await waitForState(page, '#landscape-status', 'done', 60_000);
      expect(await page.locator('#landscape-status').getAttribute('data-backend')).toBe('cpu');
      expect(errors).toEqual([]);
    } finally {
      await gpuBrowser.close();
    }
  });
});
