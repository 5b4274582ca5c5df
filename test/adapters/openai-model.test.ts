import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { APIUserAbortError } from 'openai';
import { createOpenAiModel, ModelRequestRejected, ModelUnavailable } from '../../src/adapters/openai-model';
import type { ChatMessage, ModelRequest, TurnContext } from '../../src/domain/model';
import { TOOL_NAMES } from '../../src/domain/tools';
import { reply, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { freePort } from '../../src/adapters/free-port';

const context: TurnContext = {
  now: '2025-03-14T15:00:00.000Z',
  zone: 'America/New_York',
  businessZone: 'America/New_York',
  locale: 'en',
  slots: {},
  hold: null,
  offered: [],
  bookings: [],
};

function request(messages: ChatMessage[] = [{ role: 'user', content: 'a haircut tomorrow at 3pm' }]): ModelRequest {
  return { messages, tools: TOOL_NAMES, context };
}

/** Resolves to the error the promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const model = () => createOpenAiModel({ baseURL: fake.baseURL, apiKey: 'sk-test', model: 'fake-model', timeoutMs: 2_000 });

describe('createOpenAiModel: what is sent', () => {
  it('sends the model, our history in Chat Completions form and every tool with a portable JSON Schema', async () => {
    fake.script(reply.text('Which day suits you?'));
    await model().complete(
      request([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'haircut friday' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_a', name: 'get_availability', arguments: '{"service":"haircut"}' }] },
        { role: 'tool', toolCallId: 'call_a', name: 'get_availability', content: '{"ok":true}' },
        { role: 'assistant', content: 'Friday at 3 pm is free.' },
        { role: 'user', content: 'yes' },
      ]),
    );
    const [sent] = fake.completions();
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    const body = sent!.body;
    expect(body.model).toBe('fake-model');
    expect(body.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'haircut friday' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_availability', arguments: '{"service":"haircut"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"ok":true}' },
      { role: 'assistant', content: 'Friday at 3 pm is free.' },
      { role: 'user', content: 'yes' },
    ]);
    // Nothing vendor-specific or sampling-related goes out.
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'tools']);

    const tools = body.tools as { type: string; function: { name: string; description: string; parameters?: Record<string, unknown> } }[];
    expect(tools.map((t) => t.function.name)).toEqual(TOOL_NAMES);
    const availability = tools.find((t) => t.function.name === 'get_availability')!.function;
    expect(availability.description).toMatch(/free slots/);
    expect(availability.parameters).toMatchObject({
      type: 'object',
      required: ['service'],
      properties: {
        service: { type: 'string' },
        date: { type: 'string', description: expect.stringContaining('YYYY-MM-DD') },
        time: { type: 'string', description: expect.stringContaining('HH:MM') },
        window: { type: 'object', required: ['start', 'end'] },
      },
    });
    const hold = tools.find((t) => t.function.name === 'hold_slot')!.function;
    expect(hold.parameters).toMatchObject({ required: ['service', 'provider', 'start'], properties: { start: { description: expect.stringContaining('ISO-8601') } } });
    // Keywords some compatible servers reject are not sent.
    const text = JSON.stringify(tools);
    for (const keyword of ['$schema', 'pattern', 'format', 'minLength', 'maxLength', 'additionalProperties']) expect(text).not.toContain(`"${keyword}"`);
    // A tool without parameters has no empty object schema (Gemini rejects one).
    expect(tools.find((t) => t.function.name === 'list_my_bookings')!.function).not.toHaveProperty('parameters');
  });

  it('sends only the tools asked for, and no tools field when there are none', async () => {
    fake.script(reply.text('hi'), reply.text('hi'));
    await model().complete({ ...request(), tools: ['get_availability', 'escalate_to_human'] });
    await model().complete({ ...request(), tools: [] });
    const [first, second] = fake.completions();
    expect((first!.body.tools ?? []).map((t) => (t as { function: { name: string } }).function.name)).toEqual(['get_availability', 'escalate_to_human']);
    expect(second!.body).not.toHaveProperty('tools');
  });

  it('replays earlier tool calls whose arguments were not JSON as {} so strict servers accept the history', async () => {
    fake.script(reply.text('sorry'));
    await model().complete(
      request([
        { role: 'user', content: 'book it' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'hold_slot', arguments: '{service: haircut' }] },
        { role: 'tool', toolCallId: 'c1', name: 'hold_slot', content: '{"ok":false,"error":"invalid_arguments"}' },
      ]),
    );
    const sent = fake.completions()[0]!.body.messages[1] as { tool_calls: { function: { arguments: string } }[] };
    expect(sent.tool_calls[0]!.function.arguments).toBe('{}');
  });
});

describe('createOpenAiModel: what comes back', () => {
  it('maps tool calls and usage', async () => {
    fake.script(
      reply.toolCalls(
        [
          { name: 'get_availability', arguments: { service: 'haircut', date: '2025-03-15' }, id: 'call_x' },
          { name: 'escalate_to_human', arguments: '{"reason":"asked for a person"}', id: 'call_y' },
        ],
        { usage: { prompt_tokens: 812, completion_tokens: 41 } },
      ),
    );
    const answer = await model().complete(request());
    expect(answer).toEqual({
      text: null,
      toolCalls: [
        { id: 'call_x', name: 'get_availability', arguments: '{"service":"haircut","date":"2025-03-15"}' },
        { id: 'call_y', name: 'escalate_to_human', arguments: '{"reason":"asked for a person"}' },
      ],
      usage: { promptTokens: 812, completionTokens: 41 },
    });
  });

  it('returns text, and no usage when the server sends none', async () => {
    fake.script(reply.text('We open at 9.', { usage: null }));
    expect(await model().complete(request())).toEqual({ text: 'We open at 9.', toolCalls: [] });
  });

  it('passes arguments that are not JSON through as raw text (the workflow validates them)', async () => {
    fake.script(reply.toolCall('hold_slot', "{'service': 'haircut',", { id: 'c' }), reply.toolCall('list_my_bookings', '', { id: 'd' }));
    expect((await model().complete(request())).toolCalls).toEqual([{ id: 'c', name: 'hold_slot', arguments: "{'service': 'haircut'," }]);
    expect((await model().complete(request())).toolCalls).toEqual([{ id: 'd', name: 'list_my_bookings', arguments: '' }]);
  });

  it('reads arguments sent as a JSON object instead of a string', async () => {
    fake.script(
      reply.raw(
        JSON.stringify({
          choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'o1', type: 'function', function: { name: 'get_booking', arguments: { bookingId: 'b1' } } }] } }],
        }),
      ),
    );
    expect((await model().complete(request())).toolCalls).toEqual([{ id: 'o1', name: 'get_booking', arguments: '{"bookingId":"b1"}' }]);
  });

  it('generates tool call ids when the server leaves them out: stable for the same request, distinct per call', async () => {
    const noIds = () =>
      reply.raw(
        JSON.stringify({
          choices: [
            {
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [
                  { type: 'function', function: { name: 'get_availability', arguments: '{"service":"haircut"}' } },
                  { type: 'function', function: { name: 'get_availability', arguments: '{"service":"haircut"}' } },
                ],
              },
            },
          ],
        }),
      );
    fake.script(noIds(), noIds(), noIds());
    const first = (await model().complete(request())).toolCalls.map((c) => c.id);
    const again = (await model().complete(request())).toolCalls.map((c) => c.id);
    const laterTurn = (await model().complete(request([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }]))).toolCalls.map((c) => c.id);
    expect(first).toHaveLength(2);
    for (const id of first) expect(id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(new Set(first).size).toBe(2);
    expect(again).toEqual(first);
    expect(laterTurn.some((id) => first.includes(id))).toBe(false);
  });

  it('leaves out the reasoning block of thinking models and treats empty text as none', async () => {
    fake.script(reply.text('<think>they want Friday</think>\n\nFriday works. Morning or afternoon?'), reply.text('  '));
    expect((await model().complete(request())).text).toBe('Friday works. Morning or afternoon?');
    expect((await model().complete(request())).text).toBeNull();
  });
});

describe('createOpenAiModel: failures', () => {
  it('a 401 is rejected, says which variable to fix, and is sent only once (the client does not retry)', async () => {
    fake.script(reply.error(401, { message: 'Incorrect API key provided.', code: 'invalid_api_key' }));
    const error = await failure(model().complete(request()));
    expect(error).toBeInstanceOf(ModelRequestRejected);
    expect((error as ModelRequestRejected).status).toBe(401);
    expect((error as Error).message).toMatch(/^LLM_API_KEY rejected \(401\) by 127\.0\.0\.1:\d+: set a valid key/);
    expect((error as Error).message).toContain('Incorrect API key provided.');
    expect(fake.completions()).toHaveLength(1);
  });

  it.each([
    [400, /rejected the request \(400\).*supports tool calling/],
    [403, /may not use model "fake-model" \(403\)/],
    [404, /model "fake-model" or the chat completions endpoint was not found \(404\).*LLM_MODEL and LLM_BASE_URL/],
    [422, /rejected the request \(422\)/],
  ])('a %i is rejected with a message that says what to check', async (status, message) => {
    fake.script(reply.error(status));
    const error = await failure(model().complete(request()));
    expect(error).toBeInstanceOf(ModelRequestRejected);
    expect((error as Error).message).toMatch(message);
    expect(fake.completions()).toHaveLength(1);
  });

  it('a 429 is unavailable and carries Retry-After (seconds, milliseconds or an HTTP date)', async () => {
    fake.script(
      reply.error(429, { retryAfter: 7, message: 'Rate limit reached' }),
      reply.error(429, { headers: { 'retry-after-ms': '1500' } }),
      reply.error(429, { retryAfter: new Date(Date.now() + 30_000).toUTCString() }),
      reply.error(429),
    );
    const seconds = await failure(model().complete(request()));
    expect(seconds).toBeInstanceOf(ModelUnavailable);
    expect(seconds).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect((seconds as Error).message).toMatch(/rate limited \(429\).*retry after 7 s.*Rate limit reached/);
    expect(await failure(model().complete(request()))).toMatchObject({ retryAfterMs: 1500 });
    const dated = (await failure(model().complete(request()))) as ModelUnavailable;
    expect(dated.retryAfterMs).toBeGreaterThan(25_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(await failure(model().complete(request()))).toMatchObject({ status: 429, retryAfterMs: undefined });
    expect(fake.completions()).toHaveLength(4);
  });

  it('a 429 for an exhausted quota is rejected: waiting does not add credit', async () => {
    fake.script(reply.error(429, { code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota' }));
    const error = await failure(model().complete(request()));
    expect(error).toBeInstanceOf(ModelRequestRejected);
    expect((error as Error).message).toMatch(/quota of LLM_API_KEY is exhausted/);
  });

  it.each([500, 502, 503])('a %i is unavailable', async (status) => {
    fake.script(reply.error(status, { retryAfter: status === 503 ? 2 : undefined }));
    const error = await failure(model().complete(request()));
    expect(error).toBeInstanceOf(ModelUnavailable);
    expect(error).toMatchObject({ status, retryAfterMs: status === 503 ? 2000 : undefined });
    expect(fake.completions()).toHaveLength(1);
  });

  it('a server that does not answer in time is unavailable, and the request is not repeated', async () => {
    fake.script(reply.hang());
    const started = Date.now();
    const error = await failure(createOpenAiModel({ baseURL: fake.baseURL, apiKey: 'k', model: 'm', timeoutMs: 300 }).complete(request()));
    expect(error).toBeInstanceOf(ModelUnavailable);
    expect((error as Error).message).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.completions()).toHaveLength(1);
  });

  it('a server that cannot be reached is unavailable and names the URL to check', async () => {
    const port = await freePort();
    const error = await failure(createOpenAiModel({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', model: 'm' }).complete(request()));
    expect(error).toBeInstanceOf(ModelUnavailable);
    expect((error as Error).message).toMatch(new RegExp(`cannot reach the model server at http://127.0.0.1:${port}/v1 .*check LLM_BASE_URL`));
  });

  it.each([
    ['broken JSON', reply.raw('{"choices": [', { contentType: 'application/json' }), /not valid JSON|not a chat completion/],
    ['an HTML page', reply.raw('<html>Welcome to nginx</html>', { contentType: 'text/html' }), /not a chat completion/],
    ['no choices', reply.raw(JSON.stringify({ id: 'x', choices: [] })), /not a chat completion \(choices/],
    ['an error with status 200', reply.raw(JSON.stringify({ error: { message: 'model is loading' } })), /an error instead of a completion: model is loading/],
  ])('a 200 with %s is unavailable and says to check the URL', async (_label, scripted, message) => {
    fake.script(scripted);
    const error = await failure(model().complete(request()));
    expect(error).toBeInstanceOf(ModelUnavailable);
    expect((error as Error).message).toMatch(message);
  });

  it('an aborted call stays an abort (the activity reports it as a cancellation)', async () => {
    fake.script(reply.hang());
    const controller = new AbortController();
    const pending = failure(model().complete(request(), { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBeInstanceOf(APIUserAbortError);
  });
});


describe('the fake server itself', () => {
  it('checks the key when given one, and answers from a computed fallback when the script is empty', async () => {
    const strict = await startFakeOpenAi({
      apiKey: 'sk-right',
      fallback: (req) => reply.text(`you said: ${String((req.body.messages.at(-1) as { content: string }).content)}`),
    });
    try {
      const wrong = await failure(createOpenAiModel({ baseURL: strict.baseURL, apiKey: 'sk-wrong', model: 'm' }).complete(request()));
      expect(wrong).toBeInstanceOf(ModelRequestRejected);
      const right = createOpenAiModel({ baseURL: strict.baseURL, apiKey: 'sk-right', model: 'm' });
      expect((await right.complete(request())).text).toBe('you said: a haircut tomorrow at 3pm');
      expect(strict.pending()).toBe(0);
      expect(strict.completions()).toHaveLength(2);
    } finally {
      await strict.close();
    }
  });
});
