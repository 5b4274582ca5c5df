import type { Channel } from './channel';

/**
 * Workflow ids, the DESIGN.md contract, derived in one place. A conversation is the customer on one channel:
 * `conversation:<channel>:<key>`, where the key is opaque (a keyed hash of a phone number, the same on SMS, WhatsApp
 * and voice, or of a chat session) — never the number itself, because workflow ids are shown in plain text.
 */
export function conversationWorkflowId(channel: Channel, key: string): string {
  return `conversation:${channel}:${key}`;
}

/**
 * The customer's identity in the ledger: one per phone number across SMS, WhatsApp and voice (so bookings and
 * opt-out follow the person), one per chat session.
 */
export function customerKeyFor(channel: Channel, key: string): string {
  return channel === 'chat' ? `chat:${key}` : `phone:${key}`;
}

/** The appointment workflow that follows one booking: `appointment:<bookingId>`. */
export function appointmentWorkflowId(bookingId: string): string {
  return `appointment:${bookingId}`;
}
