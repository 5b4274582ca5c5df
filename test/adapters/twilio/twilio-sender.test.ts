import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioSender } from '../../../src/adapters/twilio/twilio-sender';
import { SendError, type OutboundMessage } from '../../../src/adapters/outbox/message-sender';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function sender(overrides: Partial<Parameters<typeof createTwilioSender>[0]> = {}) {
  return createTwilioSender({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: '+15550001111',
    baseUrl: fake.url,
    statusCallbackUrl: 'https://book.example.com/webhooks/twilio/status',
    timeoutMs: 300,
    ...overrides,
  });
}

const sms: OutboundMessage = { outboxId: 7, channel: 'sms', to: '+15551234567', body: 'Your haircut is booked for Fri 14 Jun, 15:00.' };

async function failure(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

describe('Twilio sender (real twilio client, redirected to a local fake)', () => {
  it('creates an SMS with the status callback naming the outbox row', async () => {
    const result = await sender().submit(sms);
    expect(result.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request).toMatchObject({ method: 'POST', authorized: true, path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json` });
    expect(request.form).toMatchObject({ To: '+15551234567', From: '+15550001111', Body: sms.body, StatusCallback: 'https://book.example.com/webhooks/twilio/status?outboxId=7' });
  });

  it('sends a WhatsApp template with ContentSid and ContentVariables from the WhatsApp sender', async () => {
    await sender().submit({ outboxId: 8, channel: 'whatsapp', to: '+34600111222', template: { contentSid: 'HX' + '1'.repeat(32), variables: { '1': 'Ana', '2': '15:00' } } });
    expect(fake.requests[0]?.form).toMatchObject({ To: 'whatsapp:+34600111222', From: 'whatsapp:+15550001111', ContentSid: 'HX' + '1'.repeat(32) });
    expect(JSON.parse(fake.requests[0]!.form.ContentVariables!)).toEqual({ '1': 'Ana', '2': '15:00' });
    expect(fake.requests[0]?.form.Body).toBeUndefined();
  });

  it('uses a Messaging Service when `from` is one', async () => {
    const result = await sender({ from: 'MG' + 'a'.repeat(32) }).submit(sms);
    expect(fake.requests[0]?.form).toMatchObject({ MessagingServiceSid: 'MG' + 'a'.repeat(32) });
    expect(result.status).toBe('queued'); // Twilio's "accepted"
  });

  it('classifies 21610 as opted out, after exactly one request', async () => {
    fake.script({ kind: 'error', httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const error = await failure(sender().submit(sms));
    expect(error).toMatchObject({ kind: 'opted_out', code: 21610 });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry by itself: 429 is not_sent, 500 is ambiguous, one request each', async () => {
    fake.script({ kind: 'error', httpStatus: 429, code: 20429, message: 'Too Many Requests' });
    expect((await failure(sender().submit(sms))).kind).toBe('not_sent');
    fake.script({ kind: 'error', httpStatus: 500, code: 20500, message: 'Internal Server Error' });
    expect((await failure(sender().submit(sms))).kind).toBe('ambiguous');
    expect(fake.requests).toHaveLength(2);
  });

  it('classifies permanent refusals and bad credentials', async () => {
    fake.script({ kind: 'error', httpStatus: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    expect(await failure(sender().submit(sms))).toMatchObject({ kind: 'rejected', code: 21211 });
    fake.script({ kind: 'error', httpStatus: 400, code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
    expect((await failure(sender().submit({ ...sms, channel: 'whatsapp' }))).kind).toBe('window_closed');
    const wrongToken = await failure(sender({ authToken: 'wrong-token-0000000000000000000' }).submit(sms));
    expect(wrongToken).toMatchObject({ kind: 'credentials', httpStatus: 401 });
    expect(wrongToken.message).toMatch(/TWILIO_AUTH_TOKEN/);
  });

  it('reports a timeout after sending as ambiguous, and then finds the message', async () => {
    fake.script({ kind: 'slow', delayMs: 1000 });
    const since = new Date();
    const error = await failure(sender().submit(sms));
    expect(error.kind).toBe('ambiguous');
    expect(fake.createdCount()).toBeGreaterThan(0);
    const found = await sender().findSubmitted(sms, since);
    expect(found.map((m) => m.providerSid)).toEqual([fake.messages.at(-1)!.sid]);
  });

  it('finds nothing when a dropped connection created nothing, and ignores other bodies and old messages', async () => {
    fake.seed({ to: '+15551234567', from: '+15550001111', body: sms.body!, dateCreated: new Date(Date.now() - 3_600_000) });
    fake.seed({ to: '+15551234567', from: '+15550001111', body: 'another message' });
    fake.script({ kind: 'drop', create: false });
    const since = new Date();
    expect((await failure(sender().submit(sms))).kind).toBe('ambiguous');
    expect(await sender().findSubmitted(sms, since)).toEqual([]);
  });

  it('reports an unreachable host as not sent', async () => {
    const error = await failure(sender({ baseUrl: 'http://127.0.0.1:1' }).submit(sms));
    expect(error.kind).toBe('not_sent');
  });
});
