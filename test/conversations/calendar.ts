import { DateTime } from 'luxon';
import { findProvider, findService, type Business } from '../../src/domain/booking/business';
import { fitsOpeningHours, openingIntervals, providersFor } from '../../src/domain/booking/hours';

/**
 * The calendar the scripted conversations are written against. The conversations run on the real clock (the dev
 * server's), so every date a script says or expects is computed here from "now" in the business's zone.
 *
 * Scripts run concurrently against one ledger, so two of them must never want the same slot: each script that
 * books on a named day gets a day on which its stretch of its provider's time is its own
 * ({@link CalendarPlan.uniqueDay}), far enough out that it cannot be a day a relative phrase ("tomorrow", "next
 * Friday", "the 8th") means, even after the run has crossed midnight; scripts that use those phrases declare the
 * days they touch as locks, and the runner never runs two of them on the same day at once.
 *
 * A plan is the calendar seen at one instant. Unique days are handed out once per run (every {@link at} view shares
 * them); the relative phrases are read at the view's instant. A script built from a view that reads the instant is
 * valid while the clock stays on the same business day and within {@link PLAN_MARGIN_MINUTES} of it: expectations
 * about today's hours keep that margin (a time asked for "this Sunday" on a Sunday is either still bookable at the end
 * of it or already past), and the runner builds the script again for the current instant when it would run, or ran,
 * outside it (see {@link CalendarPlan.validAt}).
 *
 * The relative-date conventions below are the ones the project's resolver documents (both evaluation corpora
 * agree, and src/domain/language/date-rules.ts implements them): "this Friday" (also "this coming Friday",
 * "upcoming Friday", Spanish "este viernes") is the first one from today, today included — on a Sunday, "this
 * Sunday" is today, as most people mean it; a bare weekday ("Friday", "el viernes") and Spanish "el próximo martes"
 * are the first one strictly after today; "next Friday" is the Friday of the following ISO week; "the 8th" is this
 * month's unless it has passed. They are written out again here, independently, because this is the oracle the
 * resolver is checked against.
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

/**
 * The first unique day is this far out: beyond every day a relative phrase can mean (at most 14 days, "the Friday
 * after next", and a script's lock on the day either side of "this Sunday"), counted from the day after the run
 * started, for a run that crosses midnight.
 */
const FIRST_UNIQUE_OFFSET = 16;
/** Leave room under the business's `maxDaysAhead` so a slow run near midnight cannot cross it. */
const SAFETY_DAYS = 3;

/**
 * How long after its instant a script built from a plan may still run: what it expects of today's hours (a time
 * "this Sunday" on a Sunday is bookable, or has passed) holds for that long. A generous bound on one script's run, not
 * on the suite's: the runner builds a script again for the instant it starts once its build is older than this, and
 * reruns one that failed after running past it (see {@link CalendarPlan.validAt}) — so a slow machine costs a
 * rebuild, never a false failure.
 */
export const PLAN_MARGIN_MINUTES = 30;

/** What every view of one run's plan shares: the unique days handed out, counted from the instant the run began. */
interface RunCalendar {
  today: DateTime;
  /** Date → the stretches of providers' time that scripts book that day. */
  handedOut: Map<string, Claim[]>;
  reserved: Set<string>;
  openCache: Map<string, string | undefined>;
  scanCache: Map<number, { date: string; weekday: WeekdayName }>;
}

export class CalendarPlan {
  private readonly seenAt: DateTime;
  private readonly instantDay: DateTime;
  private readonly run: RunCalendar;
  private touchedInstant = false;
  /** Claims this view handed out, so a script built again before it ever ran can give them back. */
  private readonly claimed: { date: string; claims: Claim[] }[] = [];

  /** A run's plan at `now` (default: this instant); `run` is how {@link at} shares a run's unique days. */
  constructor(
    readonly business: Business,
    now: DateTime | Date = new Date(),
    run?: RunCalendar,
  ) {
    this.seenAt = (now instanceof Date ? DateTime.fromJSDate(now) : now).setZone(business.timezone);
    this.instantDay = this.seenAt.startOf('day');
    this.run = run ?? {
      today: this.instantDay,
      handedOut: new Map(),
      // Days that "the 8th" or "the 18th" may mean, today or on the next two days of the run, are never unique days.
      reserved: new Set([0, 1, 2].flatMap((k) => [8, 18].map((n) => upcomingDayOfMonth(this.instantDay.plus({ days: k }), n).toISODate()!))),
      openCache: new Map(),
      scanCache: new Map(),
    };
  }

  /** The same run's plan at another instant (default: this one): the unique days already handed out stay handed out. */
  at(now: DateTime | Date = this.seenAt): CalendarPlan {
    return new CalendarPlan(this.business, now, this.run);
  }

  /** The instant this plan reads relative phrases at (reading it marks what is built as depending on it). */
  get now(): DateTime {
    this.touchedInstant = true;
    return this.seenAt;
  }

  /** The business-local day of {@link now}. */
  get today(): DateTime {
    this.touchedInstant = true;
    return this.instantDay;
  }

  /** Whether anything read the instant: a script built from this view holds only around it (see {@link validAt}). */
  get dependsOnInstant(): boolean {
    return this.touchedInstant;
  }

  /**
   * Whether what was built from this view still holds at `t`: the same business day (a relative phrase means
   * another day after midnight), and within {@link PLAN_MARGIN_MINUTES} of the view's instant.
   */
  validAt(t: DateTime | Date): boolean {
    const at = (t instanceof Date ? DateTime.fromJSDate(t) : t).setZone(this.zone);
    return at.startOf('day').equals(this.instantDay) && at < this.seenAt.plus({ minutes: PLAN_MARGIN_MINUTES });
  }

  /** Gives back the unique days this view handed out (its script is being built again and never ran). */
  releaseClaims(): void {
    for (const { date, claims } of this.claimed.splice(0)) {
      this.run.handedOut.set(date, (this.run.handedOut.get(date) ?? []).filter((c) => !claims.includes(c)));
    }
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

  /** "this Sunday", "this coming Friday", "upcoming Monday", Spanish "este lunes": the first one from today, today included. */
  thisWeekday(name: WeekdayName): Day {
    return this.plusDays((WEEKDAY[name] - this.today.weekday + 7) % 7);
  }

  /** A bare weekday ("Tuesday", "el martes") and Spanish "el próximo martes": the first one strictly after today. */
  bareWeekday(name: WeekdayName): Day {
    return this.plusDays((WEEKDAY[name] - this.today.weekday + 7) % 7 || 7);
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
    return this.day(upcomingDayOfMonth(this.today, n));
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

  /**
   * Whether a booking at `time` on `date` is far enough ahead for the booking notice (the business's
   * `minNoticeMinutes`) from now until the end of this view's margin: asked for then, it is not "too soon".
   */
  farEnough(date: string, time: string): boolean {
    const notice = this.business.policies.minNoticeMinutes + PLAN_MARGIN_MINUTES;
    return DateTime.fromISO(`${date}T${time}`, { zone: this.zone }) >= this.now.plus({ minutes: notice });
  }

  /** {@link farEnough}, and `provider` (or someone who offers the service) works then: it can be booked. */
  bookable(date: string, time: string, service: string, provider?: string): boolean {
    return this.farEnough(date, time) && this.isOpen(date, time, service, provider);
  }

  /** Whether `time` on `date` has passed, by a whole minute (the resolver reads clock times to the minute). */
  hasPassed(date: string, time: string): boolean {
    return DateTime.fromISO(`${date}T${time}`, { zone: this.zone }).plus({ minutes: 1 }) <= this.now;
  }

  /**
   * A start at least `hours` from now (to the minute, then on the next :x2/:x7, clear of the quarter-hour grid) at
   * which `provider` is off work for the whole service and its buffer, with room for the longest buffer after
   * closing: a booking made there straight in the ledger can never overlap one a script makes through the assistant,
   * not even on today's or tomorrow's "this Sunday" or "tomorrow at 2pm". Nights are always free, so one is found
   * within the day.
   */
  offHoursStart(provider: string, service: string, hours: number): string {
    const who = findProvider(this.business, provider);
    const svc = findService(this.business, service);
    if (!who || !svc) throw new Error(`unknown provider ${provider} or service ${service}`);
    const tail = Math.max(...this.business.services.map((s) => s.bufferMinutes));
    const t = this.now.plus({ hours }).startOf('minute');
    let start = t.plus({ minutes: ((5 - (t.minute % 5)) % 5) + 2 });
    for (let step = 0; step < 24 * 12; step += 1, start = start.plus({ minutes: 5 })) {
      const from = start.toMillis();
      const to = from + (svc.durationMinutes + svc.bufferMinutes) * 60_000;
      const days = [-1, 0, 1].map((k) => start.startOf('day').plus({ days: k }));
      const busy = days.flatMap((d) => openingIntervals(who, d)).some((i) => from < i.close + tail * 60_000 && i.open < to);
      if (!busy) return start.toUTC().toISO()!;
    }
    throw new Error(`${provider} works every minute of the day after ${hours} h from now: no off-hours start`);
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
    if (this.run.openCache.has(key)) return this.run.openCache.get(key)!;
    const svc = findService(this.business, service);
    if (!svc) throw new Error(`unknown service ${service}`);
    const start = DateTime.fromISO(`${date}T${time}`, { zone: this.zone });
    const found = providersFor(this.business, service, provider).find((p) => fitsOpeningHours(p, svc, start))?.id;
    this.run.openCache.set(key, found);
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
      if (this.run.reserved.has(day.date)) continue;
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
      const taken = this.run.handedOut.get(day.date) ?? [];
      const clash = claims.some((c) => taken.some((t) => t.provider === c.provider && t.from < c.to && c.from < t.to));
      if (clash) continue;
      this.run.handedOut.set(day.date, [...taken, ...claims]);
      this.claimed.push({ date: day.date, claims });
      return { ...this.day(this.run.today.plus({ days: offset })), time, enTime: enTime(time) };
    }
    throw new Error(
      `the plan ran out of days for ${service} at ${options.times.join('/')}${options.provider ? ` with ${options.provider}` : ''}: ` +
        'claim less of the day (an exact slot rather than the whole day), or raise maxDaysAhead',
    );
  }

  /**
   * Date and weekday of a day `offset` days after the run began, without the (slow) phrasing: what the scan in
   * uniqueDay needs. Unique days count from the run's first instant, not the view's, so they never move.
   */
  private scanDay(offset: number): { date: string; weekday: WeekdayName } {
    let hit = this.run.scanCache.get(offset);
    if (!hit) {
      const d = this.run.today.plus({ days: offset });
      hit = { date: d.toISODate()!, weekday: (Object.keys(WEEKDAY) as WeekdayName[])[d.weekday - 1]! };
      this.run.scanCache.set(offset, hit);
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

/** "the 8th" seen from `today`: this month's unless it has passed, else the next month that has it. */
function upcomingDayOfMonth(today: DateTime, n: number): DateTime {
  for (let i = 0; i < 13; i += 1) {
    const month = today.startOf('month').plus({ months: i });
    if (n > (month.daysInMonth ?? 31)) continue;
    const candidate = month.set({ day: n });
    if (candidate >= today) return candidate;
  }
  throw new Error(`no month within a year has a day ${n}`);
}

/** "10am", "2:30pm". */
export function enTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}
