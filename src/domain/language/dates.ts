import { DateTime } from 'luxon';

/**
 * Calendar arithmetic for relative dates, on luxon dates at local midnight. Weeks are ISO weeks (Monday first),
 * which is what makes "next Friday" the Friday of the following week and "Sunday this week" the coming Sunday.
 */

/** The first `weekday` strictly after `today` (today itself when `includeToday`). */
export function upcomingWeekday(today: DateTime, weekday: number, includeToday = false): DateTime {
  let diff = (weekday - today.weekday + 7) % 7;
  if (diff === 0 && !includeToday) diff = 7;
  return today.plus({ days: diff });
}

/** `weekday` in the ISO week `weekOffset` weeks from this one (0 this week, 1 next week, -1 last week). */
export function weekdayOfWeek(today: DateTime, weekday: number, weekOffset: number): DateTime {
  return today.startOf('week').plus({ weeks: weekOffset, days: weekday - 1 });
}

/** The most recent `weekday` strictly before `today`. */
export function previousWeekday(today: DateTime, weekday: number): DateTime {
  let diff = (today.weekday - weekday + 7) % 7;
  if (diff === 0) diff = 7;
  return today.minus({ days: diff });
}

/**
 * Day `day` of the current month if it has not passed, else of the next month that has that day ("the 31st" in
 * February is 31 March). Null when no month within a year has it (day 32).
 */
export function upcomingDayOfMonth(today: DateTime, day: number): DateTime | null {
  for (let i = 0; i < 13; i += 1) {
    const month = today.startOf('month').plus({ months: i });
    if (day > (month.daysInMonth ?? 31)) continue;
    const candidate = month.set({ day });
    if (candidate >= today) return candidate;
  }
  return null;
}

/** A date in a month; null when the day does not exist (30 February). */
export function calendarDate(year: number, month: number, day: number, zone: string): DateTime | null {
  const d = DateTime.fromObject({ year, month, day }, { zone });
  return d.isValid && d.day === day && d.month === month ? d.startOf('day') : null;
}

/**
 * Month and day without a year: this year's date unless it has passed, then next year's (year rollover).
 * With a weekday ("Fri, Jul 18"), the first year from this one whose date falls on that weekday.
 */
export function monthDayNearest(today: DateTime, month: number, day: number, weekday?: number): DateTime | null {
  const zone = today.zoneName ?? 'UTC';
  if (weekday !== undefined) {
    for (let y = today.year; y < today.year + 28; y += 1) {
      const d = calendarDate(y, month, day, zone);
      if (d && d.weekday === weekday) return d;
    }
  }
  for (let y = today.year; y < today.year + 8; y += 1) {
    const d = calendarDate(y, month, day, zone);
    if (d && d >= today) return d;
  }
  return null;
}

/** The n-th (1-based; -1 last, -2 second last) `weekday` of a month. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number, zone: string): DateTime | null {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
  if (n > 0) {
    const d = upcomingWeekday(first, weekday, true).plus({ weeks: n - 1 });
    return d.month === month ? d : null;
  }
  const last = first.endOf('month').startOf('day');
  const diff = (last.weekday - weekday + 7) % 7;
  const d = last.minus({ days: diff }).minus({ weeks: -n - 1 });
  return d.month === month ? d : null;
}

/** Two-digit years: 00–49 → 2000s, 50–99 → 1900s. */
export function fullYear(text: string): number {
  const n = Number(text.replace(/^'/, ''));
  if (text.replace(/^'/, '').length <= 2) return n < 50 ? 2000 + n : 1900 + n;
  return n;
}

/** ISO date (YYYY-MM-DD) of a luxon date. */
export function isoDay(d: DateTime): string {
  return d.toFormat('yyyy-MM-dd');
}
