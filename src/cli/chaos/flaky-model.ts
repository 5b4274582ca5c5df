import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Business } from '../../domain/booking/business';
import type { ChatMessage, ModelReply, ModelRequest } from '../../domain/model';
import { TOOL_NAMES, type ToolName } from '../../domain/tools';
import { createOfflineModel } from '../../adapters/offline-model';
import { contextFromPrompt } from './prompt-context';

/**
 * A model that fails half its calls: an OpenAI-compatible Chat Completions server on loopback. A failing call gets a
 * 500 or a 429 (with a short Retry-After, as hosted APIs send); every other call is answered sensibly, by the offline
 * interpreter reading the request as a tool-calling model would (the context from the system prompt, the history from
 * the messages) and answering in the wire format. So the worker runs its real OpenAI adapter, its real retry policy and
 * its real error classification, and a turn can still end in a booking.
 */

export interface FlakyModelOptions {
  business: Business;
  /** Share of chat completion calls answered with an error, 0..1. */
  failureRate: number;
  /** Seconds in the Retry-After header of a 429. */
  retryAfterSeconds: number;
  /** Random numbers in [0, 1): seeded, so a run's pattern of failures can be repeated. */
  random: () => number;
}

export interface FlakyModelStats {
  calls: number;
  answered: number;
  failed500: number;
  failed429: number;
  /** ms the interpreter took per answered call: shows whether the stand-in model itself is slow. */
  answerMs: number[];
  /** Requests the interpreter could not answer: a harness problem, never a product one. */
  unreadable: number;
  lastUnreadable?: string;
}

export interface FlakyModel {
  baseURL: string;
  stats: FlakyModelStats;
  close(): Promise<void>;
}

export async function startFlakyModel(options: FlakyModelOptions): Promise<FlakyModel> {
  const model = createOfflineModel(options.business);
  const stats: FlakyModelStats = { calls: 0, answered: 0, failed500: 0, failed429: 0, answerMs: [], unreadable: 0 };
  let completionCount = 0;

  const server = createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const route = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'GET' && route.endsWith('/models')) {
        return writeJson(res, 200, { object: 'list', data: [{ id: 'chaos-model', object: 'model', created: 0, owned_by: 'chaos' }] });
      }
      if (req.method !== 'POST' || !route.endsWith('/chat/completions')) {
        return writeJson(res, 404, { error: { message: `no route ${req.method} ${route}`, type: 'invalid_request_error', code: null } });
      }
      stats.calls += 1;
      if (options.random() < options.failureRate) {
        if (options.random() < 0.5) {
          stats.failed500 += 1;
          return writeJson(res, 500, { error: { message: 'chaos: the model server failed this call', type: 'server_error', code: null } });
        }
        stats.failed429 += 1;
        return writeJson(
          res,
          429,
          { error: { message: 'chaos: rate limit reached for this call', type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
          { 'retry-after': String(options.retryAfterSeconds) },
        );
      }
      let body: WireRequest;
      let reply: ModelReply;
      const t0 = performance.now();
      try {
        body = JSON.parse(raw) as WireRequest;
        reply = await model.complete(fromWire(body, options.business));
      } catch (error) {
        // Answered 400 so the failure is loud (the turn hands off at once) and counted as the harness's, not the product's.
        stats.unreadable += 1;
        stats.lastUnreadable = (error as Error).message;
        return writeJson(res, 400, { error: { message: `chaos model could not read the request: ${(error as Error).message}`, type: 'invalid_request_error', code: null } });
      }
      stats.answered += 1;
      stats.answerMs.push(performance.now() - t0);
      completionCount += 1;
      writeJson(res, 200, toWire(reply, body.model ?? 'chaos-model', completionCount));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    stats,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What src/adapters/openai/wire.ts sends: model, messages and (optionally) function tools. */
interface WireRequest {
  model?: string;
  messages: WireMessage[];
  tools?: { type: string; function?: { name: string } }[];
}
type WireContent = string | { type?: string; text?: string }[] | null | undefined;
type WireMessage =
  | { role: 'system' | 'user'; content: WireContent }
  | { role: 'assistant'; content: WireContent; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; tool_call_id: string; content: WireContent };

const textOf = (content: WireContent): string => (typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join(''));

/** A Chat Completions request as our model port's request (the inverse of toWireMessages / toWireTools). */
export function fromWire(body: WireRequest, business: Business): ModelRequest {
  if (!Array.isArray(body.messages)) throw new Error('no messages array');
  const system = body.messages.find((m) => m.role === 'system');
  if (!system) throw new Error('no system message to read the turn context from');
  // Tool messages on the wire carry only the call id; the name comes from the assistant message that made the call.
  const names = new Map<string, string>();
  const messages: ChatMessage[] = body.messages.map((m): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'user':
        return { role: m.role, content: textOf(m.content) };
      case 'assistant': {
        const calls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
        for (const c of calls) names.set(c.id, c.name);
        return { role: 'assistant', content: textOf(m.content) || null, ...(calls.length > 0 ? { toolCalls: calls } : {}) };
      }
      case 'tool':
        return { role: 'tool', toolCallId: m.tool_call_id, name: names.get(m.tool_call_id) ?? '', content: textOf(m.content) };
    }
  });
  const tools = (body.tools ?? []).map((t) => t.function?.name ?? '').filter((n): n is ToolName => (TOOL_NAMES as string[]).includes(n));
  return { messages, tools, context: contextFromPrompt(textOf(system.content), business) };
}

/**
 * Our reply as a chat.completion. Tool call ids are drawn fresh, as a hosted model's are: the interpreter's own ids
 * are built from the turn's clock, which the prompt gives only to the minute.
 */
function toWire(reply: ModelReply, model: string, n: number): unknown {
  const toolCalls = reply.toolCalls.map((call, i) => ({
    id: `call_chaos_${n.toString(36)}_${i}_${Math.random().toString(36).slice(2, 10)}`,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: `chatcmpl-chaos-${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
