import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { AesGcmPayloadCodec, PayloadDecryptionError } from '../../src/adapters/temporal/payload-codec';
import { parsePayloadKeys } from '../../src/adapters/temporal/payload-keys';
import { loadConfig } from '../../src/config';
import { startSystem, type RunningSystem } from '../../src/system';
import { workflowBundle } from '../support/bundle';
import { HANG_MS, TEST_HANG_MS, waitFor } from '../support/patience';
import { TWILIO_ENV, conversationIdOf, customerKeyOf, randomPhone, repliesTo, sendMessage, stateOf } from '../support/twilio-webhook';
import type { TestSystem } from '../support/system';

/**
 * Customers' words and numbers never reach Temporal in plain text. A whole booking over SMS on the real dev server,
 * then its histories read raw (a client without the codec) and decoded (with it); a restart with rotated keys that
 * replays and extends those histories; the codec server; and forgetting the customer, showing what remains.
 */
const OPS = { authorization: 'Bearer test-ops-token' };
const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('base64');
const NAME = 'Quintanilla';
const GREETING = `Hi, this is Rosa ${NAME}`;
const BOOK = "I'd like a haircut next Tuesday at 10am";
const from = randomPhone();

/** One product system on the shared dev server, on a data folder and task queue that outlive it (for the restart). */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-'));
const taskQueue = `privacy-${randomUUID()}`;
async function start(payloadKeys: string): Promise<RunningSystem & TestSystem> {
  const keySecret = 'test-key-secret-0123456789abcdef';
  const config = loadConfig({ ...TWILIO_ENV, DATA_DIR: dataDir, LOG_LEVEL: 'silent', OPS_TOKEN: 'test-ops-token', KEY_SECRET: keySecret, PAYLOAD_KEYS: payloadKeys });
  const system = await startSystem(config, pino({ level: 'silent' }), {
    temporalAddress: inject('devServerAddress'),
    taskQueue,
    workflowBundle: workflowBundle(),
    gateway: { turnWaitMs: 20_000 },
  });
  return { ...system, keySecret };
}

/** A client without the codec: what anyone with access to Temporal (or its database) sees. */
let raw: Client;
const rawHistory = async (workflowId: string) => raw.workflow.getHandle(workflowId).fetchHistory();
const bytesOf = (history: Awaited<ReturnType<typeof rawHistory>>) => Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());

/**
 * Every payload anywhere in a history (inputs, results, signals, updates, queries' answers, failures, memos, user
 * metadata) that our SDK writes. Two kinds are left out because the codec never sees them, by Temporal's design:
 * search attribute values (the server indexes them; checked separately to hold nothing personal) and the
 * bookkeeping of markers the SDK core writes — a local activity's `details.data` (sequence number, attempt, activity
 * id and type; the activity's result beside it is encrypted) and a patch's `details.patch-data` (the patch id).
 * The raw byte scan below covers those too.
 */
function payloadsIn(value: unknown, found: Payload[] = [], at = ''): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const o = value as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && 'data' in o) {
    if (!/searchAttributes|markerRecordedEventAttributes\.details\.(data|patch-data)/.test(at)) found.push(o as Payload);
    return found;
  }
  for (const [key, child] of Object.entries(o)) payloadsIn(child, found, /^\d+$/.test(key) ? at : `${at}.${key}`);
  return found;
}

const codecOf = (keys: string) => new AesGcmPayloadCodec(parsePayloadKeys(keys));
const keyIdOf = (p: Payload) => Buffer.from(p.metadata?.['encryption-key-id'] ?? new Uint8Array()).toString();

let system: RunningSystem & TestSystem;
let conversationId: string;
let bookingId: string;
let appointmentId: string;
let bookedStart: string;

beforeAll(async () => {
  raw = new Client({ connection: await Connection.connect({ address: inject('devServerAddress') }) });
  system = await start(`old:${oldKey}`);
});
afterAll(async () => {
  await system?.stop();
  await raw?.connection.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('payloads at rest', () => {
  it('a whole booking leaves no number, no customer text and no name in any raw payload; with the codec it decodes', async () => {
    conversationId = conversationIdOf(system, 'sms', from);
    await sendMessage(system, from, GREETING);
    await repliesTo(system, conversationId, GREETING, { timeoutMs: HANG_MS });
    await sendMessage(system, from, BOOK);
    await repliesTo(system, conversationId, BOOK, { timeoutMs: HANG_MS });
    expect((await stateOf(system, conversationId)).status).toBe('holding');
    await sendMessage(system, from, 'yes');
    const booking = await waitFor(async () => (await stateOf(system, conversationId)).bookings.find((b) => b.status === 'confirmed'), 'the confirmed booking');
    bookingId = booking.id;
    bookedStart = booking.start;
    appointmentId = `appointment:${bookingId}`;
    // The conversation has sent its replies, and the appointment workflow has run its first tasks (its search
    // attributes are set and activities with the customer's number in their input are in its history).
    await waitFor(async () => (await system.infra.outbox.listByScope(conversationId)).length > 2, 'messages in the outbox');
    await waitFor(async () => {
      const described = await system.client.workflow.getHandle(appointmentId).describe();
      return JSON.stringify(described.searchAttributes).includes('BookingStatus') && payloadsIn((await rawHistory(appointmentId)).events).length > 3;
    }, 'the appointment workflow to have started its work');

    const secrets = [from, from.slice(2), GREETING, NAME, BOOK, 'next Tuesday'];
    for (const workflowId of [conversationId, appointmentId]) {
      const history = await rawHistory(workflowId);
      const bytes = bytesOf(history);
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${JSON.stringify(secret)} in the raw history of ${workflowId}`).toBe(false);
      const payloads = payloadsIn(history.events);
      expect(payloads.length).toBeGreaterThan(workflowId === conversationId ? 10 : 3);
      for (const payload of payloads) {
        expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
        expect(keyIdOf(payload)).toBe('old');
      }
      // Search attributes are not encrypted (the server indexes them) and memos are shown wherever the codec is: both
      // must hold nothing personal themselves. Read decoded, with the product's client.
      const described = await system.client.workflow.getHandle(workflowId).describe();
      const visible = JSON.stringify({ sa: described.searchAttributes, memo: described.memo ?? null, id: described.workflowId });
      expect(visible).toContain('BookingStatus');
      for (const secret of secrets) expect(visible).not.toContain(secret);

      const decoded = await codecOf(`old:${oldKey}`).decode(payloads);
      const text = decoded.map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p))).join('\n');
      if (workflowId === conversationId) {
        for (const secret of [from, GREETING, BOOK]) expect(text).toContain(secret);
      } else {
        expect(text).toContain(from);
      }
    }
  });

  it('after a rotation the same histories replay and grow; a missing or wrong key is refused by its id, never read as garbage', async () => {
    await system.stop();
    system = await start(`new:${newKey},old:${oldKey}`);
    // The restarted worker replays the history written under "old" before it can answer.
    await sendMessage(system, from, 'thanks');
    await repliesTo(system, conversationId, 'thanks', { timeoutMs: HANG_MS });
    const payloads = payloadsIn((await rawHistory(conversationId)).events);
    const ids = new Set(payloads.map(keyIdOf));
    expect(ids).toEqual(new Set(['old', 'new']));

    const all = await codecOf(`new:${newKey},old:${oldKey}`).decode(payloads);
    expect(all.map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p))).join('\n')).toContain('thanks');

    const missing = await codecOf(`new:${newKey}`).decode(payloads).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PayloadDecryptionError);
    expect((missing as Error).message).toMatch(/key "old", which is not in PAYLOAD_KEYS/);
    const wrong = await codecOf(`new:${newKey},old:${randomBytes(32).toString('base64')}`).decode(payloads).catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/key "old" does not decrypt with the key PAYLOAD_KEYS has under that id/);
  });

  it('the codec server decodes for staff only', async () => {
    const payloads = payloadsIn((await rawHistory(conversationId)).events).slice(0, 20);
    const body = JSON.stringify({
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
    const post = (url: string, headers: Record<string, string> = {}) => system.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    expect((await post('/codec/decode')).status).toBe(401);
    expect((await post('/codec/decode', { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await post('/codec/ui/not-the-key/decode')).status).toBe(401);

    const decoded = (await (await post('/codec/decode', OPS)).json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(decoded.payloads).toHaveLength(payloads.length);
    const texts = decoded.payloads.map((p) => Buffer.from(p.data, 'base64').toString());
    expect(texts.join('\n')).toContain(GREETING);
    expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');

    const uiKey = fs.readFileSync(path.join(dataDir, 'codec-ui-key'), 'utf8').trim();
    expect((await post(`/codec/ui/${uiKey}/decode`)).status).toBe(200);

    // What the Web UI sends when staff signal a workflow from it: encoded, then decoded back.
    const plain = JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"text":"Hello"}').toString('base64') }] });
    const encoded = (await (await system.app.request('/codec/encode', { method: 'POST', headers: { 'content-type': 'application/json', ...OPS }, body: plain })).json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.payloads[0]!.metadata['encryption-key-id']!, 'base64').toString()).toBe('new');
  });
});

describe('forgetting a customer', () => {
  it('removes their histories, transcripts and personal data, keeps the booking anonymised, and shows what remains', async () => {
    const customerKey = customerKeyOf(system, from);
    expect((await system.app.request(`/api/ops/customers?address=${encodeURIComponent(from)}`, { method: 'DELETE' })).status).toBe(401);

    const response = await system.app.request(`/api/ops/customers?address=${encodeURIComponent(from)}`, { method: 'DELETE', headers: OPS });
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      forgotten: { conversations: string[]; appointments: string[]; temporalRuns: number; ledger: Record<string, number>; outboxMessages: number };
      kept: { customerKey: string; bookings: { id: string; start: string; status: string }[] };
    };
    expect(report.forgotten.conversations).toEqual([conversationId]);
    expect(report.forgotten.appointments).toEqual([appointmentId]);
    expect(report.forgotten.outboxMessages).toBeGreaterThan(2);
    expect(report.forgotten.ledger.idempotencyRecords).toBeGreaterThan(0);
    expect(report.kept.customerKey).toMatch(/^forgotten:/);
    expect(report.kept.bookings).toEqual([expect.objectContaining({ id: bookingId, start: bookedStart, status: 'confirmed' })]);

    // Temporal: both histories are gone (the server deletes them a moment after the call).
    for (const workflowId of [conversationId, appointmentId]) {
      await waitFor(async () => {
        try {
          await raw.workflow.getHandle(workflowId).describe();
          return false;
        } catch (error) {
          return error instanceof WorkflowNotFoundError;
        }
      }, `${workflowId} deleted`);
    }

    // The ledger and outbox: nothing under the customer's key or number; the booking's time still blocks the calendar.
    const sql = system.infra.ledger.sql;
    const count = async (query: string, params: unknown[]) => Number((await sql.query<{ n: string | number }>(query, params)).rows[0]!.n);
    expect(await count('SELECT count(*) AS n FROM customers WHERE customer_key = $1', [customerKey])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM bookings WHERE customer_key = $1', [customerKey])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM ledger_requests WHERE position($1 in fingerprint) > 0 OR position($1 in result::text) > 0', [customerKey])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM outbox_messages WHERE scope = ANY($1::text[]) OR to_address = $2', [[conversationId, bookingId], from])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM outbox_messages WHERE body LIKE '%' || $1 || '%'`, [NAME])).toBe(0);
    const remains = (await sql.query<{ customer_key: string; starts_at: Date; status: string }>('SELECT customer_key, starts_at, status FROM bookings WHERE id = $1', [bookingId])).rows;
    expect(remains).toHaveLength(1);
    expect(remains[0]!.customer_key).toBe(report.kept.customerKey);
    expect(new Date(remains[0]!.starts_at).getTime()).toBe(Date.parse(bookedStart));
    expect(remains[0]!.status).toBe('confirmed');

    // The operator API finds nobody at that number any more, and the ledger has no bookings under their key.
    await waitFor(async () => {
      const listed = (await (await system.app.request(`/api/ops/conversations?address=${encodeURIComponent(from)}`, { headers: OPS })).json()) as { conversations: unknown[] };
      return listed.conversations.length === 0;
    }, 'the conversation gone from visibility');
    expect(await system.infra.ledger.listCustomerBookings(customerKey)).toEqual([]);
  }, TEST_HANG_MS);
});
