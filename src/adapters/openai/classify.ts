import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ModelRequestRejected, ModelUnavailable } from './errors';

/** What the messages need to name: where the request went and for which model. */
export interface RequestTarget {
  baseURL: string;
  model: string;
  timeoutMs: number;
}

/**
 * Turns whatever the `openai` client threw into {@link ModelRequestRejected} (retrying cannot help) or
 * {@link ModelUnavailable} (it may). A cancellation (the activity was cancelled or timed out) is returned as it
 * is, and so is anything that is not a client error (a bug of ours should surface, not be retried as an outage).
 */
export function classifyClientError(error: unknown, target: RequestTarget): unknown {
  if (error instanceof APIUserAbortError) return error;
  const host = hostOf(target.baseURL);
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelUnavailable(`the model server at ${host} did not answer within ${target.timeoutMs} ms; it may be overloaded, or the timeout too short for this model`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const reason = error.cause instanceof Error ? describeCause(error.cause) : error.message;
    return new ModelUnavailable(`cannot reach the model server at ${target.baseURL} (${reason}): check LLM_BASE_URL and that the server is running`, { cause: error });
  }
  if (error instanceof APIError) return classifyStatus(error, target, host);
  if (error instanceof SyntaxError) {
    // The client parses JSON responses itself; a broken body from a proxy or a wrong URL ends up here.
    return new ModelUnavailable(`the model server at ${host} answered with a body that is not valid JSON (${error.message}): check LLM_BASE_URL`, { cause: error });
  }
  return error;
}

function classifyStatus(error: APIError, target: RequestTarget, host: string): ModelRequestRejected | ModelUnavailable {
  const status = error.status;
  const said = serverSaid(error);
  const retryAfterMs = retryAfter(error.headers);
  if (status === undefined) return new ModelUnavailable(`the model server at ${host} failed${said}`, { cause: error });
  const rejected = (message: string) => new ModelRequestRejected(`${message}${said}`, { status, cause: error });
  switch (status) {
    case 401:
      return rejected(`LLM_API_KEY rejected (401) by ${host}: set a valid key in LLM_API_KEY (or OPENAI_API_KEY)`);
    case 403:
      return rejected(`LLM_API_KEY may not use model "${target.model}" (403) at ${host}: check the key's project, region and model access, or change LLM_MODEL`);
    case 404:
      return rejected(`model "${target.model}" or the chat completions endpoint was not found (404) at ${target.baseURL}: check LLM_MODEL and LLM_BASE_URL (usually ending in /v1)`);
    case 408:
    case 409:
      return new ModelUnavailable(`the model server at ${host} asked to try again (${status})${said}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause: error });
    case 429:
      if (error.code === 'insufficient_quota' || error.type === 'insufficient_quota') {
        return rejected(`the quota of LLM_API_KEY is exhausted (429 insufficient_quota) at ${host}: add credit or use another key`);
      }
      return new ModelUnavailable(`rate limited (429) by ${host}${retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`}${said}`, {
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: error,
      });
  }
  if (status >= 500) {
    return new ModelUnavailable(`the model server at ${host} failed (${status})${said}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause: error });
  }
  return rejected(`the model server at ${host} rejected the request (${status}): check that model "${target.model}" exists there and supports tool calling`);
}

/** The server's own words, shortened: they often say exactly what is wrong (`model 'x' not found, try pulling it`). */
function serverSaid(error: APIError): string {
  const body = error.error as { message?: unknown } | string | undefined;
  const text = typeof body === 'string' ? body : typeof body?.message === 'string' ? body.message : undefined;
  if (!text) return '';
  const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return ` — the server said: ${short}`;
}

/**
 * Retry-After in milliseconds: `retry-after-ms` (OpenAI), else `retry-after` as seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function retryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.round(Number(ms));
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeCause(cause: Error): string {
  const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
}

export function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
