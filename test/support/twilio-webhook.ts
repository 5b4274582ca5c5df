import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { signTwilioRequest } from '../../src/gateway/twilio/signature';
import { createAddressing } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import { appointmentStateQuery, stateQuery, transcriptQuery, type AppointmentState, type ConversationState, type TranscriptEntry } from '../../workflows/messages';
import type { TestSystem } from './system';

/**
 * Drives the real gateway the way Twilio does: form-encoded webhooks with the fields Twilio sends, signed with
 * X-Twilio-Signature over PUBLIC_BASE_URL + path (+ query), posted with `system.app.request()`. Plus the waits the
 * end-to-end tests need to observe the workflows behind them.
 */

/** The webhook settings the e2e systems run with (pass to `startSystem`). */
export const TWILIO_ENV = { TWILIO_AUTH_TOKEN: 'test-token', PUBLIC_BASE_URL: 'https://booking.example.test' } as const;
/** The business's Twilio number in these tests. */
export const BUSINESS_NUMBER = '+15005550006';
const ACCOUNT_SID = `AC${'a'.repeat(32)}`;

export const messageSid = () => `SM${randomBytes(16).toString('hex')}`;
export const callSid = () => `CA${randomBytes(16).toString('hex')}`;

/**
 * A fresh US number per conversation. Every test system shares one dev server and one key secret, so reusing a number
 * would reach another test's workflow.
 */
export const randomPhone = () => `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

export interface SignOptions {
  authToken?: string;
  publicBaseUrl?: string;
  /** Query string (without `?`) of the URL Twilio calls, e.g. the voice loop's `turn=1`. */
  query?: string;
  /** Force this signature (forgery tests); null sends none. */
  signature?: string | null;
}

/** Posts `params` to `path` as a signed Twilio webhook. */
export function postWebhook(system: TestSystem, path: string, params: Record<string, string>, options: SignOptions = {}): Promise<Response> {
  const query = options.query ? `?${options.query}` : '';
  const signature =
    options.signature === undefined
      ? signTwilioRequest({
          authToken: options.authToken ?? TWILIO_ENV.TWILIO_AUTH_TOKEN,
          publicBaseUrl: options.publicBaseUrl ?? TWILIO_ENV.PUBLIC_BASE_URL,
          path,
          query,
          params,
        })
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  // The Host is the internal one (a proxy in front); the signature is over PUBLIC_BASE_URL.
  return Promise.resolve(
    system.app.request(`http://internal:3000${path}${query}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() }),
  );
}

/** The fields Twilio posts for an inbound SMS, or a WhatsApp message when `from` is `whatsapp:+…`. */
export function inboundMessage(from: string, body: string, sid = messageSid()): Record<string, string> {
  const whatsapp = from.startsWith('whatsapp:');
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    To: whatsapp ? `whatsapp:${BUSINESS_NUMBER}` : BUSINESS_NUMBER,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...(whatsapp ? { ProfileName: 'Test Customer', WaId: from.replace(/^whatsapp:\+/, ''), MessageType: 'text' } : {}),
  };
}

/** The fields Twilio posts to a voice webhook: the call's first request, or a `<Gather>` result with SpeechResult. */
export function voiceRequest(call: string, from: string, speech?: string): Record<string, string> {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: call,
    CallStatus: 'in-progress',
    Called: BUSINESS_NUMBER,
    Caller: from,
    Direction: 'inbound',
    From: from,
    To: BUSINESS_NUMBER,
    ...(speech === undefined ? {} : { SpeechResult: speech, Confidence: '0.92', Language: 'en-US' }),
  };
}

/** Sends a signed inbound SMS/WhatsApp and expects Twilio's happy answer: 200 with empty TwiML. */
export async function sendMessage(system: TestSystem, from: string, body: string, sid = messageSid()): Promise<string> {
  const res = await postWebhook(system, '/webhooks/twilio/messaging', inboundMessage(from, body, sid));
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  return sid;
}

/** The conversation workflow id of a phone number on a channel (what the gateway derives with KEY_SECRET). */
export function conversationIdOf(system: TestSystem, channel: 'sms' | 'whatsapp' | 'voice', address: string): string {
  const target = createAddressing(system.keySecret).phoneTarget(channel, address);
  return conversationWorkflowId(channel, target.key);
}

/** The ledger's customer key of a phone number (the same on every channel). */
export function customerKeyOf(system: TestSystem, address: string): string {
  return createAddressing(system.keySecret).phoneTarget('sms', address).customerKey;
}

export async function transcriptOf(system: TestSystem, workflowId: string): Promise<TranscriptEntry[]> {
  return system.client.workflow.getHandle(workflowId).query(transcriptQuery, {});
}

export async function stateOf(system: TestSystem, workflowId: string): Promise<ConversationState> {
  return system.client.workflow.getHandle(workflowId).query(stateQuery);
}

export async function appointmentStateOf(system: TestSystem, bookingId: string): Promise<AppointmentState> {
  return system.client.workflow.getHandle(`appointment:${bookingId}`).query(appointmentStateQuery);
}

/** Polls `probe` until it returns a value (not undefined), or fails naming `what` with the last value seen. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error; // e.g. the workflow has not started yet
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Waits until the customer line `text` is in the transcript after position `afterSeq`, the assistant has answered it
 * with at least `minReplies` lines, and nothing more has arrived for `settleMs` (a turn sends its replies one after
 * another); returns the replies to that message.
 */
export async function repliesTo(
  system: TestSystem,
  workflowId: string,
  text: string,
  options: { afterSeq?: number; minReplies?: number; timeoutMs?: number; settleMs?: number } = {},
): Promise<TranscriptEntry[]> {
  const minReplies = options.minReplies ?? 1;
  const settleMs = options.settleMs ?? 1_000;
  let seen = '';
  let since = Date.now();
  return eventually(
    `${minReplies} repl${minReplies === 1 ? 'y' : 'ies'} to ${JSON.stringify(text)} in ${workflowId}`,
    async () => {
      const lines = (await transcriptOf(system, workflowId)).filter((l) => l.seq > (options.afterSeq ?? 0));
      const mine = lines.findIndex((l) => l.role === 'customer' && l.text === text);
      if (mine < 0) return undefined;
      const replies = lines.slice(mine + 1).filter((l) => l.role === 'assistant');
      const fingerprint = JSON.stringify(lines.map((l) => l.seq));
      if (fingerprint !== seen) {
        seen = fingerprint;
        since = Date.now();
        return undefined;
      }
      return replies.length >= minReplies && Date.now() - since >= settleMs ? replies : undefined;
    },
    options.timeoutMs ?? 30_000,
  );
}

/** The last transcript position (0 when empty): pass as `afterSeq` to look only at what follows. */
export async function lastSeq(system: TestSystem, workflowId: string): Promise<number> {
  return (await transcriptOf(system, workflowId)).at(-1)?.seq ?? 0;
}

/** Ids of every workflow run on this system's task queue. */
export async function workflowIds(system: TestSystem): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of system.client.workflow.list({ query: `TaskQueue = '${system.taskQueue}'` })) ids.push(wf.workflowId);
  return ids;
}

/** True when a workflow with this id exists on the dev server (any task queue, any state). */
export async function workflowExists(system: TestSystem, workflowId: string): Promise<boolean> {
  try {
    await system.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return false;
    throw error;
  }
}

/**
 * A business whose only reminder falls `leadMs` from now for an appointment at `start`, so a real reminder timer
 * fires on the dev server during a test: UTC, two haircut providers open around the clock, no quiet hours.
 * Writes the JSON to a temp file for BUSINESS_CONFIG and returns what to say to book that slot.
 */
export function soonReminderBusiness(leadMs: number): { file: string; start: string; reminderAt: string; ask: (provider: 'Alex' | 'Sam') => string } {
  const now = DateTime.utc();
  const startDt = now.plus({ minutes: 20 }).startOf('minute');
  const quarter = startDt.plus({ minutes: (15 - (startDt.minute % 15)) % 15 });
  // Opening hours are per day (00:00–24:00 here), so a 30-minute haircut cannot start at 23:45: near midnight the
  // first slot of the next day, so that the script holds at every hour it runs.
  const start = quarter.plus({ minutes: 30 }) > quarter.plus({ days: 1 }).startOf('day') ? quarter.plus({ days: 1 }).startOf('day') : quarter;
  const reminderAt = now.plus({ milliseconds: leadMs }).startOf('second');
  const offset = start.diff(reminderAt, ['minutes', 'seconds']).toISO()!;
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
  const business = {
    name: 'Soon Reminder Salon',
    timezone: 'UTC',
    locale: 'en',
    services: [{ id: 'haircut', name: 'Haircut', durationMinutes: 30, bufferMinutes: 0, synonyms: ['hair cut', 'cut'] }],
    providers: [
      { id: 'alex', name: 'Alex', serviceIds: ['haircut'], hours: allDay },
      { id: 'sam', name: 'Sam', serviceIds: ['haircut'], hours: allDay },
    ],
    policies: {
      minNoticeMinutes: 5,
      maxDaysAhead: 30,
      cancellationNoticeHours: 1,
      holdTtlSeconds: 600,
      reminderOffsets: [offset],
      noShowGraceMinutes: 15,
      quietHours: { start: '00:00', end: '00:00' },
      maxActiveBookingsPerCustomer: 3,
    },
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'soon-reminder-')), 'business.json');
  fs.writeFileSync(file, JSON.stringify(business, null, 2));
  const dayWord = start.hasSame(now, 'day') ? 'today' : 'tomorrow';
  return {
    file,
    start: start.toISO({ suppressMilliseconds: true })!,
    reminderAt: reminderAt.toISO()!,
    // With am/pm: this salon is open around the clock, so "at 10:15" would rightly be asked about (morning or night?).
    ask: (provider) => `I'd like a haircut ${dayWord} at ${start.toFormat('h:mm a')} with ${provider}`,
  };
}
