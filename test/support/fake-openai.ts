import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

/**
 * A scripted OpenAI-compatible Chat Completions server on a random local port, for tests that drive the real
 * `openai` client over HTTP. Each test scripts the replies in order; every request is recorded so the test can
 * assert what was sent. When the script runs dry the fallback answers (by default the text "ok").
 *
 * ```ts
 * const fake = await startFakeOpenAi();
 * fake.script(reply.toolCall('get_availability', { service: 'haircut' }), reply.text('Which one suits you?'));
 * const model = createOpenAiModel({ baseURL: fake.baseURL, apiKey: 'test', model: 'fake-model' });
 * ...
 * expect(fake.requests[0]?.body.tools).toHaveLength(9);
 * await fake.close();
 * ```
 */

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface FakeToolCall {
  name: string;
  /** A string is sent as is (so a test can send broken JSON); an object is JSON-encoded. */
  arguments: string | Record<string, unknown>;
  /** Omitted: `call_<n>`. `null`: the id is left out of the reply, as some servers do. */
  id?: string | null;
}

interface ReplyOptions {
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
}

interface CompletionOptions extends ReplyOptions {
  /** Omitted: estimated from the sizes of request and reply. `null`: the reply has no `usage` field. */
  usage?: FakeUsage | null;
  finishReason?: string;
  /** Echoed in the reply; omitted: the model named in the request. */
  model?: string;
}

/** One scripted answer. Build them with {@link reply}. */
export type FakeReply =
  | ({ kind: 'completion'; text: string | null; toolCalls: FakeToolCall[] } & CompletionOptions)
  | ({ kind: 'error'; status: number; message: string; code?: string; type?: string; headers: Record<string, string> } & ReplyOptions)
  | ({ kind: 'raw'; status: number; body: string; contentType: string; headers: Record<string, string> } & ReplyOptions)
  | { kind: 'hang' };

/** A scripted entry: a fixed reply, or one computed from the request (e.g. echo the last user message). */
export type FakeReplySource = FakeReply | ((request: RecordedRequest) => FakeReply);

/** Builders for {@link FakeReply}. */
export const reply = {
  /** An assistant message with text and no tool calls. */
  text(text: string | null, options: CompletionOptions = {}): FakeReply {
    return { kind: 'completion', text, toolCalls: [], ...options };
  },
  /** An assistant message with one tool call (and `content: null` unless `text` is given). */
  toolCall(name: string, args: string | Record<string, unknown>, options: CompletionOptions & { id?: string | null; text?: string | null } = {}): FakeReply {
    const { id, text = null, ...rest } = options;
    return { kind: 'completion', text, toolCalls: [{ name, arguments: args, ...(id === undefined ? {} : { id }) }], ...rest };
  },
  /** An assistant message with several tool calls. */
  toolCalls(calls: FakeToolCall[], options: CompletionOptions & { text?: string | null } = {}): FakeReply {
    const { text = null, ...rest } = options;
    return { kind: 'completion', text, toolCalls: calls, ...rest };
  },
  /**
   * An HTTP error with an OpenAI-style body `{error: {message, type, code}}`. `retryAfter` sets the Retry-After
   * header (seconds, or an HTTP date when a string).
   */
  error(
    status: number,
    options: ReplyOptions & { message?: string; code?: string; type?: string; retryAfter?: number | string; headers?: Record<string, string> } = {},
  ): FakeReply {
    const headers = { ...options.headers };
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    return {
      kind: 'error',
      status,
      message: options.message ?? `fake error ${status}`,
      headers,
      ...(options.code === undefined ? {} : { code: options.code }),
      ...(options.type === undefined ? {} : { type: options.type }),
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    };
  },
  /** Any body at all, e.g. broken JSON or an HTML page from a misconfigured proxy. */
  raw(body: string, options: ReplyOptions & { status?: number; contentType?: string; headers?: Record<string, string> } = {}): FakeReply {
    return {
      kind: 'raw',
      body,
      status: options.status ?? 200,
      contentType: options.contentType ?? 'application/json',
      headers: options.headers ?? {},
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    };
  },
  /** Never answers (until the client gives up or the server closes). */
  hang(): FakeReply {
    return { kind: 'hang' };
  },
};

/** A request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** The path with query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text. */
  rawBody: string;
  /** The parsed JSON body (an empty object when the body is not JSON). */
  body: ChatCompletionCreateParamsNonStreaming;
}

export interface FakeOpenAiOptions {
  /** What answers when the script is empty. Default: the text "ok". */
  fallback?: FakeReplySource;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401, as a real server would. */
  apiKey?: string;
}

export interface FakeOpenAi {
  /** The base URL to give the client, ending in `/v1`. */
  baseURL: string;
  /** Every request received, oldest first (chat completions and anything else). */
  requests: RecordedRequest[];
  /** Appends replies to the script; each chat completion request takes the next one. */
  script(...replies: FakeReplySource[]): void;
  /** Replaces what answers when the script is empty. */
  setFallback(source: FakeReplySource): void;
  /** How many scripted replies are still waiting. */
  pending(): number;
  /** Chat completion requests only, oldest first. */
  completions(): RecordedRequest[];
  /** Forgets the script and the recorded requests (keeps the fallback). */
  reset(): void;
  /** Stops the server, dropping open connections (including hanging replies). */
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 at a random free port. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue: FakeReplySource[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let fallback: FakeReplySource = options.fallback ?? reply.text('ok');
  let callCounter = 0;
  let completionCounter = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((rawBody) => {
      const path = req.url ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: { ...req.headers },
        rawBody,
        body: parseJson(rawBody) as ChatCompletionCreateParamsNonStreaming,
      };
      requests.push(recorded);

      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return send(res, reply.error(401, { message: 'Incorrect API key provided.', code: 'invalid_api_key', type: 'invalid_request_error' }), recorded);
      }
      const route = path.split('?')[0] ?? '';
      if (req.method === 'GET' && route.endsWith('/models')) {
        return writeJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
      }
      if (req.method !== 'POST' || !route.endsWith('/chat/completions')) {
        return writeJson(res, 404, { error: { message: `no route ${req.method} ${route}`, type: 'invalid_request_error', code: null } });
      }
      const source = queue.shift() ?? fallback;
      const scripted = typeof source === 'function' ? source(recorded) : source;
      send(res, scripted, recorded);
    });
  });

  function send(res: ServerResponse, scripted: FakeReply, request: RecordedRequest): void {
    if (scripted.kind === 'hang') return;
    const answer = (): void => {
      if (res.destroyed) return;
      switch (scripted.kind) {
        case 'completion':
          return writeJson(res, 200, completionBody(scripted, request));
        case 'error':
          return writeJson(
            res,
            scripted.status,
            { error: { message: scripted.message, type: scripted.type ?? 'fake_error', code: scripted.code ?? null, param: null } },
            scripted.headers,
          );
        case 'raw':
          res.writeHead(scripted.status, { 'content-type': scripted.contentType, ...scripted.headers });
          res.end(scripted.body);
      }
    };
    if (scripted.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, scripted.delayMs);
      timers.add(timer);
    } else {
      answer();
    }
  }

  function completionBody(scripted: Extract<FakeReply, { kind: 'completion' }>, request: RecordedRequest): unknown {
    completionCounter += 1;
    const toolCalls = scripted.toolCalls.map((call) => {
      callCounter += 1;
      const id = call.id === undefined ? `call_${callCounter}` : call.id;
      return {
        ...(id === null ? {} : { id }),
        type: 'function',
        function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
      };
    });
    const message = { role: 'assistant', content: scripted.text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
    // A rough, deterministic token estimate (about four characters a token), so usage figures vary with size.
    const usage =
      scripted.usage === null
        ? undefined
        : (scripted.usage ?? {
            prompt_tokens: Math.ceil(request.rawBody.length / 4),
            completion_tokens: Math.ceil(JSON.stringify(message).length / 4),
          });
    return {
      id: `chatcmpl-fake-${completionCounter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: scripted.model ?? request.body.model ?? 'fake-model',
      choices: [{ index: 0, message, finish_reason: scripted.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'), logprobs: null }],
      ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    setFallback: (source) => void (fallback = source),
    pending: () => queue.length,
    completions: () => requests.filter((r) => r.method === 'POST' && r.path.split('?')[0]?.endsWith('/chat/completions')),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
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

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return {};
  }
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
