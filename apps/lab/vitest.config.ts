import { defineConfig } from 'vitest/config';

/** Browser tests: Playwright drives Debian's chromium against the built site (see test/). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
