import { DateTime } from 'luxon';
import type { ClosedNotice } from '../../booking/closed-day';
import type { AvailabilityRequested, Weekday } from '../../tools';
import { day, localClock, providerName, say, serviceName, type RenderOptions } from './format';

/**
 * How an availability request and a closed day read back to the customer: "on Friday morning (4 Dec)", "between Mon
 * 7 Dec and Sun 13 Dec on weekdays after 5:00 PM", "We're closed on Sundays." Only what the engine returned.
 */

const PARTS: { start: string; end: string; en: string; es: string }[] = [
  { start: '00:00', end: '12:00', en: 'morning', es: 'por la mañana' },
  { start: '12:00', end: '19:00', en: 'afternoon', es: 'por la tarde' },
  { start: '18:00', end: '23:59', en: 'evening', es: 'por la noche' },
];
const END_OF_DAY = '23:59';

const WEEKDAY_NAMES: Record<Weekday, [string, string]> = {
  mon: ['Mondays', 'lunes'],
  tue: ['Tuesdays', 'martes'],
  wed: ['Wednesdays', 'miércoles'],
  thu: ['Thursdays', 'jueves'],
  fri: ['Fridays', 'viernes'],
  sat: ['Saturdays', 'sábados'],
  sun: ['Sundays', 'domingos'],
};
const ALL: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The part of the day a window is exactly, if any ("morning" for 00:00–12:00). */
function partOf(window: { start: string; end: string } | undefined) {
  return window ? PARTS.find((p) => p.start === window.start && p.end === window.end) : undefined;
}

/** "Mondays or Fridays" / "los lunes o viernes"; joined with the locale's "or". */
function weekdayList(days: Weekday[], opts: RenderOptions, joiner: [string, string]): string {
  const names = days.map((d) => say(opts, WEEKDAY_NAMES[d][0], WEEKDAY_NAMES[d][1]));
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${say(opts, joiner[0], joiner[1])} ${names[names.length - 1]}`;
}

/** "on weekdays", "at the weekend", "on Thursdays or Fridays", "except Mondays" (or Spanish); '' for every day. */
function describeWeekdays(days: Weekday[] | undefined, opts: RenderOptions): string {
  if (!days?.length || days.length === 7) return '';
  const set = new Set(days);
  if (days.length === 5 && ALL.slice(0, 5).every((d) => set.has(d))) return say(opts, 'on weekdays', 'entre semana');
  if (days.length === 2 && set.has('sat') && set.has('sun')) return say(opts, 'at the weekend', 'el fin de semana');
  if (days.length >= 4) {
    const left = ALL.filter((d) => !set.has(d));
    return say(opts, `except ${weekdayList(left, opts, ['and', 'y'])}`, `excepto los ${weekdayList(left, opts, ['and', 'y'])}`);
  }
  return say(opts, `on ${weekdayList(days, opts, ['or', 'o'])}`, `los ${weekdayList(days, opts, ['or', 'o'])}`);
}

/** The window: "in the morning", "after 5:00 PM", "before 9:00 AM", "between 2:00 PM and 4:00 PM" (or Spanish). */
function describeWindow(window: { start: string; end: string }, opts: RenderOptions): string {
  const part = partOf(window);
  if (part) return say(opts, `in the ${part.en}`, part.es);
  if (window.end === END_OF_DAY) return say(opts, `after ${localClock(window.start, opts)}`, `después de las ${localClock(window.start, opts)}`);
  if (window.start === '00:00') return say(opts, `before ${localClock(window.end, opts)}`, `antes de las ${localClock(window.end, opts)}`);
  return say(opts, `between ${localClock(window.start, opts)} and ${localClock(window.end, opts)}`, `entre las ${localClock(window.start, opts)} y las ${localClock(window.end, opts)}`);
}

/** "Friday" / "viernes" of a local date. */
function weekdayName(isoDate: string, opts: RenderOptions): string {
  return DateTime.fromISO(isoDate, { zone: opts.zone }).setLocale(opts.locale === 'es' ? 'es' : 'en-US').toFormat('cccc');
}

/**
 * What was asked, to follow "Free times for a haircut": "on Friday morning (4 Dec)", "on Fri 4 Dec at 3:00 PM",
 * "between Mon 7 Dec and Sun 13 Dec, on weekdays, after 5:00 PM, except Thu 10 Dec" (or Spanish); '' for nothing.
 */
export function describeRequest(req: AvailabilityRequested, opts: RenderOptions): string {
  const parts: string[] = [];
  const part = req.time ? undefined : partOf(req.window);
  const oneDay = req.date && (!req.dateTo || req.dateTo === req.date);
  if (oneDay && part) {
    parts.push(say(opts, `on ${weekdayName(req.date!, opts)} ${part.en} (${day(req.date!, opts).replace(/^\S+ /, '')})`, `el ${weekdayName(req.date!, opts)} ${day(req.date!, opts).replace(/^\S+ /, '')} ${part.es}`));
  } else if (oneDay) {
    parts.push(say(opts, `on ${day(req.date!, opts)}`, `el ${day(req.date!, opts)}`));
  } else if (req.date && req.dateTo) {
    parts.push(say(opts, `between ${day(req.date, opts)} and ${day(req.dateTo, opts)}`, `entre el ${day(req.date, opts)} y el ${day(req.dateTo, opts)}`));
  }
  const weekdays = describeWeekdays(req.weekdays, opts);
  if (weekdays) parts.push(weekdays);
  if (req.time) parts.push(say(opts, `at ${localClock(req.time, opts)}`, `a las ${localClock(req.time, opts)}`));
  else if (req.window && !(oneDay && part)) parts.push(describeWindow(req.window, opts));
  if (req.excludeDates?.length) {
    const dates = req.excludeDates.map((d) => day(d, opts)).join(say(opts, ', ', ', '));
    parts.push(say(opts, `except ${dates}`, `excepto el ${dates}`));
  }
  return parts.join(say(opts, ', ', ', '));
}

/** "We're closed on Sundays." and the like: the true reason the day asked for has no times (or Spanish). */
export function closedSentence(closed: ClosedNotice, serviceId: string | undefined, providerId: string | undefined, opts: RenderOptions): string {
  const r = closed.reason;
  if (r.kind === 'weekly') {
    const [en, es] = WEEKDAY_NAMES[r.weekday];
    if (r.scope === 'business') return say(opts, `We're closed on ${en}.`, `Los ${es} cerramos.`);
    if (r.scope === 'provider' && providerId) {
      const who = providerName(providerId, opts);
      return say(opts, `${who} doesn't work on ${en}.`, `Los ${es} ${who} no trabaja.`);
    }
    const service = serviceId ? serviceName(serviceId, opts).toLowerCase() : say(opts, 'that', 'eso');
    return say(opts, `We don't offer a ${service} on ${en}.`, `Los ${es} no hacemos ${service}.`);
  }
  const label = day(closed.date, opts);
  const why = r.kind === 'holiday' ? r.name : r.reason;
  return say(opts, `We're closed on ${label}${why ? ` (${why})` : ''}.`, `El ${label} cerramos${why ? ` (${why})` : ''}.`);
}
