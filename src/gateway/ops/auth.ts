import type { Context, Next } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import { errorResponse } from '../errors';

/**
 * The operator API's credential check (bearer OPS_TOKEN, compared in constant time; no token configured: every
 * request refused), as a middleware factory so every operator router applies the same one.
 */
export function requireOpsToken(opsToken: string | undefined) {
  return async (c: Context, next: Next) => {
    if (!opsToken) return errorResponse(c, 401, 'ops_disabled', 'the operator API is disabled: set OPS_TOKEN and send it as a bearer token');
    const given = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(opsToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, 401, 'unauthorized', 'missing or wrong bearer token; send Authorization: Bearer <OPS_TOKEN>');
    }
    return next();
  };
}
