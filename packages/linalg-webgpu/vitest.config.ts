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
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One GPU device per file; files in sequence keep SwiftShader from fighting over 2 cores.
    fileParallelism: false,
  },
});
