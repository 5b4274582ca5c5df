import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Staff sign-in and the session cookie. A session is a signed value (operator name and expiry, HMAC-SHA256), so any
 * gateway holding the same credentials accepts it and nothing is stored. The signing key is derived from the
 * credentials themselves: changing OPS_TOKEN or a staff password signs everybody out.
 */

export const SESSION_COOKIE = 'staff_session';
export const SESSION_HOURS = 12;

export interface StaffCredentials {
  /** The operator token (OPS_TOKEN): signs in under any name the person gives. */
  opsToken?: string;
  /** Per-staff passwords (STAFF_PASSWORDS="Dana:secret,Sam:other"): the name is the staff member's. */
  passwords?: Readonly<Record<string, string>>;
}

export function staffDeskEnabled(credentials: StaffCredentials): boolean {
  return Boolean(credentials.opsToken) || Object.keys(credentials.passwords ?? {}).length > 0;
}

/**
 * Parses STAFF_PASSWORDS: comma-separated `name:password` pairs. Throws with a message that says how to write it.
 */
export function parseStaffPasswords(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text?.trim()) return out;
  for (const pair of text.split(',')) {
    const at = pair.indexOf(':');
    const name = pair.slice(0, at).trim();
    const password = pair.slice(at + 1);
    if (at <= 0 || !name || password.length < 8 || name.length > 64) {
      throw new Error('STAFF_PASSWORDS must be name:password pairs separated by commas, passwords of at least 8 characters, e.g. "Dana:correct-horse,Sam:battery-staple"');
    }
    out[name] = password;
  }
  return out;
}

function same(a: string, b: string): boolean {
  // Hashed first so the comparison takes the same time whatever the lengths.
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Who the credentials sign in, or null. With the operator token the person names themselves. */
export function signIn(credentials: StaffCredentials, name: string, password: string): string | null {
  const who = name.trim().slice(0, 64);
  if (!who || !password) return null;
  const own = credentials.passwords?.[who];
  if (own !== undefined && same(own, password)) return who;
  if (credentials.opsToken && same(credentials.opsToken, password)) return who;
  return null;
}

function signingKey(credentials: StaffCredentials): Buffer {
  const material = JSON.stringify([credentials.opsToken ?? '', Object.entries(credentials.passwords ?? {}).sort()]);
  return createHash('sha256').update(`staff-session:v1:${material}`).digest();
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function issueSession(credentials: StaffCredentials, operator: string, now: Date): string {
  const body = b64(JSON.stringify({ op: operator, exp: now.getTime() + SESSION_HOURS * 3600_000 }));
  return `v1.${body}.${b64(createHmac('sha256', signingKey(credentials)).update(body).digest())}`;
}

/** The operator of a valid, unexpired session cookie value, or null. */
export function readSession(credentials: StaffCredentials, value: string | undefined, now: Date): string | null {
  if (!value || !staffDeskEnabled(credentials)) return null;
  const [version, body, mac] = value.split('.');
  if (version !== 'v1' || !body || !mac) return null;
  const expected = b64(createHmac('sha256', signingKey(credentials)).update(body).digest());
  if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { op?: unknown; exp?: unknown };
    if (typeof parsed.op !== 'string' || typeof parsed.exp !== 'number' || parsed.exp <= now.getTime()) return null;
    return parsed.op;
  } catch {
    return null;
  }
}
