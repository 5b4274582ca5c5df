import OpenAI from 'openai';
import type { LanguageModel, ModelReply, ModelRequest } from '../domain/model';
import { classifyClientError, hostOf } from './openai/classify';
import { ModelUnavailable } from './openai/errors';
import { fromWireCompletion, toWireMessages, toWireTools } from './openai/wire';

export { ModelRequestRejected, ModelUnavailable } from './openai/errors';

/** How to reach an OpenAI-compatible Chat Completions server. Read from the environment by src/config.ts. */
export interface OpenAiModelOptions {
  /** E.g. `https://api.openai.com/v1` (the default), `http://localhost:11434/v1` (Ollama). */
  baseURL?: string;
  /** Sent as a bearer token. Local servers ignore it; empty is allowed for them. */
  apiKey: string;
  /** The model name as that server knows it, e.g. `gpt-4o-mini`, `llama3.1`. */
  model: string;
  /** How long one request may take before it counts as unavailable. Default 60 s. */
  timeoutMs?: number;
  /** A fetch implementation (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
}

/** Per-call options beyond the port: the activity passes its cancellation signal. */
export interface CompleteOptions {
  signal?: AbortSignal;
}

/** The OpenAI-compatible model: the {@link LanguageModel} port, plus an optional abort signal per call. */
export interface OpenAiModel extends LanguageModel {
  complete(request: ModelRequest, options?: CompleteOptions): Promise<ModelReply>;
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * A {@link LanguageModel} over the `openai` package's Chat Completions with tools, for any OpenAI-compatible
 * server. The request carries only `model`, `messages` and `tools`: no sampling or vendor parameters, which
 * several servers reject (reasoning models refuse `temperature`, some vLLM set-ups refuse `tool_choice`).
 *
 * Failures are thrown as `ModelRequestRejected` (retrying cannot help) or `ModelUnavailable` (it may; carries
 * Retry-After). The client itself never retries (`maxRetries: 0`): retries belong to Temporal, which records them.
 */
export function createOpenAiModel(options: OpenAiModelOptions): OpenAiModel {
  const baseURL = options.baseURL ?? DEFAULT_BASE_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = { baseURL, model: options.model, timeoutMs };
  const client = new OpenAI({
    baseURL,
    // The client insists on a key; local servers (Ollama, llama.cpp) ignore whatever is sent.
    apiKey: options.apiKey || 'unused',
    timeout: timeoutMs,
    maxRetries: 0,
    // Everything explicit, so the client reads nothing from the environment behind config.ts's back.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    async complete(request: ModelRequest, callOptions: CompleteOptions = {}): Promise<ModelReply> {
      const tools = toWireTools(request.tools);
      let body: unknown;
      try {
        body = await client.chat.completions.create(
          { model: options.model, messages: toWireMessages(request.messages), ...(tools.length > 0 ? { tools } : {}) },
          callOptions.signal ? { signal: callOptions.signal } : {},
        );
      } catch (error) {
        throw classifyClientError(error, target);
      }
      // The seed makes generated tool call ids stable for the same request and unique across turns.
      const result = fromWireCompletion(body, String(request.messages.length));
      if (!result.ok) {
        throw new ModelUnavailable(`the model server at ${hostOf(baseURL)} answered with ${result.problem}; check LLM_BASE_URL and LLM_MODEL`);
      }
      return result.reply;
    },
  };
}
