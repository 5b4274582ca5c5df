import { DateTime } from 'luxon';
import type { Business, Service, Weekday } from './business';
import { findService } from './business';
import { openingIntervals, providersFor, weekdayOf } from './hours';
import { asDateTime, clockMinutes, instantFromMillis, localDate } from './time';
import type { Slot } from './types';

/**
 * Availability: which slots a provider can still take. Pure: the clock, the zones and the busy intervals come in as
 * arguments. Provider hours are wall-clock times in the BUSINESS's zone; dates, times and windows the customer gives
 * are in the CUSTOMER's zone; every instant out is UTC ISO-8601.
 */

/** A stretch of a provider's time that is taken: a booking or an unexpired hold, including its buffer. */
export interface BusyInterval {
  providerId: string;
  /** ISO-8601 instant, inclusive. */
  start: string;
  /** ISO-8601 instant, exclusive: the booking's end plus its service's buffer. */
  end: string;
}

/** What to search. Dates, times and windows are local to `customerZone`. */
export interface SlotSearch {
  business: Business;
  serviceId: string;
  /** Only this provider; omit for anyone who offers the service. */
  providerId?: string;
  /** The customer's IANA zone: `date`, `toDate` and `window` are read in it. */
  customerZone: string;
  /** The current instant (ISO-8601 or Date). */
  now: string | Date;
  /** Taken time per provider: confirmed bookings and unexpired holds, each [start, end + buffer). */
  busy: readonly BusyInterval[];
  /** First local date (YYYY-MM-DD); omit for today in the customer's zone. */
  date?: string;
  /** Last local date, inclusive; defaults to `date` when given, else to a week from today. */
  toDate?: string;
  /** Only slots that START inside this local window [start, end), e.g. {start: "12:00", end: "17:00"}. */
  window?: { start: string; end: string };
  /** Only slots starting on these customer-local weekdays ("weekdays", "Thursday or Friday", "not Monday"). */
  weekdays?: readonly Weekday[];
  /** Customer-local dates (YYYY-MM-DD) the customer ruled out ("except the 24th"). */
  excludeDates?: readonly string[];
  /** Spacing of candidate starts inside each opening interval; default 15 minutes. */
  stepMinutes?: number;
  /** Stop after the day on which at least this many slots were found. */
  limit?: number;
}

const DEFAULT_STEP_MINUTES = 15;
const DEFAULT_SEARCH_DAYS = 7;
const MINUTE = 60_000;

/**
 * Every free slot matching the search, sorted by start and then by the business's provider order.
 * A slot is free when its appointment lies inside the provider's opening hours, it starts at least
 * `minNoticeMinutes` from now and no later than `maxDaysAhead` business-local days from today, and
 * [start, end + buffer) overlaps no busy interval of that provider.
 * Throws a RangeError for an unknown service or a malformed date (callers check requests with `checkRequest` first).
 */
export function findSlots(search: SlotSearch): Slot[] {
  const { business, customerZone } = search;
  const service = requireService(business, search.serviceId);
  const now = asDateTime(search.now);
  const today = now.setZone(customerZone).startOf('day');
  const fromDate = search.date ? localDate(search.date, customerZone) : today;
  const toDate = search.toDate
    ? localDate(search.toDate, customerZone)
    : search.date
      ? fromDate
      : today.plus({ days: DEFAULT_SEARCH_DAYS - 1 });
  return slotsBetween(search, service, fromDate, toDate.plus({ days: 1 }).startOf('day'));
}

/** Options for {@link nearestAlternatives}. */
export interface AlternativesOptions {
  /** How many to offer; default 5. */
  limit?: number;
  /** How many days after the requested one to look through; default 14 (never past maxDaysAhead). */
  followingDays?: number;
}

/**
 * The free slots nearest to a requested start: the requested local day first (closest to the requested time, earlier
 * on a tie), then each following day (closest to the same time of day). A handful, spread across providers: distinct
 * start times first, no provider taking more than its share while others have slots that day; the same time with a
 * second provider is offered only when nothing else is left. `search.date`, `toDate` and `limit` are ignored.
 */
export function nearestAlternatives(
  requested: string | Date,
  search: Omit<SlotSearch, 'date' | 'toDate' | 'limit'>,
  options: AlternativesOptions = {},
): Slot[] {
  const limit = options.limit ?? 5;
  const followingDays = options.followingDays ?? 14;
  const service = requireService(search.business, search.serviceId);
  const requestedLocal = asDateTime(requested).setZone(search.customerZone);
  const requestedMinuteOfDay = requestedLocal.hour * 60 + requestedLocal.minute;
  const requestedDay = requestedLocal.startOf('day');

  const chosen: Slot[] = [];
  const leftovers: Slot[] = [];
  const takenStarts = new Set<string>();
  for (let offset = 0; offset <= followingDays && chosen.length < limit; offset++) {
    const day = requestedDay.plus({ days: offset }).startOf('day');
    const slots = slotsBetween(search, service, day, day.plus({ days: 1 }).startOf('day'));
    const distance = (slot: Slot): number => {
      if (offset === 0) return Math.abs(Date.parse(slot.start) - requestedLocal.toMillis());
      const local = DateTime.fromISO(slot.start, { zone: search.customerZone });
      return Math.abs(local.hour * 60 + local.minute - requestedMinuteOfDay) * MINUTE;
    };
    const ranked = slots
      .map((slot, order) => ({ slot, order, distance: distance(slot) }))
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
      .map((r) => r.slot);
    const picked = spreadAcrossProviders(ranked, limit - chosen.length, takenStarts);
    for (const slot of picked) takenStarts.add(slot.start);
    chosen.push(...picked);
    leftovers.push(...ranked.filter((slot) => !picked.includes(slot)));
  }
  // Last resort: the same start with another provider is still a real option.
  for (const slot of leftovers) {
    if (chosen.length >= limit) break;
    chosen.push(slot);
  }
  return chosen;
}

/**
 * Picks up to `count` slots from a ranked list of one day: distinct start times (not already in `takenStarts`), first
 * with each provider capped at its fair share, then without the cap. Returned in rank order.
 */
function spreadAcrossProviders(ranked: Slot[], count: number, takenStarts: ReadonlySet<string>): Slot[] {
  if (count <= 0) return [];
  const providers = new Set(ranked.map((s) => s.providerId));
  const cap = Math.ceil(count / Math.max(1, providers.size));
  const picked = new Set<Slot>();
  const starts = new Set(takenStarts);
  const perProvider = new Map<string, number>();
  for (const capped of [true, false]) {
    for (const slot of ranked) {
      if (picked.size >= count) break;
      if (picked.has(slot) || starts.has(slot.start)) continue;
      const used = perProvider.get(slot.providerId) ?? 0;
      if (capped && used >= cap) continue;
      picked.add(slot);
      starts.add(slot.start);
      perProvider.set(slot.providerId, used + 1);
    }
  }
  return ranked.filter((slot) => picked.has(slot));
}

/** Free slots whose start lies in [from, until) (customer-local day boundaries), honouring every rule. */
function slotsBetween(
  search: Omit<SlotSearch, 'date' | 'toDate'>,
  service: Service,
  from: DateTime,
  until: DateTime,
): Slot[] {
  const { business } = search;
  const zone = business.timezone;
  const policies = business.policies;
  const step = (search.stepMinutes ?? DEFAULT_STEP_MINUTES) * MINUTE;
  if (step <= 0) throw new RangeError('stepMinutes must be positive');
  const now = asDateTime(search.now);
  const earliest = Math.max(from.toMillis(), now.toMillis() + policies.minNoticeMinutes * MINUTE);
  // maxDaysAhead counts whole business-local days: with 60, anything on the 60th day from today is fine.
  const lastBusinessDay = now.setZone(zone).startOf('day').plus({ days: policies.maxDaysAhead });
  const latestExclusive = Math.min(until.toMillis(), lastBusinessDay.plus({ days: 1 }).startOf('day').toMillis());
  if (earliest >= latestExclusive) return [];

  const providers = providersFor(business, service.id, search.providerId);
  const busy = busyByProvider(search.busy);
  const duration = service.durationMinutes * MINUTE;
  const blocked = (service.durationMinutes + service.bufferMinutes) * MINUTE;
  const window = search.window ? parseWindow(search.window) : null;
  const onAllowedDay = dayFilter(search);

  // Providers share start times: format each instant once per call.
  const formatted = new Map<number, string>();
  const format = (ms: number): string => {
    let text = formatted.get(ms);
    if (text === undefined) formatted.set(ms, (text = instantFromMillis(ms)));
    return text;
  };
  const slots: Slot[] = [];
  let day = DateTime.fromMillis(earliest, { zone }).startOf('day');
  const lastDay = DateTime.fromMillis(latestExclusive - 1, { zone }).startOf('day');
  while (day <= lastDay && (search.limit === undefined || slots.length < search.limit)) {
    const daySlots: { slot: Slot; startMs: number; providerOrder: number }[] = [];
    const clockCache = new Map<string, number>();
    providers.forEach((provider, providerOrder) => {
      const taken = busy.get(provider.id) ?? [];
      for (const interval of openingIntervals(provider, day, clockCache)) {
        for (let start = interval.open; start + duration <= interval.close; start += step) {
          if (start < earliest || start >= latestExclusive) continue;
          if (window && !startsInWindow(start, search.customerZone, window)) continue;
          if (onAllowedDay && !onAllowedDay(start)) continue;
          if (overlapsAny(taken, start, start + blocked)) continue;
          daySlots.push({
            slot: { serviceId: service.id, providerId: provider.id, start: format(start), end: format(start + duration) },
            startMs: start,
            providerOrder,
          });
        }
      }
    });
    daySlots.sort((a, b) => a.startMs - b.startMs || a.providerOrder - b.providerOrder);
    slots.push(...daySlots.map((d) => d.slot));
    day = day.plus({ days: 1 }).startOf('day');
  }
  return slots;
}

function requireService(business: Business, serviceId: string): Service {
  const service = findService(business, serviceId);
  if (!service) throw new RangeError(`unknown service "${serviceId}"; check it with checkRequest first`);
  return service;
}

/**
 * Whether a start falls on a customer-local day the search allows (its weekdays, not an excluded date); null when the
 * search restricts no days, so the common search pays nothing. Local days are cached per hour of the epoch.
 */
function dayFilter(search: Pick<SlotSearch, 'weekdays' | 'excludeDates' | 'customerZone'>): ((startMs: number) => boolean) | null {
  const weekdays = search.weekdays?.length ? new Set(search.weekdays) : null;
  const excluded = search.excludeDates?.length ? new Set(search.excludeDates) : null;
  if (!weekdays && !excluded) return null;
  const verdicts = new Map<number, boolean>();
  return (startMs) => {
    // Zones differ from UTC by whole quarter hours at most: every start in one quarter hour is on the same local day.
    const key = Math.floor(startMs / (15 * MINUTE));
    let ok = verdicts.get(key);
    if (ok === undefined) {
      const local = DateTime.fromMillis(startMs, { zone: search.customerZone });
      ok = (!weekdays || weekdays.has(weekdayOf(local))) && (!excluded || !excluded.has(local.toISODate()!));
      verdicts.set(key, ok);
    }
    return ok;
  };
}

function parseWindow(window: { start: string; end: string }): { start: number; end: number } {
  return { start: clockMinutes(window.start), end: clockMinutes(window.end) };
}

function startsInWindow(startMs: number, zone: string, window: { start: number; end: number }): boolean {
  const local = DateTime.fromMillis(startMs, { zone });
  const minute = local.hour * 60 + local.minute;
  return minute >= window.start && minute < window.end;
}

/** Busy intervals per provider as sorted, merged, disjoint [start, end) millisecond pairs. */
function busyByProvider(busy: readonly BusyInterval[]): Map<string, [number, number][]> {
  const raw = new Map<string, [number, number][]>();
  for (const b of busy) {
    const list = raw.get(b.providerId) ?? [];
    list.push([Date.parse(b.start), Date.parse(b.end)]);
    raw.set(b.providerId, list);
  }
  const merged = new Map<string, [number, number][]>();
  for (const [providerId, list] of raw) {
    list.sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [s, e] of list) {
      const last = out[out.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else out.push([s, e]);
    }
    merged.set(providerId, out);
  }
  return merged;
}

/** Binary search in merged intervals: does [start, end) overlap any? */
function overlapsAny(intervals: readonly [number, number][], start: number, end: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (intervals[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const first = intervals[lo];
  return first !== undefined && first[0] < end;
}

/** Whether a slot's [start, end + buffer) is clear of its provider's busy intervals. */
export function isFree(business: Business, slot: Slot, busy: readonly BusyInterval[]): boolean {
  const service = requireService(business, slot.serviceId);
  const start = Date.parse(slot.start);
  const blockedUntil = Date.parse(slot.end) + service.bufferMinutes * MINUTE;
  return !busy.some((b) => b.providerId === slot.providerId && Date.parse(b.start) < blockedUntil && Date.parse(b.end) > start);
}
