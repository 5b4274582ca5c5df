import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/system';
import { prng } from '../support/prng';
import { workflowsStartedBy } from '../support/visibility';

/**
 * Hostile and malformed requests against every public JSON route of the gateway (chat and operator API; the Twilio
 * routes have their own fuzz test). Each case is invalid by construction. None may get a 5xx, crash the app, or start
 * a workflow; every refusal is JSON `{error: {code, message}}`.
 */
const CASES_PER_ROUTE = 1000;


const HOSTILE_STRINGS = ['<script>alert(1)</script>', "'; DROP TABLE bookings; --", '../../etc/passwd', '\u0000\u0001', '\ud800', '💥'.repeat(40), '{"$ne":null}', 'A'.repeat(70_000), ' ', ''];
const HOSTILE_VALUES: unknown[] = [null, 0, -1, 1e309, true, [], {}, [1, 2], { text: { nested: true } }, ...HOSTILE_STRINGS];

/** A body that cannot be valid: broken JSON, wrong types, huge fields, unknown shapes. */
function hostileBody(r: ReturnType<typeof prng>): string | Uint8Array {
  switch (r.int(7)) {
    case 0:
      return r.pick(['{', '{"text":', 'not json', '[]]', '\u0000', '{"text":"a"', 'null', '"text"']);
    case 1:
      return JSON.stringify({ text: r.pick(HOSTILE_VALUES.filter((v) => typeof v !== 'string' || v.trim() === '' || v.length > 2000)) });
    case 2:
      return JSON.stringify({ text: 'hello', clientMessageId: r.pick(['../x', '<b>', 'a'.repeat(200), 5, null, {}]) });
    case 3:
      return new Uint8Array(Array.from({ length: 1 + r.int(64) }, () => 0x80 + r.int(0x7f))); // broken UTF-8
    case 4:
      return JSON.stringify({ timezone: r.pick(['Mars/Olympus', 5, '../../etc', 'A'.repeat(100), null, {}]), text: 7 });
    case 5:
      return JSON.stringify({ attended: r.pick(['yes', 1, null, [], {}]), text: r.pick([null, 3, []]) });
    default:
      return 'x'.repeat(17 * 1024 + r.int(4096)); // over the 16 KiB limit
  }
}

function hostileId(r: ReturnType<typeof prng>): string {
  return encodeURIComponent(r.pick(['..', '%00', '<script>', 'a'.repeat(300), 'conversation:sms:', 'conversation:fax:abc', "x' OR '1'='1", '💥', 'AAAA']));
}

describe('public JSON routes under hostile input', () => {
  let system: TestSystem;
  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true'; // each case from its own address, so the per-address limits let validation run
    system = await startSystem();
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await system?.stop();
  });

  const routes: { name: string; request: (r: ReturnType<typeof prng>) => [string, RequestInit] }[] = [
    { name: 'POST /api/chat/sessions', request: (r) => ['/api/chat/sessions', { method: 'POST', body: nonEmptyHostile(r) }] },
    { name: 'POST /api/chat/sessions/:id/messages', request: (r) => [`/api/chat/sessions/${r.int(2) ? hostileId(r) : 'A'.repeat(43)}/messages`, { method: 'POST', body: hostileBody(r) }] },
    { name: 'GET /api/chat/sessions/:id', request: (r) => [`/api/chat/sessions/${hostileId(r)}`, { method: 'GET' }] },
    { name: 'GET /api/chat/sessions/:id/events', request: (r) => [`/api/chat/sessions/${hostileId(r)}/events`, { method: 'GET' }] },
    { name: 'GET /api/chat/sessions/:id/manage-link', request: (r) => [`/api/chat/sessions/${r.int(2) ? hostileId(r) : 'A'.repeat(43)}/manage-link`, { method: 'GET' }] },
    // A forged token (well formed, wrong signature) as often as a hostile one: neither may open a session.
    // ("/manage/.." is "/" itself, the chat page: not a case.)
    { name: 'GET /manage/:token', request: (r) => [`/manage/${r.int(2) ? hostileId(r).replace(/^\.\.$/, '..x') : `v1.${'A'.repeat(43)}.${r.pick(['zzzzzz', '0', 'mq1x2a'])}.${'A'.repeat(22)}`}`, { method: 'GET', headers: { accept: 'application/json' } }] },
    { name: 'GET /api/ops/conversations', request: (r) => [`/api/ops/conversations?status=${hostileId(r)}&needsHuman=${hostileId(r)}&address=${hostileId(r)}&limit=${r.pick(['-1', 'x', '1e9'])}`, { method: 'GET', headers: auth(r) }] },
    { name: 'POST /api/ops/conversations/:id/messages', request: (r) => [`/api/ops/conversations/${hostileId(r)}/messages`, { method: 'POST', body: hostileBody(r), headers: auth(r) }] },
    { name: 'POST /api/ops/conversations/:id/hand-back', request: (r) => [`/api/ops/conversations/${hostileId(r)}/hand-back`, { method: 'POST', body: hostileBody(r), headers: auth(r) }] },
    { name: 'POST /api/ops/bookings/:id/attendance', request: (r) => [`/api/ops/bookings/${hostileId(r)}/attendance`, { method: 'POST', body: hostileBody(r), headers: auth(r) }] },
  ];

  for (const [index, route] of routes.entries()) {
    it(`${route.name}: ${CASES_PER_ROUTE} hostile requests, no 5xx, JSON errors, nothing started`, async () => {
      const r = prng(1000 + index);
      const statuses = new Map<number, number>();
      // Visibility is read after a marker workflow started behind the cases is listed: an empty answer is final.
      const started = await workflowsStartedBy(system, async () => {
        for (let i = 0; i < CASES_PER_ROUTE; i++) {
          const [path, init] = route.request(r);
          const headers = { 'content-type': r.int(5) ? 'application/json' : r.pick(['text/plain', 'application/x-www-form-urlencoded', '']), 'x-forwarded-for': `198.51.${r.int(256)}.${i % 256}`, ...(init.headers as Record<string, string>) };
          const response = await system.app.request(path, { ...init, headers });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status, `case ${i}: ${init.method} ${path.slice(0, 80)}`).toBeLessThan(500);
          expect(response.status, `case ${i}: ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
          const body = (await response.json()) as { error?: { code?: string; message?: string } };
          expect(typeof body.error?.code).toBe('string');
          expect(typeof body.error?.message).toBe('string');
        }
        expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
      });
      expect(started).toEqual([]);
    });
  }
});

/** A bearer header that is missing, wrong or right (the body or path must then be what fails). */
function auth(r: ReturnType<typeof prng>): Record<string, string> {
  const headers: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer test-ops-token' }, { authorization: 'Basic dGVzdA==' }];
  return r.pick(headers);
}

/** Session creation accepts `{}`: every case here must be something else that is invalid. */
function nonEmptyHostile(r: ReturnType<typeof prng>): string | Uint8Array {
  for (;;) {
    const body = hostileBody(r);
    if (typeof body !== 'string') return body;
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && !('timezone' in parsed)) continue; // would be valid
      return body;
    } catch {
      return body;
    }
  }
}
