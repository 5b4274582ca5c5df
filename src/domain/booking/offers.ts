import { DateTime } from 'luxon';
import { findService } from './business';
import { findSlots, isFree, nearestAlternatives, type SlotSearch } from './availability';
import { providersFor } from './hours';
import { checkSlot } from './rules';
import { asDateTime, atLocal, instantFromMillis, localDate } from './time';
import type { Slot } from './types';

/**
 * What to offer a customer who asked for availability: the exact slot they named, if it is free, and a handful of
 * alternatives. Conflict resolution lives here, in code, not in the prompt.
 */

export interface OfferRequest extends Omit<SlotSearch, 'toDate' | 'limit'> {
  /** Preferred local time "HH:MM" in the customer's zone (on `date`, or today). */
  time?: string;
  /** How many alternatives at most; default 5. */
  limit?: number;
}

export interface Offer {
  /** The instant the customer asked for, when they named a time. */
  requestedStart: string | null;
  /** That exact slot, when it can be held (any provider, unless one was named). */
  exact: Slot | null;
  /** Other free slots: nearest to the requested time, or spread over the first days with room when no time was named. */
  alternatives: Slot[];
}

export function offerSlots(request: OfferRequest): Offer {
  const limit = request.limit ?? 5;
  const { time, limit: _limit, ...search } = request;
  if (time) {
    const day = request.date
      ? localDate(request.date, request.customerZone)
      : asDateTime(request.now).setZone(request.customerZone).startOf('day');
    const requested = atLocal(day, time);
    const requestedStart = instantFromMillis(requested.toMillis());
    const exact = exactSlot(request, requestedStart);
    const alternatives = nearestAlternatives(requestedStart, search, { limit: limit + (exact ? 1 : 0) })
      .filter((slot) => slot.start !== exact?.start)
      .slice(0, limit);
    return { requestedStart, exact, alternatives };
  }
  return { requestedStart: null, exact: null, alternatives: spreadOverFirstDays(findSlots(search), request.customerZone, limit) };
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

/**
 * Up to `limit` slots with distinct starts from the first local days that have any, spaced evenly through each day so
 * the customer sees morning and afternoon, and rotating providers.
 */
function spreadOverFirstDays(slots: Slot[], zone: string, limit: number): Slot[] {
  const byDay = new Map<string, Slot[]>();
  for (const slot of slots) {
    const day = DateTime.fromISO(slot.start, { zone }).toISODate()!;
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const picked: Slot[] = [];
  const perProvider = new Map<string, number>();
  for (const daySlots of byDay.values()) {
    if (picked.length >= limit) break;
    const starts = [...new Set(daySlots.map((s) => s.start))];
    const want = Math.min(limit - picked.length, starts.length);
    const chosenStarts = evenlySpaced(starts, want);
    for (const start of chosenStarts) {
      const options = daySlots.filter((s) => s.start === start);
      // The provider offered least so far takes this start; business order breaks ties.
      const slot = options.reduce((best, s) => ((perProvider.get(s.providerId) ?? 0) < (perProvider.get(best.providerId) ?? 0) ? s : best));
      perProvider.set(slot.providerId, (perProvider.get(slot.providerId) ?? 0) + 1);
      picked.push(slot);
    }
  }
  return picked;
}

function evenlySpaced<T>(items: T[], count: number): T[] {
  if (count <= 0) return [];
  if (count >= items.length) return items;
  if (count === 1) return [items[0]!];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}
