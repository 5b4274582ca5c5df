import type { Business, Weekday } from './business';
import type { ClosedDay } from './closures';
import { openingIntervals, providersFor, weekdayOf } from './hours';
import { localDate } from './time';

/**
 * Why nobody can take a service on a day the customer asked for, so the reply says what is true about the business
 * ("We're closed on Sundays", "We're closed on Thu 25 Dec (Christmas Day)") instead of "that isn't available".
 * Pure: the business file's closed days and the staff desk's closures come in as arguments.
 */
export type ClosedReason =
  /** Every week: nobody works that weekday (`business`), nobody offering the service does (`service`), or the provider asked for does not (`provider`). */
  | { kind: 'weekly'; weekday: Weekday; scope: 'business' | 'service' | 'provider' }
  /** A public holiday or a date the business file lists; `name` as the file or the holiday calendar gives it. */
  | { kind: 'holiday'; name: string }
  /** Closed from the staff desk; `reason` as staff typed it (may be empty). */
  | { kind: 'closure'; reason: string };

export interface ClosedNotice {
  /** The customer-local date asked for, YYYY-MM-DD. */
  date: string;
  reason: ClosedReason;
}

/** A business-wide closure from the staff desk: [start, end) instants and what staff wrote. */
export interface StaffClosure {
  start: string;
  end: string;
  reason: string;
}

export interface ClosedDayQuestion {
  business: Business;
  serviceId: string;
  providerId?: string;
  /** The customer-local date asked for. */
  date: string;
  customerZone: string;
  /** The business file's closed days around that date. */
  fileClosures: readonly ClosedDay[];
  /** Staff-desk closures around that date. */
  staffClosures: readonly StaffClosure[];
}

/**
 * Why the day is closed for this service, or null when someone works it (busy or not: a full day is not a closed
 * one). The day is read on the business's calendar at the customer's local noon, which is the day they mean.
 */
export function closedDay(q: ClosedDayQuestion): ClosedNotice | null {
  const { business } = q;
  const businessDay = localDate(q.date, q.customerZone).plus({ hours: 12 }).setZone(business.timezone).startOf('day');
  const businessDate = businessDay.toISODate()!;
  const holiday = q.fileClosures.find((d) => d.date === businessDate);
  if (holiday) return { date: q.date, reason: { kind: 'holiday', name: holiday.reason } };

  const providers = providersFor(business, q.serviceId, q.providerId);
  const intervals = providers.flatMap((p) => openingIntervals(p, businessDay));
  if (intervals.length === 0) {
    const weekday = weekdayOf(businessDay);
    const anyoneWorks = business.providers.some((p) => (p.hours[weekday] ?? []).length > 0);
    const scope = !anyoneWorks ? 'business' : q.providerId ? 'provider' : 'service';
    return { date: q.date, reason: { kind: 'weekly', weekday, scope } };
  }
  // Closed from the staff desk when closures cover every opening interval of the day.
  const covered = (open: number, close: number) =>
    q.staffClosures.some((c) => Date.parse(c.start) <= open && Date.parse(c.end) >= close);
  const closure = intervals.every((i) => covered(i.open, i.close))
    ? q.staffClosures.find((c) => Date.parse(c.start) <= intervals[0]!.open && Date.parse(c.end) >= intervals[0]!.close)
    : undefined;
  if (closure) return { date: q.date, reason: { kind: 'closure', reason: closure.reason } };
  return null;
}
