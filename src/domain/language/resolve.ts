import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from '../booking/business';
import { dateRules } from './date-rules';
import { isoDay } from './dates';
import { findAll, selectMentions, type Found, type Mention, type RuleContext } from './mentions';
import { normalizeText } from './normalize';
import { rangeRules } from './range-rules';
import { timeRules } from './time-rules';
import { clock, minutesOf, readBareHour, settle, type ClockReading, type DayPart } from './times';
import { END_OF_DAY, windowRules } from './windows';

/**
 * Resolves the dates, times and windows in one message, in the customer's zone, relative to `now`. Pure: the
 * clock and the zone are arguments. Whatever cannot be pinned down is listed in `unresolved` so the assistant
 * asks instead of guessing; a local time that does not exist (the spring-forward gap) is reported, never shifted.
 */

export interface ResolveOptions {
  /** The reference time: an ISO local time ("2019-03-01T09:00") read in `zone`, or an ISO instant with offset. */
  now: string;
  /** IANA zone of the customer (any zone luxon accepts, e.g. "UTC-2"). */
  zone: string;
  /** 'es' reads numeric dates day first ("3/4" = 3 April). */
  locale?: 'en' | 'es';
  /** What the assistant just asked: a bare "3" answers "what time?". */
  expect?: 'time';
  /**
   * Picks between the am and pm reading of a time said without one ("at 3"), e.g. by opening hours; null when it
   * cannot tell, and the ambiguity is reported.
   */
  disambiguate?: (candidates: [string, string], date: string | undefined) => string | null;
}

export type UnresolvedKind =
  | 'meridiem'
  | 'no_time'
  | 'no_date'
  | 'ambiguous_weekend'
  | 'nonexistent_time'
  | 'repeated_time'
  | 'alternatives'
  | 'weekday_mismatch'
  | 'invalid_date'
  | 'past';

/** Something the customer said that the resolver could not pin down alone. */
export interface Unresolved {
  kind: UnresolvedKind;
  /** The words concerned, as normalized. */
  phrase: string;
  /** The readings to choose from: "HH:MM" times, "YYYY-MM-DD" dates or ISO instants. */
  candidates?: string[];
  /** Plain-English explanation for logs and the nlu command. */
  message: string;
}

export interface WhenResult {
  /** Local date, YYYY-MM-DD. */
  date?: string;
  /** Local time, HH:MM (24 h). */
  time?: string;
  /** Acceptable local times, HH:MM bounds, end exclusive. */
  window?: { start: string; end: string };
  /** A span of days when no single day was said ("next week", "this weekend"), inclusive. */
  range?: { start: string; end: string };
  /** Weekdays the customer restricted themselves to ("only Tuesdays"). */
  weekdays?: Weekday[];
  /** The instant (ISO with offset) when both date and time are known and that local time exists. */
  instant?: string;
  /** "around noon", "3ish": the time is a preference, the window the tolerance. */
  approximate?: boolean;
  /** "as soon as possible", "now": the earliest slot. */
  soonest?: boolean;
  /**
   * A time said without am/pm that {@link ResolveOptions.disambiguate} settled (e.g. "3" as 15:00 because the
   * business is closed at 3 AM): the reply says which reading was taken.
   */
  assumedMeridiem?: { phrase: string; time: string };
  unresolved: Unresolved[];
  /** The phrases that were understood, in order. */
  phrases: string[];
}

const RULES = [...dateRules, ...rangeRules, ...timeRules, ...windowRules];

/** Parses `now` in `zone`; throws with a fix when either is unusable. */
export function referenceTime(now: string, zone: string): DateTime {
  const dt = DateTime.fromISO(now, { zone });
  if (!dt.isValid) throw new Error(`cannot read now "${now}" in zone "${zone}": ${dt.invalidExplanation ?? dt.invalidReason}; pass an ISO time such as 2019-03-01T09:00 and an IANA zone such as America/New_York`);
  return dt;
}

/** Resolves every date and time expression in `text`. */
export function resolveWhen(text: string, options: ResolveOptions): WhenResult {
  const now = referenceTime(options.now, options.zone);
  const ctx: RuleContext = { now, today: now.startOf('day'), dayFirst: options.locale === 'es' };
  const normalized = normalizeText(text);
  const found = selectMentions(findAll(RULES, normalized, ctx));
  const result: WhenResult = { unresolved: [], phrases: found.map((f) => f.text) };
  if (/\b(?:asap|as soon as possible|soonest|earliest|right now|right away|lo antes posible|cuanto antes|lo mas pronto)\b/.test(normalized)) {
    result.soonest = true;
  }

  const dateMentions = found.filter((f) => f.mention.kind === 'date' || f.mention.kind === 'instant');
  const timeMentions = found.filter((f) => f.mention.kind === 'time');
  const parts = found.filter((f) => f.mention.kind === 'part');
  const windows = found.filter((f) => f.mention.kind === 'window');
  const ranges = found.filter((f) => f.mention.kind === 'range');
  const weekdayMentions = found.filter((f) => f.mention.kind === 'weekdays');

  if (timeMentions.length === 0 && options.expect === 'time') {
    const bare = /^\s*(?:at\s|a las\s|la\s)?(\d{1,2})\s*[.!?]*\s*$/.exec(normalized);
    const reading = bare ? readBareHour(bare[1] ?? '') : null;
    if (reading && bare) timeMentions.push({ start: 0, end: normalized.length, text: bare[0].trim(), rule: 'answer-hour', group: 'time', mention: { kind: 'time', reading } });
  }

  // The day.
  let day: DateTime | undefined;
  let dayFound: Found | undefined;
  let instantFromRule: DateTime | undefined;
  const chosenDate = pickLast(dateMentions, normalized, 'date', result);
  if (chosenDate) {
    dayFound = chosenDate;
    const m = chosenDate.mention;
    if (m.kind === 'instant') {
      instantFromRule = m.at;
      day = m.at.startOf('day');
    } else if (m.kind === 'date') {
      if (m.note?.kind === 'invalid_date') {
        result.unresolved.push({ kind: 'invalid_date', phrase: chosenDate.text, message: `"${chosenDate.text}" is not a day on the calendar` });
      } else {
        day = shiftedByPrefix(normalized.slice(0, chosenDate.start), m.date);
        if (m.note?.kind === 'weekday_mismatch') {
          result.unresolved.push({
            kind: 'weekday_mismatch',
            phrase: chosenDate.text,
            candidates: [m.note.first, isoDay(m.date)],
            message: `the weekday in "${chosenDate.text}" does not fall on ${m.note.first}`,
          });
        }
      }
    }
  }
  if (!day && ranges.length > 0) {
    const r = ranges[ranges.length - 1]!;
    if (r.mention.kind === 'range') {
      result.range = { start: isoDay(r.mention.start), end: isoDay(r.mention.end) };
      if (r.mention.note?.kind === 'ambiguous_weekend') {
        result.unresolved.push({
          kind: 'ambiguous_weekend',
          phrase: r.text,
          candidates: r.mention.note.candidates,
          message: `"${r.text}" could be the weekend starting ${r.mention.note.candidates[0]} or ${r.mention.note.candidates[1]}`,
        });
      }
    }
  }
  const days = weekdayMentions.flatMap((f) => (f.mention.kind === 'weekdays' ? f.mention.days : []));
  if (days.length > 0 && !dayFound) result.weekdays = [...new Set(days)].sort().map((d) => WEEKDAYS[d - 1]!);

  // The time of day.
  let timeOfDay: { hour: number; minute: number } | undefined;
  const usedParts = new Set<Found>();
  const chosenTime = pickLast(timeMentions, normalized, 'time', result);
  if (instantFromRule) {
    timeOfDay = { hour: instantFromRule.hour, minute: instantFromRule.minute };
  } else if (chosenTime && chosenTime.mention.kind === 'time') {
    const part = nearestPart(chosenTime, parts);
    if (part) usedParts.add(part);
    const partName = part && part.mention.kind === 'part' ? part.mention.part : null;
    const settled = settle(chosenTime.mention.reading, partName);
    if (settled.candidates && options.disambiguate) {
      const pick = options.disambiguate(settled.candidates, day ? isoDay(day) : undefined);
      if (pick) {
        settled.hour = minutesOf(pick) / 60 | 0;
        const afternoon = pick === settled.candidates[1];
        delete settled.candidates;
        // Only the afternoon reading is worth saying: "at 10" read as 10 AM is what anyone would take it to mean.
        if (afternoon) result.assumedMeridiem = { phrase: chosenTime.text, time: pick };
      }
    }
    timeOfDay = { hour: settled.hour, minute: settled.minute };
    if (settled.nextDay && day) day = day.plus({ days: 1 });
    if (settled.candidates) {
      result.unresolved.push({
        kind: 'meridiem',
        phrase: chosenTime.text,
        candidates: settled.candidates,
        message: `"${chosenTime.text}" could be ${settled.candidates[0]} or ${settled.candidates[1]}`,
      });
    }
    const offset = chosenTime.mention.zoneOffsetMinutes;
    if (offset !== undefined) {
      // "4pm CET": the wall time in that zone, converted to the customer's.
      const base = day ?? ctx.today;
      const there = DateTime.fromObject({ year: base.year, month: base.month, day: base.day, hour: timeOfDay.hour, minute: timeOfDay.minute }, { zone: fixedZone(offset) });
      const here = there.setZone(now.zone);
      timeOfDay = { hour: here.hour, minute: here.minute };
      if (day) day = here.startOf('day');
    }
    if (chosenTime.mention.approx) {
      result.approximate = true;
      const at = timeOfDay.hour * 60 + timeOfDay.minute;
      result.window = { start: clock(...hm(Math.max(0, at - 60))), end: at + 60 >= 24 * 60 ? END_OF_DAY : clock(...hm(at + 60)) };
    }
  }

  // Windows: an explicit one, else a part of the day that did not settle a time.
  const chosenWindow = windows[windows.length - 1];
  if (chosenWindow && chosenWindow.mention.kind === 'window' && !result.window) {
    const part = nearestPart(chosenWindow, parts);
    if (part) usedParts.add(part);
    const settled = settleWindow(chosenWindow.mention, part && part.mention.kind === 'part' ? part.mention.part : null);
    // A window that ends before it starts ("15:00 to 12:00") is not one.
    if (settled.start < settled.end) result.window = settled;
  } else if (!timeOfDay && !result.window) {
    const free = parts.filter((p) => !usedParts.has(p));
    const p = free[free.length - 1];
    if (p && p.mention.kind === 'part') result.window = { start: p.mention.window[0], end: p.mention.window[1] };
  }

  if (day) result.date = isoDay(day);
  if (timeOfDay) result.time = clock(timeOfDay.hour, timeOfDay.minute);

  // What is still open.
  if (result.date && result.time) {
    const exists = localExistence(result.date, result.time, options.zone);
    if (exists.kind === 'ok') result.instant = exists.at.toISO({ suppressMilliseconds: true }) ?? undefined;
    else if (exists.kind === 'gap') {
      result.unresolved.push({
        kind: 'nonexistent_time',
        phrase: chosenTime?.text ?? result.time,
        candidates: [exists.after],
        message: `${result.time} does not exist on ${result.date} in ${options.zone} (clocks spring forward); the next valid time is ${exists.after.slice(11, 16)}`,
      });
    } else {
      result.instant = exists.first;
      result.unresolved.push({
        kind: 'repeated_time',
        phrase: chosenTime?.text ?? result.time,
        candidates: [exists.first, exists.second],
        message: `${result.time} happens twice on ${result.date} in ${options.zone} (clocks fall back)`,
      });
    }
  }
  const hasDay = Boolean(result.date || result.range || result.weekdays);
  const hasTime = Boolean(result.time || result.window);
  if (hasDay && !hasTime && !result.soonest) {
    result.unresolved.push({ kind: 'no_time', phrase: dayFound?.text ?? ranges[0]?.text ?? weekdayMentions[0]?.text ?? '', message: 'a day but no time was given' });
  }
  if (result.time && !hasDay) {
    result.unresolved.push({ kind: 'no_date', phrase: chosenTime?.text ?? result.time, message: 'a time but no day was given' });
  }
  if (result.date) {
    const past = result.date < isoDay(ctx.today) || (result.date === isoDay(ctx.today) && result.time !== undefined && minutesOf(result.time) < now.hour * 60 + now.minute);
    if (past) result.unresolved.push({ kind: 'past', phrase: dayFound?.text ?? result.date, message: `${result.date}${result.time ? ' ' + result.time : ''} has already passed` });
  }
  return result;
}

/** "three days after Easter", "the day before Christmas", "a week after the 8th". */
function shiftedByPrefix(before: string, d: DateTime): DateTime {
  const m = /(?:^|\s)(\d{1,3}|a|an|one|the)\s(days?|weeks?)\s(after|before)\s$/.exec(before);
  if (!m) return d;
  const n = /^\d/.test(m[1] ?? '') ? Number(m[1]) : 1;
  const days = /week/.test(m[2] ?? '') ? 7 * n : n;
  return d.plus({ days: m[3] === 'before' ? -days : days });
}

function hm(total: number): [number, number] {
  return [Math.floor(total / 60), total % 60];
}

function fixedZone(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? ':' + String(abs % 60).padStart(2, '0') : ''}`;
}

/** The last mention, unless the two last are alternatives ("Monday or Tuesday"): then none, and say so. */
function pickLast(mentions: Found[], text: string, what: 'date' | 'time', result: WhenResult): Found | undefined {
  const last = mentions[mentions.length - 1];
  const before = mentions[mentions.length - 2];
  if (last && before) {
    const between = text.slice(before.end, last.start);
    if (/^\s*,?\s*(?:or|o|u)\s+(?:maybe\s|perhaps\s|possibly\s)?(?:on\s|at\s|the\s|el\s|a las\s)?$/.test(between)) {
      result.unresolved.push({
        kind: 'alternatives',
        phrase: text.slice(before.start, last.end),
        message: `two ${what}s were offered as alternatives: "${before.text}" or "${last.text}"`,
      });
      return undefined;
    }
  }
  return last;
}

/** The part of the day closest to a mention, which settles its am/pm ("half past 3 in the afternoon"). */
function nearestPart(target: Found, parts: Found[]): Found | undefined {
  let best: Found | undefined;
  let bestDistance = Infinity;
  for (const p of parts) {
    const distance = p.start >= target.end ? p.start - target.end : target.start >= p.end ? target.start - p.end : 0;
    if (distance < bestDistance) {
      best = p;
      bestDistance = distance;
    }
  }
  return best;
}

/** Settles a window's bounds so the end follows the start ("between 2 and 4" = 14:00–16:00, "3-4pm"). */
function settleWindow(w: Extract<Mention, { kind: 'window' }>, part: DayPart | null): { start: string; end: string } {
  const toMinutes = (s: { hour: number; minute: number }) => s.hour * 60 + s.minute;
  if (!w.end) {
    const s = settle(w.start, part);
    const t = clock(s.hour, s.minute);
    return w.open === 'before' ? { start: '00:00', end: t } : { start: t, end: END_OF_DAY };
  }
  const explicit = (r: ClockReading) => r.meridiem !== null || r.fixed;
  let end = settle(w.end, part);
  let start: { hour: number; minute: number };
  if (explicit(w.start) || part) {
    start = settle(w.start, part);
  } else if (w.end.meridiem) {
    const same = settle({ ...w.start, meridiem: w.end.meridiem }, null);
    const other = settle({ ...w.start, meridiem: w.end.meridiem === 'pm' ? 'am' : 'pm' }, null);
    start = toMinutes(same) <= toMinutes(end) ? same : other;
  } else {
    start = settle(w.start, null);
  }
  if (!explicit(w.end) && !part && toMinutes(end) <= toMinutes(start)) {
    const later = { hour: (w.end.hour % 12) + 12, minute: w.end.minute };
    if (toMinutes(later) > toMinutes(start)) end = later;
  } else if (!explicit(w.end) && !part && end.candidates) {
    const am = { hour: w.end.hour % 12, minute: w.end.minute };
    if (toMinutes(am) > toMinutes(start)) end = am;
  }
  return { start: clock(start.hour, start.minute), end: toMinutes(end) === 0 ? END_OF_DAY : clock(end.hour, end.minute) };
}

type Existence = { kind: 'ok'; at: DateTime } | { kind: 'gap'; after: string } | { kind: 'overlap'; first: string; second: string };

/**
 * Whether a local date and time exists in a zone: on a spring-forward day 02:30 does not (luxon would quietly move
 * it to 03:30), and on a fall-back day 01:30 happens twice.
 */
export function localExistence(date: string, time: string, zone: string): Existence {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (dt.hour !== hour || dt.minute !== minute) return { kind: 'gap', after: dt.toISO({ suppressMilliseconds: true }) ?? '' };
  for (const other of [dt.plus({ hours: 1 }), dt.minus({ hours: 1 })]) {
    if (other.hour === hour && other.minute === minute && other.day === day) {
      const [first, second] = other < dt ? [other, dt] : [dt, other];
      return { kind: 'overlap', first: first.toISO({ suppressMilliseconds: true }) ?? '', second: second.toISO({ suppressMilliseconds: true }) ?? '' };
    }
  }
  return { kind: 'ok', at: dt };
}
