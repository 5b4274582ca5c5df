import { DateTime } from 'luxon';
import type { Business, Weekday } from '../booking/business';
import { WEEKDAYS } from '../booking/business';
import type { Locale } from '../language/locale';
import { understand } from '../language/understand';
import type { OfferedSlot } from '../model';
import type { BookingView, HoldView, ParsedToolCall } from '../tools';

/**
 * Where a date in a tool call came from. On the model path the model never works out a date: our code reads each
 * customer message (the same understanding the offline interpreter uses, in the customer's zone) and the model
 * copies dates from that reading, from slots it was offered or from bookings on record. The guard refuses any other
 * date, and its refusal lists the dates that are allowed, so the model's next call carries the code's date.
 *
 * Why the reading goes into the turn context rather than a `resolve_when` tool the model would call: the context
 * costs no model call (a turn has at most five), the model and the guard see the very same reading, and the input
 * is the customer's own words — a tool would resolve whatever text the model chose to send, so a date the model had
 * worked out ("Friday 5 Dec") could be laundered through our resolver and pass the guard.
 *
 * Pure and bounded: the readings of the last {@link MAX_READINGS} customer messages are kept in the conversation
 * state; everything else is read from the state as it is.
 */

/** Our code's reading of the dates and times in one customer message. */
export interface WhenReading {
  /** The turn of the message. */
  turn: number;
  /** The message, shortened: the model matches the reading to what the customer said. */
  words: string;
  /** Single local dates (YYYY-MM-DD) the customer named, including each of "Monday or Tuesday". */
  dates: string[];
  /** Spans of days ("next week", "in the next two weeks"), inclusive; any day inside one may be searched. */
  ranges: { start: string; end: string }[];
  /** Weekdays the customer limited themselves to ("Thursdays"). */
  weekdays?: Weekday[];
  time?: string;
  window?: { start: string; end: string };
}

/** Readings kept per conversation: enough for a date said a few messages before the service or the time. */
export const MAX_READINGS = 6;
/** A weekday said without a date ("Thursdays") allows its next occurrences within this many days. */
const WEEKDAY_HORIZON_DAYS = 14;
const MAX_WORDS = 120;
/** A range wider than this is not a day the customer named (and keeps the allowed set small). */
const MAX_RANGE_DAYS = 62;

export interface ReadOptions {
  /** Workflow time, an ISO instant. */
  now: string;
  /** The customer's zone. */
  zone: string;
  business: Business;
  /** The assistant's previous message (a bare "3" answers "what time?"). */
  previous?: string;
  locale?: Locale;
}

/**
 * Reads the dates in one customer message. The whole message is read as the interpreter reads it; then each part
 * between "or", "but", "except", "not" and commas is read alone, so every day the customer named counts ("any day
 * next week except Monday" names the week and the Monday; "Monday or Tuesday" names both).
 */
export function readWhen(text: string, turn: number, options: ReadOptions): WhenReading {
  const read = (t: string) => understand(t, { now: options.now, zone: options.zone, business: options.business, previous: options.previous, ...(options.locale ? { locale: options.locale } : {}) });
  const whole = read(text);
  const dates = new Set<string>();
  const ranges: { start: string; end: string }[] = [];
  const weekdays = new Set<Weekday>(whole.weekdays ?? []);
  const take = (u: ReturnType<typeof understand>) => {
    if (u.date) dates.add(u.date);
    if (u.range && spanDays(u.range) <= MAX_RANGE_DAYS && !ranges.some((r) => r.start === u.range!.start && r.end === u.range!.end)) ranges.push(u.range);
    for (const w of u.weekdays ?? []) weekdays.add(w);
    for (const c of (u.unresolved ?? []).flatMap((x) => x.candidates ?? [])) if (/^\d{4}-\d{2}-\d{2}$/.test(c)) dates.add(c);
  };
  take(whole);
  const parts = text.split(/\s*(?:,|;|\bor\b|\bo\b|\bbut\b|\bpero\b|\bexcept\b|\bexcepto\b|\bmenos\b|\bnot\b|\bno\b|\band\b|\by\b)\s*/i).filter((p) => p.trim().length > 0);
  if (parts.length > 1) for (const part of parts.slice(0, 8)) take(read(part));

  // "Thursdays": the next ones, worked out here so the model can copy them.
  const today = DateTime.fromISO(options.now, { zone: options.zone }).startOf('day');
  for (const w of weekdays) {
    for (let k = 0; k <= WEEKDAY_HORIZON_DAYS; k++) {
      const day = today.plus({ days: k });
      if (WEEKDAYS[day.weekday - 1] === w) dates.add(day.toISODate()!);
    }
  }

  const reading: WhenReading = { turn, words: text.length > MAX_WORDS ? `${text.slice(0, MAX_WORDS - 1)}…` : text, dates: [...dates].sort(), ranges };
  if (weekdays.size > 0) reading.weekdays = WEEKDAYS.filter((w) => weekdays.has(w));
  if (whole.time) reading.time = whole.time;
  if (whole.window) reading.window = whole.window;
  return reading;
}

/** What the conversation has on record that a date may be copied from. */
export interface DateRecord {
  readings: readonly WhenReading[];
  offered: readonly OfferedSlot[];
  bookings: readonly BookingView[];
  hold: HoldView | null;
  /** The conversation's date slot: itself a date that passed this check (or the interpreter's). */
  slotDate?: string;
}

/** One allowed date and where it came from, for the refusal the model reads. */
export interface AllowedDate {
  date: string;
  source: string;
}

/** The dates a tool call may carry: said by the customer (as our code read it), offered, or booked. */
export function allowedDates(record: DateRecord, zone: string): { dates: AllowedDate[]; ranges: { start: string; end: string; source: string }[] } {
  const dates = new Map<string, string>();
  const add = (date: string, source: string) => {
    if (!dates.has(date)) dates.set(date, source);
  };
  const ranges: { start: string; end: string; source: string }[] = [];
  // Newest first: the source named is the most recent one.
  for (const r of [...record.readings].reverse()) {
    for (const d of r.dates) add(d, `the customer said "${r.words}"`);
    for (const range of r.ranges) ranges.push({ ...range, source: `the customer said "${r.words}"` });
  }
  const localDate = (iso: string) => DateTime.fromISO(iso, { zone }).toISODate()!;
  for (const slot of record.offered) add(localDate(slot.start), 'an offered slot');
  if (record.hold) add(localDate(record.hold.start), 'the held slot');
  for (const b of record.bookings) add(localDate(b.start), `booking ${b.id}`);
  if (record.slotDate) add(record.slotDate, 'the day being discussed');
  return { dates: [...dates].map(([date, source]) => ({ date, source })), ranges };
}

export type ProvenanceVerdict = { ok: true } | { ok: false; error: 'date_not_resolved'; message: string; details: { allowedDates: string[]; ranges: { start: string; end: string }[] } };

/** The dates a call carries, by argument name; other tools carry none. */
function datesOf(call: ParsedToolCall): { arg: string; date: string }[] {
  switch (call.name) {
    case 'get_availability': {
      const a = call.args;
      return [
        ...(a.date ? [{ arg: 'date', date: a.date }] : []),
        ...(a.dateTo ? [{ arg: 'dateTo', date: a.dateTo }] : []),
        ...(a.excludeDates ?? []).map((date) => ({ arg: 'excludeDates', date })),
      ];
    }
    case 'join_waitlist':
      return [
        { arg: 'dateFrom', date: call.args.dateFrom },
        { arg: 'dateTo', date: call.args.dateTo },
      ];
    default:
      return [];
  }
}

/**
 * Refuses a get_availability or join_waitlist date our code did not produce. hold_slot and reschedule_booking are not
 * checked here: their starts must already be offered slots (the guard's own rule).
 */
export function checkDateProvenance(call: ParsedToolCall, record: DateRecord, zone: string): ProvenanceVerdict {
  const carried = datesOf(call);
  if (carried.length === 0) return { ok: true };
  const allowed = allowedDates(record, zone);
  const known = new Set(allowed.dates.map((d) => d.date));
  const inRange = (date: string) => allowed.ranges.some((r) => r.start <= date && date <= r.end);
  const stray = carried.filter((c) => !known.has(c.date) && !inRange(c.date));
  if (stray.length === 0) return { ok: true };

  const shown = allowed.dates.slice(0, 12).map((d) => `${d.date} (${weekdayOf(d.date, zone)}, ${d.source})`);
  const spans = allowed.ranges.slice(0, 4).map((r) => `${r.start} to ${r.end} (${r.source})`);
  const what = stray.map((s) => `${s.arg} ${s.date}`).join(', ');
  const message =
    `${what}: not a date our code resolved from the customer's words, an offered slot or a booking; never work out a date yourself. ` +
    (shown.length + spans.length > 0
      ? `Use ${[...shown.length ? [`one of these dates: ${shown.join('; ')}`] : [], ...spans.length ? [`a day within: ${spans.join('; ')}`] : []].join(', or ')}. `
      : 'The customer has not named a day our code could read. ') +
    'Or leave the date out to search the next days, or ask the customer which day they mean.';
  return {
    ok: false,
    error: 'date_not_resolved',
    message,
    details: { allowedDates: allowed.dates.map((d) => d.date), ranges: allowed.ranges.map(({ start, end }) => ({ start, end })) },
  };
}

/** Keeps the newest readings only. */
export function keepReadings(readings: readonly WhenReading[], next: WhenReading): WhenReading[] {
  return [...readings, next].slice(-MAX_READINGS);
}

function spanDays(range: { start: string; end: string }): number {
  return DateTime.fromISO(range.end).diff(DateTime.fromISO(range.start), 'days').days + 1;
}

function weekdayOf(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).setLocale('en').toFormat('ccc');
}
