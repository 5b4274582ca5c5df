import { createHmac, randomBytes } from 'node:crypto';
import { parseAddress } from '../domain/messaging/address';
import { conversationWorkflowId, customerKeyFor, type ConversationTarget, type CustomerIdentity } from '../domain/messaging/addressing';
import type { Channel } from '../domain/messaging/channel';

/**
 * Opaque keys under KEY_SECRET, the one place they are computed. Workflow ids and search attributes are stored and
 * shown in plain text, so neither a phone number nor a chat session id (the bearer secret of a web chat) ever appears
 * in them: `conversation:<channel>:<key>` carries an HMAC-SHA256 instead. The same number gives the same key on SMS,
 * WhatsApp and voice (the channel is in the workflow id), so opt-outs and bookings follow the person. Without the
 * secret a key cannot be reversed or recomputed by brute force over the small space of phone numbers.
 */

/** Bumping these would re-key every conversation; they separate these keys from any other use of the secret. */
const PHONE_DOMAIN = 'booking-orchestrator/conversation-key/v1\n';
const CHAT_DOMAIN = 'booking-orchestrator/chat-session/v1\n';
/** 128 bits in lowercase hex. */
const KEY_HEX_LENGTH = 32;
const PHONE_CHANNELS = ['sms', 'whatsapp', 'voice'] as const satisfies readonly Channel[];

/**
 * The opaque key for a phone address (`+1555…` or `whatsapp:+1555…`; formatting is normalized first so both and
 * `+1 555-…` give one key). Throws AddressError for anything that is not a phone address.
 */
export function conversationKey(secret: string, address: string): string {
  checkSecret(secret);
  const { e164 } = parseAddress(address);
  return createHmac('sha256', secret).update(PHONE_DOMAIN + e164).digest('hex').slice(0, KEY_HEX_LENGTH);
}

/** The opaque key of a web chat session: seeing a workflow id never lets anyone read or write the chat. */
export function chatSessionKey(secret: string, sessionId: string): string {
  checkSecret(secret);
  return createHmac('sha256', secret).update(CHAT_DOMAIN + sessionId).digest('hex').slice(0, KEY_HEX_LENGTH);
}

/**
 * Addresses into conversations and customers, under one secret: what the gateway's `Addressing` port asks for
 * (src/gateway/ports.ts), and what the Temporal adapter uses to reach a phone customer's conversation.
 */
export function createAddressing(secret: string) {
  checkSecret(secret);
  const phoneTarget = (channel: Exclude<Channel, 'chat'>, address: string): ConversationTarget => {
    const key = conversationKey(secret, address);
    return { channel, key, customerKey: customerKeyFor(channel, key), address };
  };
  const chatTarget = (sessionId: string, zone?: string): ConversationTarget => {
    const key = chatSessionKey(secret, sessionId);
    return { channel: 'chat', key, customerKey: customerKeyFor('chat', key), address: null, zone };
  };
  return {
    /** A new chat session id: 256 random bits, URL-safe. */
    newChatSession: (): string => randomBytes(32).toString('base64url'),
    chatTarget,
    phoneTarget,
    /**
     * Who an operator means: `+1555…`, `whatsapp:+1555…` (one person on SMS, WhatsApp and voice) or
     * `chat:<sessionId>`. Throws AddressError for anything else.
     */
    identify(address: string): CustomerIdentity {
      if (address.startsWith('chat:')) {
        const target = chatTarget(address.slice('chat:'.length));
        return { customerKey: target.customerKey, conversationIds: [conversationWorkflowId('chat', target.key)], phone: null };
      }
      // An unencoded "+" in a query string arrives as a space: "?address=+1555…" must still work.
      const normalized = address.replace(/^ (?=\d)/, '+').replace(/^whatsapp: (?=\d)/, 'whatsapp:+');
      const { e164 } = parseAddress(normalized);
      const key = conversationKey(secret, e164);
      return {
        customerKey: customerKeyFor('sms', key),
        conversationIds: PHONE_CHANNELS.map((channel) => conversationWorkflowId(channel, key)),
        phone: e164,
      };
    },
  };
}

export type AddressingAdapter = ReturnType<typeof createAddressing>;

function checkSecret(secret: string): void {
  if (secret.length < 16) {
    throw new Error('KEY_SECRET is too short: use at least 16 random characters (e.g. `openssl rand -hex 32`)');
  }
}
