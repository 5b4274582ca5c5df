import type { DeliveryStatus } from '../../domain/messaging/delivery-status';
import type { PhoneChannel } from '../../domain/messaging/address';
import type { WhatsappTemplate } from '../../domain/messaging/whatsapp-window';

/**
 * The port outbound SMS and WhatsApp go through: Twilio's REST API, or the local outbox when there is no account.
 * Shaped to what the messaging activity needs — submit once, and find out afterwards whether an ambiguous submit
 * went through — not to Twilio's API.
 */

/** One message to hand over. Exactly one of `body` and `template` is set. */
export interface OutboundMessage {
  /** The outbox row: lets a status callback find its row even before the MessageSid is stored. */
  outboxId: number;
  channel: PhoneChannel;
  /** E.164 number. */
  to: string;
  body?: string;
  template?: WhatsappTemplate;
}

/** The provider accepted the message. */
export interface Submitted {
  /** Twilio MessageSid; null for the local outbox. */
  providerSid: string | null;
  status: DeliveryStatus;
  /** When the provider created it (ISO-8601), when known. */
  createdAt?: string;
}

/**
 * Why a submit failed, which decides what happens next:
 * - `opted_out`: the recipient replied STOP to the sender (Twilio 21610) — mark opted out, never retry;
 * - `window_closed`: WhatsApp free text outside the 24 h window (63016) — a template is needed;
 * - `rejected`: the provider refused this message for good (bad number, too long…) — do not retry;
 * - `credentials`: the account or token is wrong — fix the configuration;
 * - `not_sent`: certainly nothing was created (connection refused, 429) — safe to send again;
 * - `ambiguous`: it may have been created (timeout, reset, 5xx) — reconcile before sending again.
 */
export type SendFailureKind = 'opted_out' | 'window_closed' | 'rejected' | 'credentials' | 'not_sent' | 'ambiguous';

/** A failed submit, classified. `code` is the provider's error code when it gave one. */
export class SendError extends Error {
  override name = 'SendError';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly code?: number,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export interface MessageSender {
  /** `twilio` sends through the REST API; `local` only writes the log (rows end as `local`). */
  readonly mode: 'twilio' | 'local';
  /** Hands the message over once. Throws {@link SendError}; never retries by itself. */
  submit(message: OutboundMessage): Promise<Submitted>;
  /**
   * Messages the provider holds that could be this one, oldest first: same recipient and sender, created at or
   * after `since`, same body for free text. The caller drops those already owned by another outbox row.
   */
  findSubmitted(message: OutboundMessage, since: Date): Promise<(Submitted & { providerSid: string })[]>;
}
