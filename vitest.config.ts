import { defineConfig } from 'vitest/config';
import { isClientRetryAfterClose } from './src/adapters/temporal/retry-after-close.js';

/**
 * No time limit here is a guess at how fast the machine is. Tests wait on conditions (a reply, a row, a workflow
 * in visibility: test/support/patience.ts), so on a loaded two-core machine they take longer and still pass; the
 * timeouts below only catch a test or hook that hangs, far beyond any honest run (the longest file takes about a
 * minute on a quiet machine). Files that wait longer by design (the scripted conversations) say so themselves.
 */
const HANG_MS = 10 * 60_000; // as HANG_MS in test/support/patience.ts

/** The client's retry-after-close bug (see the module), after a test's teardown: ignored; any other error fails. */
const ignoreClientRetryAfterClose = (error: unknown): boolean | void => (isClientRetryAfterClose(error) ? false : undefined);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Temporal native addon does not like worker threads.
    pool: 'forks',
    // Many end-to-end tests mostly wait (real timers, a real server): three files at a time on two cores shortens the
    // run without starving the CPU-bound ones (and a slower file only takes longer: nothing above times it).
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-runtime.ts'],
    testTimeout: HANG_MS,
    hookTimeout: HANG_MS,
    // expect.poll waits on a condition too: its 1-s default was a wall-clock guess that a loaded machine missed (a
    // staff-desk move's refusal took longer under chaos load). Like the timeouts above, it only catches a hang.
    expect: { poll: { timeout: HANG_MS } },
    onUnhandledError: ignoreClientRetryAfterClose,
  },
});
