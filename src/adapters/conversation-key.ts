import { createHmac } from 'node:crypto';
import { parseAddress } from '../domain/messaging/address';

/**
 * Stable opaque keys for phone numbers. Workflow ids and search attributes are stored and shown in plain text, so a
 * number never appears in them: `conversation:<channel>:<key>` carries an HMAC-SHA256 of the number under
 * `KEY_SECRET` instead. The same number gives the same key on SMS, WhatsApp and voice (the channel is in the
 * workflow id), so opt-outs and bookings follow the person. Without the secret the key cannot be reversed or
 * recomputed by brute force over the small space of phone numbers.
 */

/** Bumping this would re-key every conversation; it separates these keys from any other use of the secret. */
const DOMAIN = 'booking-orchestrator/conversation-key/v1\n';
/** 128 bits in lowercase hex. */
const KEY_HEX_LENGTH = 32;

/**
 * The opaque key for a phone address (`+1555…` or `whatsapp:+1555…`; formatting is normalized first so both and
 * `+1 555-…` give one key). Throws AddressError for anything that is not a phone address.
 */
export function conversationKey(secret: string, address: string): string {
  if (secret.length < 16) {
    throw new Error('KEY_SECRET is too short: use at least 16 random characters (e.g. `openssl rand -hex 32`)');
  }
  const { e164 } = parseAddress(address);
  return createHmac('sha256', secret).update(DOMAIN + e164).digest('hex').slice(0, KEY_HEX_LENGTH);
}

/** The conversation workflow id contract of DESIGN.md, defined once in the domain. */
export { conversationWorkflowId } from '../domain/messaging/addressing';
