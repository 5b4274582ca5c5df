import { DateTime } from 'luxon';
import { findService } from './business';
import { findSlots, isFree, nearestAlternatives, type SlotSearch } from './availability';
import { providersFor, weekdayOf } from './hours';
import { checkSlot } from './rules';
import { asDateTime, atLocal, instantFromMillis, localDate } from './time';
import type { Slot } from './types';

/**
 * What to offer a customer who asked for availability: the exact slot they named, if it is free, and a handful of
 * alternatives. Conflict resolution lives here, in code, not in the prompt. Offers read well: at most as many as the
 * channel suits, in chronological order (the order the customer reads and picks by number), spread over the days and
 * the window asked for rather than bunched on the first morning.
 */

export interface OfferRequest extends Omit<SlotSearch, 'limit'> {
  /** Preferred local time "HH:MM" in the customer's zone (on `date`, or today). */
  time?: string;
  /** How many slots to offer at most, the exact one included; default {@link DEFAULT_OFFER_LIMIT}. */
  limit?: number;
}

export interface Offer {
  /** The instant the customer asked for, when they named a time. */
  requestedStart: string | null;
  /** That exact slot, when it can be held (any provider, unless one was named). */
  exact: Slot | null;
  /** Other free slots, chronological: nearest to the requested time, or spread over the days asked for. */
  alternatives: Slot[];
}

/** How many slots a list shows when the channel says nothing (the web chat's). */
export const DEFAULT_OFFER_LIMIT = 6;
/** How far past the requested day the nearest alternatives to a named time are looked for. */
const FOLLOWING_DAYS = 14;

export function offerSlots(request: OfferRequest): Offer {
  const limit = Math.max(1, request.limit ?? DEFAULT_OFFER_LIMIT);
  const { time, limit: _limit, ...search } = request;
  if (time) {
    const day = request.date
      ? localDate(request.date, request.customerZone)
      : asDateTime(request.now).setZone(request.customerZone).startOf('day');
    const requested = atLocal(day, time);
    const requestedStart = instantFromMillis(requested.toMillis());
    const exact = onAllowedDay(request, requested) ? exactSlot(request, requestedStart) : null;
    // A range asked for bounds the alternatives too ("next week at 6"): never a day the customer did not offer.
    const followingDays = request.toDate
      ? Math.max(0, Math.round(localDate(request.toDate, request.customerZone).diff(day, 'days').days))
      : FOLLOWING_DAYS;
    const { toDate: _to, ...nearSearch } = search;
    const alternatives = chronological(
      nearestAlternatives(requestedStart, nearSearch, { limit, followingDays })
        .filter((slot) => slot.start !== exact?.start)
        .slice(0, limit - (exact ? 1 : 0)),
    );
    return { requestedStart, exact, alternatives };
  }
  const mode: SpreadMode = (request.toDate && request.toDate !== request.date) || request.weekdays?.length ? 'spread' : request.date ? 'single' : 'soonest';
  return { requestedStart: null, exact: null, alternatives: spreadOverDays(findSlots(search), request.customerZone, limit, mode) };
}

/** Whether the requested local day is one the customer allowed (weekdays, excluded dates). */
function onAllowedDay(request: OfferRequest, local: DateTime): boolean {
  const date = local.toISODate()!;
  if (request.excludeDates?.includes(date)) return false;
  return !request.weekdays?.length || request.weekdays.includes(weekdayOf(local));
}

/** The requested start with the first provider (in business order) who can take it: rules and busy time checked. */
function exactSlot(request: OfferRequest, start: string): Slot | null {
  const service = findService(request.business, request.serviceId);
  if (!service) return null;
  const end = instantFromMillis(Date.parse(start) + service.durationMinutes * 60_000);
  for (const provider of providersFor(request.business, service.id, request.providerId)) {
    const slot: Slot = { serviceId: service.id, providerId: provider.id, start, end };
    const refused = checkSlot({ business: request.business, serviceId: service.id, providerId: provider.id, start, now: request.now });
    if (!refused && isFree(request.business, slot, request.busy)) return slot;
  }
  return null;
}

/** Slots by start, then provider id: the order a list reads in and the numbers a customer picks by. */
export function chronological(slots: Slot[]): Slot[] {
  return [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.providerId.localeCompare(b.providerId));
}

/**
 * How a list is shared among days: `single` — the one day asked for takes the whole list; `soonest` — no day was
 * named, so the first days with room, two or so each; `spread` — a span of days was asked for ("next week",
 * "Thursday or Friday", "in the next two weeks"), so a few days spread evenly over those with room.
 */
export type SpreadMode = 'single' | 'soonest' | 'spread';

/**
 * Up to `limit` slots with distinct starts, chronological, shared among days as `mode` says. Within a day the starts
 * are spaced evenly through it (morning and afternoon, or through the window asked for), rotating providers.
 */
export function spreadOverDays(slots: Slot[], zone: string, limit: number, mode: SpreadMode = 'single'): Slot[] {
  const byDay = new Map<string, Slot[]>();
  for (const slot of slots) {
    const day = DateTime.fromISO(slot.start, { zone }).toISODate()!;
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const days = [...byDay.keys()];
  if (days.length === 0) return [];
  // Two a day reads well ("Fri: 9:00 AM, 2:30 PM · Sat: 10:00 AM, 1:00 PM").
  const dayCount = mode === 'single' ? 1 : Math.min(days.length, Math.max(1, Math.ceil(limit / 2)));
  const chosenDays = mode === 'spread' ? evenlySpaced(days, dayCount) : days.slice(0, dayCount);
  const want = new Map<string, number>(chosenDays.map((day, i) => [day, Math.floor(limit / dayCount) + (i < limit % dayCount ? 1 : 0)]));
  const room = (day: string) => new Set(byDay.get(day)!.map((s) => s.start)).size;
  // A day with less room than its share passes the rest on: to the chosen days first, then to the days after.
  let missing = [...want].reduce((n, [day, w]) => n + Math.max(0, w - room(day)), 0);
  for (const day of [...chosenDays, ...days.filter((d) => !want.has(d))]) {
    const has = Math.min(want.get(day) ?? 0, room(day));
    const extra = Math.min(missing, room(day) - has);
    want.set(day, has + extra);
    missing -= extra;
  }
  const picked: Slot[] = [];
  const perProvider = new Map<string, number>();
  for (const day of days) {
    const daySlots = byDay.get(day)!;
    const starts = [...new Set(daySlots.map((s) => s.start))];
    for (const start of evenlySpaced(starts, want.get(day) ?? 0)) {
      const options = daySlots.filter((s) => s.start === start);
      // The provider offered least so far takes this start; business order breaks ties.
      const slot = options.reduce((best, s) => ((perProvider.get(s.providerId) ?? 0) < (perProvider.get(best.providerId) ?? 0) ? s : best));
      perProvider.set(slot.providerId, (perProvider.get(slot.providerId) ?? 0) + 1);
      picked.push(slot);
    }
  }
  return chronological(picked.slice(0, limit));
}

function evenlySpaced<T>(items: T[], count: number): T[] {
  if (count <= 0) return [];
  if (count >= items.length) return items;
  if (count === 1) return [items[0]!];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}
