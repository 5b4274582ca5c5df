import type { DateTime } from 'luxon';
import type { Mention, Rule, RuleContext } from './mentions';
import { MONTH_RE, MONTH_WORDS, VAGUE_COUNTS, WEEKDAY_RE, WEEKDAY_WORDS } from './lexicon';
import {
  calendarDate,
  fullYear,
  isoDay,
  monthDayNearest,
  nthWeekdayOfMonth,
  previousWeekday,
  upcomingDayOfMonth,
  upcomingWeekday,
  weekdayOfWeek,
} from './dates';
import { HOLIDAY_RE, holidayByName, holidayDate, orthodoxEaster, ramadan, westernEaster, type HolidayWhich } from './holidays';

/**
 * Rules that find calendar days and ranges of days. Conventions (both evaluation corpora agree): a bare weekday is
 * the next one after today, while "this Friday" includes today (said on a Friday, most people mean today); "next
 * Friday" and "Friday next week" are the Friday of the
 * following ISO week; "Friday this week" is this week's even if it has passed. Spanish "el próximo martes" is the
 * coming Tuesday, as Spanish speakers use it; "el martes de la semana que viene" is next week's.
 */

const W = `(${WEEKDAY_RE})\\.?`;
const M = `(${MONTH_RE})\\.?`;
const COUNT = String.raw`(\d{1,3}|an?|one|a couple(?: of)?|couple(?: of)?|a few|few|several|a pair of|un|una)`;
const UNIT = String.raw`(days?|weeks?|fortnights?|months?|years?|dias?|semanas?|meses?|mes|anos?)`;

function weekday(word: string | undefined): number | undefined {
  return word === undefined ? undefined : WEEKDAY_WORDS[word.replace(/\.$/, '')];
}

function month(word: string | undefined): number | undefined {
  return word === undefined ? undefined : MONTH_WORDS[word.replace(/\.$/, '')];
}

function count(word: string | undefined): number {
  if (!word) return 1;
  const w = word.replace(/ of$/, '').replace(/^a /, '');
  if (/^\d+$/.test(w)) return Number(w);
  return VAGUE_COUNTS[w] ?? 1;
}

function unitDuration(unit: string, n: number): Record<string, number> {
  if (/^(?:fortnight|day|dia)/.test(unit)) return { days: unit.startsWith('fortnight') ? 14 * n : n };
  if (/^(?:week|semana)/.test(unit)) return { weeks: n };
  if (/^(?:month|mes)/.test(unit)) return { months: n };
  return { years: n };
}

const date = (d: DateTime | null | undefined): Mention | null => (d ? { kind: 'date', date: d.startOf('day') } : null);
const range = (start: DateTime, end: DateTime): Mention => ({ kind: 'range', start: start.startOf('day'), end: end.startOf('day') });

/** "the 8th" with an optional weekday that must agree ("Thu 15th": the next month whose 15th is a Thursday). */
function dayOfMonth(ctx: RuleContext, day: number, wd: number | undefined, monthRef?: string): Mention | null {
  const { today } = ctx;
  if (monthRef) {
    const offset = /next|following/.test(monthRef) ? 1 : /previous|last/.test(monthRef) ? -1 : 0;
    const m = today.startOf('month').plus({ months: offset });
    return date(calendarDate(m.year, m.month, day, today.zoneName ?? 'UTC'));
  }
  if (wd !== undefined) {
    for (let i = 0; i < 28; i += 1) {
      const m = today.startOf('month').plus({ months: i });
      const d = calendarDate(m.year, m.month, day, today.zoneName ?? 'UTC');
      if (d && d >= today && d.weekday === wd) return date(d);
    }
    return null;
  }
  return date(upcomingDayOfMonth(today, day));
}

/** Month and day, with optional year and weekday; flags a weekday that does not match the date said. */
function monthDay(ctx: RuleContext, mo: number | undefined, dayText: string | undefined, yearText: string | undefined, wd: number | undefined): Mention | null {
  if (mo === undefined || !dayText) return null;
  const day = Number(dayText);
  const zone = ctx.today.zoneName ?? 'UTC';
  if (yearText) {
    const d = calendarDate(fullYear(yearText), mo, day, zone);
    if (!d) return { kind: 'date', date: ctx.today, note: { kind: 'invalid_date', said: `${mo}/${day}/${yearText}` } };
    return date(d);
  }
  if (day < 1 || day > 31) return null;
  const plain = monthDayNearest(ctx.today, mo, day);
  if (!plain) return { kind: 'date', date: ctx.today, note: { kind: 'invalid_date', said: `${mo}/${day}` } };
  if (wd === undefined || plain.weekday === wd) return date(plain);
  // The weekday disagrees: Duckling's reading is the first year (this one, even past) where it agrees.
  const agreeing = monthDayNearest(ctx.today.startOf('year'), mo, day, wd);
  if (!agreeing) return date(plain);
  return { kind: 'date', date: agreeing, note: { kind: 'weekday_mismatch', said: `${mo}/${day}`, first: isoDay(plain) } };
}

function holidayMention(ctx: RuleContext, name: string, which: string | undefined, yearRel: string | undefined, year: string | undefined, shiftN: string | undefined, shiftUnit: string | undefined, shiftDir: string | undefined): Mention | null {
  const { today } = ctx;
  if (/^(?:lent|great fast)$/.test(name)) {
    const y = year ? Number(year) : today.year;
    const zone = today.zoneName ?? 'UTC';
    return name === 'lent' ? range(westernEaster(y, zone).minus({ days: 46 }), westernEaster(y, zone).minus({ days: 1 })) : range(orthodoxEaster(y, zone).minus({ days: 48 }), orthodoxEaster(y, zone).minus({ days: 9 }));
  }
  if (/^ramadan/.test(name)) {
    const y = year ? Number(year) : today.year;
    const r = ramadan(y, today.zoneName ?? 'UTC');
    return r ? range(r.start, r.end) : null;
  }
  const day = holidayByName(name);
  if (!day) return null;
  let pick: HolidayWhich = /last|past|previous/.test(which ?? '') ? 'last' : 'next';
  if (year) pick = { year: Number(year) };
  if (yearRel) pick = { year: today.year + (/next/.test(yearRel) ? 1 : /last|previous/.test(yearRel) ? -1 : 0) };
  if (shiftUnit) {
    const n = count(shiftN);
    const sign = shiftDir === 'ago' ? -1 : 1;
    const shifted = today.plus(unitDuration(shiftUnit, sign * n));
    pick = { year: shifted.year };
    if (sign > 0) {
      const candidate = holidayDate(day, today, pick);
      if (candidate && candidate < today) pick = { year: shifted.year + 1 };
    }
  }
  return date(holidayDate(day, today, pick));
}

export const dateRules: Rule[] = [
  {
    name: 'relative-day',
    group: 'date',
    re: /(?<![a-z])(today|tonight|tomorrows?|yesterday|(?:late )?last night|(?:the )?day after tomorrow|(?:the )?day before yesterday|this (?:morning|afternoon|evening)|hoy|esta (?:noche|tarde)|pasado manana|(?<!(?:la|esta|por|de) )manana|anteayer|antier|ayer)(?![a-z])/,
    make: (m, { today }) => {
      const w = m[1] ?? '';
      if (/day after tomorrow|pasado manana/.test(w)) return date(today.plus({ days: 2 }));
      if (/day before yesterday|anteayer|antier/.test(w)) return date(today.minus({ days: 2 }));
      if (/tomorrow|manana/.test(w)) return date(today.plus({ days: 1 }));
      if (/yesterday|ayer|last night/.test(w)) return date(today.minus({ days: 1 }));
      return date(today);
    },
  },
  {
    // "next Friday", "the following Tuesday", "next week's Monday"
    name: 'next-weekday',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:the\s)?(?:next|following)\s(?:week'?s\s)?${W}(?![a-z])`),
    make: (m, { today }) => date(weekdayOfWeek(today, weekday(m[1]) ?? 1, 1)),
  },
  {
    // "Friday next week", "Wednesday of next week", "miércoles de la semana que viene"
    name: 'weekday-next-week',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z])(?:on\s|el\s)?${W},?\s(?:of\s|on\s|in\s|de\s)?(?:the\s|la\s)?(next|following|coming|upcoming|proxima|siguiente|this|current|last|past|previous|pasada|anterior)?\s?(week|semana)(?:\s(que viene|proxima|siguiente|pasada))?(?![a-z])`,
    ),
    make: (m, { today }) => {
      const rel = `${m[2] ?? ''} ${m[4] ?? ''}`;
      const offset = /next|following|coming|upcoming|proxima|siguiente|que viene/.test(rel) ? 1 : /last|past|previous|pasada|anterior/.test(rel) ? -1 : /this|current/.test(rel) || m[3] === 'semana' ? 0 : null;
      if (offset === null) return null;
      return date(weekdayOfWeek(today, weekday(m[1]) ?? 1, offset));
    },
  },
  {
    // "this week's Friday", "last week's Sunday", "sunday from last week"
    name: 'week-possessive',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(this|last|next) week'?s\s${W}|${W}\sfrom\s(last|this|next) week`),
    make: (m, { today }) => {
      const rel = m[1] ?? m[4] ?? '';
      const offset = rel === 'next' ? 1 : rel === 'last' ? -1 : 0;
      return date(weekdayOfWeek(today, weekday(m[2] ?? m[3]) ?? 1, offset));
    },
  },
  {
    // "this Sunday", "this coming Friday", "upcoming Monday", "este lunes"
    name: 'this-weekday',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:this coming|this|coming|upcoming|este)\s${W}(?![a-z])`),
    make: (m, { today }) => date(upcomingWeekday(today, weekday(m[1]) ?? 1, true)),
  },
  {
    // Spanish: "el próximo martes", "el martes que viene", "el martes próximo"
    name: 'proximo-weekday',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:el\s)?(?:proximo\s${W}|${W}\s(?:que viene|proximo))(?![a-z])`),
    make: (m, { today }) => date(upcomingWeekday(today, weekday(m[1] ?? m[2]) ?? 1)),
  },
  {
    // "last Tuesday", "past Sunday"
    name: 'last-weekday',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:last|past|previous)\s${W}(?![a-z])`),
    make: (m, { today }) => date(previousWeekday(today, weekday(m[1]) ?? 1)),
  },
  {
    // "Friday after next": the second one from today
    name: 'weekday-after-next',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])${W}\safter next(?![a-z])`),
    make: (m, { today }) => date(upcomingWeekday(today, weekday(m[1]) ?? 1).plus({ weeks: 1 })),
  },
  {
    // "3 fridays from now", "2 thursdays ago"
    name: 'n-weekdays',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(\d{1,2})\s${W}s?\s(from now|hence|ago|back)`),
    make: (m, { today }) => {
      const n = Number(m[1]);
      const wd = weekday(m[2]?.replace(/s$/, '')) ?? weekday(m[2]) ?? 1;
      if (/ago|back/.test(m[3] ?? '')) return date(previousWeekday(today, wd).minus({ weeks: n - 1 }));
      return date(upcomingWeekday(today, wd).plus({ weeks: n - 1 }));
    },
  },
  {
    // "Tuesday", "on fri.", "el lunes" (not "the sun", "I sat")
    name: 'weekday',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?<!the\s|i\s|we\s|they\s|you\s|he\s|she\s)${W}(?![a-z])`),
    make: (m, { today }) => {
      const wd = weekday(m[1]);
      if (wd === undefined || /s$/.test(m[1] ?? '') && !/^(?:tues|thurs|weds|lunes|martes|miercoles|jueves|viernes)$/.test(m[1] ?? '')) return null;
      return date(upcomingWeekday(today, wd));
    },
  },
  {
    // "Tuesday the 19th", "Thu 15th", "the 8th", "on the 15th", "12th of this month", "20 of next month"
    name: 'ordinal-day',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z0-9])(?:${W},?\s)?(?:on\s)?(?:the\s)?(\d{1,2})(?:st|nd|rd|th)(?:\s(?:day\s)?of\s(this|the current|current|next|the next|the following|previous|last|the previous|the)\smonth)?(?![a-z0-9])`,
    ),
    make: (m, ctx) => {
      const day = Number(m[2]);
      if (day < 1 || day > 31) return null;
      return dayOfMonth(ctx, day, weekday(m[1]), m[3]);
    },
  },
  {
    // "20 of next month", "the 24" (bare number: only where nothing else can follow)
    name: 'bare-day',
    group: 'date',
    weak: true,
    re: /(?<![a-z0-9:/.])(?:on\s)?the\s(\d{1,2})(?:\sof\s(this|the current|current|next|the next|the following|previous|last|the previous)\smonth|(?=\s*(?:$|[,.!?;]|at\b|@|for\b|in the\b|please\b|instead\b|if\b|and\b|or\b|would\b|works?\b|is\b|sounds?\b|then\b)))|(?<![a-z0-9:/.])(\d{1,2})\sof\s(this|the current|current|next|the next|the following|previous|last|the previous)\smonth/,
    make: (m, ctx) => {
      const day = Number(m[1] ?? m[3]);
      if (day < 1 || day > 31) return null;
      return dayOfMonth(ctx, day, undefined, m[2] ?? m[4]);
    },
  },
  {
    // Spanish "el 8", "el día 15"
    name: 'el-dia',
    group: 'date',
    re: /(?<![a-z])el\s(?:dia\s)?(\d{1,2})(?![\d:/.h]|\s?(?:de\s)?(?:la|las)\b)/,
    make: (m, ctx) => {
      const day = Number(m[1]);
      return day >= 1 && day <= 31 ? dayOfMonth(ctx, day, undefined) : null;
    },
  },
  {
    // "March 7th", "Aug 8", "April 14, 2015", "Monday, Feb 18", "Jul 18, Fri", "february the 15th"
    name: 'month-day',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z])(?:${W},?\s)?${M}\s?(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?(?:,?\s(\d{4})(?![\d:]))?(?:,\s?${W})?(?![\d:a-z]|\s?(?:am|pm|oclock)\b)`,
    ),
    make: (m, ctx) => monthDay(ctx, month(m[2]), m[3], m[4], weekday(m[1] ?? m[5])),
  },
  {
    // "the 1st of march", "15 of february", "15th february", "14april 2015", "31-Oct-74", "8 de marzo", "Tuesday the 19th of March"
    name: 'day-month',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z0-9])(?:${W},?\s)?(?:on\s)?(?:the\s|el\s)?(\d{1,2})(st|nd|rd|th)?\s?(?:of\s|de\s|-|/)?${M}(?:(?:,?\s|-|/|\sde\s|\sof\s)(\d{4}|'?\d{2})(?![\d:]|\s?(?:am|pm|h\b|oclock)))?(?![a-z])`,
    ),
    make: (m, ctx) => {
      const year = m[5];
      // A two-digit "year" after a plain number is more likely something else ("15 march 10 people").
      if (year && year.replace("'", '').length === 2 && !m[3] && !/[-/]/.test(m[0])) return monthDay(ctx, month(m[4]), m[2], undefined, weekday(m[1]));
      return monthDay(ctx, month(m[4]), m[2], year, weekday(m[1]));
    },
  },
  {
    name: 'ides',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:the\s)?ides of ${M}`),
    make: (m, ctx) => {
      const mo = month(m[1]) ?? 3;
      return monthDay(ctx, mo, [3, 5, 7, 10].includes(mo) ? '15' : '13', undefined, undefined);
    },
  },
  {
    // "2015-03-03", "2015-3-3"
    name: 'iso-date',
    group: 'date',
    re: /(?<![\d/.\-:])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])/,
    make: (m, ctx) => date(calendarDate(Number(m[1]), Number(m[2]), Number(m[3]), ctx.today.zoneName ?? 'UTC')),
  },
  {
    // "2/15", "10/31/1974", "10-31-74", "10.31.1974", "3/3/15"; US month first, swapped when the first part is > 12
    name: 'numeric-date',
    group: 'date',
    re: /(?<![\da-z/.\-:])(\d{1,2})\s?([/\-.])\s?(\d{1,2})(?:\s?\2\s?(\d{4}|\d{2}))?(?![\d:]|[/.]\d|h\d|\s?(?:h\b|hours?|an?\b|pm|am|oclock|minutes?|st|nd|rd|th|people|persons|guests|kids|children|of us|days?|weeks?|months?|years?|times|items|x\b))/,
    make: (m, ctx) => {
      if (m[2] === '.' && !m[4]) return null;
      let mo = Number(m[1]);
      let day = Number(m[3]);
      if (ctx.dayFirst || (mo > 12 && day <= 12)) [mo, day] = [day, mo];
      if (mo < 1 || mo > 12 || day < 1 || day > 31) return null;
      return monthDay(ctx, mo, String(day), m[4], undefined);
    },
  },
  {
    // "in 3 days", "in two weeks", "in a fortnight", "en dos semanas", "dentro de 3 días"
    name: 'in-duration',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:in|within|en|dentro de)\s${COUNT}\s(?:more\s)?${UNIT}(?![a-z])`),
    make: (m, { today }) => date(today.plus(unitDuration(m[2] ?? 'day', count(m[1])))),
  },
  {
    // "a week from today", "3 years from today", "7 days hence", "a week from tomorrow"
    name: 'duration-from',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])${COUNT}\s${UNIT}\s(from now|from today|from tomorrow|hence|later|after today)(?![a-z])`),
    make: (m, { today }) => {
      const base = /tomorrow/.test(m[3] ?? '') ? today.plus({ days: 1 }) : today;
      return date(base.plus(unitDuration(m[2] ?? 'day', count(m[1]))));
    },
  },
  {
    name: 'duration-ago',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])${COUNT}\s${UNIT}\s(?:ago|back|before today)(?![a-z])`),
    make: (m, { today }) => date(today.minus(unitDuration(m[2] ?? 'day', count(m[1])))),
  },
  {
    // "in an hour", "in 15 minutes", "in half an hour", "in a couple of hours"
    name: 'in-hours',
    group: 'date',
    re: /(?<![a-z])in\s(?:about\s)?(\d{1,3}(?:\.\d)?|an?|one|a couple(?: of)?|couple(?: of)?|a few|few|half an?|an? half|1\/2|1\/4|3\/4|a quarter of an?|three quarters of an?)\s?(hours?|h|hrs?|minutes?|mins?|')(?![a-z])/,
    make: (m, { now }) => {
      const raw = m[1] ?? '1';
      const n = /half|1\/2/.test(raw) ? 0.5 : /quarter of|1\/4/.test(raw) ? 0.25 : /three quarters|3\/4/.test(raw) ? 0.75 : /^\d/.test(raw) ? Number(raw) : count(raw);
      const minutes = /^h/.test(m[2] ?? '') ? n * 60 : n;
      return { kind: 'instant', at: now.plus({ minutes: Math.round(minutes) }).startOf('minute') };
    },
  },
  {
    // "the first Monday of October", "last Friday of the month", "third day of october", "fifth last day of May"
    name: 'nth-weekday-of-month',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z])(?:the\s)?(?:(\d)(?:st|nd|rd|th)\s(last\s)?|(last)\s)(${WEEKDAY_RE}|day)\s(?:of|in)\s(?:${M}(?:\s(\d{4}))?|(this|the|next|last|previous|the next|the last|the previous)\smonth)`,
    ),
    make: (m, { today }) => {
      const ord = m[1] ? Number(m[1]) : 1;
      const fromEnd = Boolean(m[2] || m[3]);
      const n = fromEnd ? -ord : ord;
      const what = m[4] ?? 'day';
      const zone = today.zoneName ?? 'UTC';
      let year = m[6] ? Number(m[6]) : today.year;
      let mo = month(m[5]);
      if (mo === undefined) {
        const rel = m[7] ?? 'this';
        const base = today.startOf('month').plus({ months: /next/.test(rel) ? 1 : /last|previous/.test(rel) ? -1 : 0 });
        mo = base.month;
        year = base.year;
      }
      const pick = (y: number) => {
        if (what === 'day') {
          const first = calendarDate(y, mo ?? 1, 1, zone);
          if (!first) return null;
          const days = first.daysInMonth ?? 30;
          const d = n > 0 ? n : days + n + 1;
          return d >= 1 && d <= days ? first.set({ day: d }) : null;
        }
        return nthWeekdayOfMonth(y, mo ?? 1, WEEKDAY_WORDS[what] ?? 1, n, zone);
      };
      let d = pick(year);
      if (d && !m[6] && m[5] && d < today) d = pick(year + 1);
      return date(d);
    },
  },
  {
    name: 'holiday',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z])(?:(this|next|last|the last|the next|past|coming)\s)?(${HOLIDAY_RE}|ramadan|lent|great fast)(?:\s(?:of\s)?(this|next|last|previous) year|\s(?:in\s)?(\d{4})(?!\d)|\s(?:in\s)?${COUNT}\s(years?|months?)(?:\s(from now|hence|ago))?|\s${COUNT}\s(years?|months?)\s(from now|hence|ago))?(?![a-z])`,
    ),
    make: (m, ctx) => {
      const shiftN = m[5] ?? m[8];
      const shiftUnit = m[6] ?? m[9];
      const dir = m[7] ?? m[10] ?? 'in';
      return holidayMention(ctx, m[2] ?? '', m[1], m[3], m[4], shiftN, shiftUnit, dir);
    },
  },
];
