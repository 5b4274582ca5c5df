import { DateTime } from 'luxon';
import { findService, type Business } from '../../src/domain/booking/business';
import { fitsOpeningHours, providersFor } from '../../src/domain/booking/hours';

/**
 * The calendar the scripted conversations are written against. The conversations run on the real clock (the dev
 * server's), so every date a script says or expects is computed here from "now" in the business's zone.
 *
 * Scripts run concurrently against one ledger, so two of them must never want the same slot: each script that
 * books on a named day gets a day where its providers are its own ({@link CalendarPlan.uniqueDay}), at least two
 * weeks out so it cannot
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

/** The first unique day is this far out, beyond "next <weekday>" (at most 13 days) and "tomorrow". */
const FIRST_UNIQUE_OFFSET = 15;
/** Leave room under the business's `maxDaysAhead` so a slow run near midnight cannot cross it. */
const SAFETY_DAYS = 3;

export class CalendarPlan {
  readonly now: DateTime;
  readonly today: DateTime;
  /** Date → providers some script books with that day. */
  private readonly handedOut = new Map<string, Set<string>>();
  private readonly reserved: Set<string>;

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
    const svc = findService(this.business, service);
    if (!svc) throw new Error(`unknown service ${service}`);
    const day = DateTime.fromISO(date, { zone: this.zone });
    const times: string[] = [];
    for (let minutes = 6 * 60; minutes < 22 * 60; minutes += 30) {
      const start = day.plus({ minutes });
      if (providersFor(this.business, service, provider).some((p) => fitsOpeningHours(p, svc, start))) times.push(start.toFormat('HH:mm'));
    }
    return times;
  }

  /** Whether `provider` (or anyone offering the service) can take it at `time` on `date`. */
  isOpen(date: string, time: string, service: string, provider?: string): boolean {
    return this.openTimes(date, service, provider).includes(time);
  }

  /**
   * A day, two weeks or more ahead, on which no other script of this plan books with the providers this script may
   * touch, and on which the service can be booked at one of `times` (the first that fits) — with `provider` when
   * the customer names one.
   *
   * The providers claimed: by default the one the engine will give an exact request — the first provider, in the
   * business's order, who offers the service at that time (nobody else books with them that day, so they are free).
   * Scripts that pick from a list or take alternatives claim `'all'` who offer the service, or name them in `claim`.
   * `weekdays` narrows the day; `alsoOpenAt` are other times the script needs open; `after` keeps the day after another.
   */
  uniqueDay(
    service: string,
    options: { times: string[]; provider?: string; claim?: string[] | 'all'; weekdays?: WeekdayName[]; after?: string; alsoOpenAt?: string[] },
  ): PlannedSlot {
    const svc = findService(this.business, service);
    if (!svc) throw new Error(`unknown service ${service}`);
    const candidates = providersFor(this.business, service, options.provider);
    const last = this.business.policies.maxDaysAhead - SAFETY_DAYS;
    for (let offset = FIRST_UNIQUE_OFFSET; offset <= last; offset += 1) {
      const day = this.plusDays(offset);
      if (this.reserved.has(day.date)) continue;
      if (options.after && day.date <= options.after) continue;
      if (options.weekdays && !options.weekdays.includes(day.weekday)) continue;
      const time = options.times.find((t) => this.isOpen(day.date, t, service, options.provider));
      if (!time) continue;
      if (options.alsoOpenAt && !options.alsoOpenAt.every((t) => this.isOpen(day.date, t, service, options.provider))) continue;
      const start = DateTime.fromISO(`${day.date}T${time}`, { zone: this.zone });
      const claim =
        options.claim === 'all'
          ? candidates.map((p) => p.id)
          : (options.claim ?? [candidates.find((p) => fitsOpeningHours(p, svc, start))!.id]);
      const taken = this.handedOut.get(day.date) ?? new Set<string>();
      if (claim.some((p) => taken.has(p))) continue;
      for (const p of claim) taken.add(p);
      this.handedOut.set(day.date, taken);
      return { ...day, time, enTime: enTime(time) };
    }
    throw new Error(
      `the plan ran out of days for ${service} at ${options.times.join('/')}${options.provider ? ` with ${options.provider}` : ''}: ` +
        'give the script a narrower provider claim, or raise maxDaysAhead',
    );
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
