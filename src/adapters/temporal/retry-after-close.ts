/**
 * @temporalio/client 1.24 retries a failed call on a timer (grpc-retry.js) and, when the connection was closed in
 * between (a process stopping its system while a request it started is still being retried), the timer throws
 * "Channel has been shut down" outside any promise. That is the client's bug, after the caller has finished with the
 * connection: only that exact error from that exact place may be ignored, anything else must still fail.
 */
export function isClientRetryAfterClose(error: unknown): boolean {
  const { message, stack } = (error ?? {}) as { message?: string; stack?: string };
  return message === 'Channel has been shut down' && /grpc-retry\.js/.test(stack ?? '');
}

/**
 * Runs `stop` (closing Temporal connections) with that one error ignored should it fire meanwhile or right after; any
 * other uncaught exception is rethrown as before.
 */
export async function stopIgnoringRetryAfterClose(stop: () => Promise<void>): Promise<void> {
  const ignore = (error: unknown) => {
    if (isClientRetryAfterClose(error)) return;
    process.removeListener('uncaughtException', ignore);
    throw error;
  };
  process.on('uncaughtException', ignore);
  await stop();
  // The client's retry timer may fire after the close returned (its backoff is at most a few hundred ms). The wait
  // keeps the process alive on purpose: an unref'd timer would let it exit here, before the caller's last words.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
