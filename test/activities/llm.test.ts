import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationFailure, CancelledFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createLlmActivities, MAX_RETRY_DELAY_MS } from '../../activities/llm';
import { createOpenAiModel } from '../../src/adapters/openai-model';
import { parseBusiness } from '../../src/domain/booking/business';
import type { ModelRequest } from '../../src/domain/model';
import { TOOL_NAMES } from '../../src/domain/tools';
import { reply, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../config/business.json', import.meta.url), 'utf8')));

const request: ModelRequest = {
  messages: [{ role: 'user', content: 'can I get a haircut on friday?' }],
  tools: TOOL_NAMES,
  context: {
    now: '2025-03-12T14:00:00.000Z',
    zone: 'America/New_York',
    businessZone: 'America/New_York',
    locale: 'en',
    slots: { service: 'haircut' },
    hold: null,
    offered: [],
    bookings: [],
  },
};

/** A mock activity context whose logger stays quiet about the failures these tests provoke on purpose. */
const activityEnvironment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

function activities(timeoutMs = 2_000) {
  return createLlmActivities({ model: createOpenAiModel({ baseURL: fake.baseURL, apiKey: 'sk-test', model: 'fake-model', timeoutMs }), business });
}

/** Runs `complete` in a mock activity context and returns what it threw. */
async function failureOf(scripted: Parameters<FakeOpenAi['script']>[0], timeoutMs?: number): Promise<ApplicationFailure> {
  fake.script(scripted);
  const error = await activityEnvironment().run(activities(timeoutMs).complete, request).then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('llm.complete', () => {
  it('puts the system prompt first, built from the context, and returns the reply with usage', async () => {
    fake.script(reply.toolCall('get_availability', { service: 'haircut', date: '2025-03-14' }, { id: 'call_1', usage: { prompt_tokens: 900, completion_tokens: 20 } }));
    const answer = await activityEnvironment().run(activities().complete, request);
    expect(answer).toEqual({
      text: null,
      toolCalls: [{ id: 'call_1', name: 'get_availability', arguments: '{"service":"haircut","date":"2025-03-14"}' }],
      usage: { promptTokens: 900, completionTokens: 20 },
    });
    const sent = fake.completions()[0]!.body.messages;
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Maple Street Studio') });
    expect(sent[0]).toMatchObject({ content: expect.stringContaining('Now: Wednesday 2025-03-12 10:00 in America/New_York') });
    expect(sent[0]).toMatchObject({ content: expect.stringContaining('Known: service=haircut') });
    expect(sent[1]).toEqual({ role: 'user', content: 'can I get a haircut on friday?' });
  });

  it('keeps a system message the caller already sent', async () => {
    fake.script(reply.text('hello'));
    await activities().complete({ ...request, messages: [{ role: 'system', content: 'custom prompt' }, ...request.messages] });
    const sent = fake.completions()[0]!.body.messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent[0]).toEqual({ role: 'system', content: 'custom prompt' });
  });

  it('works outside an activity context too (scripts, evaluation)', async () => {
    fake.script(reply.text('Friday is open.'));
    expect(await activities().complete(request)).toMatchObject({ text: 'Friday is open.' });
  });

  it('a rejected key is a non-retryable ModelRequestRejected failure that says what to fix', async () => {
    const failure = await failureOf(reply.error(401, { message: 'Incorrect API key provided.' }));
    expect(failure.type).toBe('ModelRequestRejected');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^LLM_API_KEY rejected \(401\).*set a valid key/);
    expect(failure.details).toEqual([{ status: 401 }]);
  });

  it.each([400, 403, 404])('a %i is non-retryable', async (status) => {
    const failure = await failureOf(reply.error(status));
    expect(failure).toMatchObject({ type: 'ModelRequestRejected', nonRetryable: true });
  });

  it("a 429 is a retryable ModelUnavailable failure whose next retry waits as long as the server's Retry-After", async () => {
    const failure = await failureOf(reply.error(429, { retryAfter: 3 }));
    expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false, nextRetryDelay: 3000 });
    expect(failure.details).toEqual([{ status: 429, retryAfterMs: 3000 }]);
  });

  it('a Retry-After beyond the cap is capped', async () => {
    const failure = await failureOf(reply.error(503, { retryAfter: 3600 }));
    expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false, nextRetryDelay: MAX_RETRY_DELAY_MS });
  });

  it('a 500 without Retry-After leaves the delay to the retry policy', async () => {
    const failure = await failureOf(reply.error(500));
    expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false });
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  // The server keeps at most 4 KB of a retrying activity's last failure (2 KB before it warns) and replaces a bigger
  // one with "Failure exceeds size limit.", losing the type and the Retry-After; the whole cause chain with its
  // stacks was over 2 KB from a test's short paths, and over the limit from a worker's.
  it.each([
    ['a 500', reply.error(500, { message: 'x'.repeat(5_000) })],
    ['a 429', reply.error(429, { retryAfter: 3 })],
    ['a timeout', reply.hang()],
  ])('%s fails with a failure small enough for the server to keep, and no cause chain', async (_name, scripted) => {
    const failure = await failureOf(scripted, 200);
    const encoded = temporal.api.failure.v1.Failure.encode(new DefaultFailureConverter().errorToFailure(failure, defaultPayloadConverter)).finish();
    expect(failure.cause).toBeUndefined();
    expect(encoded.length).toBeLessThan(2_048);
  });

  it('a timeout is retryable', async () => {
    const failure = await failureOf(reply.hang(), 200);
    expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false });
    expect(failure.message).toMatch(/did not answer within 200 ms/);
  });

  it('a cancelled activity reports the cancellation, not a model failure', async () => {
    fake.script(reply.hang());
    const env = activityEnvironment();
    const running = env.run(activities(10_000).complete, request);
    await waitFor(() => fake.completions().length === 1);
    env.cancel();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('other errors pass through unchanged (the default retry policy applies)', async () => {
    const bug = new TypeError('boom');
    const failing = createLlmActivities({ model: { complete: () => Promise.reject(bug) }, business });
    await expect(failing.complete(request)).rejects.toBe(bug);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
