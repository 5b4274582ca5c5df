import { defineConfig } from 'vitest/config';

/**
 * No time limit here is a guess at how fast the machine is. Tests wait on conditions (a reply, a row, a workflow
 * in visibility: test/support/patience.ts), so on a loaded two-core machine they take longer and still pass; the
 * timeouts below only catch a test or hook that hangs, far beyond any honest run (the longest file takes about a
 * minute on a quiet machine). Files that wait longer by design (the scripted conversations) say so themselves.
 */
const HANG_MS = 10 * 60_000; // as HANG_MS in test/support/patience.ts

/**
 * @temporalio/client 1.24 retries a failed call on a timer (grpc-retry.js) and, when the connection was closed in
 * between (a test's teardown closing its system while a request it started is still being retried), the timer throws
 * "Channel has been shut down" outside any promise. That is the client's bug, after the test has finished with it; only
 * that exact error from that exact place is ignored — anything else unhandled still fails the run.
 */
function isClientRetryAfterClose(error: { message?: string; stack?: string }): boolean | void {
  if (error.message === 'Channel has been shut down' && /grpc-retry\.js/.test(error.stack ?? '')) return false;
}

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
    onUnhandledError: isClientRetryAfterClose,
  },
});
