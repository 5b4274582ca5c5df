import { SendError } from '../outbox/message-sender';

/**
 * Sorts a failure of a Twilio create-message call into what may happen next (see SendFailureKind). When in doubt
 * the answer is `ambiguous`: reconciling costs one list request, a duplicate costs the customer's trust.
 */

/** The recipient replied STOP to this sender. */
export const TWILIO_OPTED_OUT = 21610;
/** WhatsApp: free-form message outside the 24 h customer-service window. */
export const TWILIO_WHATSAPP_WINDOW_CLOSED = 63016;
export const TWILIO_AUTHENTICATE = 20003;

/** Network errors raised before the request could have reached Twilio. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

interface MaybeHttpError {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  moreInfo?: unknown;
}

export function classifyTwilioError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as MaybeHttpError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;

  if (status !== undefined) {
    const where = `Twilio answered ${status}${code ? ` (error ${code})` : ''}: ${message}`;
    if (code === TWILIO_OPTED_OUT) return new SendError('opted_out', `${where} — the recipient replied STOP`, code, status);
    if (code === TWILIO_WHATSAPP_WINDOW_CLOSED) {
      return new SendError('window_closed', `${where} — outside the WhatsApp 24 h window; send an approved template`, code, status);
    }
    if (status === 401 || status === 403 || code === TWILIO_AUTHENTICATE) {
      return new SendError('credentials', `${where} — check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN`, code, status);
    }
    if (status === 429) return new SendError('not_sent', `${where} — rate limited; retry later`, code, status);
    if (status >= 400 && status < 500) return new SendError('rejected', where, code, status);
    return new SendError('ambiguous', `${where} — the message may have been created`, code, status);
  }
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  if (networkCode && NEVER_SENT.has(networkCode)) {
    return new SendError('not_sent', `could not reach Twilio (${networkCode}): ${message}`);
  }
  return new SendError('ambiguous', `no answer from Twilio (${networkCode ?? 'unknown error'}): ${message} — the message may have been created`);
}
