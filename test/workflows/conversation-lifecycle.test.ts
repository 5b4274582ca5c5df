import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { createTwilioSender } from '../../src/adapters/twilio/twilio-sender';
import { parseBusiness, type Business } from '../../src/domain/booking/business';
import type { Channel } from '../../src/domain/messaging/channel';
import { conversationWorkflow, type ConversationInput } from '../../workflows/conversation';
import {
  cancelAppointmentSignal,
  postMessageUpdate,
  stateQuery,
  transcriptQuery,
  userMessageSignal,
  type ConversationState,
  type TurnResult,
  type UserMessage,
} from '../../workflows/messages';
import { CalendarPlan } from '../conversations/calendar';
import { familyOf } from '../conversations/families';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';
import { BUSINESS_NUMBER, TWILIO_ENV, soonReminderBusiness } from '../support/twilio-webhook';

/**
 * A conversation is the customer, not one workflow run: it idles out, continues as new, and hears of changes made by
 * staff and by the appointment workflow — and every key, reply and booking stays right across all of it. On the
 * time-skipping server with the offline interpreter, the real ledger and the real Twilio client against a fake
 * Twilio Messages API.
 */

let fake: FakeTwilio;
let h: TimeSkippingHarness | undefined;
beforeAll(async () => {
  fake = await startFakeTwilio({ authToken: TWILIO_ENV.TWILIO_AUTH_TOKEN });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(async () => {
  await h?.teardown();
  h = undefined;
  fake.reset();
});

async function harness(business: Business): Promise<TimeSkippingHarness> {
  const sender = createTwilioSender({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: BUSINESS_NUMBER,
    baseUrl: fake.url,
    logger: pino({ level: 'silent' }),
  });
  h = await startTimeSkipping({ business, model: createOfflineModel(business), sender });
  return h;
}

const ADDRESSES: Record<Channel, string | null> = {
  chat: null,
  sms: '+15551230001',
  whatsapp: 'whatsapp:+15551230002',
  voice: '+15551230003',
};

function customer(channel: Channel, zone: string, extra: Partial<ConversationInput> = {}) {
  const key = randomUUID().replace(/-/g, '');
  const input: ConversationInput = { channel, key, customerKey: `${channel}:${key}`, address: ADDRESSES[channel], zone, ...extra };
  return { input, workflowId: `conversation:${channel}:${key}` };
}

const message = (channel: Channel, text: string, messageId: string = randomUUID()): UserMessage => ({ messageId, text, receivedAt: new Date().toISOString(), channel });

/** Talks to a conversation the way the gateway does: update-with-start semantics (start if not running, then post). */
function talk(t: TimeSkippingHarness, taskQueue: string, c: ReturnType<typeof customer>) {
  const handle = () =>
    t.env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId: c.workflowId, args: [c.input], workflowIdConflictPolicy: 'USE_EXISTING' });
  return {
    handle,
    async say(text: string, messageId?: string): Promise<TurnResult> {
      return (await handle()).executeUpdate(postMessageUpdate, { args: [message(c.input.channel, text, messageId)] });
    },
    state: async (): Promise<ConversationState> => t.env.client.workflow.getHandle(c.workflowId).query(stateQuery),
    transcript: async () => t.env.client.workflow.getHandle(c.workflowId).query(transcriptQuery),
  };
}

const families = (turn: TurnResult) => turn.replies.map((r) => familyOf(r.text));

/** Polls a query until `ok` holds: visibility of a signal's effect, not a wall-clock guess. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (ok(value)) return value;
    if (i > 2_000) throw new Error(`gave up waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a conversation across runs: the same customer books, moves, cancels and books again', () => {
  const gaps = ['idles out', 'continues as new'] as const;
  for (const gap of gaps) {
    for (const channel of ['chat', 'sms', 'whatsapp', 'voice'] as const) {
      it(`${channel}, ${gap} mid-way: every reply sent once, every ledger write done`, async () => {
        const business = demoBusiness();
        const t = await harness(business);
        const plan = new CalendarPlan(business);
        const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
        const to = plan.uniqueDay('haircut', { times: ['14:00'], after: from.date });
        const again = plan.uniqueDay('haircut', { provider: 'alex', times: ['11:00'], after: to.date });
        // Continue-as-new after the first two turns, the way a long conversation switches runs.
        const c = customer(channel, business.timezone, gap === 'continues as new' ? { turnsPerRun: 2 } : {});
        const firstMessageId = randomUUID();

        await t.withWorker(async (taskQueue) => {
          const chat = talk(t, taskQueue, c);
          const firstRun = (await (await chat.handle()).describe()).runId;
          expect(families(await chat.say(`haircut with Alex on ${from.en} at 10am`, firstMessageId))).toContain('held');
          const booked = await chat.say('yes');
          expect(families(booked)).toContain('booked');

          if (gap === 'idles out') {
            // A day of silence: the run completes on its idle timer, leaving what it knew in the ledger.
            await t.sleep('25 hours');
            // Polled, not awaited with result(): waiting on a result lets the test server skip on to the next timer.
            const ended = await until(() => t.env.client.workflow.getHandle(c.workflowId, firstRun).describe(), (d) => d.status.name === 'COMPLETED', 'the idle end');
            expect(ended.status.name).toBe('COMPLETED');
            expect(await t.ledger.loadConversationMemory(c.workflowId)).toMatchObject({ turn: 2 });
          } else {
            await until(async () => (await t.env.client.workflow.getHandle(c.workflowId).describe()).runId, (id) => id !== firstRun, 'the new run');
          }

          // The customer writes again, to a new run that knows the booking and the conversation so far.
          // A move is read back with the new time held, and made on the customer's yes.
          const readBack = await chat.say(`can you move it to ${to.en} at 2pm?`);
          expect(families(readBack), JSON.stringify(readBack.replies)).toContain('move_read_back');
          const moved = await chat.say('yes');
          expect(families(moved), JSON.stringify(moved.replies)).toContain('moved');
          expect((await (await chat.handle()).describe()).runId).not.toBe(firstRun);
          // A webhook repeated across the gap is still a repeat.
          if (channel === 'sms' || channel === 'whatsapp') {
            await (await chat.handle()).signal(userMessageSignal, message(channel, `haircut with Alex on ${from.en} at 10am`, firstMessageId));
          }
          expect(families(await chat.say('Actually I need to cancel my appointment'))).toContain('cancel_read_back');
          const cancelled = await chat.say('yes');
          expect(families(cancelled), JSON.stringify(cancelled.replies)).toContain('cancelled');
          expect(cancelled.state.bookings.filter((b) => b.status === 'confirmed')).toEqual([]);
          expect(families(await chat.say(`haircut with Alex on ${again.en} at 11am`))).toContain('held');
          const rebooked = await chat.say('yes');
          expect(families(rebooked), JSON.stringify(rebooked.replies)).toContain('booked');

          const transcript = await chat.transcript();
          const customerLines = transcript.filter((l) => l.role === 'customer').map((l) => l.text);
          expect(customerLines).toEqual([
            `haircut with Alex on ${from.en} at 10am`,
            'yes',
            `can you move it to ${to.en} at 2pm?`,
            'yes',
            'Actually I need to cancel my appointment',
            'yes',
            `haircut with Alex on ${again.en} at 11am`,
            'yes',
          ]);
          // Sequence numbers carry on across runs: one transcript for the customer's whole life.
          expect(transcript.map((l) => l.seq)).toEqual([...transcript.keys()].map((i) => i + 1));

          // Every ledger write went through: moved (cancelled), the moved one cancelled, the new one confirmed.
          const rows = await t.ledger.listCustomerBookings(c.input.customerKey);
          expect(rows.filter((r) => r.status !== 'released').map((r) => ({ status: r.status, ...plan.local(r.start) }))).toEqual([
            { status: 'cancelled', date: from.date, time: '10:00' },
            { status: 'cancelled', date: to.date, time: '14:00' },
            { status: 'confirmed', date: again.date, time: '11:00' },
          ]);

          // SMS and WhatsApp replies are pushed: each reached Twilio exactly once (requests counted), none taken for
          // already sent.
          if (channel === 'sms' || channel === 'whatsapp') {
            const assistant = transcript.filter((l) => l.role === 'assistant').map((l) => l.text);
            const requests = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && r.form.To === c.input.address);
            expect(requests.map((r) => r.form.Body)).toEqual(assistant);
            expect(assistant.length).toBeGreaterThanOrEqual(6);
          }
        });
      });
    }
  }
});

describe('continue-as-new mid-conversation', () => {
  it('carries a hold across the switch; messages arriving during it are all answered; the new run confirms the carried hold', async () => {
    const business = demoBusiness();
    const t = await harness(business);
    const plan = new CalendarPlan(business);
    const day = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const c = customer('sms', business.timezone, { turnsPerRun: 2 });

    await t.withWorker(async (taskQueue) => {
      const chat = talk(t, taskQueue, c);
      const runIdBefore = (await (await chat.handle()).describe()).runId;
      await chat.say('hi');
      const held = await chat.say(`haircut with Alex on ${day.en} at 10am`);
      expect(held.state.hold).not.toBeNull();
      // Two turns: the run continues as new with the hold open. Messages sent now land on either side of the switch.
      const handle = t.env.client.workflow.getHandle(c.workflowId);
      await handle.signal(userMessageSignal, message('sms', 'what are your opening hours?'));
      await handle.signal(userMessageSignal, message('sms', 'is it still on hold?'));
      const after = await until(chat.state, (s) => s.hold !== null, 'the hold in the new run');
      expect(after.hold?.bookingId).toBe(held.state.hold!.bookingId);
      const confirmed = await chat.say('yes');
      expect(families(confirmed), JSON.stringify(confirmed.replies)).toContain('booked');
      expect((await t.ledger.getBooking(held.state.hold!.bookingId))?.status).toBe('confirmed');

      const description = await handle.describe();
      expect(description.runId).not.toBe(runIdBefore);
      const transcript = await chat.transcript();
      const customerLines = transcript.filter((l) => l.role === 'customer').map((l) => l.text);
      expect(customerLines).toEqual(['hi', `haircut with Alex on ${day.en} at 10am`, 'what are your opening hours?', 'is it still on hold?', 'yes']);
      // Every customer message got an answer, and every answer reached Twilio once.
      const assistant = transcript.filter((l) => l.role === 'assistant').map((l) => l.text);
      expect(fake.messages.filter((m) => m.to === c.input.address).map((m) => m.body)).toEqual(assistant);
      expect(assistant.length).toBeGreaterThanOrEqual(customerLines.length);
    });
  });

  it('a hold carried across the switch still expires at the ledger’s expiresAt, in the new run', async () => {
    const business = demoBusiness();
    const t = await harness(business);
    const plan = new CalendarPlan(business);
    const day = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const c = customer('chat', business.timezone, { turnsPerRun: 1 });

    await t.withWorker(async (taskQueue) => {
      const chat = talk(t, taskQueue, c);
      const runIdBefore = (await (await chat.handle()).describe()).runId;
      const held = await chat.say(`haircut with Alex on ${day.en} at 10am`);
      const hold = held.state.hold!;
      expect(hold).not.toBeNull();
      await until(async () => (await t.env.client.workflow.getHandle(c.workflowId).describe()).runId, (id) => id !== runIdBefore, 'the new run');
      await t.sleep(Date.parse(hold.expiresAt) - (await t.env.currentTimeMs()) + 1_000);
      const state = await until(chat.state, (s) => s.hold === null, 'the hold to expire');
      expect(state.hold).toBeNull();
      expect((await t.ledger.getBooking(hold.bookingId))?.status).toBe('released');
      expect((await chat.transcript()).at(-1)?.text).toMatch(/hold ran out/);
    });
  });
});

describe('the conversation hears of changes made outside it', () => {
  it('a booking cancelled by staff, and one marked no-show by the appointment workflow, show in state at once', async () => {
    const soon = soonReminderBusiness(60 * 60_000);
    const business = parseBusiness(JSON.parse(fs.readFileSync(soon.file, 'utf8')));
    const t = await harness(business);
    const c = customer('sms', 'UTC');

    await t.withWorker(async (taskQueue) => {
      const chat = talk(t, taskQueue, c);
      expect((await chat.say(soon.ask('Alex'))).state.hold).not.toBeNull();
      const first = (await chat.say('yes')).state.bookings[0]!;
      expect(first.status).toBe('confirmed');

      // Staff cancel it (operator API / Web UI signal): the appointment workflow cancels it in the ledger, tells the
      // customer, and the open conversation's state shows it without the customer saying anything.
      await t.env.client.workflow.getHandle(`appointment:${first.id}`).signal(cancelAppointmentSignal, { by: 'staff', operator: 'Dana' });
      const afterCancel = await until(chat.state, (s) => s.bookings.find((b) => b.id === first.id)?.status === 'cancelled', 'the staff cancellation in state');
      expect(afterCancel.status).toBe('open');
      expect((await t.ledger.getBooking(first.id))?.status).toBe('cancelled');
      await until(async () => fake.messages.filter((m) => m.to === c.input.address && /had to cancel/.test(m.body)).length, (n) => n === 1, 'the cancellation text');

      // Book again, then let the appointment pass with nobody marking attendance: the no-show shows in state.
      expect((await chat.say(soon.ask('Sam'))).state.hold).not.toBeNull();
      const second = (await chat.say('yes')).state.bookings.find((b) => b.status === 'confirmed')!;
      await t.sleep(Date.parse(second.end) - (await t.env.currentTimeMs()) + (business.policies.noShowGraceMinutes + 1) * 60_000);
      const afterNoShow = await until(chat.state, (s) => s.bookings.find((b) => b.id === second.id)?.status === 'no_show', 'the no-show in state');
      expect(afterNoShow.bookings.find((b) => b.id === first.id)?.status).toBe('cancelled');
    });
  });

  it('the customer answers the no-show follow-up with a number and gets a new booking in the same conversation', async () => {
    const soon = soonReminderBusiness(60 * 60_000);
    const business = parseBusiness(JSON.parse(fs.readFileSync(soon.file, 'utf8')));
    const t = await harness(business);
    const c = customer('chat', 'UTC');

    await t.withWorker(async (taskQueue) => {
      const chat = talk(t, taskQueue, c);
      expect((await chat.say(soon.ask('Alex'))).state.hold).not.toBeNull();
      const missed = (await chat.say('yes')).state.bookings[0]!;
      await t.sleep(Date.parse(missed.end) - (await t.env.currentTimeMs()) + (business.policies.noShowGraceMinutes + 1) * 60_000);
      const followUp = await until(
        async () => (await t.outbox.listByScope(`appointment:${missed.id}`)).find((r) => r.purpose.startsWith('no-show-follow-up')),
        (row) => row !== undefined,
        'the no-show follow-up',
      );
      // Concrete times, not a bare question.
      expect(followUp!.body).toMatch(/\n\S+ \d{1,2} \S+: 1\. [^\n]+2\. [\s\S]+3\. /);

      const picked = await chat.say('2');
      expect(families(picked), JSON.stringify(picked.replies)).toContain('held');
      const booked = await chat.say('yes');
      expect(families(booked)).toContain('booked');
      const statuses = booked.state.bookings.map((b) => b.status).sort();
      expect(statuses).toEqual(['confirmed', 'no_show']);
      // The follow-up is part of the transcript, just before the customer's answer.
      const transcript = await chat.transcript();
      const i = transcript.findIndex((l) => l.role === 'customer' && l.text === '2');
      expect(transcript[i - 1]?.text).toBe(followUp!.body);
    });
  });
});
