import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { appRoot, chromiumMissing, outputDir } from './browser.js';
import { serveStatic } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the freshly built lab on 127.0.0.1 ('' when the browser tests are skipped). */
    labUrl: string;
  }
}

/**
 * Builds the lab from the current sources into a temporary folder (never a stale dist/) and serves
 * it on a free port of 127.0.0.1, once for all test files. Skipped without chromium.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (chromiumMissing !== '') {
    console.warn(`[lab] browser tests skipped: ${chromiumMissing}`);
    project.provide('labUrl', '');
    return async () => {};
  }
  mkdirSync(outputDir, { recursive: true });
  const site = mkdtempSync(join(tmpdir(), 'ohmlab-lab-'));
  await build({ root: appRoot, configFile: join(appRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir: site, emptyOutDir: true } });
  const server = await serveStatic(site);
  project.provide('labUrl', server.url);
  return async () => {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  };
}
