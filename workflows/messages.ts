import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingView, HoldView } from '../src/domain/tools';

/**
 * Messages of the conversation and appointment workflows, shared with the gateway. Module-level definitions so the
 * client and the workflow cannot disagree on a name.
 */

import type { Channel } from '../src/domain/messaging/channel';
export { CHANNELS, type Channel } from '../src/domain/messaging/channel';

export interface UserMessage {
  /** Unique per message (Twilio MessageSid, chat clientMessageId): repeats are processed once. */
  messageId: string;
  text: string;
  /** ISO-8601 instant the gateway received it. */
  receivedAt: string;
  channel: Channel;
}

export interface OperatorMessage {
  text: string;
  operator: string;
}

export type ConversationStatus = 'open' | 'holding' | 'booked' | 'human' | 'closed';

/** The state contract of DESIGN.md (HTTP `state`). */
export interface ConversationState {
  status: ConversationStatus;
  slots: { service?: string; date?: string; time?: string; provider?: string };
  hold: HoldView | null;
  bookings: BookingView[];
  needsHuman: boolean;
  /** Language of the replies, from the customer's messages. */
  locale: 'en' | 'es';
  /** Model tokens used by this conversation (across continue-as-new). */
  usage: { promptTokens: number; completionTokens: number; modelCalls: number };
}

export interface TranscriptEntry {
  /** Position in the transcript, increasing: a cursor for server-sent events. */
  seq: number;
  role: 'customer' | 'assistant' | 'operator';
  text: string;
  at: string;
}

export interface TurnResult {
  replies: { text: string; at: string }[];
  state: ConversationState;
}

export const userMessageSignal = defineSignal<[UserMessage]>('userMessage');
export const operatorMessageSignal = defineSignal<[OperatorMessage]>('operatorMessage');
export const takeOverSignal = defineSignal<[{ operator: string }?]>('takeOver');
export const handBackSignal = defineSignal<[]>('handBack');

/** A customer message that waits for its turn to finish and returns the replies (web chat, voice). */
export const postMessageUpdate = defineUpdate<TurnResult, [UserMessage]>('postMessage');

export const stateQuery = defineQuery<ConversationState>('state');
export const transcriptQuery = defineQuery<TranscriptEntry[], [{ afterSeq?: number }?]>('transcript');

/**
 * From an appointment workflow to the conversation that made the booking: the booking as it is now, so `state`
 * shows a change by staff or by the appointment itself at once. (What the customer was sent reaches the conversation
 * through the ledger's notices, which also reach a run that has ended.)
 */
export interface AppointmentUpdate {
  booking: BookingView;
}
export const appointmentUpdateSignal = defineSignal<[AppointmentUpdate]>('appointmentUpdate');

/** Appointment workflow messages. */
/**
 * Cancel the appointment. From the customer's conversation the ledger row is already cancelled; `by: 'staff'` means
 * the business cancels: the appointment workflow cancels in the ledger (no policy window binds the business) and
 * tells the customer.
 */
export const cancelAppointmentSignal = defineSignal<[{ reason?: string; by?: 'customer' | 'staff'; operator?: string }?]>('cancel');
/**
 * The business moves the appointment (staff desk, operator API, Web UI): `start` an ISO-8601 instant, `providerId`
 * optional (default: the same provider). The policy window does not bind the business, the opening hours, blocks and
 * closures do. The ledger makes a new booking (so a new appointment workflow follows it, reminders planned afresh),
 * the customer is told on their channel, and the answer says what the ledger did.
 */
export interface MoveRequest {
  start: string;
  providerId?: string;
  operator: string;
}
export type MoveResult =
  | { ok: true; booking: BookingView; previous: BookingView }
  | { ok: false; code: string; message: string; alternatives: { provider: string; start: string; end: string }[] };
export const moveAppointmentUpdate = defineUpdate<MoveResult, [MoveRequest]>('move');
export const attendanceSignal = defineSignal<[{ attended: boolean }]>('attendance');

export interface AppointmentState {
  bookingId: string;
  status: 'confirmed' | 'cancelled' | 'completed' | 'no_show';
  start: string;
  end: string;
  /** Upcoming timers, for operators and tests. */
  schedule: { at: string; kind: string; label: string }[];
  sent: { at: string; kind: string; label: string; outcome: string }[];
}
export const appointmentStateQuery = defineQuery<AppointmentState>('appointmentState');
