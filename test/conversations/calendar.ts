import { DateTime } from 'luxon';
import { findService, type Business } from '../../src/domain/booking/business';
import { fitsOpeningHours, providersFor } from '../../src/domain/booking/hours';

/**
 * The calendar the scripted conversations are written against. The conversations run on the real clock (the dev
 * server's), so every date a script says or expects is computed here from "now" in the business's zone.
 *
 * Scripts run concurrently against one ledger, so two of them must never want the same slot: each script that
 * books on a named day gets a day on which its stretch of its provider's time is its own
 * ({@link CalendarPlan.uniqueDay}), at least two weeks out so it cannot
 * be the day a relative phrase ("tomorrow", "next Friday", "the 8th") means; scripts that use those phrases declare
 * the days they touch as locks, and the runner never runs two of them on the same day at once.
 *
 * The relative-date conventions below are the ones the project's resolver documents (both evaluation corpora
 * agree): a bare weekday or "this Friday" is the first one after today; "next Friday" is the Friday of the following
 * ISO week; Spanish "el próximo martes" is the coming Tuesday; "the 8th" is this month's unless it has passed.
 * They are written out again here, independently, because this is the oracle the resolver is checked against.
 */

export const WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type WeekdayName = keyof typeof WEEKDAY;

/** A local date (YYYY-MM-DD) with the ways a customer can say it. */
export interface Day {
  date: string;
  /** "December 14" */
  en: string;
  /** "14 de diciembre" */
  es: string;
  weekday: WeekdayName;
}

/** A day of its own for one script, and a local time (HH:MM) at which the service can be booked that day. */
export interface PlannedSlot extends Day {
  time: string;
  /** "10am", "2:30pm" */
  enTime: string;
}

/** A stretch of one provider's day (minutes after local midnight, [from, to)) that one script books in. */
interface Claim {
  provider: string;
  from: number;
  to: number;
}

/** The first unique day is this far out, beyond "next <weekday>" (at most 13 days) and "tomorrow". */
const FIRST_UNIQUE_OFFSET = 15;
/** Leave room under the business's `maxDaysAhead` so a slow run near midnight cannot cross it. */
const SAFETY_DAYS = 3;

export class CalendarPlan {
  readonly now: DateTime;
  readonly today: DateTime;
  /** Date → the stretches of providers' time that scripts book that day. */
  private readonly handedOut = new Map<string, Claim[]>();
  private readonly reserved: Set<string>;
  private readonly openCache = new Map<string, string | undefined>();
  private readonly scanCache = new Map<number, { date: string; weekday: WeekdayName }>();

  constructor(
    readonly business: Business,
    now: DateTime | Date = new Date(),
  ) {
    this.now = (now instanceof Date ? DateTime.fromJSDate(now) : now).setZone(business.timezone);
    this.today = this.now.startOf('day');
    // Days that "the 8th" or "the 18th" may mean are never handed out as unique days.
    this.reserved = new Set([this.dayOfMonth(8).date, this.dayOfMonth(18).date]);
  }

  get zone(): string {
    return this.business.timezone;
  }

  day(dt: DateTime): Day {
    const d = dt.setZone(this.zone).startOf('day');
    return {
      date: d.toFormat('yyyy-MM-dd'),
      en: d.setLocale('en-US').toFormat('LLLL d'),
      es: `${d.day} de ${d.setLocale('es').toFormat('LLLL')}`,
      weekday: (Object.keys(WEEKDAY) as WeekdayName[])[d.weekday - 1]!,
    };
  }

  plusDays(n: number): Day {
    return this.day(this.today.plus({ days: n }));
  }

  /** The day and its neighbours: what a script whose alternatives may spill to the next day locks. */
  around(day: Day, n = 1): string[] {
    const d = DateTime.fromISO(day.date, { zone: this.zone });
    return Array.from({ length: 2 * n + 1 }, (_, i) => this.day(d.plus({ days: i - n })).date);
  }

  tomorrow(): Day {
    return this.plusDays(1);
  }

  yesterday(): Day {
    return this.plusDays(-1);
  }

  /** A bare weekday, "this Sunday", Spanish "el próximo martes": the first one strictly after today. */
  thisWeekday(name: WeekdayName): Day {
    const diff = (WEEKDAY[name] - this.today.weekday + 7) % 7 || 7;
    return this.plusDays(diff);
  }

  /** "next Friday": the Friday of the following ISO week. */
  nextWeekday(name: WeekdayName): Day {
    return this.day(this.today.startOf('week').plus({ weeks: 1, days: WEEKDAY[name] - 1 }));
  }

  /** "the Friday after next": the second one from today. */
  weekdayAfterNext(name: WeekdayName): Day {
    return this.plusDays(((WEEKDAY[name] - this.today.weekday + 7) % 7 || 7) + 7);
  }

  /** "last Monday": the most recent one strictly before today. */
  lastWeekday(name: WeekdayName): Day {
    const diff = (this.today.weekday - WEEKDAY[name] + 7) % 7 || 7;
    return this.plusDays(-diff);
  }

  /** "the 8th": this month's unless it has passed, else the next month that has it. */
  dayOfMonth(n: number): Day {
    for (let i = 0; i < 13; i += 1) {
      const month = this.today.startOf('month').plus({ months: i });
      if (n > (month.daysInMonth ?? 31)) continue;
      const candidate = month.set({ day: n });
      if (candidate >= this.today) return this.day(candidate);
    }
    throw new Error(`no month within a year has a day ${n}`);
  }

  /**
   * A day-of-month phrase for "the 8th" that is at least two days away (the 18th when the 8th is today or
   * tomorrow), so a morning time on it is never inside the booking notice.
   */
  ordinal(): { n: number; phrase: string; day: Day } {
    const eighth = this.dayOfMonth(8);
    const n = DateTime.fromISO(eighth.date, { zone: this.zone }).diff(this.today, 'days').days >= 2 ? 8 : 18;
    return { n, phrase: `the ${n}th`, day: this.dayOfMonth(n) };
  }

  /** Local times (HH:MM, on the half hour) at which some provider (or this one) can do the service on `date`. */
  openTimes(date: string, service: string, provider?: string): string[] {
    const times: string[] = [];
    for (let minutes = 6 * 60; minutes < 22 * 60; minutes += 30) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      if (this.isOpen(date, time, service, provider)) times.push(time);
    }
    return times;
  }

  /** Whether `provider` (or anyone offering the service) can take it at `time` on `date`. */
  isOpen(date: string, time: string, service: string, provider?: string): boolean {
    return this.providerAt(date, time, service, provider) !== undefined;
  }

  /** The first provider, in the business's order, who can do the service at `time` on `date` (zone math is slow: cached). */
  private providerAt(date: string, time: string, service: string, provider?: string): string | undefined {
    const key = `${date}|${time}|${service}|${provider ?? ''}`;
    if (this.openCache.has(key)) return this.openCache.get(key)!;
    const svc = findService(this.business, service);
    if (!svc) throw new Error(`unknown service ${service}`);
    const start = DateTime.fromISO(`${date}T${time}`, { zone: this.zone });
    const found = providersFor(this.business, service, provider).find((p) => fitsOpeningHours(p, svc, start))?.id;
    this.openCache.set(key, found);
    return found;
  }

  /**
   * A day, two weeks or more ahead, on which the service can be booked at one of `times` (the first that fits) —
   * with `provider` when the customer names one — and on which no other script of this plan books over the same
   * stretch of the same provider's time.
   *
   * What a script claims: by default only the slot an exact request gets — the first provider, in the business's
   * order, who offers the service then (the engine's choice on a calendar nobody else touches there), from the start
   * to the end of the service's buffer — and likewise for each of `alsoOpenAt`. Scripts that pick from a list or take
   * alternatives claim the whole day: of everyone who offers the service (`'all'`) or of the providers in `claim`.
   * `weekdays` narrows the day; `after` keeps the day after another one.
   */
  uniqueDay(
    service: string,
    options: { times: string[]; provider?: string; claim?: string[] | 'all'; weekdays?: WeekdayName[]; after?: string; alsoOpenAt?: string[] },
  ): PlannedSlot {
    const svc = findService(this.business, service);
    if (!svc) throw new Error(`unknown service ${service}`);
    const candidates = providersFor(this.business, service, options.provider);
    const last = this.business.policies.maxDaysAhead - SAFETY_DAYS;
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    for (let offset = FIRST_UNIQUE_OFFSET; offset <= last; offset += 1) {
      const day = this.scanDay(offset);
      if (this.reserved.has(day.date)) continue;
      if (options.after && day.date <= options.after) continue;
      if (options.weekdays && !options.weekdays.includes(day.weekday)) continue;
      const time = options.times.find((t) => this.isOpen(day.date, t, service, options.provider));
      if (!time) continue;
      if (options.alsoOpenAt && !options.alsoOpenAt.every((t) => this.isOpen(day.date, t, service, options.provider))) continue;
      const slotClaim = (t: string): Claim => ({
        provider: this.providerAt(day.date, t, service, options.provider)!,
        from: minutes(t),
        to: minutes(t) + svc.durationMinutes + svc.bufferMinutes,
      });
      const wholeDay = (provider: string): Claim => ({ provider, from: 0, to: 24 * 60 });
      const claims: Claim[] =
        options.claim === 'all'
          ? candidates.map((p) => wholeDay(p.id))
          : options.claim
            ? options.claim.map(wholeDay)
            : [time, ...(options.alsoOpenAt ?? [])].map(slotClaim);
      const taken = this.handedOut.get(day.date) ?? [];
      const clash = claims.some((c) => taken.some((t) => t.provider === c.provider && t.from < c.to && c.from < t.to));
      if (clash) continue;
      this.handedOut.set(day.date, [...taken, ...claims]);
      return { ...this.plusDays(offset), time, enTime: enTime(time) };
    }
    throw new Error(
      `the plan ran out of days for ${service} at ${options.times.join('/')}${options.provider ? ` with ${options.provider}` : ''}: ` +
        'claim less of the day (an exact slot rather than the whole day), or raise maxDaysAhead',
    );
  }

  /** Date and weekday of a day `offset` days ahead, without the (slow) phrasing: what the scan in uniqueDay needs. */
  private scanDay(offset: number): { date: string; weekday: WeekdayName } {
    let hit = this.scanCache.get(offset);
    if (!hit) {
      const d = this.today.plus({ days: offset });
      hit = { date: d.toISODate()!, weekday: (Object.keys(WEEKDAY) as WeekdayName[])[d.weekday - 1]! };
      this.scanCache.set(offset, hit);
    }
    return hit;
  }

  /** The instant of a local date and time in the business's zone, as an ISO string. */
  instant(date: string, time: string): string {
    return DateTime.fromISO(`${date}T${time}`, { zone: this.zone }).toUTC().toISO()!;
  }

  /** The local date and time (business zone) of an instant. */
  local(iso: string): { date: string; time: string } {
    const dt = DateTime.fromISO(iso).setZone(this.zone);
    return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm') };
  }
}

/** "10am", "2:30pm". */
export function enTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}
