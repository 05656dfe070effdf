/** Vitest for the Firefox end-to-end tests only (`npm run test:firefox`); the main run leaves them out. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['tests/e2e-firefox/**/*.test.ts'],
    // One browser, one file: no parallel workers competing for it.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['./tests/support/summary-reporter.ts', { label: 'firefox', file: 'firefox-summary.json' }]],
  },
});
