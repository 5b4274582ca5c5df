import type { DateTime } from 'luxon';
import type { Business, Provider, Service, Weekday } from './business';
import { WEEKDAYS } from './business';
import { atLocal } from './time';

/** One opening interval of a provider on one business-local day, as epoch milliseconds [open, close). */
export interface OpeningInterval {
  open: number;
  close: number;
}

/** The weekday key ("mon".."sun") of a local date. */
export function weekdayOf(date: DateTime): Weekday {
  // luxon: Monday is 1, Sunday is 7; WEEKDAYS starts on Monday.
  return WEEKDAYS[date.weekday - 1]!;
}

/**
 * A provider's opening intervals on a business-local date. Wall-clock hours are read in the business's zone on that
 * very date, so a 09:00 opening is 09:00 local on both sides of a daylight-saving change (and a day that loses an
 * hour simply has a shorter interval when it spans the gap).
 */
export function openingIntervals(provider: Provider, businessDate: DateTime, cache?: Map<string, number>): OpeningInterval[] {
  const hours = provider.hours[weekdayOf(businessDate)] ?? [];
  // Zone arithmetic is the slow part of availability; providers mostly share clock times, so a caller scanning many
  // providers passes one cache per business day ("09:00" → its instant on that day).
  const instant = (clock: string): number => {
    const hit = cache?.get(clock);
    if (hit !== undefined) return hit;
    const ms = atLocal(businessDate, clock).toMillis();
    cache?.set(clock, ms);
    return ms;
  };
  return hours.map(([open, close]) => ({ open: instant(open), close: instant(close) }));
}

/** Providers who offer a service, optionally narrowed to one, in the order the business lists them. */
export function providersFor(business: Business, serviceId: string, providerId?: string): Provider[] {
  return business.providers.filter(
    (p) => p.serviceIds.includes(serviceId) && (providerId === undefined || p.id === providerId),
  );
}

/**
 * Whether an appointment [start, start + duration) lies inside one opening interval of the provider. The buffer is
 * tidy-up time after the appointment: it must be free of other bookings but may run past closing time, so the last
 * 30-minute haircut before a 17:00 close starts at 16:30.
 */
export function fitsOpeningHours(provider: Provider, service: Service, start: DateTime): boolean {
  const startMs = start.toMillis();
  const endMs = startMs + service.durationMinutes * 60_000;
  // The appointment belongs to the business-local day it starts on (start is already in the business zone).
  return openingIntervals(provider, start.startOf('day')).some((i) => startMs >= i.open && endMs <= i.close);
}
