import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { parseTwilioForm, signTwilioRequest, verifyTwilioSignature, webhookUrl } from '../../../src/gateway/twilio/signature';

const authToken = '12345678901234567890123456789012';
const publicBaseUrl = 'https://book.example.com';
const path = '/webhooks/twilio/messaging';
const params = { MessageSid: 'SM' + 'a'.repeat(32), From: '+15551234567', To: '+15557654321', Body: 'Haircut Friday 3pm?' };

/** Twilio's documented algorithm, written out independently of the twilio package. */
function referenceSignature(token: string, url: string, form: Record<string, string>): string {
  const data = Object.keys(form).sort().reduce((acc, key) => acc + key + form[key], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
}

describe('Twilio signatures', () => {
  it('signs the way Twilio documents, over the public URL and sorted parameters', () => {
    const signature = signTwilioRequest({ authToken, publicBaseUrl, path, params });
    expect(signature).toBe(referenceSignature(authToken, 'https://book.example.com/webhooks/twilio/messaging', params));
  });

  it('accepts a correctly signed request', () => {
    const signature = signTwilioRequest({ authToken, publicBaseUrl, path, params });
    expect(verifyTwilioSignature({ authToken, publicBaseUrl, path, params, signature })).toBe(true);
  });

  it('includes the query string when there is one', () => {
    const query = 'outboxId=42';
    const signature = signTwilioRequest({ authToken, publicBaseUrl, path: '/webhooks/twilio/status', query, params });
    expect(verifyTwilioSignature({ authToken, publicBaseUrl, path: '/webhooks/twilio/status', query: '?outboxId=42', params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken, publicBaseUrl, path: '/webhooks/twilio/status', query: 'outboxId=43', params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, publicBaseUrl, path: '/webhooks/twilio/status', params, signature })).toBe(false);
  });

  it('rejects forged and modified requests', () => {
    const signature = signTwilioRequest({ authToken, publicBaseUrl, path, params });
    const cases = [
      { params: { ...params, Body: 'Haircut Friday 4pm?' } },
      { params: { ...params, From: '+15550000000' } },
      { params: { ...params, Extra: '1' } },
      { path: '/webhooks/twilio/voice' },
      { publicBaseUrl: 'https://evil.example.com' },
      { authToken: 'another-token-000000000000000000' },
      { signature: signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
      { signature: '' },
      { signature: undefined },
      { signature: 'x'.repeat(10_000) },
    ];
    for (const change of cases) {
      expect(verifyTwilioSignature({ authToken, publicBaseUrl, path, params, signature, ...change }), JSON.stringify(change).slice(0, 80)).toBe(false);
    }
  });

  it('never throws on a broken base URL or empty token', () => {
    expect(verifyTwilioSignature({ authToken: '', publicBaseUrl, path, params, signature: 'abc' })).toBe(false);
    expect(verifyTwilioSignature({ authToken, publicBaseUrl: 'not a url', path, params, signature: 'abc' })).toBe(false);
  });

  it('builds the signed URL from the configured base, keeping a path prefix', () => {
    expect(webhookUrl('https://x.example/app/', '/webhooks/twilio/voice')).toBe('https://x.example/app/webhooks/twilio/voice');
    expect(webhookUrl('https://x.example', 'a', '?')).toBe('https://x.example/a');
  });

  it('decodes form bodies with repeated names and hostile names', () => {
    const form = parseTwilioForm('a=1&b=2&a=3&__proto__=x&c=%E0%A4%A&d=caf%C3%A9+ok');
    expect(form.a).toEqual(['1', '3']);
    expect(form.b).toBe('2');
    expect(form.__proto__).toBe('x');
    expect(form.d).toBe('café ok');
    expect(typeof form.c).toBe('string');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
