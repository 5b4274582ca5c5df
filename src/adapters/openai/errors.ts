/**
 * Typed model failures. Two kinds, because the only question the caller has is "will trying again help?":
 * the activity turns the first into a non-retryable Temporal failure and the second into a retryable one.
 */

/**
 * The model server refused the request and will refuse it again (bad key, unknown model, a request it cannot
 * parse, exhausted quota). The message names what to check, e.g. `LLM_API_KEY rejected (401): set a valid key`.
 */
export class ModelRequestRejected extends Error {
  override name = 'ModelRequestRejected';
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/**
 * The model server could not answer now (rate limited, overloaded, down, unreachable, too slow, or it answered
 * with something that is not a chat completion). Trying again later may work; `retryAfterMs` is the server's
 * Retry-After, when it sent one.
 */
export class ModelUnavailable extends Error {
  override name = 'ModelUnavailable';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
