import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatSessionKey } from '../../src/adapters/addressing';
import type { Booking } from '../../src/domain/booking/types';
import * as templates from '../../src/domain/language/templates';
import type { ToolResult } from '../../src/domain/tools';
import { CalendarPlan } from '../conversations/calendar';
import { ChatClient } from '../conversations/chat-client';
import { reply, startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../support/fake-openai';
import { startSystem, type TestSystem } from '../support/system';

/**
 * On the model path dates are resolved by our code, never by the model: the real conversation workflow and the real
 * `openai` client against a scripted OpenAI-compatible server. The model reads our code's reading of the customer's
 * words in its system prompt; a date it worked out itself is refused with the dates it may use, and its next call,
 * with the code's date, is the one the customer's answer comes from.
 */
let fake: FakeOpenAi;
let system: TestSystem;
let plan: CalendarPlan;
let client: ChatClient;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'test-key' });
  system = await startSystem({ LLM_MODEL: 'fake-model', LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'test-key' });
  plan = new CalendarPlan(system.config.business);
  client = new ChatClient(system.app, '192.0.2.12');
});
afterAll(async () => {
  await system?.stop();
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  fake.setFallback(reply.text('ok'));
});

type WireMessage = { role: string; content?: unknown };
const messagesOf = (request: RecordedRequest) => request.body.messages as unknown as WireMessage[];
const systemPrompt = (request: RecordedRequest) => String(messagesOf(request)[0]?.content ?? '');
/** The tool result the model reads next (the last message of its request). */
function lastToolResult(request: RecordedRequest): Record<string, unknown> {
  const last = messagesOf(request).at(-1)!;
  expect(last.role).toBe('tool');
  return JSON.parse(String(last.content)) as Record<string, unknown>;
}
/** A model that copies the first allowed date from the guard's refusal into its next call. */
const retryWithAllowedDate = (args: Record<string, unknown>) => (request: RecordedRequest) => {
  const refusal = lastToolResult(request) as { details?: { allowedDates?: string[] } };
  return reply.toolCall('get_availability', { ...args, date: refusal.details?.allowedDates?.[0] ?? 'none' });
};

const zone = () => system.config.business.timezone;
const render = (locale: 'en' | 'es' = 'en') => ({ locale, zone: zone(), business: system.config.business });
const dayLabel = (date: string) => DateTime.fromISO(date, { zone: zone() }).setLocale('en').toFormat('ccc d LLL');
const plusDays = (date: string, n: number) => DateTime.fromISO(date, { zone: zone() }).plus({ days: n }).toISODate()!;

async function openSession(): Promise<{ id: string; customerKey: string }> {
  const id = await client.open();
  return { id, customerKey: `chat:${chatSessionKey(system.keySecret, id)}` };
}

/** A confirmed booking of this customer, written straight into the ledger before the conversation starts. */
async function seedBooking(customerKey: string, date: string, time: string): Promise<Booking> {
  const key = randomUUID();
  const start = plan.instant(date, time);
  const held = await system.infra.ledger.hold({
    customerKey,
    serviceId: 'haircut',
    providerId: 'alex',
    start,
    end: DateTime.fromISO(start).plus({ minutes: 30 }).toUTC().toISO()!,
    bufferMinutes: 10,
    expiresAt: DateTime.now().plus({ minutes: 10 }).toUTC().toISO()!,
    idempotencyKey: `${key}:hold`,
  });
  if (!held.ok) throw new Error(`seed refused: ${held.rejection.code}`);
  const confirmed = await system.infra.ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `${key}:confirm` });
  if (!confirmed.ok) throw new Error('seed confirm refused');
  return confirmed.value;
}

describe('model path: dates come from our code', () => {
  it('"next Friday": the model’s wrong Friday is refused, its second call carries the code’s date, the customer sees that day', async () => {
    const s = await openSession();
    const friday = plan.nextWeekday('fri').date;
    const wrong = plusDays(friday, 7);
    fake.script(
      reply.toolCall('get_availability', { service: 'haircut', date: wrong, time: '10:00' }),
      retryWithAllowedDate({ service: 'haircut', time: '10:00' }),
      reply.text('Does one of those suit you?'),
    );
    const turn = await client.say(s.id, 'Can I get a haircut next Friday at 10am?');

    const calls = fake.completions();
    expect(calls).toHaveLength(3);
    // The model was given our code's reading, and no list of days to count through.
    expect(systemPrompt(calls[0]!)).toContain(`"Can I get a haircut next Friday at 10am?" (this message): Fri ${friday}; time 10:00`);
    expect(systemPrompt(calls[0]!)).not.toContain('Next days');
    const refusal = lastToolResult(calls[1]!);
    expect(refusal).toMatchObject({ ok: false, error: 'date_not_resolved', details: { allowedDates: [friday] } });
    expect(refusal.message).toContain(`date ${wrong}`);
    const answer = lastToolResult(calls[2]!) as ToolResult<'get_availability'>;
    expect(answer).toMatchObject({ ok: true, requested: { date: friday, time: '10:00' } });
    // The customer reads the answer for the code's Friday, and nothing about the model's.
    expect(turn.replies).toEqual([templates.renderToolResult('get_availability', answer, render()), 'Does one of those suit you?']);
    expect(turn.replies[0]).toContain(dayLabel(friday));
    expect(turn.replies.join('\n')).not.toContain(dayLabel(wrong));
    expect(turn.state.slots).toMatchObject({ service: 'haircut', date: friday });
  });

  it('a date the customer never said is refused; nothing runs and the model asks instead', async () => {
    const s = await openSession();
    const invented = plan.plusDays(5).date;
    fake.script(reply.toolCall('get_availability', { service: 'haircut', date: invented }), reply.text('Which day would you like?'));
    const turn = await client.say(s.id, "I'd like a haircut please");

    const calls = fake.completions();
    expect(calls).toHaveLength(2);
    expect(systemPrompt(calls[0]!)).toContain('- none: the customer has named no day yet');
    expect(lastToolResult(calls[1]!)).toMatchObject({ ok: false, error: 'date_not_resolved', details: { allowedDates: [] } });
    expect(turn.replies).toEqual(['Which day would you like?']);
    expect(turn.state.slots.date).toBeUndefined();
  });

  it('the day of a booking on record is allowed (moving it later that day)', async () => {
    const s = await openSession();
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00', '15:00'] });
    const booking = await seedBooking(s.customerKey, d.date, '10:00');
    fake.script(reply.toolCall('get_availability', { service: 'haircut', date: d.date, time: '15:00', forBooking: booking.id }), reply.text('Would one of those work?'));
    const turn = await client.say(s.id, 'Could I move my haircut to 3pm the same day?');

    const calls = fake.completions();
    expect(calls).toHaveLength(2);
    expect(lastToolResult(calls[1]!)).toMatchObject({ ok: true, requested: { date: d.date, time: '15:00' } });
    expect(turn.replies[0]).toContain(dayLabel(d.date));
  });

  it('the day of an offered slot is allowed, though the customer never named it', async () => {
    const s = await openSession();
    fake.script(reply.toolCall('get_availability', { service: 'haircut' }), reply.text('Here are the first free times.'));
    await client.say(s.id, 'a haircut, whenever is soonest');
    const first = lastToolResult(fake.completions()[1]!) as Extract<ToolResult<'get_availability'>, { ok: true }>;
    const offered = first.exact ?? first.alternatives[0];
    expect(offered).toBeDefined();
    const offeredDay = DateTime.fromISO(offered!.start, { zone: zone() }).toISODate()!;

    fake.reset();
    fake.script(reply.toolCall('get_availability', { service: 'haircut', date: offeredDay, window: { start: '12:00', end: '18:00' } }), reply.text('Any of these?'));
    await client.say(s.id, 'anything later that day?');
    expect(lastToolResult(fake.completions()[1]!)).toMatchObject({ ok: true, requested: { date: offeredDay } });
  });

  it('Spanish: "el próximo viernes" with the wrong date is refused and the code’s Friday is used', async () => {
    const s = await openSession();
    const friday = plan.bareWeekday('fri').date;
    const wrong = plusDays(friday, 7);
    fake.script(
      reply.toolCall('get_availability', { service: 'haircut', date: wrong, time: '10:00' }),
      retryWithAllowedDate({ service: 'haircut', time: '10:00' }),
      reply.text('¿Te va bien alguna?'),
    );
    const turn = await client.say(s.id, 'Quiero un corte de pelo el próximo viernes a las 10');

    const calls = fake.completions();
    expect(calls).toHaveLength(3);
    expect(systemPrompt(calls[0]!)).toContain(`(this message): Fri ${friday}; time 10:00`);
    expect(lastToolResult(calls[1]!)).toMatchObject({ ok: false, error: 'date_not_resolved', details: { allowedDates: [friday] } });
    const answer = lastToolResult(calls[2]!) as ToolResult<'get_availability'>;
    expect(answer).toMatchObject({ ok: true, requested: { date: friday } });
    expect(turn.replies).toEqual([templates.renderToolResult('get_availability', answer, render('es')), '¿Te va bien alguna?']);
  });

  it('a date said two messages earlier still counts: "next Friday", then the service on its own', async () => {
    const s = await openSession();
    const friday = plan.nextWeekday('fri').date;
    fake.script(reply.text('Which service would you like?'));
    await client.say(s.id, 'Do you have anything next Friday?');
    fake.reset();
    fake.script(reply.toolCall('get_availability', { service: 'haircut', date: friday }), reply.text('Any of these?'));
    await client.say(s.id, 'A haircut');
    expect(lastToolResult(fake.completions()[1]!)).toMatchObject({ ok: true, requested: { date: friday } });
  });
});
