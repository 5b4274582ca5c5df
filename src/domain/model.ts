import type { WhenReading } from './conversation/date-provenance';
import type { ChangeProposal, ToolCall, ToolName } from './tools';

/**
 * What a language model sees and answers, in our own shape. The OpenAI adapter and the offline interpreter both
 * speak it, so the conversation workflow cannot tell them apart. Nothing vendor-specific belongs here.
 */

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ModelReply {
  text: string | null;
  toolCalls: ToolCall[];
  usage?: TokenUsage;
}

/** An offered slot, as the customer was shown it (ISO instants). */
export interface OfferedSlot {
  service: string;
  provider: string;
  start: string;
  end: string;
}

/** Facts the model needs that our code owns: the clock, the zones, the conversation's slots and offers. */
export interface TurnContext {
  /** Current instant, ISO-8601 (workflow time). */
  now: string;
  /** The customer's IANA zone. */
  zone: string;
  businessZone: string;
  locale: 'en' | 'es';
  slots: { service?: string; date?: string; time?: string; provider?: string };
  hold: { bookingId: string; service: string; provider: string; start: string; end: string; expiresAt: string } | null;
  /** Slots offered in the last availability answer, in the order shown. */
  offered: OfferedSlot[];
  bookings: { id: string; service: string; provider: string; start: string; end: string; status: string }[];
  /**
   * Who the customer is, as the ledger keeps them: their name when they gave one, and whether the assistant should
   * ask for it at the end of this turn's booking (the business wants names, none is known, not asked before).
   */
  customer?: { name: string | null; askName: boolean };
  /**
   * A cancellation or move read back to the customer and waiting for their yes (confirm_change) or no
   * (keep_booking); `proposedTurn` is the turn that read it back. Absent when nothing waits.
   */
  pendingChange?: (ChangeProposal & { proposedTurn: number }) | null;
  /**
   * Our code's reading of the dates and times in the customer's recent messages, oldest first, the last one this
   * turn's (model path only). The model copies dates from here, from `offered` or from `bookings`; it never works one
   * out, and the guard refuses a date from anywhere else (src/domain/conversation/date-provenance.ts).
   */
  whenSaid?: WhenReading[];
}

export interface ModelRequest {
  messages: ChatMessage[];
  tools: ToolName[];
  context: TurnContext;
}

/** The port every language model implements: the OpenAI-compatible adapter and the offline interpreter. */
export interface LanguageModel {
  complete(request: ModelRequest): Promise<ModelReply>;
}
