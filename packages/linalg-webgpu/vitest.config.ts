import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * WebGPU in Node without a GPU: SwiftShader from Debian's chromium. Set here (not in the shell) so
 * `pnpm test` works as is; an explicit VK_ICD_FILENAMES wins. Workers inherit this environment.
 */
const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env['VK_ICD_FILENAMES'] && existsSync(swiftShaderIcd)) process.env['VK_ICD_FILENAMES'] = swiftShaderIcd;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Child processes, one per test file (vitest's default isolation): a native fault in Dawn can
    // only take down its own file, and every process ends with SIGTERM/SIGKILL from vitest.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 20_000,
    // Files in sequence keep SwiftShader from fighting over 2 cores.
    fileParallelism: false,
    setupFiles: ['test/setup/hang-guard.ts'],
  },
});
