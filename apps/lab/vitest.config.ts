import { defineConfig } from 'vitest/config';

/**
 * Node tests of the lab's own logic (src/**) and browser tests (test/): Playwright drives Debian's
 * chromium against the built site.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
