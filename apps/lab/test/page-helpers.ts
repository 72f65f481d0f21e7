import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** Reads a data attribute as a number. */
export async function numberAttribute(page: Page, selector: string, name: string): Promise<number> {
  return Number(await page.locator(selector).first().getAttribute(`data-${name}`));
}

/**
 * Waits until `selector` has `data-state` = `state` (and the `extra` attribute condition); fails at
 * once with the page's own message when it shows `data-state="error"`, and with the last status
 * text when `timeout` (ms) passes.
 */
export async function waitForState(page: Page, selector: string, state: string, timeout: number, extra = ''): Promise<void> {
  const handle = await page
    .waitForSelector(`${selector}[data-state="${state}"]${extra}, ${selector}[data-state="error"]`, { timeout })
    .catch(async () => {
      const text = await page.locator(selector).first().textContent().catch(() => '(no element)');
      throw new Error(`${selector} did not reach data-state="${state}"${extra} within ${timeout / 1000} s; it shows: ${text}`);
    });
  if ((await handle.getAttribute('data-state')) === 'error') {
    throw new Error(`${selector} shows an error: ${await handle.textContent()}`);
  }
}

/** Sets a form control and fires `change` (which reloads the Lab's run with the new settings). */
export async function setControl(page: Page, selector: string, value: string): Promise<void> {
  const control = page.locator(selector);
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') await control.selectOption(value);
  else {
    await control.fill(value);
    await control.dispatchEvent('change');
  }
}

/** Numbers of the Lab's status line. */
export interface LabNumbers {
  readonly initial: number;
  readonly final: number;
  readonly step: number;
}

/** Reads the Lab's status line numbers. */
export async function labNumbers(page: Page): Promise<LabNumbers> {
  return {
    initial: await numberAttribute(page, '#lab-status', 'initial-loss'),
    final: await numberAttribute(page, '#lab-status', 'loss'),
    step: await numberAttribute(page, '#lab-status', 'step'),
  };
}

/** Sets the step budget, presses Run and waits until the run stops (budget or loss tolerance; at most `timeout` ms). */
export async function shortTraining(page: Page, steps: number, timeout: number): Promise<LabNumbers> {
  await waitForState(page, '#lab-status', 'ready', 30_000);
  await setControl(page, '#max-steps', String(steps));
  await waitForState(page, '#lab-status', 'ready', 30_000, '[data-step="0"]');
  await page.click('#btn-run');
  await waitForState(page, '#lab-status', 'stopped', timeout);
  return await labNumbers(page);
}

/** Clicks `selector` and returns the text of the file the page offers for download. */
export async function downloadedText(page: Page, selector: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** A chart's point count and first/last values of its first series. */
export async function chartData(page: Page, title: string): Promise<{ points: number; first: number; last: number }> {
  const chart = page.locator(`.chart[data-title="${title}"]`);
  return {
    points: Number(await chart.getAttribute('data-points')),
    first: Number(await chart.getAttribute('data-first')),
    last: Number(await chart.getAttribute('data-last')),
  };
}
