import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { createOutboxStore, type OutboxStore } from '../../../src/adapters/outbox/outbox-store';
import { parseTwilioForm, signTwilioRequest } from '../../../src/gateway/twilio/signature';
import { createOutboxDb } from '../../adapters/outbox/outbox-db';
import { authToken, mountTwilio, publicBaseUrl, sid } from './twilio-harness';
import { prng } from '../../support/prng';

/**
 * Hostile and malformed bodies against every Twilio route: each case is invalid by construction (bad or missing
 * signature, wrong content type, too large, or signed but malformed). None may get a 5xx, crash, reach a
 * conversation, or change the outbox.
 */

const CASES_PER_ROUTE = 1200;


const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE outbox_messages; --",
  '../../etc/passwd',
  '%00',
  '\u0000\u0001\u0002',
  '\ud800',
  '💥'.repeat(50),
  '{"$ne": null}',
  '__proto__',
  'constructor',
  'whatsapp:',
  '+',
  '+1'.padEnd(70, '9'),
  'SM' + 'g'.repeat(32),
  'CA' + '0'.repeat(31),
  '-1',
  '1e309',
  'NaN',
  ' ',
  '',
];

type Route = 'messaging' | 'voice' | 'status';

/** encodeURIComponent, except a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

function validParams(route: Route, n: number): Record<string, string> {
  if (route === 'messaging') return { MessageSid: sid('SM', n), From: '+15551234567', To: '+15550001111', Body: 'hello' };
  if (route === 'voice') return { CallSid: sid('CA', n), From: '+15551234567', To: '+15550001111', SpeechResult: 'hello' };
  return { MessageSid: sid('SM', n), MessageStatus: 'delivered' };
}

/** Breaks a field so the signed request fails validation. */
function malformed(route: Route, r: ReturnType<typeof prng>, n: number): { params: Record<string, string>; query: string } {
  const params = validParams(route, n);
  let query = route === 'voice' ? 'turn=1' : route === 'status' ? 'outboxId=1' : '';
  const key = route === 'voice' ? 'CallSid' : 'MessageSid';
  const hostile = r.pick(HOSTILE);
  switch (r.int(route === 'messaging' ? 4 : 3)) {
    case 0:
      params[key] = hostile;
      break;
    case 1:
      delete params[key];
      params[r.pick(['junk', 'Body', '__proto__', 'From'])] = hostile;
      break;
    case 2:
      if (route === 'messaging') params.From = r.pick(HOSTILE.filter((h) => !/^\+\d/.test(h)));
      else if (route === 'voice') query = `turn=${encode(r.pick(['-1', 'abc', '1e9', '501', hostile]))}`;
      else query = `outboxId=${encode(r.pick(['0', '-5', 'x', '99999999999', hostile]))}`;
      if (route === 'status' && query === 'outboxId=') params.MessageSid = hostile; // empty outboxId is allowed; break the sid
      if (route === 'voice' && /^turn=(\d{1,3})$/.test(query) && Number(query.slice(5)) <= 500) params.CallSid = hostile;
      break;
    default:
      params.Body = 'y'.repeat(1601 + r.int(20_000));
  }
  return { params, query };
}

/** What an HTTP client can put in a header: bytes, not text, and no control characters. */
function headerValue(text: string): string {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  try {
    new Headers({ x: bytes });
    return bytes;
  } catch {
    return bytes.replace(/[\x00-\x1f\x7f]/g, '') || 'x';
  }
}

function randomBody(r: ReturnType<typeof prng>): string {
  const parts: string[] = [];
  for (let i = r.int(12); i >= 0; i--) {
    const kind = r.int(5);
    if (kind === 0) parts.push(`${r.pick(HOSTILE)}=${r.pick(HOSTILE)}`);
    else if (kind === 1) parts.push(`%${r.pick(['', 'E0', 'zz', 'E0%A4', 'FF'])}=${'%'.repeat(r.int(4))}`);
    else if (kind === 2) parts.push(String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.int(0x2fff))));
    else if (kind === 3) parts.push(`a[]=1&a[b]=2&a=${r.pick(HOSTILE)}`);
    else parts.push(`MessageSid=${r.pick(HOSTILE)}&From=${encode(r.pick(HOSTILE))}`);
  }
  return parts.join(r.pick(['&', ';', '&&', '\n']));
}

function buildCase(route: Route, r: ReturnType<typeof prng>, n: number): { url: string; init: RequestInit; kind: string } {
  const path = `/webhooks/twilio/${route}`;
  const form = 'application/x-www-form-urlencoded';
  const sign = (params: Record<string, string | string[]>, query: string, token = authToken) =>
    signTwilioRequest({ authToken: token, publicBaseUrl, path, query, params });
  const kind = r.pick(['forged', 'replayed', 'content-type', 'too-large', 'malformed', 'junk'] as const);
  switch (kind) {
    case 'forged': {
      const body = randomBody(r);
      const hostile = headerValue(r.pick(HOSTILE));
      const signature = r.pick([undefined, '', 'x', hostile, sign(parseTwilioForm(body), '', 'wrong-token-0000000000000000000')]);
      return { url: `http://localhost${path}`, init: { method: 'POST', headers: { 'content-type': form, ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) }, body }, kind };
    }
    case 'replayed': {
      const params = validParams(route, n);
      const signature = sign(params, route === 'status' ? 'outboxId=1' : '');
      const changed = { ...params, [r.pick(Object.keys(params))]: r.pick(HOSTILE) + 'x' };
      return { url: `http://localhost${path}`, init: { method: 'POST', headers: { 'content-type': form, 'x-twilio-signature': signature }, body: new URLSearchParams(changed).toString() }, kind };
    }
    case 'content-type': {
      const params = validParams(route, n);
      const body = r.int(2) ? JSON.stringify(params) : new URLSearchParams(params).toString();
      const type = r.pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'text/xml', '']);
      return { url: `http://localhost${path}`, init: { method: 'POST', headers: { ...(type ? { 'content-type': type } : {}), 'x-twilio-signature': sign(params, '') }, body }, kind };
    }
    case 'too-large': {
      const params = { ...validParams(route, n), Body: 'z'.repeat(65 * 1024 + r.int(100_000)) };
      return { url: `http://localhost${path}`, init: { method: 'POST', headers: { 'content-type': form, 'x-twilio-signature': sign(params, '') }, body: new URLSearchParams(params).toString() }, kind };
    }
    case 'malformed': {
      const { params, query } = malformed(route, r, n);
      const q = query ? `?${query}` : '';
      return { url: `http://localhost${path}${q}`, init: { method: 'POST', headers: { 'content-type': form, 'x-twilio-signature': sign(params, q) }, body: new URLSearchParams(params).toString() }, kind };
    }
    case 'junk': {
      // Garbage, correctly signed: the signature passes and validation must stop it.
      const body = randomBody(r);
      return { url: `http://localhost${path}`, init: { method: 'POST', headers: { 'content-type': form, 'x-twilio-signature': sign(parseTwilioForm(body), '') }, body }, kind };
    }
  }
}

describe('fuzzing the Twilio webhooks', () => {
  let db: PGlite;
  let outbox: OutboxStore;
  beforeAll(async () => {
    db = await createOutboxDb();
    outbox = createOutboxStore(db);
    const { message } = await outbox.enqueue({ scope: 's', purpose: 'p', channel: 'sms', toAddress: '+15551234567', body: 'b' });
    await outbox.claim(message.id);
  });
  afterAll(async () => {
    await db.close();
  });

  for (const route of ['messaging', 'voice', 'status'] as const) {
    it(`${route}: ${CASES_PER_ROUTE} hostile requests, no 5xx, nothing started or stored`, async () => {
      const { app, conversations } = mountTwilio({ outbox, perSender: { capacity: 1e9, refillPerSecond: 1 }, perClient: { capacity: 1e9, refillPerSecond: 1 } });
      const before = await outbox.get(1);
      const r = prng(route.length * 7919);
      const byStatus = new Map<number, number>();
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        const { url, init, kind } = buildCase(route, r, i);
        const res = await app.request(url, init);
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`case ${i} (${kind}) got ${res.status}: ${await res.text()}`);
        if (res.status >= 400) {
          const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
          if (res.status !== 429) expect(body?.error?.code, `case ${i} (${kind})`).toBeTruthy();
        }
        if (conversations.calls > 0) throw new Error(`case ${i} (${kind}) reached the conversation: ${JSON.stringify(conversations.delivered.concat(conversations.voiceTurns.map((t) => t.message)))}`);
      }
      expect(await outbox.get(1)).toEqual(before);
      expect([...byStatus.keys()].every((s) => s < 500)).toBe(true);
      console.info(`${route}: ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}`);
    });
  }
});
