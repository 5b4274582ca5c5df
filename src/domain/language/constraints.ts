import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from '../booking/business';
import { MONTH_RE, WEEKDAY_RE, WEEKDAY_WORDS } from './lexicon';
import { normalizeText } from './normalize';
import { resolveWhen } from './resolve';

/**
 * Constraints on the days a customer can come that are not one day: days ruled out ("not Monday", "any day but
 * Friday", "except the 24th", "no el lunes", "cualquier día menos el viernes"), a choice of weekdays ("any time
 * Thursday or Friday", "jueves o viernes", "weekday mornings", "entre semana") and a span counted from today ("in
 * the next two weeks", "en las próximas dos semanas"). Read before the dates and times, and blanked out of the text
 * so the resolver does not take "Friday" in "any day but Friday" for the day wanted. Pure: clock and zone are
 * arguments.
 */
export interface DayConstraints {
  /** The text, normalized, with the phrases read here blanked: what the date and time resolver reads. */
  rest: string;
  /** Weekdays ruled out. */
  excludeWeekdays?: Weekday[];
  /** Local dates ruled out (YYYY-MM-DD). */
  excludeDates?: string[];
  /** Only these weekdays ("Thursday or Friday", "weekdays"). */
  weekdays?: Weekday[];
  /** Days from today, inclusive ("in the next two weeks"). */
  range?: { start: string; end: string };
}

const WD = `(?:${WEEKDAY_RE})`;
const DAY_OF_MONTH = String.raw`(?:(?:the|el)\s\d{1,2}(?:st|nd|rd|th)?(?:\s(?:of\s|de\s)?(?:${MONTH_RE}))?|\d{1,2}(?:st|nd|rd|th)(?:\s(?:of\s)?(?:${MONTH_RE}))?|(?:${MONTH_RE})\s\d{1,2}(?:st|nd|rd|th)?|\d{1,2}\sde\s(?:${MONTH_RE}))(?![\d:]|\s?(?:am|pm|h\b))`;
const DAY_WORD = String.raw`(?:(?:(?:the|a|el|los|la|un)\s)?(?:${WD}s?|weekends?|fin de semana|tomorrow|manana|today|hoy)|${DAY_OF_MONTH})`;
const LIST = String.raw`${DAY_WORD}(?:\s?(?:,|or|and|nor|o|u|y|ni)\s(?:on\s)?${DAY_WORD})*`;
/** Words that rule out what follows. "no" is Spanish only before el/los ("no el lunes"), never a bare "no". */
const NOT = String.raw`(?:(?:any\s?(?:day|time)|anything|whenever|cualquier (?:dia|momento)|cuando sea)\s(?:but|except|menos|excepto|salvo)|but not|not|except(?:\sfor)?|apart from|other than|excluding|can'?t do|cannot do|can'?t make|can'?t come|no puedo(?:\sir)?|menos|excepto|salvo|pero no|no(?=\s(?:el|los)\s))`;
const EXCLUSION = new RegExp(String.raw`(?<![a-z])${NOT}\s(?:on\s)?(${LIST})(?![a-z])`, 'g');
/** "Thursday or Friday", "jueves o viernes", "Mon, Tue or Wed": a choice, not alternatives to ask about. */
const CHOICE = new RegExp(String.raw`(?<![a-z])(?:(?:any\s?time|anytime|whenever|cualquier (?:dia|momento)|on|el|los)\s)?(${WD}s?(?:\s?(?:,|or|o|u)\s(?:el\s)?${WD}s?)+)(?![a-z])`, 'g');
const WEEKDAY_ONLY = /(?<![a-z])(?:on\s)?(?:weekdays?|week days?|entre semana|dias? laborables?|de lunes a viernes|monday (?:to|through|thru|-) friday)(?![a-z])/g;
const NEXT_WEEKS = /(?<![a-z])(?:in|within|over|during|en|dentro de|durante)\s(?:the\s|las\s)?(?:next|coming|proximas|siguientes)\s(\d{1,2}|a couple of|couple of|few)\s(weeks|semanas|days|dias)(?![a-z])/;

const weekdayOf = (word: string): Weekday | undefined => {
  const n = WEEKDAY_WORDS[word] ?? WEEKDAY_WORDS[word.replace(/s$/, '')];
  return n === undefined ? undefined : WEEKDAYS[n - 1];
};

export function readDayConstraints(text: string, options: { now: string; zone: string; locale?: 'en' | 'es' }): DayConstraints {
  let rest = normalizeText(text);
  const out: DayConstraints = { rest };
  const blank = (s: string) => ' '.repeat(s.length);
  const now = DateTime.fromISO(options.now, { zone: options.zone });
  const today = now.startOf('day');

  const excludedDays = new Set<Weekday>();
  const excludedDates = new Set<string>();
  rest = rest.replace(EXCLUSION, (whole, list: string) => {
    for (const item of list.split(/\s?(?:,|\bor\b|\band\b|\bnor\b|\bo\b|\bu\b|\by\b|\bni\b)\s(?:on\s)?/)) {
      const words = item.trim().replace(/^(?:the|a|el|los|la|un)\s/, '');
      if (/^(?:weekends?|fin de semana)$/.test(words)) {
        excludedDays.add('sat');
        excludedDays.add('sun');
        continue;
      }
      const day = weekdayOf(words);
      if (day) {
        excludedDays.add(day);
        continue;
      }
      const resolved = resolveWhen(item, { now: options.now, zone: options.zone, locale: options.locale });
      if (resolved.date) excludedDates.add(resolved.date);
    }
    return blank(whole);
  });
  if (excludedDays.size) out.excludeWeekdays = WEEKDAYS.filter((d) => excludedDays.has(d));
  if (excludedDates.size) out.excludeDates = [...excludedDates].sort();

  const chosen = new Set<Weekday>();
  rest = rest.replace(CHOICE, (whole, list: string) => {
    for (const word of list.split(/\s?(?:,|\bor\b|\bo\b|\bu\b)\s(?:el\s)?/)) {
      const day = weekdayOf(word.trim());
      if (day) chosen.add(day);
    }
    return blank(whole);
  });
  rest = rest.replace(WEEKDAY_ONLY, (whole) => {
    for (const d of WEEKDAYS.slice(0, 5)) chosen.add(d);
    return blank(whole);
  });
  if (chosen.size) out.weekdays = WEEKDAYS.filter((d) => chosen.has(d));

  const span = NEXT_WEEKS.exec(rest);
  if (span) {
    const n = /^\d/.test(span[1]!) ? Number(span[1]) : /few/.test(span[1]!) ? 3 : 2;
    const days = /week|semana/.test(span[2]!) ? 7 * n : n;
    out.range = { start: today.toISODate()!, end: today.plus({ days: Math.max(1, days) - 1 }).toISODate()! };
    rest = rest.slice(0, span.index) + blank(span[0]) + rest.slice(span.index + span[0].length);
  }
  out.rest = rest.replace(/\s+/g, ' ').trim();
  return out;
}
