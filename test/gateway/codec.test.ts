import { OpenAPIHono } from '@hono/zod-openapi';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../../src/adapters/temporal/payload-codec';
import { parsePayloadKeys } from '../../src/adapters/temporal/payload-keys';
import { createCodecRoutes } from '../../src/gateway/codec/routes';
import { serveApp, type HttpServer } from '../support/http-server';

/**
 * The codec server on its own, through app.request(): Temporal's wire shape, staff-only access by each of the three
 * credentials (operator token, the Web UI's endpoint key, a sign-in token the UI forwards, checked against a real
 * JWKS endpoint served on loopback), and CORS for the Web UI's origin only.
 */
const UI_ORIGIN = 'http://localhost:8233';
const UI_KEY = 'k'.repeat(40);
const ISSUER = 'https://login.example.test/';
const AUDIENCE = 'temporal-ui';
const codec = new AesGcmPayloadCodec(parsePayloadKeys(`k1:${randomBytes(32).toString('base64')}`));

/** The identity provider: one RSA key, its public half served as a JWKS. */
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'idp-key-1';
const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256' };
let jwksFetches = 0;
let idp: HttpServer;

const token = (claims: Record<string, unknown> = {}, key: object = privateJwk) =>
  sign({ sub: 'dana@clinic.example', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, ...claims }, key as never, 'RS256');

let app: OpenAPIHono;
beforeAll(async () => {
  const jwks = new Hono().get('/jwks', (c) => {
    jwksFetches++;
    return c.json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  });
  idp = await serveApp(jwks);
  app = new OpenAPIHono();
  app.route(
    '/codec',
    createCodecRoutes({
      codecServer: { codec, uiKey: UI_KEY, uiOrigins: [UI_ORIGIN], oidc: { jwksUrl: `${idp.url}/jwks`, issuer: ISSUER, audience: AUDIENCE } },
      opsToken: 'ops-secret',
      logger: pino({ level: 'silent' }),
    }),
  );
});
afterAll(async () => idp?.close());

const wire = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify(body) });

describe('codec server', () => {
  it('decodes Temporal\'s wire shape for the operator token, in order', async () => {
    const words = [{ text: 'first' }, { text: 'second +15551234567' }];
    const encrypted = await codec.encode(words.map((w) => defaultPayloadConverter.toPayload(w)));
    const res = await post('/codec/decode', wire(encrypted), { authorization: 'Bearer ops-secret' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(body.payloads.map((p) => JSON.parse(Buffer.from(p.data, 'base64').toString()))).toEqual(words);
    expect(Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  });

  it('encodes for staff (what the Web UI sends in a signal), decodable back', async () => {
    const res = await post('/codec/encode', wire([defaultPayloadConverter.toPayload({ text: 'Hello' })]), { authorization: 'Bearer ops-secret' });
    const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    const back = await codec.decode([{ metadata: { encoding: Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64'), 'encryption-key-id': Buffer.from(body.payloads[0]!.metadata['encryption-key-id']!, 'base64') }, data: Buffer.from(body.payloads[0]!.data, 'base64') }]);
    expect(defaultPayloadConverter.fromPayload(back[0]!)).toEqual({ text: 'Hello' });
  });

  it('refuses everyone else with 401: no credentials, a wrong token, a wrong UI key', async () => {
    const body = wire(await codec.encode([defaultPayloadConverter.toPayload('x')]));
    for (const [path, headers] of [
      ['/codec/decode', {}],
      ['/codec/decode', { authorization: 'Bearer ops-secreT' }],
      ['/codec/encode', {}],
      [`/codec/ui/${'x'.repeat(40)}/decode`, {}],
      [`/codec/ui/${UI_KEY}x/decode`, {}],
    ] as const) {
      const res = await post(path, body, headers);
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('accepts the Web UI endpoint key in the path', async () => {
    const encrypted = await codec.encode([defaultPayloadConverter.toPayload('via the UI')]);
    expect((await post(`/codec/ui/${UI_KEY}/decode`, wire(encrypted))).status).toBe(200);
    expect((await post(`/codec/ui/${UI_KEY}/encode`, wire([defaultPayloadConverter.toPayload('x')]))).status).toBe(200);
  });

  it('accepts a sign-in token the Web UI forwards, checked against the provider\'s keys, issuer, audience and expiry', async () => {
    const encrypted = wire(await codec.encode([defaultPayloadConverter.toPayload('signed in')]));
    expect((await post('/codec/decode', encrypted, { authorization: `Bearer ${await token()}` })).status).toBe(200);
    const fetchesAfterGood = jwksFetches;
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const bad of [
      await token({ aud: 'another-app' }),
      await token({ iss: 'https://evil.example/' }),
      await token({ exp: Math.floor(Date.now() / 1000) - 60 }),
      await token({}, { ...other.export({ format: 'jwk' }), kid, alg: 'RS256' }),
    ]) {
      expect((await post('/codec/decode', encrypted, { authorization: `Bearer ${bad}` })).status).toBe(401);
    }
    // Bad tokens do not make the gateway hammer the provider: its keys are cached.
    expect(jwksFetches - fetchesAfterGood).toBeLessThanOrEqual(1);
  });

  it('answers CORS for the Web UI origin only', async () => {
    const preflight = (origin: string) =>
      app.request('/codec/decode', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says which key a payload needs when it cannot decrypt it; refuses a body that is not a codec request', async () => {
    const foreign = new AesGcmPayloadCodec(parsePayloadKeys(`k-2025:${randomBytes(32).toString('base64')}`));
    const encrypted = await foreign.encode([defaultPayloadConverter.toPayload('old')]);
    const res = await post('/codec/decode', wire(encrypted), { authorization: 'Bearer ops-secret' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/key "k-2025", which is not in PAYLOAD_KEYS/);
    expect((await post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, { authorization: 'Bearer ops-secret' })).status).toBe(400);
    expect((await post('/codec/decode', { nothing: true }, { authorization: 'Bearer ops-secret' })).status).toBe(400);
  });

  it('answers hostile bodies from staff with a 4xx JSON error, never a 5xx', async () => {
    const b64 = (n: number) => randomBytes(n).toString('base64');
    const shapes: (() => unknown)[] = [
      () => ({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') }, data: b64(40) }] }),
      () => ({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('k1').toString('base64') }, data: b64(Math.floor(Math.random() * 64)) }] }),
      () => ({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': b64(8) }, data: b64(64) }] }),
      () => ({ payloads: 'all of them' }),
      () => ({ payloads: [null, 1, 'x'] }),
      () => [1, 2, 3],
      () => ({ payloads: [{ metadata: { [b64(4)]: b64(4) }, data: b64(16) }] }),
    ];
    for (let i = 0; i < 200; i++) {
      const res = await post('/codec/decode', shapes[i % shapes.length]!(), { authorization: 'Bearer ops-secret' });
      expect(res.status, `case ${i % shapes.length}`).toBeLessThan(500);
      if (res.status !== 200) expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    const notJson = await app.request('/codec/decode', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ops-secret' }, body: '{"payloads": [' });
    expect(notJson.status).toBe(400);
  });

  it('without PAYLOAD_KEYS configured there is no codec server', async () => {
    const bare = new OpenAPIHono();
    bare.route('/codec', createCodecRoutes({ opsToken: 'ops-secret', logger: pino({ level: 'silent' }) }));
    const res = await bare.request('/codec/decode', { method: 'POST', headers: { authorization: 'Bearer ops-secret' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
