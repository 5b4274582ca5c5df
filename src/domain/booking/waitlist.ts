import { DateTime } from 'luxon';
import type { Channel } from '../messaging/channel';
import type { SlotView, WaitlistView } from '../tools';

/**
 * The waitlist as the domain sees it: who is waiting for what, and which freed slot fits whom. Pure: the clock and
 * the zones are arguments.
 *
 * A customer asks for a day (or a few) and optionally a local time window; when the day is full they may wait for
 * it. A freed slot fits an entry when the service matches, the provider matches (or the entry takes anyone), and the
 * slot's start, read in the entry's own zone, falls on one of its days and inside its window (bounds inclusive).
 */

export type WaitlistStatus = 'waiting' | 'booked' | 'expired' | 'left';

/** What a customer waits for, as the tool asks for it and the ledger keeps it. */
export interface WaitlistRequest {
  service: string;
  /** Unset: anyone who offers the service. */
  provider?: string;
  /** Local dates (YYYY-MM-DD) in the customer's zone, inclusive. */
  dateFrom: string;
  dateTo: string;
  /** Local HH:MM bounds of a slot's start, inclusive. */
  window?: { start: string; end: string };
}

/** One waiting customer, as the ledger holds it (no personal data beyond the channel address the workflows carry). */
export interface WaitlistEntry extends WaitlistRequest {
  id: string;
  /** Order of joining: offers go to the lowest first. */
  position: number;
  customerKey: string;
  channel: Channel;
  /** The opaque key of the conversation the customer joined from; offers land in it. */
  conversationKey: string | null;
  /** E.164 or whatsapp:+…; null for web chat. */
  address: string | null;
  zone: string;
  locale: 'en' | 'es';
  /** When the range has passed: the end of `dateTo` in `zone`. */
  endsAt: string;
  status: WaitlistStatus;
  bookingId: string | null;
  joinedAt: string;
}

/** The instant a request's range has passed: midnight after `dateTo` in the customer's zone. */
export function waitlistEndsAt(request: Pick<WaitlistRequest, 'dateTo'>, zone: string): string {
  const end = DateTime.fromISO(request.dateTo, { zone }).plus({ days: 1 }).startOf('day');
  if (!end.isValid) throw new RangeError(`not a local date: ${request.dateTo} (YYYY-MM-DD)`);
  return end.toUTC().toISO({ suppressMilliseconds: true })!;
}

/** Whether a freed slot is what this entry waits for (status and range end are the caller's `now` check too). */
export function slotFits(entry: Pick<WaitlistEntry, 'service' | 'provider' | 'dateFrom' | 'dateTo' | 'window' | 'zone' | 'status' | 'endsAt'>, slot: SlotView, now: string): boolean {
  if (entry.status !== 'waiting' || Date.parse(entry.endsAt) <= Date.parse(now)) return false;
  if (entry.service !== slot.service) return false;
  if (entry.provider && entry.provider !== slot.provider) return false;
  const local = DateTime.fromISO(slot.start, { setZone: true }).setZone(entry.zone);
  const date = local.toFormat('yyyy-MM-dd');
  if (date < entry.dateFrom || date > entry.dateTo) return false;
  if (entry.window) {
    const time = local.toFormat('HH:mm');
    if (time < entry.window.start || time > entry.window.end) return false;
  }
  return true;
}

/** Whether a booking the customer made elsewhere satisfies their entry (same service, a day of its range). */
export function bookingSatisfies(entry: Pick<WaitlistEntry, 'service' | 'dateFrom' | 'dateTo' | 'zone' | 'status'>, booking: { service: string; start: string }): boolean {
  if (entry.status !== 'waiting' || entry.service !== booking.service) return false;
  const date = DateTime.fromISO(booking.start, { setZone: true }).setZone(entry.zone).toFormat('yyyy-MM-dd');
  return date >= entry.dateFrom && date <= entry.dateTo;
}

/**
 * Whether an availability answer leaves the asked day (and window or time) full, so the assistant offers the
 * waitlist: a day was asked, and nothing offered starts on it inside the window (or at the time) asked.
 */
export function requestIsFull(
  requested: { date?: string; time?: string; window?: { start: string; end: string } },
  offered: SlotView[],
  zone: string,
): boolean {
  if (!requested.date) return false;
  return !offered.some((slot) => {
    const local = DateTime.fromISO(slot.start, { setZone: true }).setZone(zone);
    if (local.toFormat('yyyy-MM-dd') !== requested.date) return false;
    const time = local.toFormat('HH:mm');
    if (requested.time) return time === requested.time;
    if (requested.window) return time >= requested.window.start && time <= requested.window.end;
    return true;
  });
}

/** The window an availability request implies for the waitlist: the window asked, or exactly the time asked. */
export function waitlistWindow(requested: { time?: string; window?: { start: string; end: string } }): { start: string; end: string } | undefined {
  if (requested.window) return requested.window;
  if (requested.time) return { start: requested.time, end: requested.time };
  return undefined;
}

/** An entry as tools and templates show it: what the customer waits for, nothing about how to reach them. */
export function toWaitlistView(entry: WaitlistEntry): WaitlistView {
  return {
    id: entry.id,
    service: entry.service,
    ...(entry.provider ? { provider: entry.provider } : {}),
    dateFrom: entry.dateFrom,
    dateTo: entry.dateTo,
    ...(entry.window ? { window: entry.window } : {}),
    status: entry.status,
  };
}
