/**
 * Phone addresses as Twilio writes them: `+15551234567` for SMS and voice, `whatsapp:+15551234567` for WhatsApp.
 * Pure parsing; every error says what a valid address looks like.
 */

/** The channels that reach a phone number through Twilio's Messages API. */
export type PhoneChannel = 'sms' | 'whatsapp';

/** A parsed phone address: the channel it came over and the number in E.164 form. */
export interface PhoneAddress {
  channel: PhoneChannel;
  e164: string;
}

/** Thrown for an address that is not E.164 (optionally `whatsapp:`-prefixed). */
export class AddressError extends Error {
  override name = 'AddressError';
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Longer input than any real address is refused before any regex runs. */
const MAX_ADDRESS_LENGTH = 64;
/** Separators people type between digits (the CLI and operators), never sent by Twilio. */
const SEPARATORS = /[\s\-().]/g;

/**
 * Parses `'+15551234567'` (channel `sms`) or `'whatsapp:+15551234567'` (channel `whatsapp`). Spaces, dashes, dots
 * and parentheses between the digits are tolerated; anything else throws {@link AddressError}.
 */
export function parseAddress(raw: string): PhoneAddress {
  const parsed = tryParseAddress(raw);
  if (!parsed) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, MAX_ADDRESS_LENGTH)) : String(typeof raw);
    throw new AddressError(
      `${shown} is not a phone address; use E.164 such as "+15551234567", or "whatsapp:+15551234567" for WhatsApp`,
    );
  }
  return parsed;
}

/** Like {@link parseAddress} but returns null instead of throwing (for untrusted webhook fields). */
export function tryParseAddress(raw: unknown): PhoneAddress | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_ADDRESS_LENGTH) return null;
  let rest = raw.trim();
  let channel: PhoneChannel = 'sms';
  if (/^whatsapp:/i.test(rest)) {
    channel = 'whatsapp';
    rest = rest.slice('whatsapp:'.length);
  }
  const e164 = rest.replace(SEPARATORS, '');
  return E164.test(e164) ? { channel, e164 } : null;
}

/** The address as Twilio expects it in `To`/`From`: the bare number for SMS, `whatsapp:` + number for WhatsApp. */
export function formatAddress(address: PhoneAddress): string {
  return address.channel === 'whatsapp' ? `whatsapp:${address.e164}` : address.e164;
}

/** True when `e164` is a well-formed E.164 number. */
export function isE164(e164: string): boolean {
  return E164.test(e164);
}
