import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ModelRequestRejected, ModelUnavailable } from '../src/adapters/openai/errors';
import { buildSystemPrompt } from '../src/domain/agent/system-prompt';
import type { Business } from '../src/domain/booking/business';
import type { ChatMessage, LanguageModel, ModelReply, ModelRequest } from '../src/domain/model';

/** What the model activity needs: the model (OpenAI-compatible or the offline interpreter) and the business. */
export interface LlmActivityDeps {
  model: LanguageModel;
  business: Business;
}

/** The longest Retry-After honoured as the next retry delay; a longer one is a hint to hand off, not to wait. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** Failure types the workflow's retry policy and error handling can match on. */
export const MODEL_REQUEST_REJECTED = 'ModelRequestRejected';
export const MODEL_UNAVAILABLE = 'ModelUnavailable';

/** A model that may take the activity's cancellation signal (the OpenAI adapter does; others ignore it). */
type CancellableModel = { complete(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelReply> };

/**
 * The model activity. `complete` asks the model for the next step of a turn.
 *
 * The system prompt is built here, from `request.context` and the business, when the first message is not
 * already a system message (a caller that passes its own keeps it). Building it in the activity keeps the
 * workflow history small (the prompt would otherwise be stored in the input of every model call, up to five a
 * turn) and lets the prompt's wording change in a deploy without touching workflow determinism; every fact in it
 * still comes from the workflow's context, so the same request gives the same prompt.
 *
 * Failures: `ModelRequestRejected` becomes a non-retryable `ApplicationFailure` of that type (a bad key or model
 * name is not fixed by retrying); `ModelUnavailable` a retryable one of type `ModelUnavailable`, with
 * `nextRetryDelay` set from the server's Retry-After (capped at {@link MAX_RETRY_DELAY_MS}) so Temporal's retry
 * waits as long as the server asked. Anything else propagates unchanged.
 */
export function createLlmActivities(deps: LlmActivityDeps) {
  const model: CancellableModel = deps.model;
  return {
    async complete(request: ModelRequest): Promise<ModelReply> {
      const messages: ChatMessage[] =
        request.messages[0]?.role === 'system'
          ? request.messages
          : [{ role: 'system', content: buildSystemPrompt(request.context, deps.business) }, ...request.messages];
      const signal = cancellationSignal();
      try {
        return await model.complete({ ...request, messages }, signal ? { signal } : {});
      } catch (error) {
        // A cancelled or timed-out activity reports the cancellation itself, not the abort it caused.
        if (signal?.aborted) throw signal.reason ?? error;
        throw toApplicationFailure(error);
      }
    },
  };
}

export type LlmActivities = ReturnType<typeof createLlmActivities>;

/**
 * Maps the adapter's typed errors onto Temporal failures; other errors are returned unchanged.
 *
 * No `cause`: the adapter's message already says what the server said, and the chain under it (our error, the
 * HTTP client's, each with its stack) made the failure bigger than the server keeps for a retrying activity
 * (4 KB by default), so the server replaced it with "Failure exceeds size limit." and the workflow lost the type and
 * the Retry-After (seen in `npm run chaos`).
 */
export function toApplicationFailure(error: unknown): unknown {
  if (error instanceof ModelRequestRejected) {
    return ApplicationFailure.create({
      message: error.message,
      type: MODEL_REQUEST_REJECTED,
      nonRetryable: true,
      details: [{ status: error.status ?? null }],
    });
  }
  if (error instanceof ModelUnavailable) {
    const delay = error.retryAfterMs === undefined ? undefined : Math.min(error.retryAfterMs, MAX_RETRY_DELAY_MS);
    return ApplicationFailure.create({
      message: error.message,
      type: MODEL_UNAVAILABLE,
      nonRetryable: false,
      details: [{ status: error.status ?? null, retryAfterMs: error.retryAfterMs ?? null }],
      ...(delay === undefined ? {} : { nextRetryDelay: delay }),
    });
  }
  return error;
}

/** The activity's cancellation signal, or undefined when called outside an activity (plain unit tests, scripts). */
function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
