import { describe, expect, it } from 'vitest';
import { createManageLinks } from '../../src/adapters/manage-links';

const secret = 'test-key-secret-0123456789abcdef';
const session = 'h3Vx0r9aQ1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1vW2';
const now = new Date('2026-11-29T12:00:00Z');
const later = new Date('2027-02-27T12:00:00Z');

describe('manage my booking links', () => {
  const links = createManageLinks(secret);

  it('round-trips a session and its expiry under the secret', () => {
    const token = links.issue(session, later);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(links.verify(token, now)).toEqual({ ok: true, sessionId: session, expiresAt: later });
  });

  it('refuses a changed session, expiry or signature, and a token made under another secret', () => {
    const token = links.issue(session, later);
    const [v, s, e, mac] = token.split('.');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    expect(links.verify([v, flip(s!), e, mac].join('.'), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(links.verify([v, s, (parseInt(e!, 36) + 86_400).toString(36), mac].join('.'), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(links.verify([v, s, e, flip(mac!)].join('.'), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(createManageLinks('another-secret-0123456789abcdef').verify(token, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an expired link and anything that is not a whole token', () => {
    expect(links.verify(links.issue(session, now), now)).toEqual({ ok: false, reason: 'expired' });
    const token = links.issue(session, later);
    for (const bad of ['', 'v1', token.slice(0, -1), `v2${token.slice(2)}`, `${token}.x`, 'v1.short.abc.def']) {
      expect(links.verify(bad, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('makes links only for chat session ids', () => {
    expect(() => links.issue('not a session', later)).toThrow(/session/);
  });
});
