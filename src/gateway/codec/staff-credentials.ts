import { timingSafeEqual } from 'node:crypto';
import { verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';

/**
 * Who may read customers' words through the codec server: staff, and only staff. Three credentials count:
 * - the operator token (`Authorization: Bearer <OPS_TOKEN>`), for scripts and `temporal` CLI users;
 * - the Web UI's own endpoint key: the codec endpoint the UI is configured with ends in `/codec/ui/<key>`, a secret
 *   only those who can open the UI can read (put the UI behind its own sign-in or a proxy; `npm start`'s UI listens on
 *   loopback only);
 * - the Web UI's forwarded sign-in: with the UI's OIDC sign-in on and `TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true`, the
 *   UI sends the signed-in user's access token, verified here against the identity provider's keys (JWKS), issuer
 *   and audience.
 * Anything else is refused. Comparisons of secrets take constant time.
 */
export interface StaffCredentialOptions {
  opsToken?: string;
  uiKey?: string;
  /** The Web UI's identity provider, when its sign-in forwards tokens here. */
  oidc?: { jwksUrl: string; issuer?: string; audience?: string };
}

export function sameSecret(given: string, expected: string | undefined): boolean {
  if (!expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerOf(authorization: string | undefined): string {
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? '';
}

const JWKS_TTL_MS = 5 * 60_000;
/** A token the cached keys refuse refetches them at most this often, so bad tokens cannot hammer the provider. */
const JWKS_REFRESH_MIN_MS = 30_000;

/** Verifies forwarded access tokens against the provider's keys, fetched at most every five minutes. */
export function createTokenVerifier(oidc: NonNullable<StaffCredentialOptions['oidc']>, fetchImpl: typeof fetch = fetch) {
  let cached: { keys: HonoJsonWebKey[]; at: number } | undefined;
  async function keys(refresh: boolean): Promise<HonoJsonWebKey[]> {
    if (cached && Date.now() - cached.at < (refresh ? JWKS_REFRESH_MIN_MS : JWKS_TTL_MS)) return cached.keys;
    const response = await fetchImpl(oidc.jwksUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the identity provider's keys (${oidc.jwksUrl}) answered ${response.status}`);
    const body = (await response.json()) as { keys?: HonoJsonWebKey[] };
    cached = { keys: body.keys ?? [], at: Date.now() };
    return cached.keys;
  }
  const verification = { iss: oidc.issuer, aud: oidc.audience };
  const allowedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
  return async function verify(token: string): Promise<boolean> {
    for (const refresh of [false, true]) {
      try {
        await verifyWithJwks(token, { keys: await keys(refresh), verification, allowedAlgorithms });
        return true;
      } catch {
        // Maybe a key rotated at the provider since the last fetch: try once more with fresh keys.
      }
    }
    return false;
  };
}
