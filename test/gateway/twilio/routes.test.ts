import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { createOutboxStore, type OutboxStore } from '../../../src/adapters/outbox/outbox-store';
import { createOutboxDb } from '../../adapters/outbox/outbox-db';
import { mountTwilio, sid, twilioRequest } from './twilio-harness';

const inbound = (n: number, extra: Record<string, string> = {}) => ({
  MessageSid: sid('SM', n),
  AccountSid: sid('AC', 1),
  From: '+15551234567',
  To: '+15550001111',
  Body: 'Can I get a haircut on Friday at 3pm?',
  NumMedia: '0',
  ...extra,
});

describe('POST /webhooks/twilio/messaging', () => {
  it('delivers a signed message and answers empty TwiML at once', async () => {
    const { app, conversations } = mountTwilio({ now: () => new Date('2030-06-10T14:00:00Z') });
    const res = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(1)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(conversations.delivered).toEqual([
      { channel: 'sms', address: '+15551234567', messageId: sid('SM', 1), text: 'Can I get a haircut on Friday at 3pm?', receivedAt: '2030-06-10T14:00:00.000Z' },
    ]);
  });

  it('routes WhatsApp by its address', async () => {
    const { app, conversations } = mountTwilio();
    await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(2, { From: 'whatsapp:+34600111222', To: 'whatsapp:+15550001111' })));
    expect(conversations.delivered[0]).toMatchObject({ channel: 'whatsapp', address: 'whatsapp:+34600111222' });
  });

  it('processes a repeated MessageSid once, also when the repeats race', async () => {
    const { app, conversations } = mountTwilio();
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(3)))));
    await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(3)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(conversations.delivered).toHaveLength(1);
  });

  it('rejects a forged or altered request with 403 and starts nothing', async () => {
    const { app, conversations } = mountTwilio();
    const forged = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(4), { signature: 'bm90IGEgc2lnbmF0dXJl' }));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    const [url, init] = twilioRequest('/webhooks/twilio/messaging', inbound(4));
    const altered = await app.request(url, { ...init, body: new URLSearchParams({ ...inbound(4), Body: 'cancel everything' }).toString() });
    expect(altered.status).toBe(403);
    const otherToken = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(4), { token: 'another-token-00000000000000000' }));
    expect(otherToken.status).toBe(403);
    const unsigned = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(4), { signature: null }));
    expect(unsigned.status).toBe(403);
    expect(conversations.calls).toBe(0);
  });

  it('checks the signature against PUBLIC_BASE_URL, not the Host the request claims', async () => {
    const { app, conversations } = mountTwilio();
    const [, init] = twilioRequest('/webhooks/twilio/messaging', inbound(5));
    const res = await app.request('http://evil.example/webhooks/twilio/messaging', init);
    expect(res.status).toBe(200); // the signature is over book.example.com, which is what Twilio called
    const { app: other } = mountTwilio({ publicBaseUrl: 'https://other.example.com' });
    expect((await other.request(...twilioRequest('/webhooks/twilio/messaging', inbound(6)))).status).toBe(403);
    expect(conversations.delivered).toHaveLength(1);
  });

  it('refuses everything, saying why, when there is no auth token', async () => {
    const { app, conversations } = mountTwilio({ authToken: undefined });
    for (const path of ['/webhooks/twilio/messaging', '/webhooks/twilio/voice', '/webhooks/twilio/status']) {
      const res = await app.request(...twilioRequest(path, inbound(7)));
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('twilio_not_configured');
      expect(body.error.message).toMatch(/TWILIO_AUTH_TOKEN/);
    }
    expect(conversations.calls).toBe(0);
  });

  it('answers bad input with a clear 4xx', async () => {
    const { app, conversations } = mountTwilio();
    const json = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(8), { contentType: 'application/json' }));
    expect(json.status).toBe(415);
    const huge = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(8, { Body: 'x'.repeat(70_000) })));
    expect(huge.status).toBe(413);
    const noSid = await app.request(...twilioRequest('/webhooks/twilio/messaging', { From: '+15551234567', Body: 'hi' }));
    expect(noSid.status).toBe(400);
    expect(await noSid.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringMatching(/MessageSid/) } });
    const badFrom = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(8, { From: '<script>alert(1)</script>' })));
    expect(badFrom.status).toBe(400);
    expect(conversations.calls).toBe(0);
  });

  it('answers 503 when the conversation cannot be reached, and delivers when Twilio retries', async () => {
    const { app, conversations } = mountTwilio();
    conversations.failNext = 1;
    expect((await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(9)))).status).toBe(503);
    expect((await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(9)))).status).toBe(200);
    expect(conversations.delivered).toHaveLength(1);
  });

  it('limits each sender', async () => {
    const { app, conversations } = mountTwilio({ perSender: { capacity: 3, refillPerSecond: 0.001 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(100 + i)))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(200, { From: '+15559999999' })))).status).toBe(200);
    expect(conversations.delivered).toHaveLength(4);
  });

  it('acknowledges a media-only message without delivering it', async () => {
    const { app, conversations } = mountTwilio();
    const res = await app.request(...twilioRequest('/webhooks/twilio/messaging', inbound(10, { Body: '', NumMedia: '1' })));
    expect(res.status).toBe(200);
    expect(conversations.calls).toBe(0);
  });

  it('is described in the OpenAPI document', async () => {
    const { app } = mountTwilio();
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(Object.keys(doc.paths ?? {})).toEqual(expect.arrayContaining(['/webhooks/twilio/messaging', '/webhooks/twilio/voice', '/webhooks/twilio/status']));
  });
});

describe('POST /webhooks/twilio/voice', () => {
  const call = (extra: Record<string, string> = {}) => ({ CallSid: sid('CA', 1), From: '+15551234567', To: '+15550001111', CallStatus: 'in-progress', ...extra });

  it('greets and listens, then speaks the replies and listens again', async () => {
    const { app, conversations } = mountTwilio();
    const first = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call()))).text();
    expect(first).toContain('<Gather input="speech" action="https://book.example.com/webhooks/twilio/voice?turn=1" method="POST"');
    expect(first).toContain('Maple Street Studio');
    const second = await app.request(...twilioRequest('/webhooks/twilio/voice', call({ SpeechResult: 'A haircut tomorrow at 10 & not later' }), { query: 'turn=1' }));
    const twiml = await second.text();
    expect(twiml).toContain('<Say language="en-US">You said: A haircut tomorrow at 10 &amp; not later</Say>');
    expect(twiml).toContain('voice?turn=2');
    expect(conversations.voiceTurns[0]?.message).toMatchObject({ channel: 'voice', address: '+15551234567', messageId: `${sid('CA', 1)}:1` });
  });

  it('asks again after silence, then says goodbye and hangs up', async () => {
    const { app, conversations } = mountTwilio();
    const once = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call(), { query: 'turn=2' }))).text();
    expect(once).toContain("didn't catch that");
    expect(once).toContain('silence=1');
    const twice = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call(), { query: 'turn=2&silence=1' }))).text();
    expect(twice).toContain('<Hangup/>');
    expect(conversations.calls).toBe(0);
  });

  it('keeps the caller on the line while the assistant thinks, asking again for the same turn', async () => {
    const { app, conversations } = mountTwilio();
    conversations.voiceAnswer = async () => null;
    const waiting = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call({ SpeechResult: 'move my booking' }), { query: 'turn=3' }))).text();
    expect(waiting).toContain('<Redirect method="POST">https://book.example.com/webhooks/twilio/voice?turn=3&amp;speech=move+my+booking&amp;wait=1</Redirect>');
    conversations.voiceAnswer = async () => ({ replies: ['Which booking?'] });
    const answered = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call(), { query: 'turn=3&speech=move+my+booking&wait=1' }))).text();
    expect(answered).toContain('Which booking?');
    expect(conversations.voiceTurns.map((t) => t.message.messageId)).toEqual([`${sid('CA', 1)}:3`, `${sid('CA', 1)}:3`]);
  });

  it('ends cleanly for a hidden number and when the conversation fails', async () => {
    const { app, conversations } = mountTwilio();
    const hidden = await (await app.request(...twilioRequest('/webhooks/twilio/voice', call({ From: 'anonymous', SpeechResult: 'hi' }), { query: 'turn=1' }))).text();
    expect(hidden).toContain('<Hangup/>');
    expect(conversations.calls).toBe(0);
    conversations.voiceAnswer = async () => {
      throw new Error('Temporal down');
    };
    const res = await app.request(...twilioRequest('/webhooks/twilio/voice', call({ SpeechResult: 'hi' }), { query: 'turn=1' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/trouble.*<Hangup\/>/);
  });

  it('rejects a query the signature does not cover', async () => {
    const { app } = mountTwilio();
    const [url, init] = twilioRequest('/webhooks/twilio/voice', call({ SpeechResult: 'hi' }), { query: 'turn=1' });
    expect((await app.request(url.replace('turn=1', 'turn=9'), init)).status).toBe(403);
  });
});

describe('POST /webhooks/twilio/status', () => {
  let db: PGlite;
  let outbox: OutboxStore;
  beforeAll(async () => {
    db = await createOutboxDb();
    outbox = createOutboxStore(db);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.exec('TRUNCATE outbox_messages RESTART IDENTITY');
  });

  it('stores signed delivery reports forward-only, even one that beats the MessageSid', async () => {
    const { app } = mountTwilio({ outbox });
    const { message } = await outbox.enqueue({ scope: 'booking:b1', purpose: 'confirmation', channel: 'sms', toAddress: '+15551234567', body: 'Booked' });
    await outbox.claim(message.id);
    const report = (status: string, extra: Record<string, string> = {}) =>
      app.request(...twilioRequest('/webhooks/twilio/status', { MessageSid: sid('SM', 77), MessageStatus: status, AccountSid: sid('AC', 1), ...extra }, { query: `outboxId=${message.id}` }));
    expect((await report('sent')).status).toBe(204);
    expect(await outbox.get(message.id)).toMatchObject({ status: 'sent', providerSid: sid('SM', 77) });
    await report('delivered');
    await report('sent');
    await report('undelivered', { ErrorCode: '30003' });
    expect(await outbox.get(message.id)).toMatchObject({ status: 'delivered', errorCode: null });
  });

  it('refuses unsigned reports', async () => {
    const { app } = mountTwilio({ outbox });
    const res = await app.request(...twilioRequest('/webhooks/twilio/status', { MessageSid: sid('SM', 1), MessageStatus: 'delivered' }, { signature: 'x' }));
    expect(res.status).toBe(403);
  });
});

