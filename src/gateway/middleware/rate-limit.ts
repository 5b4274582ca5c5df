import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from '../errors';

/**
 * Token-bucket rate limiting per key (a session, a sender, a client address). In memory: each gateway instance
 * limits what it sees, which bounds abuse without a shared store; put a shared limiter in front when scaling out.
 */
export interface RateLimitOptions {
  /** Bucket size: the burst allowed. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** The key to limit by; undefined skips limiting for this request. */
  key: (c: Context) => string | undefined | Promise<string | undefined>;
  /** What the 429 says is limited, e.g. "messages per session". */
  what: string;
  /** How the refusal is written; JSON `{error}` by default (Twilio routes answer TwiML). */
  onLimited?: (c: Context, retryAfterSeconds: number) => Response;
  now?: () => number;
  maxKeys?: number;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 50_000;
  return async (c, next) => {
    const key = await options.key(c);
    if (key === undefined) return next();
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: options.capacity, at: t };
    bucket.tokens = Math.min(options.capacity, bucket.tokens + ((t - bucket.at) / 1000) * options.refillPerSecond);
    bucket.at = t;
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / options.refillPerSecond);
      c.header('Retry-After', String(retryAfter));
      return options.onLimited?.(c, retryAfter) ?? errorResponse(c, 429, 'rate_limited', `too many requests (${options.what}); retry after ${retryAfter} s`);
    }
    bucket.tokens -= 1;
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    return next();
  };
}
