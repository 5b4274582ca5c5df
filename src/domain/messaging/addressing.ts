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

/** Which conversation a message belongs to and who it is from: the start arguments of a conversation workflow. */
export interface ConversationTarget {
  channel: Channel;
  /** The opaque key of the workflow id (a keyed hash; see src/adapters/addressing.ts). */
  key: string;
  customerKey: string;
  /** Where replies go: E.164 or `whatsapp:+…`; null for web chat. */
  address: string | null;
  /** The customer's IANA zone, when the page told us. */
  zone?: string;
}

/** A customer as an operator names them: their ledger key, their conversations' ids, and their number if any. */
export interface CustomerIdentity {
  customerKey: string;
  conversationIds: string[];
  /** E.164, for a phone customer. */
  phone: string | null;
}

/** The appointment workflow that follows one booking: `appointment:<bookingId>`. */
export function appointmentWorkflowId(bookingId: string): string {
  return `appointment:${bookingId}`;
}

/**
 * The waitlist's workflows: `waitlist:<entryId>` follows one waiting customer until their range passes or they book;
 * `waitlist-offer:<bookingId>` offers the slot that booking freed (`…:hold` when a hold ran out) to the customers waiting for it. Ids
 * only, no personal data (workflow ids are shown in plain text).
 */
export function waitlistWorkflowId(entryId: string): string {
  return `waitlist:${entryId}`;
}

export function waitlistOfferWorkflowId(freedBookingId: string, reason: 'cancelled' | 'moved' | 'hold_expired'): string {
  // A hold and the booking it becomes share an id: the hold's watcher and a later cancellation must not collide.
  return reason === 'hold_expired' ? `waitlist-offer:${freedBookingId}:hold` : `waitlist-offer:${freedBookingId}`;
}

/**
 * The workflows that outlive the run that starts them (by workflow type): an appointment outlives the conversation
 * run that booked it, a waitlist round the appointment whose cancellation freed its slot. They are started detached,
 * not as children (workflows/detached.ts).
 */
export const DETACHED_WORKFLOW_TYPES = ['appointmentWorkflow', 'waitlistOfferWorkflow', 'waitlistEntryWorkflow'] as const;
export type DetachedWorkflowType = (typeof DETACHED_WORKFLOW_TYPES)[number];
