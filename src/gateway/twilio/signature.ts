import twilio from 'twilio';

/**
 * Twilio webhook signatures (`X-Twilio-Signature`): HMAC-SHA1 under the account's auth token over the public URL
 * Twilio called plus the sorted form parameters. The URL is rebuilt from `PUBLIC_BASE_URL` and the request path —
 * never from the request's Host header, which the sender controls. Checking is done by the `twilio` package.
 */

/** Form parameters as Twilio signs them: repeated names become arrays. */
export type TwilioParams = Record<string, string | string[]>;

export interface SignedRequest {
  authToken: string;
  /** The public origin Twilio is configured with, e.g. `https://book.example.com` (a path prefix is kept). */
  publicBaseUrl: string;
  /** Path as received, e.g. `/webhooks/twilio/messaging`. */
  path: string;
  /** Query string as received, with or without `?`; empty or absent when there is none. */
  query?: string;
  /** The decoded form body (`application/x-www-form-urlencoded`). */
  params: TwilioParams;
}

/** The URL Twilio signed: public base + path (+ `?query` when present). */
export function webhookUrl(publicBaseUrl: string, path: string, query?: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const slashPath = path.startsWith('/') ? path : `/${path}`;
  const q = query ? (query.startsWith('?') ? query : `?${query}`) : '';
  return `${base}${slashPath}${q === '?' ? '' : q}`;
}

/**
 * True when `signature` is Twilio's signature of this request. False for a missing, forged or stale signature and
 * for any change to the URL or a parameter; never throws.
 */
export function verifyTwilioSignature(request: SignedRequest & { signature: string | undefined | null }): boolean {
  if (!request.authToken || !request.signature || request.signature.length > 256) return false;
  try {
    const url = webhookUrl(request.publicBaseUrl, request.path, request.query);
    return twilio.validateRequest(request.authToken, request.signature, url, request.params);
  } catch {
    // A URL that cannot be parsed was not signed by Twilio.
    return false;
  }
}

/** The `X-Twilio-Signature` Twilio would send for this request (for tests and `npm run sms`). */
export function signTwilioRequest(request: SignedRequest): string {
  return twilio.getExpectedTwilioSignature(
    request.authToken,
    webhookUrl(request.publicBaseUrl, request.path, request.query),
    request.params,
  );
}

/**
 * Decodes a form body the way Twilio's signature expects: every name once, repeated names as arrays in order.
 * Uses URLSearchParams, which never throws on broken percent-encoding (it keeps the text as is).
 */
export function parseTwilioForm(body: string): TwilioParams {
  // No prototype, so a field named "__proto__" is just a field.
  const params: TwilioParams = Object.create(null) as TwilioParams;
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}
