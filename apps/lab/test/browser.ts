import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { build } from 'vite';

/** Debian's chromium; never a downloaded browser. Override with OHMLAB_CHROMIUM. */
export const chromiumPath = process.env['OHMLAB_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(chromiumPath)
  ? ''
  : `${chromiumPath} not found: install Debian's chromium (apt-get install chromium) to run the lab's browser tests`;

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outputDir = join(appRoot, 'test-output');

const quietFlags = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Builds the static site into dist/ unless it is already there (turbo builds before testing). */
export async function ensureBuilt(): Promise<string> {
  const dist = join(appRoot, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    await build({ root: appRoot, logLevel: 'warn', configFile: join(appRoot, 'vite.config.ts') });
  }
  mkdirSync(outputDir, { recursive: true });
  return dist;
}

/** Launches headless chromium, with WebGPU through SwiftShader when `webgpu` is true. */
export async function launch(webgpu: boolean): Promise<Browser> {
  process.env['VK_ICD_FILENAMES'] ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: webgpu ? ['--enable-unsafe-webgpu', ...quietFlags] : quietFlags,
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url);
  return { page, errors };
}
