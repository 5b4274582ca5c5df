import { isGrpcServiceError } from '@temporalio/client';

/**
 * Errors that say "not now" rather than "no": right after a worker crash a query answers "Workflow Task in failed
 * state" until another worker replays the workflow, and a server restart answers UNAVAILABLE for a moment. The
 * gateway retries these within its own wait instead of passing a 503 to the customer.
 */
export function isTransient(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}` : String(error);
  if (/workflow task in failed state|query.*timed? ?out|deadline exceeded|unavailable|ECONNREFUSED|ECONNRESET/i.test(message)) return true;
  const grpc = error instanceof Error && isGrpcServiceError(error.cause) ? error.cause : isGrpcServiceError(error) ? error : null;
  // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED
  return grpc !== null && [14, 4, 8].includes(grpc.code);
}

/** Runs `attempt` until it succeeds, fails for good, or `budgetMs` is spent (then the last error is thrown). */
export async function retryTransient<T>(attempt: () => Promise<T>, budgetMs: number, pauseMs = 100): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let wait = pauseMs; ; wait = Math.min(wait * 2, 1_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error) || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
