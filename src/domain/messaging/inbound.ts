import type { Channel } from './channel';

/** A customer message as the conversation workflow wants it. */
export interface InboundMessage {
  channel: Exclude<Channel, 'chat'>;
  /** `+15551234567`, or `whatsapp:+15551234567` for WhatsApp. */
  address: string;
  /** Twilio MessageSid, or `<CallSid>:<turn>` for a voice turn: unique, so repeats are processed once. */
  messageId: string;
  text: string;
  /** ISO-8601. */
  receivedAt: string;
}

/**
 * What the Twilio routes need from the conversations: declared here, with the message it carries, so the gateway
 * (which calls it) and the Temporal adapter (which satisfies it) both depend inward, on the domain.
 */
export interface PhoneConversationsPort {
  /** Delivers without waiting for the reply (signal-with-start). Must be idempotent by `messageId`. */
  deliverInbound(message: InboundMessage): Promise<void>;
  /**
   * One spoken turn: delivers and waits up to `waitMs` for the assistant's replies (update-with-start with
   * `messageId` as the update id, so asking again for the same turn returns the same answer). Null on timeout.
   */
  voiceTurn(message: InboundMessage, waitMs: number): Promise<{ replies: string[] } | null>;
}
