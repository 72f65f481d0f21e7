import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's chromium; never a downloaded browser. Override with OHMLAB_CHROMIUM. */
export const chromiumPath = process.env['OHMLAB_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(chromiumPath)
  ? ''
  : `${chromiumPath} not found: install Debian's chromium (apt-get install chromium) or set OHMLAB_CHROMIUM to run the lab's browser tests`;

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Screenshots of every page land here. */
export const outputDir = join(appRoot, 'test-output');

const quietFlags = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Launches headless chromium. With `webgpu`, WebGPU is switched on (`--enable-unsafe-webgpu`;
 * SwiftShader when there is no GPU); without, the flag is left out and chromium offers no adapter.
 */
export async function launch(webgpu: boolean): Promise<Browser> {
  if (process.env['VK_ICD_FILENAMES'] === undefined && existsSync(swiftShaderIcd)) process.env['VK_ICD_FILENAMES'] = swiftShaderIcd;
  return await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 60_000,
    args: webgpu ? ['--enable-unsafe-webgpu', ...quietFlags] : quietFlags,
  });
}

/** A page at `url` that records console errors and uncaught exceptions (every test expects none). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url);
  return { page, errors };
}
