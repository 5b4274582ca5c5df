import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Temporal native addon does not like worker threads.
    pool: 'forks',
    // Many end-to-end tests mostly wait (real timers, a real server): three files at a time on two cores keeps the
    // whole run well inside ten minutes without starving the CPU-bound ones.
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-runtime.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
