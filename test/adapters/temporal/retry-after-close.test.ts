import { describe, expect, it } from 'vitest';
import { isClientRetryAfterClose } from '../../../src/adapters/temporal/retry-after-close';

describe("the client's retry-after-close error", () => {
  const fromRetryTimer = Object.assign(new Error('Channel has been shut down'), {
    stack: 'Error: Channel has been shut down\n    at Timeout._onTimeout (node_modules/@temporalio/client/lib/grpc-retry.js:83:21)',
  });

  it('is recognised only as that message thrown from the retry timer', () => {
    expect(isClientRetryAfterClose(fromRetryTimer)).toBe(true);
    expect(isClientRetryAfterClose(new Error('Channel has been shut down'))).toBe(false);
    expect(isClientRetryAfterClose(Object.assign(new Error('Deadline exceeded'), { stack: fromRetryTimer.stack }))).toBe(false);
    expect(isClientRetryAfterClose(undefined)).toBe(false);
    expect(isClientRetryAfterClose('Channel has been shut down')).toBe(false);
  });
});
