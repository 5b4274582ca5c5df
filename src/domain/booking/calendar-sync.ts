import type { BusyInterval } from './availability';
import type { Booking } from './types';

/**
 * Optional mirror of the ledger in a Google Calendar (GOOGLE_CALENDAR_ID), shaped to the booking domain: staff see
 * confirmed bookings as events, and events staff add themselves ("dentist", "closed") make time busy. The ledger stays
 * the source of truth for bookings: our own events are never read back as busy time.
 */
export interface CalendarSync {
  /**
   * Busy time from events in [range.start, range.end) that are not ours. An event tagged with a provider id (private
   * extended property `providerId`) blocks that provider; an untagged one blocks every provider listed. Transparent
   * ("free") and cancelled events block nobody.
   */
  listBusy(range: { start: string; end: string }, providerIds: readonly string[]): Promise<BusyInterval[]>;
  /** Creates (or finds, on a retry) the event of a confirmed booking; its id is derived from the booking id. */
  createEvent(booking: Booking, idempotencyKey: string): Promise<{ eventId: string }>;
  /** Removes a booking's event; one already gone is fine. */
  deleteEvent(bookingId: string): Promise<void>;
}
