import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { createOpenAiModel, ModelUnavailable } from '../../src/adapters/openai-model';
import { buildSystemPrompt } from '../../src/domain/agent/system-prompt';
import { parseBusiness } from '../../src/domain/booking/business';
import type { ModelRequest, TurnContext } from '../../src/domain/model';
import { TOOL_NAMES } from '../../src/domain/tools';
import { judgeTurns, type SessionView } from '../../src/cli/chaos/audit';
import { linesByTurn, type SessionRecord, type TurnRecord } from '../../src/cli/chaos/customer';
import type { PlannedSlot } from '../../src/cli/chaos/slots';
import { startFlakyModel, type FlakyModel } from '../../src/cli/chaos/flaky-model';
import { checkPromptRoundTrip, contextFromPrompt } from '../../src/cli/chaos/prompt-context';
import { planSlots } from '../../src/cli/chaos/slots';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../config/business.json', import.meta.url), 'utf8')));

const context: TurnContext = {
  now: '2026-11-29T15:07:00.000Z',
  zone: 'America/New_York',
  businessZone: business.timezone,
  locale: 'en',
  slots: { service: 'haircut', provider: 'alex' },
  hold: null,
  offered: [],
  bookings: [],
};

/** A request as the llm activity sends it: the system prompt first, built from the context. */
const request = (text: string, ctx: TurnContext = context): ModelRequest => ({
  messages: [
    { role: 'system', content: buildSystemPrompt(ctx, business) },
    { role: 'user', content: text },
  ],
  tools: TOOL_NAMES,
  context: ctx,
});

describe('the chaos model', () => {
  let server: FlakyModel | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the context back from the system prompt', () => {
    expect(() => checkPromptRoundTrip(business)).not.toThrow();
    const hold = { bookingId: 'bk_1', service: 'haircut', provider: 'alex', start: '2026-12-15T14:40:00.000Z', end: '2026-12-15T15:10:00.000Z', expiresAt: '2026-11-29T15:08:30.000Z' };
    const read = contextFromPrompt(buildSystemPrompt({ ...context, hold }, business), business);
    expect(read).toMatchObject({ now: context.now, zone: context.zone, locale: 'en', slots: context.slots, offered: [], bookings: [] });
    expect(read.hold).toEqual(hold);
  });

  it('answers over HTTP as the offline interpreter would, through the real OpenAI adapter', async () => {
    server = await startFlakyModel({ business, failureRate: 0, retryAfterSeconds: 1, random: Math.random });
    const model = createOpenAiModel({ baseURL: server.baseURL, apiKey: 'chaos', model: 'chaos-model' });
    const text = "I'd like a haircut with Alex on Tuesday, December 15 at 9:40am";
    const reply = await model.complete(request(text));
    const offline = await createOfflineModel(business).complete(request(text));
    expect(reply.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual(offline.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]));
    expect(reply.toolCalls[0]).toMatchObject({ name: 'get_availability' });
    expect(JSON.parse(reply.toolCalls[0]!.arguments)).toMatchObject({ service: 'haircut', provider: 'alex', date: '2026-12-15', time: '09:40' });
    expect(server.stats).toMatchObject({ calls: 1, answered: 1, unreadable: 0 });
  });

  it('confirms the hold the prompt names when the customer says yes', async () => {
    server = await startFlakyModel({ business, failureRate: 0, retryAfterSeconds: 1, random: Math.random });
    const model = createOpenAiModel({ baseURL: server.baseURL, apiKey: 'chaos', model: 'chaos-model' });
    const hold = { bookingId: 'bk_held', service: 'haircut', provider: 'alex', start: '2026-12-15T14:40:00.000Z', end: '2026-12-15T15:10:00.000Z', expiresAt: '2026-11-29T15:08:30.000Z' };
    const reply = await model.complete(request('yes', { ...context, hold }));
    expect(reply.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([['confirm_booking', { bookingId: 'bk_held' }]]);
  });

  it('fails the calls it is told to, as 500 or 429 with Retry-After', async () => {
    server = await startFlakyModel({ business, failureRate: 1, retryAfterSeconds: 1, random: Math.random });
    const model = createOpenAiModel({ baseURL: server.baseURL, apiKey: 'chaos', model: 'chaos-model' });
    for (let i = 0; i < 6; i++) await expect(model.complete(request('hello'))).rejects.toBeInstanceOf(ModelUnavailable);
    expect(server.stats.failed500 + server.stats.failed429).toBe(6);
    expect(server.stats.answered).toBe(0);
  });
});

describe('chaos customers', () => {
  it('ask for distinct slots 2–4 weeks ahead within the provider’s hours', () => {
    const now = DateTime.fromISO('2026-11-29T10:00', { zone: business.timezone });
    const slots = planSlots(business, { serviceId: 'haircut', providerId: 'alex', now });
    expect(new Set(slots.map((s) => s.start)).size).toBe(slots.length);
    const starts = slots.map((s) => Date.parse(s.start)).sort((a, b) => a - b);
    // back to back at least a haircut plus its buffer apart: no two requests can compete
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(40 * 60_000);
    for (const s of slots) {
      const day = DateTime.fromISO(s.start).setZone(business.timezone);
      expect(day.diff(now.startOf('day'), 'days').days).toBeGreaterThanOrEqual(14);
      expect(day.diff(now.startOf('day'), 'days').days).toBeLessThan(29);
      expect(day.weekday).not.toBe(7); // Alex does not work on Sundays
    }
    expect(slots[0]!.request).toMatch(/^I'd like a haircut with Alex on \w+, \w+ \d+ at \d+:\d\d[ap]m$/);
  });

  it('attribute transcript lines to the message they answer', () => {
    const turns = [{ text: 'a haircut' }, { text: 'yes' }, { text: 'yes' }];
    const line = (role: 'customer' | 'assistant', text: string) => ({ role, text, at: '' });
    const byTurn = linesByTurn(
      [line('assistant', 'hello'), line('customer', 'a haircut'), line('assistant', 'held'), line('assistant', 'held'), line('customer', 'yes'), line('customer', 'yes'), line('assistant', 'booked')],
      turns,
    );
    expect(byTurn).toEqual([
      { customerLines: 1, assistant: ['held', 'held'] },
      { customerLines: 1, assistant: [] },
      { customerLines: 1, assistant: ['booked'] },
    ]);
  });

  it('count "still working" as first words but never as the answer: a turn that got only that was lost', () => {
    const ack = 'One moment — still working on that for you.';
    const isAcknowledgement = (text: string) => text === ack;
    const slot = { start: '2026-12-10T15:00:00.000Z', request: 'a haircut' } as PlannedSlot;
    const turn = (text: string, timing: Partial<TurnRecord>): TurnRecord => ({ text, clientMessageId: text, sentAt: 0, answers: {}, ...timing });
    const session: SessionRecord = {
      customer: 0,
      sessionId: 's',
      slot,
      outcome: 'unfinished',
      turns: [turn('a haircut', { firstWordsMs: 8_000, firstAnswerMs: 14_000 }), turn('yes', {})],
    };
    const line = (role: 'customer' | 'assistant', text: string) => ({ role, text, at: '' });
    const view = { transcript: [line('customer', 'a haircut'), line('assistant', ack), line('assistant', 'held'), line('customer', 'yes'), line('assistant', ack)], state: undefined } as unknown as SessionView;
    const verdicts = judgeTurns([session], new Map([[session, view]]), 60_000, isAcknowledgement);
    expect(verdicts.map((v) => v.lost)).toEqual([false, true]);
    expect(session.turns[1]!.firstWordsMs).toBe(60_000);
    expect(session.turns[1]!.firstAnswerMs).toBeUndefined();
  });
});
