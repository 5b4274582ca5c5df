import type { Business, Policies } from './business';
import { findProvider, findService } from './business';
import { fitsOpeningHours } from './hours';
import { asDateTime } from './time';
import type { Booking, Rejection } from './types';

/**
 * The business rules a proposed booking must pass before the ledger is asked. Pure: each check returns the first
 * Rejection that applies, or null. The ledger's exclusion constraint still has the last word on overlaps.
 */

const MINUTE = 60_000;

/** The service exists, the provider (when named) exists, and the provider offers the service. */
export function checkRequest(business: Business, serviceId: string, providerId?: string): Rejection | null {
  if (!findService(business, serviceId)) return { code: 'unknown_service', service: serviceId };
  if (providerId === undefined) return null;
  const provider = findProvider(business, providerId);
  if (!provider) return { code: 'unknown_provider', provider: providerId };
  if (!provider.serviceIds.includes(serviceId)) {
    return { code: 'provider_does_not_offer', service: serviceId, provider: providerId };
  }
  return null;
}

/** A slot someone wants to hold: which service, with whom, starting when. */
export interface ProposedSlot {
  business: Business;
  serviceId: string;
  providerId: string;
  /** ISO-8601 instant. */
  start: string;
  /** ISO-8601 instant or Date. */
  now: string | Date;
}

/**
 * Everything about a proposed slot except whether it is free: known service and provider, the provider offers it,
 * not in the past, at least `minNoticeMinutes` ahead, within `maxDaysAhead` business-local days, and the appointment
 * inside one of the provider's opening intervals (in the business's zone).
 */
export function checkSlot(proposal: ProposedSlot): Rejection | null {
  const { business } = proposal;
  const request = checkRequest(business, proposal.serviceId, proposal.providerId);
  if (request) return request;
  const service = findService(business, proposal.serviceId)!;
  const provider = findProvider(business, proposal.providerId)!;
  const policies = business.policies;
  const now = asDateTime(proposal.now);
  const start = asDateTime(proposal.start).setZone(business.timezone);
  if (start <= now) return { code: 'in_the_past' };
  if (start.toMillis() < now.toMillis() + policies.minNoticeMinutes * MINUTE) {
    return { code: 'too_soon', minNoticeMinutes: policies.minNoticeMinutes };
  }
  const lastDay = now.setZone(business.timezone).startOf('day').plus({ days: policies.maxDaysAhead });
  if (start.startOf('day') > lastDay) return { code: 'too_far', maxDaysAhead: policies.maxDaysAhead };
  if (!fitsOpeningHours(provider, service, start)) return { code: 'outside_hours' };
  return null;
}

/**
 * A confirmed booking may be cancelled (or moved) by the customer only while its start is at least
 * `cancellationNoticeHours` away; inside that window the conversation explains the policy and offers a human.
 */
export function checkCancellation(booking: Pick<Booking, 'start'>, policies: Policies, now: string | Date): Rejection | null {
  const start = asDateTime(booking.start).toMillis();
  const current = asDateTime(now).toMillis();
  if (start <= current) return { code: 'in_the_past' };
  if (start - current < policies.cancellationNoticeHours * 60 * MINUTE) {
    return { code: 'inside_cancellation_window', cancellationNoticeHours: policies.cancellationNoticeHours };
  }
  return null;
}

/** Confirmed bookings that have not ended yet: what `maxActiveBookingsPerCustomer` counts. Holds are not counted. */
export function activeBookings(bookings: readonly Booking[], now: string | Date): Booking[] {
  const current = asDateTime(now).toMillis();
  return bookings.filter((b) => b.status === 'confirmed' && asDateTime(b.end).toMillis() > current);
}

/** A customer already at `maxActiveBookingsPerCustomer` upcoming bookings may not hold another slot. */
export function checkActiveBookingLimit(bookings: readonly Booking[], policies: Policies, now: string | Date): Rejection | null {
  const max = policies.maxActiveBookingsPerCustomer;
  return activeBookings(bookings, now).length >= max ? { code: 'too_many_active_bookings', max } : null;
}
