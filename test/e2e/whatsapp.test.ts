import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startSystem, type TestSystem } from '../support/system';
import {
  BUSINESS_NUMBER,
  TWILIO_ENV,
  appointmentStateOf,
  conversationIdOf,
  customerKeyOf,
  eventually,
  lastSeq,
  randomPhone,
  repliesTo,
  sendMessage,
  soonReminderBusiness,
  stateOf,
  transcriptOf,
} from '../support/twilio-webhook';

/**
 * WhatsApp end to end on the real dev server, replies through the real twilio client against a fake Twilio: the
 * `whatsapp:` address picks the channel, replies go back as WhatsApp from the business's WhatsApp sender, as free
 * text while the 24-hour customer-service window is open — reminders included.
 */
describe('WhatsApp over signed webhooks, replies through the Twilio REST API', () => {
  // A reminder ~100 s after start, while the customer's window (they just wrote) is certainly open.
  const soon = soonReminderBusiness(100_000);
  let fake: FakeTwilio;
  let system: TestSystem;
  const number = randomPhone();
  const from = `whatsapp:${number}`;
  let workflowId: string;
  let bookingId: string;

  beforeAll(async () => {
    fake = await startFakeTwilio({ authToken: TWILIO_ENV.TWILIO_AUTH_TOKEN });
    system = await startSystem({
      ...TWILIO_ENV,
      BUSINESS_CONFIG: soon.file,
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_FROM: BUSINESS_NUMBER,
      TWILIO_API_BASE_URL: fake.url,
    });
    workflowId = conversationIdOf(system, 'whatsapp', from);
  });
  afterAll(async () => {
    await system?.stop();
    await fake?.close();
  });

  it('books over WhatsApp; every reply reaches Twilio once, as WhatsApp free text', async () => {
    expect(workflowId).toMatch(/^conversation:whatsapp:[0-9a-f]{32}$/);
    const ask = soon.ask('Alex');
    await sendMessage(system, from, ask);
    const readBack = await repliesTo(system, workflowId, ask);
    const hold = (await stateOf(system, workflowId)).hold;
    expect(hold, JSON.stringify(readBack.map((r) => r.text))).not.toBeNull();
    expect(Date.parse(hold!.start)).toBe(Date.parse(soon.start));

    const afterSeq = await lastSeq(system, workflowId);
    await sendMessage(system, from, 'yes');
    const confirmation = await repliesTo(system, workflowId, 'yes', { afterSeq });
    expect(confirmation.map((r) => r.text).join('\n')).toMatch(/booked/i);
    const booking = await eventually('the confirmed booking', async () => (await stateOf(system, workflowId)).bookings.find((b) => b.status === 'confirmed'));
    bookingId = booking.id;

    // One customer across channels: the booking is under the number, not under "whatsapp:".
    const inLedger = await system.infra.ledger.listCustomerBookings(customerKeyOf(system, number));
    expect(inLedger.map((b) => b.id)).toEqual([booking.id]);

    const assistantLines = (await transcriptOf(system, workflowId)).filter((l) => l.role === 'assistant').map((l) => l.text);
    await eventually('every reply at Twilio', async () => (fake.messages.filter((m) => m.to === from).length >= assistantLines.length ? true : undefined));
    const sent = fake.messages.filter((m) => m.to === from);
    expect(sent.map((m) => m.body)).toEqual(assistantLines);
    for (const m of sent) expect(m).toMatchObject({ from: `whatsapp:${BUSINESS_NUMBER}`, contentSid: null });
    const rows = await system.infra.outbox.listByScope(workflowId);
    expect(rows.map((r) => [r.channel, r.body, r.providerSid])).toEqual(sent.map((m) => ['whatsapp', m.body, m.sid]));
  });

  it(
    'sends the reminder as free text while the customer-service window is open',
    async () => {
      expect(bookingId, 'the booking test above must pass first').toBeDefined();
      const planned = await appointmentStateOf(system, bookingId);
      expect(planned.schedule.some((w) => w.kind === 'reminder'), JSON.stringify(planned)).toBe(true);
      const reminder = await eventually(
        'the reminder to come due',
        async () => (await appointmentStateOf(system, bookingId)).sent.find((m) => m.kind === 'reminder'),
        Date.parse(soon.reminderAt) - Date.now() + 30_000,
        1_000,
      );
      // The customer wrote minutes ago, so WhatsApp takes free text; "template_required" would mean the reminder
      // was dropped for want of a template it did not need.
      expect(reminder.outcome).toBe('sent');
      const atTwilio = fake.messages.filter((m) => m.to === from && m.body.startsWith('Reminder from'));
      expect(atTwilio).toHaveLength(1);
      expect(atTwilio[0]).toMatchObject({ from: `whatsapp:${BUSINESS_NUMBER}`, contentSid: null });
    },
    200_000,
  );
});
