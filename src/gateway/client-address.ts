import type { Context } from 'hono';

/**
 * The caller's network address for rate limiting. The socket address under Node; `X-Forwarded-For` only when the
 * operator says a trusted proxy sets it, since anyone can send that header.
 */
export function clientAddress(c: Context, trustProxy = process.env.TRUST_PROXY === 'true'): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
