import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { IdempotencyKeyReusedError } from './ledger';

/**
 * How the ledger's activities fail when retrying cannot help: a bad input or a reused idempotency key is a bug in the
 * caller, so it becomes a non-retryable ApplicationFailure with a message that says what to fix. Anything else is
 * rethrown untouched and Temporal retries it (a dropped connection, a restarting database).
 */

/** Validates an activity input against its schema, or fails the activity for good naming each bad field. */
export function parseActivityInput<T extends z.ZodType>(activity: string, schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  throw ApplicationFailure.nonRetryable(`${activity} got invalid input — ${detail}`, 'InvalidActivityInput');
}

/** Use as `.catch(failForGoodOnKeyReuse)` on ledger mutations. */
export function failForGoodOnKeyReuse(error: unknown): never {
  if (error instanceof IdempotencyKeyReusedError) throw ApplicationFailure.nonRetryable(error.message, 'IdempotencyKeyReused');
  throw error;
}
