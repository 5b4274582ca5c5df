import type { DateTime } from 'luxon';
import type { Mention, Rule } from './mentions';
import { MONTH_RE, MONTH_WORDS } from './lexicon';
import { calendarDate, isoDay, monthDayNearest, upcomingWeekday, weekdayOfWeek } from './dates';

/**
 * Rules for spans of days: weekends, weeks, parts of months and explicit ranges ("July 13-15"). They narrow a
 * search rather than pin a day, so the resolver reports them as a range and the assistant offers slots in it.
 * "next weekend" is ambiguous on a weekday (this coming one, or the one after?): it resolves to the following
 * week's, consistent with "next Friday", and says so.
 */

const M = `(${MONTH_RE})\\.?`;
const D = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const TO = String.raw`\s?(?:-|to|thru|through|till|until|a|al)\s?`;

const range = (start: DateTime | null, end: DateTime | null): Mention | null =>
  start && end && end >= start ? { kind: 'range', start: start.startOf('day'), end: end.startOf('day') } : null;

function upcomingWeekend(today: DateTime): [DateTime, DateTime] {
  if (today.weekday === 7) return [today, today];
  const sat = today.weekday === 6 ? today : upcomingWeekday(today, 6);
  return [sat, sat.plus({ days: 1 })];
}

function weekOffset(word: string): number {
  if (/next|following|coming|upcoming|que viene|proxima|siguiente/.test(word)) return 1;
  if (/last|past|previous|pasada/.test(word)) return -1;
  return 0;
}

/** Range of explicit days in one month, the year chosen so the range is not in the past. */
function daysInMonth(today: DateTime, monthWord: string | undefined, from: string | undefined, to: string | undefined): Mention | null {
  const mo = monthWord ? MONTH_WORDS[monthWord.replace(/\.$/, '')] : undefined;
  if (mo === undefined || !from || !to) return null;
  const a = Number(from);
  const b = Number(to);
  if (a < 1 || b > 31 || b < a) return null;
  const start = monthDayNearest(today, mo, a);
  if (!start) return null;
  return range(start, calendarDate(start.year, mo, b, today.zoneName ?? 'UTC'));
}

export const rangeRules: Rule[] = [
  {
    name: 'weekend',
    group: 'date',
    re: /(?<![a-z])(?:(this past|this coming|this|next|the|coming|upcoming|last|past|este|el proximo|el|proximo)\s)?(?:weekend|fin de semana)(?:\s(que viene|proximo|pasado))?(?![a-z])/,
    make: (m, { today }) => {
      const rel = `${m[1] ?? ''} ${m[2] ?? ''}`.trim();
      if (/past|last|pasado/.test(rel)) {
        const sat = weekdayOfWeek(today, 6, -1);
        return range(sat, sat.plus({ days: 1 }));
      }
      const [s, e] = upcomingWeekend(today);
      if (/next|proximo|que viene/.test(rel)) {
        const sat = weekdayOfWeek(today, 6, 1);
        const mention = range(sat, sat.plus({ days: 1 }));
        if (mention && mention.kind === 'range' && today.weekday <= 5) {
          mention.note = { kind: 'ambiguous_weekend', candidates: [isoDay(s), isoDay(sat)] };
        }
        return mention;
      }
      return range(s, e);
    },
  },
  {
    // "last weekend of October (2017)"
    name: 'last-weekend-of-month',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:the\s)?last\sweekend\s(?:of|in)\s${M}(?:\s(\d{4}))?`),
    make: (m, { today }) => {
      const mo = MONTH_WORDS[(m[1] ?? '').replace(/\.$/, '')] ?? 1;
      const year = m[2] ? Number(m[2]) : today.year;
      const last = calendarDate(year, mo, 1, today.zoneName ?? 'UTC')?.endOf('month').startOf('day');
      if (!last) return null;
      const sun = last.minus({ days: last.weekday % 7 });
      return range(sun.minus({ days: 1 }), sun);
    },
  },
  {
    // "next week", "this week", "the following week", "la semana que viene", "esta semana"
    name: 'week',
    group: 'date',
    re: /(?<![a-z])(?:(this|next|last|the following|the coming|coming|upcoming|current|past|previous|esta|la proxima|proxima|la)\s)(week|semana)(?:\s(que viene|proxima|siguiente|pasada))?(?![a-z])/,
    make: (m, { today }) => {
      const rel = `${m[1] ?? ''} ${m[3] ?? ''}`.trim();
      if (rel === 'la') return null;
      const offset = weekOffset(rel);
      const monday = weekdayOfWeek(today, 1, offset);
      return range(offset === 0 ? today : monday, monday.plus({ days: 6 }));
    },
  },
  {
    name: 'rest-of-week',
    group: 'date',
    re: /(?<![a-z])(rest of the week|all week|lo que queda de semana)(?![a-z])/,
    make: (m, { today }) => range(m[1] === 'all week' ? weekdayOfWeek(today, 1, 0) : today, weekdayOfWeek(today, 7, 0)),
  },
  {
    // "beginning of next week" (Mon–Wed), "end of this week" (Fri–Sun)
    name: 'part-of-week',
    group: 'date',
    re: /(?<![a-z])(?:at the\s|the\s)?(beginning|start|end)\sof\s(?:the\s)?(this|current|next|coming|following|last|past|previous|around next)\sweek(?![a-z])/,
    make: (m, { today }) => {
      const offset = weekOffset(m[2] ?? '');
      return /end/.test(m[1] ?? '') ? range(weekdayOfWeek(today, 5, offset), weekdayOfWeek(today, 7, offset)) : range(weekdayOfWeek(today, 1, offset), weekdayOfWeek(today, 3, offset));
    },
  },
  {
    name: 'month',
    group: 'date',
    re: /(?<![a-z])(this|next|the next|the following|este|el proximo|el)\s(month|mes)(?:\s(que viene|proximo))?(?![a-z])/,
    make: (m, { today }) => {
      const rel = `${m[1] ?? ''} ${m[3] ?? ''}`;
      if (m[1] === 'el' && !m[3]) return null;
      const next = /next|following|proximo|que viene/.test(rel);
      const start = next ? today.startOf('month').plus({ months: 1 }) : today;
      return range(start, start.endOf('month'));
    },
  },
  {
    // "end of the month", "beginning of next month", "EOM", "BOM"
    name: 'part-of-month',
    group: 'date',
    re: /(?<![a-z])(?:by\s)?(?:at\s)?(?:the\s)?(?:(beginning|start|end)\sof\s(?:the\s)?(this|next|current)?\s?month|(eom|bom))(?![a-z])/,
    make: (m, { today }) => {
      if (/^by/.test(m[0])) return null;
      const which = m[1] ?? (m[3] === 'eom' ? 'end' : 'beginning');
      const base = today.startOf('month').plus({ months: m[2] === 'next' ? 1 : 0 });
      return /end/.test(which) ? range(base.set({ day: 21 }), base.endOf('month')) : range(base, base.set({ day: 10 }));
    },
  },
  {
    // "early March", "mid March", "late March", "end of April", "beginning of January"
    name: 'part-of-named-month',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:at\s)?(?:the\s)?(early|mid|late|(?:beginning|start|end|middle)\sof)\s${M}(?:\s(\d{4}))?(?![a-z])`),
    make: (m, { today }) => {
      const mo = MONTH_WORDS[(m[2] ?? '').replace(/\.$/, '')] ?? 1;
      const zone = today.zoneName ?? 'UTC';
      let year = m[3] ? Number(m[3]) : today.year;
      const thisYears = calendarDate(year, mo, 1, zone);
      if (!m[3] && thisYears && thisYears.endOf('month') < today) year += 1;
      const first = calendarDate(year, mo, 1, zone);
      if (!first) return null;
      if (/early|beginning|start/.test(m[1] ?? '')) return range(first, first.set({ day: 10 }));
      if (/mid|middle/.test(m[1] ?? '')) return range(first.set({ day: 11 }), first.set({ day: 20 }));
      return range(first.set({ day: 21 }), first.endOf('month'));
    },
  },
  {
    // "next 3 days", "next few days"
    name: 'next-n-days',
    group: 'date',
    re: /(?<![a-z])(?:the\s)?(?:next|coming)\s(\d{1,2}|few|couple of|couple)\s(days|weeks)(?![a-z])/,
    make: (m, { today }) => {
      const n = /few/.test(m[1] ?? '') ? 3 : /couple/.test(m[1] ?? '') ? 2 : Number(m[1]);
      const start = m[2] === 'days' ? today.plus({ days: 1 }) : weekdayOfWeek(today, 1, 1);
      return range(start, m[2] === 'days' ? today.plus({ days: n }) : start.plus({ weeks: n }).minus({ days: 1 }));
    },
  },
  {
    // "upcoming two days", "2 upcoming days": Duckling reads the day that many days ahead
    name: 'upcoming-n-days',
    group: 'date',
    re: /(?<![a-z])(?:upcoming\s(\d{1,2})|(\d{1,2})\supcoming)\sdays?(?![a-z])/,
    make: (m, { today }) => ({ kind: 'date', date: today.plus({ days: Number(m[1] ?? m[2]) }) }),
  },
  {
    // "July 13-15", "August 27th - 29th", "July 13 - July 15", "from July 13 to 15"
    name: 'month-day-range',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z])(?:from\s)?${M}\s${D}${TO}(?:${M}\s)?${D}(?![\d:]|\s?(?:am|pm|oclock))`),
    make: (m, { today }) => {
      if (m[3] && m[3].replace(/\.$/, '') !== (m[1] ?? '').replace(/\.$/, '')) {
        const start = monthDayNearest(today, MONTH_WORDS[(m[1] ?? '').replace(/\.$/, '')] ?? 1, Number(m[2]));
        const endMonth = MONTH_WORDS[m[3].replace(/\.$/, '')] ?? 1;
        if (!start) return null;
        const endYear = endMonth < start.month ? start.year + 1 : start.year;
        return range(start, calendarDate(endYear, endMonth, Number(m[4]), today.zoneName ?? 'UTC'));
      }
      return daysInMonth(today, m[1], m[2], m[4]);
    },
  },
  {
    // "from 13th to 15th July", "1-8 september", "23rd to 26th Oct", "del 3 al 5 de mayo"
    name: 'day-range-month',
    group: 'date',
    re: new RegExp(String.raw`(?<![a-z0-9])(?:(?:from|del|de)\s)?(?:the\s)?${D}${TO}(?:the\s|el\s)?${D}\s(?:of\s|de\s)?${M}(?![a-z])`),
    make: (m, { today }) => daysInMonth(today, m[3], m[1], m[2]),
  },
];
