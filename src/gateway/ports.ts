import type { ConversationTarget, CustomerIdentity } from '../domain/messaging/addressing';
import type { DeliveryStatus } from '../domain/messaging/delivery-status';
import type { ConversationState, ConversationStatus, TranscriptEntry, TurnResult, UserMessage } from '../../workflows/messages';

/**
 * What the HTTP layer asks of the rest of the system, declared here by the gateway that calls it. The adapters
 * (src/adapters/…) satisfy these by shape and never import the gateway; the composition root (src/composition.ts)
 * hands them over, and TypeScript checks the fit there.
 */

/** Addresses into conversations and customers, under KEY_SECRET (src/adapters/addressing.ts). */
export interface Addressing {
  newChatSession(): string;
  chatTarget(sessionId: string, zone?: string): ConversationTarget;
  /** Throws AddressError (src/domain/messaging/address.ts) for anything but `+1555…`, `whatsapp:+…` or `chat:<id>`. */
  identify(address: string): CustomerIdentity;
}

/** A manage link's session, or why the link was refused (src/gateway/chat/manage.ts words it for the customer). */
export type ManageLinkCheck =
  | { ok: true; sessionId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/**
 * Signed "manage my booking" links back into a web chat session, under KEY_SECRET (src/adapters/manage-links.ts):
 * the token is the last segment of `/manage/<token>`.
 */
export interface ManageLinks {
  issue(sessionId: string, expiresAt: Date): string;
  verify(token: string, now: Date): ManageLinkCheck;
}

export type PostOutcome = { kind: 'answered'; result: TurnResult } | { kind: 'pending'; messageId: string };

export interface ConversationView {
  transcript: TranscriptEntry[];
  state: ConversationState;
}

/** Conversations and appointments in Temporal (src/adapters/temporal/conversations.ts). */
export interface ConversationsPort {
  /** Starts the conversation if it is not running; returns its workflow id. */
  open(target: ConversationTarget): Promise<string>;
  /** Delivers and waits up to `waitMs` for the turn; `pending` when it is still working (the replies follow). */
  post(target: ConversationTarget, message: UserMessage, waitMs: number): Promise<PostOutcome>;
  exists(workflowId: string): Promise<boolean>;
  /** Null when there is no such conversation. */
  view(workflowId: string, afterSeq?: number): Promise<ConversationView | null>;
  transcriptAfter(workflowId: string, afterSeq: number): Promise<TranscriptEntry[] | null>;
  /** False when there is no such workflow. */
  operatorReply(workflowId: string, text: string, operator: string): Promise<boolean>;
  handBack(workflowId: string): Promise<boolean>;
  markAttendance(bookingId: string, attended: boolean): Promise<boolean>;
  cancelAsBusiness(bookingId: string, operator: string): Promise<boolean>;
  /** Remembers (null: forgets) where the customer's emails go; durable even with no worker up. */
  rememberEmail(customerKey: string, email: string | null): Promise<void>;
}

/** A conversation as operator lists show it: ids and flags only, never personal data. */
export interface ConversationListing {
  workflowId: string;
  channel: string;
  status: string;
  needsHuman: boolean;
  updatedAt: string;
}

/** What operators filter on; every field narrows. */
export interface ConversationFilter {
  status?: ConversationStatus;
  needsHuman?: boolean;
  /** Only these conversations (a customer's, from Addressing.identify). */
  workflowIds?: string[];
  limit: number;
}

/** Operator look-ups in Temporal visibility (src/adapters/temporal/visibility.ts). */
export interface ConversationFinder {
  find(filter: ConversationFilter): Promise<ConversationListing[]>;
}

/** A delivery status callback, as the provider reported it. */
export interface DeliveryReport {
  /** Our outbox row, when the callback URL carried it. */
  id?: number;
  providerSid: string;
  status: DeliveryStatus;
  errorCode?: number | null;
  errorMessage?: string | null;
}

/** Where delivery statuses are recorded (the worker's outbox, src/adapters/outbox/outbox-store.ts). */
export interface DeliveryStatusRecorder {
  /** `changed`: false for a repeat or a status that would move the message backwards. */
  recordStatus(report: DeliveryReport): Promise<{ changed: boolean }>;
}
