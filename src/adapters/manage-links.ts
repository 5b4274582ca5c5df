import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed "manage my booking" links under KEY_SECRET: the way back to a web chat (and its bookings) from a new tab or
 * another device. A link carries the chat session id, an expiry and an HMAC-SHA256 over both, so only this system
 * can mint one, a changed character is caught, and an old link stops working. Whoever holds a link holds the session
 * (as whoever holds the session id does): it is shown to the customer only, never logged.
 *
 * Token: `v1.<sessionId>.<expiry, seconds since the epoch, base 36>.<first 128 bits of the MAC, base64url>`.
 * Session ids are base64url (no dots), so the four parts split unambiguously.
 */

/** Separates these MACs from every other use of the secret (addressing.ts has its own domains). */
const DOMAIN = 'booking-orchestrator/manage-link/v1\n';
const VERSION = 'v1';
const MAC_BYTES = 16;
const SESSION = /^[A-Za-z0-9_-]{22,86}$/;

export type ManageLinkCheck =
  | { ok: true; sessionId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function createManageLinks(secret: string) {
  if (secret.length < 16) throw new Error('KEY_SECRET is too short: use at least 16 random characters (e.g. `openssl rand -hex 32`)');
  const mac = (sessionId: string, expiry: string) =>
    createHmac('sha256', secret).update(`${DOMAIN}${sessionId}\n${expiry}`).digest().subarray(0, MAC_BYTES);

  return {
    /** A token for the session, good until `expiresAt` (rounded down to the second). */
    issue(sessionId: string, expiresAt: Date): string {
      if (!SESSION.test(sessionId)) throw new Error('not a chat session id: a manage link can only be made for a session from POST /api/chat/sessions');
      const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36);
      return [VERSION, sessionId, expiry, mac(sessionId, expiry).toString('base64url')].join('.');
    },

    /** Whether `token` is one of ours, unchanged and not expired at `now`; if not, why (the gateway words it). */
    verify(token: string, now: Date): ManageLinkCheck {
      const parts = token.split('.');
      const [version, sessionId, expiry, signature] = parts;
      if (parts.length !== 4 || version !== VERSION || !SESSION.test(sessionId!) || !/^[0-9a-z]{1,12}$/.test(expiry!) || !/^[A-Za-z0-9_-]{22}$/.test(signature!)) {
        return { ok: false, reason: 'malformed' };
      }
      const given = Buffer.from(signature!, 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(sessionId!, expiry!))) {
        return { ok: false, reason: 'bad_signature' };
      }
      const expiresAt = new Date(parseInt(expiry!, 36) * 1000);
      if (expiresAt.getTime() <= now.getTime()) {
        return { ok: false, reason: 'expired' };
      }
      return { ok: true, sessionId: sessionId!, expiresAt };
    },
  };
}

export type ManageLinksAdapter = ReturnType<typeof createManageLinks>;
