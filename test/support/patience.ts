/**
 * Waiting in tests: on conditions, never on guesses of how fast the machine is. A test waits for the thing it needs
 * (a reply, a row, a workflow in visibility) by asking again until it is there; the only time limit is a hang
 * detector far beyond any honest run on a loaded two-core machine, so reaching it means something is stuck, not
 * slow. Vitest's own test and hook timeouts (vitest.config.ts) are the same kind of bound.
 */

/** How long a single wait may take before it is called a hang. */
export const HANG_MS = 10 * 60_000;

/** A hang detector for a whole test that waits on several things in turn (vitest's per-test timeout). */
export const TEST_HANG_MS = 20 * 60_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns something other than `undefined` or `false`, and returns that. Throws, naming
 * `what` (a function: read when it throws), only after {@link HANG_MS} (or `timeoutMs`); a probe that knows the wait
 * is hopeless (the process it waits for has exited) throws itself, at once.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? HANG_MS);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${typeof what === 'string' ? what : what()} after ${Math.round((options.timeoutMs ?? HANG_MS) / 1000)} s: stuck`);
    await pause(options.intervalMs ?? 100);
  }
}
