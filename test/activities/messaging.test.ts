import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import {
  createMessagingActivities,
  INVALID_MESSAGE_REQUEST,
  MESSAGE_REJECTED,
  MESSAGE_SEND_FAILED,
  MESSAGE_SEND_IN_FLIGHT,
  type MessagingActivityDeps,
  type Recipient,
  type SendMessageInput,
} from '../../activities/messaging';
import { createOutboxStore, type OutboxStore } from '../../src/adapters/outbox/outbox-store';
import { createLocalSender } from '../../src/adapters/outbox/local-sender';
import { createTwilioSender } from '../../src/adapters/twilio/twilio-sender';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { createOutboxDb } from '../adapters/outbox/outbox-db';
import { waitFor } from '../support/patience';

let db: PGlite;
let outbox: OutboxStore;
let fake: FakeTwilio;
const optedOut = new Set<string>();
const reportedOptOuts: Recipient[] = [];

beforeAll(async () => {
  [db, fake] = await Promise.all([createOutboxDb(), startFakeTwilio()]);
  outbox = createOutboxStore(db);
});
afterAll(async () => {
  await Promise.all([db.close(), fake.close()]);
});
beforeEach(async () => {
  await db.exec('TRUNCATE outbox_messages RESTART IDENTITY');
  fake.reset();
  optedOut.clear();
  reportedOptOuts.length = 0;
});

const silent = pino({ level: 'silent' });

/**
 * The in-flight grace (how long an unanswered submit may still reach Twilio) is measured on the database clock. The
 * activities here get one no test can outlast, so "too early to resend" never depends on how fast the machine is;
 * where the grace must have passed, {@link afterGrace} waits until the row is older than a short one.
 */
const PATIENT_GRACE_MS = 60_000;
const SHORT_GRACE_MS = 100;

function activities(overrides: Partial<MessagingActivityDeps> = {}) {
  return createMessagingActivities({
    outbox,
    sender: createTwilioSender({ accountSid: fake.accountSid, authToken: fake.authToken, from: '+15550001111', baseUrl: fake.url, timeoutMs: 250 }),
    isOptedOut: async ({ customerKey }) => optedOut.has(customerKey),
    onOptedOut: async (recipient) => {
      reportedOptOuts.push(recipient);
      optedOut.add(recipient.customerKey);
    },
    logger: silent,
    inFlightGraceMs: PATIENT_GRACE_MS,
    ...overrides,
  });
}

const reply: SendMessageInput = {
  scope: 'conversation:sms:k1',
  purpose: 'turn:1:0',
  channel: 'sms',
  to: '+15551234567',
  customerKey: 'k1',
  text: 'Friday 14 June at 15:00 with Alex is free. Shall I book it?',
};

const creates = () => fake.requests.filter((r) => r.method === 'POST').length;

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

/** Activities for which the grace of `input`'s unanswered submit has passed: waited for on the row, not slept for. */
async function afterGrace(input: SendMessageInput) {
  const row = await outbox.find(input.scope, input.purpose);
  const since = Date.parse(row?.submitStartedAt ?? '');
  expect(since).not.toBeNaN();
  // The database stamps the submit with the same system clock; a few ms more cover the rounding of its timestamps.
  await waitFor(() => Date.now() > since + SHORT_GRACE_MS + 5, `the submit of ${input.purpose} to be ${SHORT_GRACE_MS} ms old`, { intervalMs: 10 });
  return activities({ inFlightGraceMs: SHORT_GRACE_MS });
}

describe('sendMessage', () => {
  it('sends once and answers a repeat from the outbox', async () => {
    const { sendMessage } = activities();
    const first = await sendMessage(reply);
    expect(first).toMatchObject({ status: 'sent', deliveryStatus: 'queued' });
    expect(first.providerSid).toBe(fake.messages[0]?.sid);
    const again = await sendMessage({ ...reply, text: 'changed on replay' });
    expect(again).toEqual(first);
    expect(creates()).toBe(1);
  });

  it('sends once when many attempts race', async () => {
    const { sendMessage } = activities();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => sendMessage(reply)));
    expect(fake.createdCount()).toBe(1);
    expect(creates()).toBe(1);
    // Racers that found the row mid-submit are told to retry; a retry then reports the one message.
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ApplicationFailure).type).toBe(MESSAGE_SEND_IN_FLIGHT);
    expect((await sendMessage(reply)).providerSid).toBe(fake.messages[0]?.sid);
  });

  it('reconciles a timeout after sending instead of resending', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'slow', delayMs: 800 });
    const result = await sendMessage(reply);
    expect(result.status).toBe('sent');
    expect(result.providerSid).toBe(fake.messages[0]?.sid);
    await sendMessage(reply); // the activity retried anyway
    expect(fake.createdCount()).toBe(1);
    expect(creates()).toBe(1);
  });

  it('waits for a submit that may still be in flight, then adopts it when Twilio shows it', async () => {
    const { sendMessage } = activities();
    // The answer is lost and Twilio does not show the message yet: it may still be on its way.
    fake.script({ kind: 'drop', create: false });
    const first = await failureOf(sendMessage(reply));
    expect(first).toMatchObject({ type: MESSAGE_SEND_IN_FLIGHT, nonRetryable: false });
    expect(first.nextRetryDelay).toBeDefined();
    // Twilio finishes creating it (the fake lets the test say when, rather than racing a timer).
    const late = fake.seed({ to: reply.to, from: '+15550001111', body: reply.text, status: 'queued' });
    const retried = await sendMessage(reply);
    expect(retried.providerSid).toBe(late.sid);
    expect(fake.messages).toHaveLength(1);
    expect(creates()).toBe(1);
  });

  it('resends after the grace period when Twilio never got the message', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'drop', create: false });
    expect((await failureOf(sendMessage(reply))).type).toBe(MESSAGE_SEND_IN_FLIGHT);
    expect((await failureOf(sendMessage(reply))).type).toBe(MESSAGE_SEND_IN_FLIGHT); // too early to resend
    expect(creates()).toBe(1);
    const result = await (await afterGrace(reply)).sendMessage(reply);
    expect(result.status).toBe('sent');
    expect(fake.createdCount()).toBe(1);
    expect(creates()).toBe(2);
    expect((await outbox.find(reply.scope, reply.purpose))?.attempts).toBe(2);
  });

  it('adopts a message a dropped connection did create', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'drop', create: true });
    const result = await sendMessage(reply);
    expect(result.providerSid).toBe(fake.messages[0]?.sid);
    expect(creates()).toBe(1);
  });

  it('never adopts a message that belongs to another row', async () => {
    const { sendMessage } = activities();
    await sendMessage(reply);
    fake.script({ kind: 'drop', create: false });
    const second = { ...reply, purpose: 'turn:2:0' }; // same text, same number
    expect((await failureOf(sendMessage(second))).type).toBe(MESSAGE_SEND_IN_FLIGHT);
    const result = await (await afterGrace(second)).sendMessage(second);
    expect(result.providerSid).not.toBe(fake.messages[0]?.sid);
    expect(fake.createdCount()).toBe(2);
  });

  it('marks the customer opted out on 21610 and does not retry', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'error', httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const result = await sendMessage(reply);
    expect(result.status).toBe('suppressed_opt_out');
    expect(reportedOptOuts).toEqual([{ customerKey: 'k1', address: '+15551234567', channel: 'sms' }]);
    expect(await sendMessage(reply)).toMatchObject({ status: 'suppressed_opt_out' });
    expect(await outbox.find(reply.scope, reply.purpose)).toMatchObject({ status: 'failed', errorCode: 21610 });
    expect(creates()).toBe(1);
    // Later messages are not even attempted.
    expect(await sendMessage({ ...reply, purpose: 'reminder:PT24H' })).toMatchObject({ status: 'suppressed_opt_out' });
    expect(creates()).toBe(1);
  });

  it('sends nothing to an opted-out number and records why', async () => {
    optedOut.add('k1');
    const result = await activities().sendMessage(reply);
    expect(result.status).toBe('suppressed_opt_out');
    expect(await outbox.find(reply.scope, reply.purpose)).toMatchObject({ status: 'suppressed', errorMessage: expect.stringMatching(/opted out/) });
    expect(creates()).toBe(0);
  });

  it('gives a row back after a failure that sent nothing, then sends it once', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'error', httpStatus: 429, code: 20429, message: 'Too Many Requests' });
    expect(await failureOf(sendMessage(reply))).toMatchObject({ type: MESSAGE_SEND_FAILED, nonRetryable: false });
    expect((await outbox.find(reply.scope, reply.purpose))?.status).toBe('pending');
    expect((await sendMessage(reply)).status).toBe('sent');
    expect(fake.createdCount()).toBe(1);
  });

  it('fails for good on a permanent refusal, also when retried', async () => {
    const { sendMessage } = activities();
    fake.script({ kind: 'error', httpStatus: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    expect(await failureOf(sendMessage(reply))).toMatchObject({ type: MESSAGE_REJECTED, nonRetryable: true });
    expect(await failureOf(sendMessage(reply))).toMatchObject({ type: MESSAGE_REJECTED, nonRetryable: true });
    expect(creates()).toBe(1);
  });

  it('refuses malformed input without retrying', async () => {
    const { sendMessage } = activities();
    for (const bad of [{ ...reply, to: 'alice' }, { ...reply, text: ' ' }, { ...reply, text: 'x'.repeat(1601) }, { ...reply, channel: 'fax' }]) {
      expect(await failureOf(sendMessage(bad as SendMessageInput))).toMatchObject({ type: INVALID_MESSAGE_REQUEST, nonRetryable: true });
    }
    expect(creates()).toBe(0);
  });
});

describe('sendMessage on WhatsApp, chat and the local outbox', () => {
  const now = new Date('2030-06-12T15:00:00Z');
  const wa: SendMessageInput = { ...reply, scope: 'conversation:whatsapp:k2', channel: 'whatsapp', to: 'whatsapp:+34600111222', customerKey: 'k2' };
  const template = { contentSid: 'HX' + 'ab'.repeat(16), variables: { '1': 'Friday 14 June', '2': '15:00' } };

  it('sends free text inside the 24 h window', async () => {
    const result = await activities({ now: () => now }).sendMessage({ ...wa, lastInboundAt: '2030-06-12T09:00:00Z', whatsappTemplate: template });
    expect(result.status).toBe('sent');
    expect(fake.requests[0]?.form).toMatchObject({ To: 'whatsapp:+34600111222', From: 'whatsapp:+15550001111', Body: wa.text });
  });

  it('sends the template outside the window, and asks for one when there is none', async () => {
    const { sendMessage } = activities({ now: () => now });
    expect((await sendMessage({ ...wa, purpose: 'reminder:PT24H', lastInboundAt: '2030-06-10T09:00:00Z', whatsappTemplate: template })).status).toBe('sent');
    expect(fake.requests[0]?.form).toMatchObject({ ContentSid: template.contentSid });
    expect(fake.requests[0]?.form.Body).toBeUndefined();
    expect(await sendMessage({ ...wa, purpose: 'reminder:PT2H', lastInboundAt: '2030-06-10T09:00:00Z' })).toEqual({ status: 'template_required', outboxId: null });
    expect(creates()).toBe(1);
  });

  it('records chat and voice messages for the transcript without sending', async () => {
    const { sendMessage } = activities();
    const chat = await sendMessage({ ...reply, scope: 'conversation:chat:s1', channel: 'chat', to: 'chat:s1' });
    expect(chat.status).toBe('recorded');
    const voice = await sendMessage({ ...reply, scope: 'conversation:voice:k1', channel: 'voice' });
    expect(voice.status).toBe('recorded');
    expect((await outbox.listByScope('conversation:chat:s1')).map((m) => m.body)).toEqual([reply.text]);
    expect(creates()).toBe(0);
  });

  it('writes to the local outbox when there are no Twilio credentials', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const { sendMessage } = activities({ sender: createLocalSender(logger) });
    const result = await sendMessage(reply);
    expect(result).toMatchObject({ status: 'local', deliveryStatus: 'local', providerSid: null });
    expect(await sendMessage(reply)).toEqual(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Shall I book it?');
    expect(lines[0]).not.toContain('5551234567');
    expect(creates()).toBe(0);
  });
});
