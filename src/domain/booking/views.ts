import type { BookingView, HoldView, SlotView } from '../tools';
import type { Booking, Slot } from './types';

/**
 * Ledger facts in the shapes the tools and the conversation state show (src/domain/tools.ts): ids and ISO instants,
 * nothing added, so every fact a reply states comes from the ledger.
 */

export function toSlotView(slot: Slot): SlotView {
  return { service: slot.serviceId, provider: slot.providerId, start: slot.start, end: slot.end };
}

/** A hold as the conversation shows it; `expiresAt` is when it stops blocking the slot. */
export function toHoldView(booking: Booking): HoldView {
  if (booking.status !== 'held' && booking.status !== 'released') {
    throw new RangeError(`booking ${booking.id} is ${booking.status}, not a hold; use toBookingView`);
  }
  return {
    bookingId: booking.id,
    service: booking.serviceId,
    provider: booking.providerId,
    start: booking.start,
    end: booking.end,
    expiresAt: booking.expiresAt ?? booking.start,
  };
}

/** A booking as the customer sees it. Holds are not bookings: a held or released row is a programming error here. */
export function toBookingView(booking: Booking): BookingView {
  if (booking.status === 'held' || booking.status === 'released') {
    throw new RangeError(`booking ${booking.id} is a ${booking.status} hold, not a booking; use toHoldView`);
  }
  return {
    id: booking.id,
    service: booking.serviceId,
    provider: booking.providerId,
    start: booking.start,
    end: booking.end,
    status: booking.status,
  };
}
