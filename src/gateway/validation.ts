import type { Hook } from '@hono/zod-openapi';
import { describeIssues, errorResponse } from './errors';

/** Every request that fails its schema gets a 400 naming the bad fields, in the `{error}` shape. */
export const validationHook: Hook<unknown, any, any, unknown> = (result, c) => {
  if (!result.success) {
    return errorResponse(c, 400, 'invalid_request', describeIssues(result.error.issues));
  }
  return undefined;
};
