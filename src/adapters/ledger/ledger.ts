import type { BusyInterval } from '../../domain/booking/availability';
import type { Booking, BookingStatus, Outcome } from '../../domain/booking/types';
import type { ConversationNotice, ConversationSnapshot } from '../../domain/conversation/conversation';
import type { SqlPort } from './database';
import type { StaffCalendar } from './staff-calendar';

/**
 * The ledger port: who holds what, shaped to the booking domain. Every mutation carries an idempotency key (workflow
 * id + step): repeating a key returns the first answer and changes nothing, so a retried activity never books twice.
 * Business refusals come back as Outcome rejections (and are remembered under the key like successes); infrastructure
 * failures throw. Instants are UTC ISO-8601 strings.
 */
export interface Ledger extends StaffCalendar {
  readonly driver: 'pglite' | 'postgres';
  /** The underlying connection, for sibling adapters that keep their tables in the same database (the outbox). */
  readonly sql: SqlPort;

  /**
   * Holds a slot until `expiresAt`. In one transaction it first releases expired holds in the way (so an expired hold
   * never blocks, even when its release failed), then inserts; the exclusion constraint refuses an overlap with a held
   * or confirmed row of the provider, and a block or closure in the way is refused too: `slot_taken`.
   */
  hold(request: HoldRequest): Promise<Outcome<Booking>>;
  /**
   * Confirms the customer's hold. A hold still `held` is confirmed even a moment past `expiresAt` (nobody can have
   * taken its slot without releasing it first); a released one answers `hold_expired`. Already confirmed: the booking.
   */
  confirm(request: BookingRequest): Promise<Outcome<Booking>>;
  /** Releases the customer's hold (held → released). Already released: the booking as it is. */
  release(request: BookingRequest): Promise<Outcome<Booking>>;
  /** Cancels the customer's confirmed booking (confirmed → cancelled). Policy checks are the caller's. */
  cancel(request: BookingRequest): Promise<Outcome<Booking>>;
  /**
   * Moves a confirmed booking: in ONE transaction the old row is cancelled and a new confirmed row inserted, so the
   * customer never has both or neither. The new slot may overlap the old one (moving by 15 minutes works).
   */
  reschedule(request: RescheduleRequest): Promise<Outcome<{ booking: Booking; previous: Booking }>>;
  /**
   * Swaps a confirmed booking for the new time held for it (a hold made with `replacing`), in ONE transaction: the
   * hold becomes the confirmed booking and the old one is cancelled, so the customer never has both or neither. A
   * released hold answers `hold_expired` and the old booking stays; a retry with the same key answers the same.
   */
  swap(request: SwapRequest): Promise<Outcome<{ booking: Booking; previous: Booking }>>;
  /** Operator: confirmed → completed (attended) or no_show; may correct one into the other. */
  markAttendance(request: AttendanceRequest): Promise<Outcome<Booking>>;

  /**
   * Taken time of these providers overlapping [range.start, range.end): confirmed rows, unexpired holds and blocks.
   * `exceptBookingIds` leaves those bookings out (a booking being moved is not in its own way).
   */
  listBusy(providerIds: readonly string[], range: { start: string; end: string }, options?: { exceptBookingIds?: readonly string[] }): Promise<BusyInterval[]>;
  /** The customer's bookings, by start; all statuses unless `statuses` narrows them. */
  listCustomerBookings(customerKey: string, options?: { statuses?: readonly BookingStatus[] }): Promise<Booking[]>;
  /** One booking by id, whoever owns it (callers check ownership), or null. */
  getBooking(bookingId: string): Promise<Booking | null>;

  /** The customer's record; one never seen before gets the defaults (not opted out, zone and locale unknown). */
  getCustomer(customerKey: string): Promise<Customer>;
  /** STOP (true) or START (false). Naturally idempotent; a key additionally makes a replay return the first answer. */
  setOptOut(request: { customerKey: string; optedOut: boolean; idempotencyKey?: string }): Promise<Customer>;
  /** Remembers the customer's zone and/or locale; fields left undefined are kept. */
  setCustomerPreferences(request: {
    customerKey: string;
    zone?: string | null;
    locale?: string | null;
    /** The name the customer gave (null forgets it). */
    name?: string | null;
    idempotencyKey?: string;
  }): Promise<Customer>;

  /** What the conversation `workflowId` remembered when its last run ended, or null for a first visit. */
  loadConversationMemory(workflowId: string): Promise<ConversationSnapshot | null>;
  /** Keeps a conversation's snapshot for its next run (the newest write wins). */
  saveConversationMemory(request: { workflowId: string; customerKey: string; snapshot: ConversationSnapshot }): Promise<void>;

  /** Keeps a notice for the conversation `workflowId`; the same `noticeKey` again changes nothing. */
  addConversationNotice(request: { workflowId: string; customerKey: string; noticeKey: string; notice: Omit<ConversationNotice, 'id'> }): Promise<void>;
  /** The conversation's notices after `afterId`, oldest first; with no cursor, only the last two weeks'. */
  listConversationNotices(workflowId: string, afterId: number): Promise<ConversationNotice[]>;

  /**
   * Forgets a customer (privacy): their record (opt-out, zone, language, name, email), conversation memories and
   * notices, waitlist entries and idempotency records are deleted in one transaction. Their bookings stay, with
   * times, service, provider and status, so the calendar stays right, under a new anonymous key (`forgotten:<uuid>`)
   * that links to nobody. Forgetting someone unknown changes nothing.
   */
  forgetCustomer(customerKey: string): Promise<ForgottenCustomer>;

  close(): Promise<void>;
}

/** What forgetting a customer did in the ledger. */
export interface ForgottenCustomer {
  /** The key their bookings now carry; null when they had none. */
  anonymousKey: string | null;
  /** Their bookings, kept under the anonymous key. */
  bookingIds: string[];
  /** Rows deleted, by kind. */
  deleted: { customers: number; conversationMemories: number; conversationNotices: number; idempotencyRecords: number; waitlistEntries: number };
}

export interface HoldRequest {
  customerKey: string;
  serviceId: string;
  providerId: string;
  /** Appointment start and end. */
  start: string;
  end: string;
  /** The service's buffer after the end, blocked too. */
  bufferMinutes: number;
  expiresAt: string;
  idempotencyKey: string;
  /**
   * A move's new time: the customer's confirmed booking it would replace. Its own time does not count against the
   * hold (an 11:00 move of a 10:00 booking the same day works): the hold claims only the part of the new time the
   * booking does not already block, so the two rows together block exactly the new time for everyone else.
   */
  replacing?: string;
}

/** Confirms the hold `holdId` made for moving `bookingId`, and cancels `bookingId` (see {@link Ledger.swap}). */
export interface SwapRequest extends BookingRequest {
  holdId: string;
  /** The service's buffer after the end: the confirmed booking blocks it too. */
  bufferMinutes: number;
}

/** An operation on one of the customer's bookings: another customer's answers `not_yours`, an unknown id `not_found`. */
export interface BookingRequest {
  bookingId: string;
  customerKey: string;
  idempotencyKey: string;
  /** Staff acting for the business (cancel, reschedule): recorded in staff_actions with the change. */
  operator?: string;
}

export interface RescheduleRequest extends BookingRequest {
  /** The new appointment; the service stays the same. */
  providerId: string;
  start: string;
  end: string;
  bufferMinutes: number;
}

export interface AttendanceRequest {
  bookingId: string;
  attended: boolean;
  idempotencyKey: string;
}

export interface Customer {
  customerKey: string;
  optedOut: boolean;
  zone: string | null;
  locale: string | null;
  /** The name the customer gave, when they gave one. */
  name: string | null;
}

/**
 * The same idempotency key was used for a different request: a programming error (keys must be unique per step), not
 * something a retry can fix.
 */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
  constructor(key: string, operation: string, previousOperation: string) {
    super(
      `idempotency key "${key}" was already used for a different ${previousOperation} request; ` +
        `use a new key (workflow id + step) for this ${operation}`,
    );
  }
}
