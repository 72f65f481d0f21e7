import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveStatic, type StaticServer } from './static-server.js';
import { chromiumMissing, ensureBuilt, launch, openPage, outputDir } from './browser.js';

/** Reads a data attribute as a number. */
async function numberAttribute(page: Page, selector: string, name: string): Promise<number> {
  return Number(await page.locator(selector).getAttribute(`data-${name}`));
}

/**
 * Waits until `selector` has `data-state` = `state` (and the extra attribute condition), failing at
 * once with the page's message when it shows `data-state="error"`.
 */
async function waitForState(page: Page, selector: string, state: string, timeout: number, extra = ''): Promise<void> {
  const reached = await page
    .waitForSelector(`${selector}[data-state="${state}"]${extra}, ${selector}[data-state="error"]`, { timeout })
    .then((handle) => handle.getAttribute('data-state'));
  if (reached === 'error') throw new Error(`${selector} shows an error: ${await page.locator(selector).textContent()}`);
}

/** Sets a form control and fires `change` (which reloads the run with the new settings). */
async function setControl(page: Page, selector: string, value: string): Promise<void> {
  const control = page.locator(selector);
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') await control.selectOption(value);
  else {
    await control.fill(value);
    await control.dispatchEvent('change');
  }
}

/** Trains an 16-node Erdős–Rényi circuit with EP for at most `steps` steps and returns the numbers. */
async function shortTraining(page: Page, steps: number): Promise<{ initial: number; final: number; step: number }> {
  await waitForState(page, '#lab-status', 'ready', 30_000);
  await setControl(page, '#max-steps', String(steps));
  await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="0"]');
  await page.click('#btn-run');
  await waitForState(page, '#lab-status', 'stopped', 60_000);
  return {
    initial: await numberAttribute(page, '#lab-status', 'initial-loss'),
    final: await numberAttribute(page, '#lab-status', 'loss'),
    step: await numberAttribute(page, '#lab-status', 'step'),
  };
}

describe.skipIf(chromiumMissing !== '')(`lab in chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveStatic(await ensureBuilt());
    browser = await launch(true);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('Lab page: a short EP training lowers the loss and the plots show it', async () => {
    const { page, errors } = await openPage(browser, `${server.url}#/lab`);
    await page.waitForSelector('#backend-badge[data-backend="webgpu"]');
    const { initial, final, step } = await shortTraining(page, 150);
    expect(step).toBe(150);
    expect(final).toBeGreaterThan(0);
    expect(final).toBeLessThan(0.5 * initial);
    // The loss plot holds every recorded step and ends at the status line's loss.
    const loss = page.locator('.chart[data-title="Loss"]');
    expect(Number(await loss.getAttribute('data-points'))).toBe(151);
    expect(Number(await loss.getAttribute('data-first'))).toBeCloseTo(initial, 12);
    expect(Number(await loss.getAttribute('data-last'))).toBeCloseTo(final, 12);
    for (const title of ['Conserved quantity', 'Conductances', 'Coercivity constant']) {
      expect(Number(await page.locator(`.chart[data-title="${title}"]`).getAttribute('data-points'))).toBe(151);
    }
    expect(await page.locator('.circuit-view line').count()).toBeGreaterThan(0);
    expect(await page.locator('#backend-note').isHidden()).toBe(true);
    await page.screenshot({ path: join(outputDir, 'lab.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('Landscape page: coercivity heatmap with output level sets', async () => {
    const { page, errors } = await openPage(browser, `${server.url}#/landscape`);
    await waitForState(page, '#landscape-status', 'done', 60_000);
    const min = await numberAttribute(page, '#landscape-status', 'min');
    const max = await numberAttribute(page, '#landscape-status', 'max');
    expect(Number.isFinite(min) && Number.isFinite(max)).toBe(true);
    expect(max).toBeGreaterThan(min);
    expect(await page.locator('.heatmap path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(outputDir, 'landscape.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('Benchmark page: detects the adapter and measures CPU and WebGPU rows', async () => {
    const { page, errors } = await openPage(browser, `${server.url}?quick=1#/benchmark`);
    await waitForState(page, '#bench-status', 'done', 90_000);
    expect(await page.locator('#bench-adapter').getAttribute('data-available')).toBe('true');
    expect(await page.locator('#bench-adapter').textContent()).toContain('maxStorageBufferBindingSize');
    expect(await page.locator('#bench-table tr[data-backend="cpu"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#bench-table tr[data-backend="webgpu"]').count()).toBeGreaterThan(0);
    const results = JSON.parse(await page.locator('#bench-json').inputValue()) as { rows: Array<{ kind: string; maxResidual: number; solvesPerSecond: number }> };
    expect(new Set(results.rows.map((r) => r.kind))).toEqual(new Set(['cpu', 'webgpu']));
    for (const row of results.rows) {
      expect(row.solvesPerSecond).toBeGreaterThan(0);
      expect(row.maxResidual).toBeLessThan(1e-4);
    }
    await page.screenshot({ path: join(outputDir, 'benchmark.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe.skipIf(chromiumMissing !== '')('lab without WebGPU', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveStatic(await ensureBuilt());
    browser = await launch(false);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every page works on the CPU and says so', async () => {
    const { page, errors } = await openPage(browser, `${server.url}#/lab`);
    await page.waitForSelector('#backend-badge[data-backend="cpu"]');
    expect(await page.locator('#backend-note').isVisible()).toBe(true);
    expect(await page.locator('#backend-note').textContent()).toContain('CPU');
    const { initial, final } = await shortTraining(page, 60);
    expect(final).toBeLessThan(initial);
    await page.screenshot({ path: join(outputDir, 'lab-cpu.png'), fullPage: true });

    await page.goto(`${server.url}?quick=1#/benchmark`);
    await waitForState(page, '#bench-status', 'done', 90_000);
    expect(await page.locator('#bench-adapter').getAttribute('data-available')).toBe('false');
    expect(await page.locator('#bench-table tr[data-backend="cpu"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#bench-table tr[data-backend="webgpu"]').count()).toBe(0);
    expect(await page.locator('#backend-note').isVisible()).toBe(true);
    await page.screenshot({ path: join(outputDir, 'benchmark-cpu.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('?backend=cpu turns WebGPU off even where it exists', async () => {
    const gpuBrowser = await launch(true);
    try {
      const { page, errors } = await openPage(gpuBrowser, `${server.url}?backend=cpu#/landscape`);
      await page.waitForSelector('#backend-badge[data-backend="cpu"]');
      expect(await page.locator('#backend-note').textContent()).toContain('?backend=cpu');
      await waitForState(page, '#landscape-status', 'done', 60_000);
      expect(await page.locator('#landscape-status').getAttribute('data-backend')).not.toMatch(/gpu/i);
      expect(errors).toEqual([]);
    } finally {
      await gpuBrowser.close();
    }
  });
});
