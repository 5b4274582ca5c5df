import type { MiddlewareHandler } from 'hono';
import { errorResponse } from '../errors';
import { parseTwilioForm, verifyTwilioSignature, type TwilioParams } from './signature';

/** Hono variables set by {@link requireTwilioSignature}. */
export type TwilioEnv = { Variables: { twilioParams: TwilioParams } };

export interface TwilioSignatureOptions {
  /** Unset: every request is refused, saying why. */
  authToken?: string;
  /** PUBLIC_BASE_URL: the URL Twilio is configured with; signatures are checked against it, never the Host header. */
  publicBaseUrl: string;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Lets through only form-encoded requests carrying a valid `X-Twilio-Signature` for PUBLIC_BASE_URL + path
 * (+ query), and hands the decoded form to the handler as `twilioParams`. Nothing past it runs for a forged request.
 */
export function requireTwilioSignature(options: TwilioSignatureOptions): MiddlewareHandler<TwilioEnv> {
  return async (c, next) => {
    if (!options.authToken) {
      return errorResponse(
        c,
        403,
        'twilio_not_configured',
        'Twilio webhooks are refused because TWILIO_AUTH_TOKEN is not set, so their signatures cannot be checked; set TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL',
      );
    }
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith(FORM)) {
      return errorResponse(c, 415, 'unsupported_media_type', `Twilio webhooks are ${FORM}; got ${JSON.stringify(type.slice(0, 80))}`);
    }
    const params = parseTwilioForm(await c.req.text());
    const query = new URL(c.req.url).search;
    const valid = verifyTwilioSignature({
      authToken: options.authToken,
      publicBaseUrl: options.publicBaseUrl,
      path: c.req.path,
      query,
      params,
      signature: c.req.header('x-twilio-signature'),
    });
    if (!valid) {
      return errorResponse(
        c,
        403,
        'invalid_signature',
        'X-Twilio-Signature does not match this request; Twilio signs PUBLIC_BASE_URL + path with the auth token',
      );
    }
    c.set('twilioParams', params);
    await next();
  };
}
