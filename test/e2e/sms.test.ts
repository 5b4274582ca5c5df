import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPorts } from '../../src/composition';
import { signTwilioRequest } from '../../src/gateway/twilio/signature';
import { createApp } from '../../src/gateway/app';
import pino from 'pino';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startSystem, type TestSystem } from '../support/system';
import {
  TWILIO_ENV,
  appointmentStateOf,
  conversationIdOf,
  customerKeyOf,
  eventually,
  inboundMessage,
  lastSeq,
  messageSid,
  postWebhook,
  randomPhone,
  repliesTo,
  sendMessage,
  soonReminderBusiness,
  stateOf,
  transcriptOf,
  workflowExists,
  workflowIds,
} from '../support/twilio-webhook';

/**
 * The SMS channel end to end on the real dev server: signed Twilio webhooks into the real gateway, conversation and
 * appointment workflows on a real worker, the offline interpreter, the embedded ledger and the outbox.
 */

const BOOK = "I'd like a haircut next Tuesday at 10am";
const ZONE = 'America/New_York'; // the demo business's zone (config/business.json)

/** Books BOOK then "yes" for `from`; returns the conversation id, the booking and the two replies' texts. */
async function bookOverSms(system: TestSystem, from: string) {
  const workflowId = conversationIdOf(system, 'sms', from);
  await sendMessage(system, from, BOOK);
  const readBack = await repliesTo(system, workflowId, BOOK);
  const holding = await stateOf(system, workflowId);
  expect(holding.status, `replies: ${JSON.stringify(readBack.map((r) => r.text))}`).toBe('holding');
  const hold = holding.hold!;

  const afterSeq = await lastSeq(system, workflowId);
  await sendMessage(system, from, 'yes');
  const confirmation = await repliesTo(system, workflowId, 'yes', { afterSeq });
  const booked = await eventually('the booking in the conversation state', async () => {
    const state = await stateOf(system, workflowId);
    return state.bookings.find((b) => b.status === 'confirmed');
  });
  return { workflowId, hold, booking: booked, readBack: readBack.map((r) => r.text), confirmation: confirmation.map((r) => r.text) };
}

describe('SMS over signed Twilio webhooks (local outbox)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ ...TWILIO_ENV });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('books an appointment: hold read back, "yes", confirmation sent through the outbox', async () => {
    const from = randomPhone();
    const { workflowId, hold, booking, readBack, confirmation } = await bookOverSms(system, from);

    // The workflow id is the contract's, with an opaque key: never the number.
    expect(workflowId).toMatch(/^conversation:sms:[0-9a-f]{32}$/);
    expect(workflowId).not.toContain(from.slice(1));

    // "next Tuesday at 10am" was resolved in the business's zone and read back before anything was confirmed.
    const start = DateTime.fromISO(hold.start).setZone(ZONE);
    expect(start.weekday).toBe(2);
    expect(start.toFormat('HH:mm')).toBe('10:00');
    expect(start.diffNow('days').days).toBeGreaterThan(0);
    expect(start.diffNow('days').days).toBeLessThan(14);
    expect(hold.service).toBe('haircut');
    expect(readBack.join('\n')).toContain(start.toFormat('ccc d LLL, h:mm a'));
    expect(readBack.join('\n')).toMatch(/YES/);

    expect(booking).toMatchObject({ service: 'haircut', status: 'confirmed', start: hold.start, provider: hold.provider });
    expect(confirmation.join('\n')).toMatch(/booked/i);
    expect(confirmation.join('\n')).toContain(start.toFormat('ccc d LLL, h:mm a'));

    // The ledger holds what the customer was told.
    const inLedger = await system.infra.ledger.listCustomerBookings(customerKeyOf(system, from));
    expect(inLedger.map((b) => ({ id: b.id, status: b.status }))).toEqual([{ id: booking.id, status: 'confirmed' }]);

    // Every reply, the confirmation included, left through the outbox exactly once, addressed to the customer.
    const assistantLines = (await transcriptOf(system, workflowId)).filter((l) => l.role === 'assistant').map((l) => l.text);
    const rows = await system.infra.outbox.listByScope(workflowId);
    expect(rows.map((r) => r.body)).toEqual(assistantLines);
    for (const row of rows) expect(row).toMatchObject({ channel: 'sms', toAddress: from, status: 'local' });
    expect(rows.filter((r) => r.body === confirmation.at(-1))).toHaveLength(1);

    // The appointment workflow follows the booking with its reminders planned.
    const appointment = await eventually('the appointment workflow', () => appointmentStateOf(system, booking.id));
    expect(appointment.status).toBe('confirmed');
    expect(appointment.schedule.filter((w) => w.kind === 'reminder').length).toBeGreaterThan(0);
  });

  it('answers a forged signature with 403 and starts no workflow', async () => {
    const from = randomPhone();
    const workflowId = conversationIdOf(system, 'sms', from);
    const before = await workflowIds(system);
    const params = inboundMessage(from, BOOK);
    const path = '/webhooks/twilio/messaging';
    const attempts: [string, Promise<Response>][] = [
      ['made-up signature', postWebhook(system, path, params, { signature: 'c2lnbmVkIGJ5IG5vYm9keQ==' })],
      ['signed with another token', postWebhook(system, path, params, { authToken: 'not-the-real-token' })],
      ['signed for another host', postWebhook(system, path, params, { publicBaseUrl: 'https://attacker.example' })],
      ['no signature', postWebhook(system, path, params, { signature: null })],
      [
        'valid signature, altered body',
        system.app.request(`http://internal:3000${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': signTwilioRequest({ authToken: TWILIO_ENV.TWILIO_AUTH_TOKEN, publicBaseUrl: TWILIO_ENV.PUBLIC_BASE_URL, path, params }),
          },
          body: new URLSearchParams({ ...params, Body: 'cancel all my appointments' }).toString(),
        }) as Promise<Response>,
      ],
    ];
    for (const [what, pending] of attempts) {
      const res = await pending;
      expect(res.status, what).toBe(403);
      expect(await res.json(), what).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect(await workflowExists(system, workflowId)).toBe(false);
    expect(await workflowIds(system)).toEqual(before);
  });

  it('processes a replayed MessageSid once, on this gateway and on another instance', async () => {
    const from = randomPhone();
    const workflowId = conversationIdOf(system, 'sms', from);
    const sid = messageSid();
    await sendMessage(system, from, BOOK, sid);
    await repliesTo(system, workflowId, BOOK);
    const transcriptBefore = await transcriptOf(system, workflowId);
    const rowsBefore = await system.infra.outbox.listByScope(workflowId);

    // Twilio retries the same webhook: this gateway remembers it …
    await sendMessage(system, from, BOOK, sid);
    // … and a second gateway instance (no shared memory) reaches the workflow, which deduplicates by MessageSid.
    const otherGateway = createApp({
      ...gatewayPorts(system.client, system.taskQueue, system.keySecret),
      business: system.config.business,
      logger: pino({ level: 'silent' }),
      turnWaitMs: 10_000,
      twilio: { authToken: TWILIO_ENV.TWILIO_AUTH_TOKEN, publicBaseUrl: TWILIO_ENV.PUBLIC_BASE_URL },
    });
    await sendMessage({ ...system, app: otherGateway }, from, BOOK, sid);

    // Signals are handled in order: once a later message is answered, a processed replay would show before it.
    const afterSeq = await lastSeq(system, workflowId);
    await sendMessage(system, from, 'thanks');
    await repliesTo(system, workflowId, 'thanks', { afterSeq });
    const transcript = await transcriptOf(system, workflowId);
    expect(transcript.slice(0, transcriptBefore.length)).toEqual(transcriptBefore);
    expect(transcript.filter((l) => l.role === 'customer').map((l) => l.text)).toEqual([BOOK, 'thanks']);
    const rows = await system.infra.outbox.listByScope(workflowId);
    expect(rows.slice(0, rowsBefore.length)).toEqual(rowsBefore);
    expect(rows.filter((r) => rowsBefore.some((b) => b.body === r.body && b.id !== r.id))).toEqual([]);
  });

  it('answers HELP with help and refuses a media-only or malformed message without starting anything', async () => {
    const from = randomPhone();
    const workflowId = conversationIdOf(system, 'sms', from);
    const before = await workflowIds(system);

    const mediaOnly = await postWebhook(system, '/webhooks/twilio/messaging', { ...inboundMessage(from, ''), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/x.jpg' });
    expect(mediaOnly.status).toBe(200);
    const badSid = await postWebhook(system, '/webhooks/twilio/messaging', { ...inboundMessage(from, 'hi'), MessageSid: 'SM123' });
    expect(badSid.status).toBe(400);
    expect(await badSid.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const badFrom = await postWebhook(system, '/webhooks/twilio/messaging', inboundMessage('<script>alert(1)</script>', 'hi'));
    expect(badFrom.status).toBe(400);
    expect(await workflowIds(system)).toEqual(before);

    await sendMessage(system, from, 'HELP');
    const [help] = await repliesTo(system, workflowId, 'HELP');
    expect(help!.text).toMatch(/STOP/);
    expect(help!.text).toMatch(/haircut/i);
  });
});

describe('STOP silences a reminder that is already scheduled (real timers on the dev server)', () => {
  // The reminder fires ~100 s after the system starts: long enough to book twice and say STOP on a busy machine.
  const soon = soonReminderBusiness(100_000);
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ ...TWILIO_ENV, BUSINESS_CONFIG: soon.file });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function book(from: string, provider: 'Alex' | 'Sam') {
    const workflowId = conversationIdOf(system, 'sms', from);
    const ask = soon.ask(provider);
    await sendMessage(system, from, ask);
    const readBack = await repliesTo(system, workflowId, ask);
    const hold = (await stateOf(system, workflowId)).hold;
    expect(hold, `replies: ${JSON.stringify(readBack.map((r) => r.text))}`).not.toBeNull();
    expect(Date.parse(hold!.start)).toBe(Date.parse(soon.start));
    const afterSeq = await lastSeq(system, workflowId);
    await sendMessage(system, from, 'yes');
    await repliesTo(system, workflowId, 'yes', { afterSeq });
    const booking = await eventually('a confirmed booking', async () => (await stateOf(system, workflowId)).bookings.find((b) => b.status === 'confirmed'));
    return { workflowId, booking };
  }

  it(
    'books, STOP, and the reminder is suppressed at send time while an opted-in customer gets theirs',
    async () => {
      const stopper = randomPhone();
      const control = randomPhone();
      const [stopped, kept] = await Promise.all([book(stopper, 'Alex'), book(control, 'Sam')]);

      // The reminder is planned before the customer opts out.
      const planned = await appointmentStateOf(system, stopped.booking.id);
      const reminder = planned.schedule.find((w) => w.kind === 'reminder');
      expect(reminder, JSON.stringify(planned)).toBeDefined();
      expect(Math.abs(Date.parse(reminder!.at) - Date.parse(soon.reminderAt))).toBeLessThan(2_000);
      expect(Date.parse(reminder!.at), 'the machine was too slow: the reminder came due before STOP').toBeGreaterThan(Date.now() + 5_000);

      const rowsBeforeStop = await system.infra.outbox.listByScope(stopped.workflowId);
      const afterSeq = await lastSeq(system, stopped.workflowId);
      await sendMessage(system, stopper, 'STOP');
      await eventually('the opt-out in the ledger', async () =>
        (await system.infra.ledger.getCustomer(customerKeyOf(system, stopper))).optedOut ? true : undefined,
      );
      // STOP itself gets no reply from us (Twilio confirms the opt-out).
      const afterStop = (await transcriptOf(system, stopped.workflowId)).filter((l) => l.seq > afterSeq);
      expect(afterStop.map((l) => [l.role, l.text])).toEqual([['customer', 'STOP']]);
      expect(await system.infra.outbox.listByScope(stopped.workflowId)).toEqual(rowsBeforeStop);
      // The timer is still there: it is the read at send time that must silence it.
      expect((await appointmentStateOf(system, stopped.booking.id)).schedule.some((w) => w.kind === 'reminder')).toBe(true);

      const waitMs = Date.parse(soon.reminderAt) - Date.now() + 30_000;
      const [silenced, delivered] = await Promise.all([
        eventually('the stopper\'s reminder to come due', async () => {
          const s = await appointmentStateOf(system, stopped.booking.id);
          return s.sent.find((m) => m.kind === 'reminder');
        }, waitMs, 1_000),
        eventually('the control\'s reminder to be sent', async () => {
          const s = await appointmentStateOf(system, kept.booking.id);
          return s.sent.find((m) => m.kind === 'reminder');
        }, waitMs, 1_000),
      ]);
      expect(silenced.outcome).toBe('suppressed_opt_out');
      expect(delivered.outcome).toBe('local');

      const stoppedRows = await system.infra.outbox.listByScope(`appointment:${stopped.booking.id}`);
      expect(stoppedRows.filter((r) => r.status === 'local' || r.status === 'queued' || r.status === 'sent')).toEqual([]);
      const keptRows = await system.infra.outbox.listByScope(`appointment:${kept.booking.id}`);
      expect(keptRows).toHaveLength(1);
      expect(keptRows[0]).toMatchObject({ status: 'local', toAddress: control, channel: 'sms' });
      expect(keptRows[0]!.body).toMatch(/^Reminder from Soon Reminder Salon/);

      // START opts back in, and only then does the customer hear from us again.
      const beforeStart = await lastSeq(system, stopped.workflowId);
      await sendMessage(system, stopper, 'START');
      const [welcome] = await repliesTo(system, stopped.workflowId, 'START', { afterSeq: beforeStart });
      expect(welcome!.text).toMatch(/Welcome back/);
      expect((await system.infra.ledger.getCustomer(customerKeyOf(system, stopper))).optedOut).toBe(false);
    },
    240_000,
  );
});

describe('SMS replies through the Twilio REST API (the real client against a fake Twilio)', () => {
  let fake: FakeTwilio;
  let system: TestSystem;
  const business = '+15005550006';
  beforeAll(async () => {
    fake = await startFakeTwilio({ authToken: TWILIO_ENV.TWILIO_AUTH_TOKEN });
    system = await startSystem({
      ...TWILIO_ENV,
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_FROM: business,
      TWILIO_API_BASE_URL: fake.url,
    });
  });
  afterAll(async () => {
    await system?.stop();
    await fake?.close();
  });

  it('sends every reply of a booking to Twilio exactly once, even when a submit is cut off mid-way', async () => {
    const from = randomPhone();
    // The first create reaches Twilio but the connection drops before the answer: an ambiguous failure the
    // activity must reconcile (find the message at Twilio), not blindly resend.
    fake.script({ kind: 'drop', create: true });
    const { workflowId, confirmation } = await bookOverSms(system, from);

    const assistantLines = (await transcriptOf(system, workflowId)).filter((l) => l.role === 'assistant').map((l) => l.text);
    const rows = await eventually('every outbox row to carry its Twilio SID', async () => {
      const all = await system.infra.outbox.listByScope(workflowId);
      return all.length === assistantLines.length && all.every((r) => r.providerSid) ? all : undefined;
    });
    const toCustomer = fake.messages.filter((m) => m.to === from);
    expect(toCustomer.map((m) => m.body).sort()).toEqual([...assistantLines].sort());
    expect(fake.createdCount()).toBe(assistantLines.length);
    for (const m of toCustomer) expect(m.from).toBe(business);
    expect(new Set(rows.map((r) => r.providerSid))).toEqual(new Set(toCustomer.map((m) => m.sid)));
    expect(toCustomer.filter((m) => m.body === confirmation.at(-1))).toHaveLength(1);
    // The cut-off submit was reconciled by listing the customer's messages at Twilio, not by sending again.
    expect(fake.requests.filter((r) => r.method === 'GET' && r.query.To === from).length).toBeGreaterThan(0);
    // Every request carried the account's credentials.
    expect(fake.requests.every((r) => r.authorized)).toBe(true);

    // Twilio's signed delivery callback to the URL it was given moves the row forward, and never back.
    const confirmed = toCustomer.find((m) => m.body === confirmation.at(-1))!;
    expect(confirmed.statusCallback).toMatch(/^https:\/\/booking\.example\.test\/webhooks\/twilio\/status\?outboxId=\d+$/);
    const callback = new URL(confirmed.statusCallback!);
    const status = (MessageStatus: string) =>
      postWebhook(system, callback.pathname, { MessageSid: confirmed.sid, MessageStatus, AccountSid: fake.accountSid, To: from, From: business, ApiVersion: '2010-04-01' }, {
        query: callback.search.slice(1),
      });
    expect((await status('delivered')).status).toBe(204);
    expect((await status('sent')).status).toBe(204);
    const row = (await system.infra.outbox.listByScope(workflowId)).find((r) => r.providerSid === confirmed.sid);
    expect(row?.status).toBe('delivered');
  });
});
