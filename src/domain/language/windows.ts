import type { Mention, Rule } from './mentions';
import { WEEKDAY_RE, WEEKDAY_WORDS } from './lexicon';
import { TIME, readBareHour, readClock, type ClockReading, type DayPart } from './times';

/**
 * Time windows: parts of the day ("mornings", "tomorrow afternoon"), open and closed ranges ("after 3",
 * "before noon", "between 2 and 4") and weekday restrictions ("only Tuesdays"). Windows are local "HH:MM" bounds,
 * the end exclusive. Parts of the day follow the corpora's convention (Duckling): morning 00–12, afternoon 12–19,
 * evening and night 18–24 (written "23:59", the last minute the tool schema can express).
 */

export const END_OF_DAY = '23:59';

interface PartSpec {
  part: DayPart;
  window: [string, string];
}

const PARTS: Record<string, PartSpec> = {
  morning: { part: 'morning', window: ['00:00', '12:00'] },
  afternoon: { part: 'afternoon', window: ['12:00', '19:00'] },
  evening: { part: 'evening', window: ['18:00', END_OF_DAY] },
  night: { part: 'night', window: ['18:00', END_OF_DAY] },
  tonight: { part: 'evening', window: ['18:00', END_OF_DAY] },
  'early morning': { part: 'morning', window: ['00:00', '09:00'] },
  'late morning': { part: 'morning', window: ['09:00', '12:00'] },
  'early afternoon': { part: 'afternoon', window: ['12:00', '15:00'] },
  'late afternoon': { part: 'afternoon', window: ['15:00', '19:00'] },
  'early evening': { part: 'evening', window: ['18:00', '21:00'] },
  'late evening': { part: 'evening', window: ['21:00', END_OF_DAY] },
  'late night': { part: 'night', window: ['21:00', END_OF_DAY] },
  'late tonight': { part: 'night', window: ['21:00', END_OF_DAY] },
  'late last night': { part: 'night', window: ['21:00', END_OF_DAY] },
  lunch: { part: 'afternoon', window: ['12:00', '14:00'] },
  lunchtime: { part: 'afternoon', window: ['12:00', '14:00'] },
  'after lunch': { part: 'afternoon', window: ['13:00', '17:00'] },
  'after work': { part: 'evening', window: ['17:00', '21:00'] },
  // "Before work" is read as the start of the working day: anything starting before 10:00. Read literally (before
  // 9:00) it would find nothing at a business that opens at 9, and the 9:00 opening is what such a customer wants.
  'before work': { part: 'morning', window: ['00:00', '10:00'] },
  'antes del trabajo': { part: 'morning', window: ['00:00', '10:00'] },
  'antes de trabajar': { part: 'morning', window: ['00:00', '10:00'] },
  'after school': { part: 'afternoon', window: ['15:00', '21:00'] },
  manana: { part: 'morning', window: ['00:00', '12:00'] },
  tarde: { part: 'afternoon', window: ['12:00', '19:00'] },
  noche: { part: 'evening', window: ['18:00', END_OF_DAY] },
  madrugada: { part: 'morning', window: ['00:00', '06:00'] },
};

function partMention(key: string): Mention | null {
  const spec = PARTS[key];
  return spec ? { kind: 'part', part: spec.part, window: spec.window } : null;
}

/** A time operand of a window: a full time expression or a bare hour ("between 2 and 4"). */
const OPERAND = String.raw`(?:${TIME}|\d{1,2}(?![\d:/.]))`;

function readOperand(raw: string): ClockReading | null {
  return readClock(raw) ?? readBareHour(raw);
}

const BARE = /^\s*\d{1,2}\s*$/;

const NOT_A_DAY = String.raw`(?!\s?(?:st|nd|rd|th)\b|\s(?:of\s)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|\s?(?:people|persons|days?|weeks?|months?|years?|minutes?|hours?)\b)`;

export const windowRules: Rule[] = [
  {
    name: 'part-of-day',
    group: 'time',
    re: /(?<![a-z])(?:(?:in the|this|during the|on|every|in)\s)?((?:early|late)\s(?:morning|afternoon|evening|night|tonight)|late last night|after (?:lunch|work|school)|before work|antes del trabajo|antes de trabajar|lunchtime|lunch|morning|afternoon|evening|night|tonight)(?:s|ish)?(?![a-z])/,
    make: (m) => partMention(m[1] ?? ''),
  },
  {
    name: 'parte-del-dia',
    group: 'time',
    re: /(?<![a-z])(?:por|de|en|esta|a)\s(?:la\s)?(manana|tarde|noche|madrugada)(?![a-z])/,
    make: (m) => partMention(m[1] ?? ''),
  },
  {
    name: 'between',
    group: 'time',
    re: new RegExp(
      String.raw`(?<![a-z])(?:(?:in\s)?between|from|later than)\s(${OPERAND})\s?(?:and|to|-|till|til|until|untill|thru|through|but before)\s?(${OPERAND})${NOT_A_DAY}`,
    ),
    make: (m) => closed(m[1], m[2]),
  },
  {
    name: 'range',
    group: 'time',
    re: new RegExp(String.raw`(?<![a-z0-9:/.\-])(${OPERAND})\s?(?:-|to|till|til|until|untill|thru|through)\s?(${OPERAND})${NOT_A_DAY}`),
    make: (m) => (BARE.test(m[1] ?? '') && BARE.test(m[2] ?? '') ? null : closed(m[1], m[2])),
  },
  {
    // "2-4" with no am/pm could as well be a date (2/4) or a count: it yields to anything else it touches.
    name: 'bare-range',
    group: 'time',
    weak: true,
    re: new RegExp(String.raw`(?<![a-z0-9:/.\-])(\d{1,2})\s?(?:-|to|till|til|until|untill)\s?(\d{1,2})(?![\d:/.])${NOT_A_DAY}`),
    make: (m) => closed(m[1], m[2]),
  },
  {
    name: 'entre',
    group: 'time',
    re: /(?<![a-z])(?:entre|de|desde)\s(?:las?\s)?(\d{1,2}(?::[0-5]\d)?)\s(?:y|a|hasta)\s(?:las?\s)?(\d{1,2}(?::[0-5]\d)?)(?![\d/])(?!\s(?:de\s)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre))/,
    make: (m) => closed(m[1], m[2]),
  },
  {
    name: 'after',
    group: 'time',
    re: new RegExp(
      String.raw`(?<![a-z])(?:any\s?time after|after|later than|no earlier than|not before|from|since|starting(?: at| from)?|despues de(?: las?)?|a partir de(?: las?)?)\s(${OPERAND})${NOT_A_DAY}`,
    ),
    make: (m) => open(m[1], 'after'),
  },
  {
    name: 'before',
    group: 'time',
    re: new RegExp(
      String.raw`(?<![a-z])(?:before|until|till|til|through|no later than|not after|earlier than|antes de(?: las?)?|hasta(?: las?)?)\s(${OPERAND})${NOT_A_DAY}`,
    ),
    make: (m) => open(m[1], 'before'),
  },
  {
    name: 'weekdays',
    group: 'date',
    re: new RegExp(
      String.raw`(?<![a-z])(?:(?:only|just|every|any|all)\s(?:on\s)?|on\s|(?:todos\s)?los\s)?((?:${WEEKDAY_RE})s?|weekdays|weekends)((?:\s?(?:,|and|or|y|o)\s?(?:(?:${WEEKDAY_RE})s?))*)(?![a-z])`,
    ),
    make: (m) => recurringDays(m[0], m[1] ?? '', m[2] ?? ''),
  },
];

function closed(a: string | undefined, b: string | undefined): Mention | null {
  if (!a || !b) return null;
  const start = readOperand(a);
  const end = readOperand(b);
  if (!start || !end) return null;
  return { kind: 'window', start, end };
}

function open(a: string | undefined, side: 'after' | 'before'): Mention | null {
  if (!a) return null;
  const t = readOperand(a);
  return t ? { kind: 'window', start: t, end: null, open: side } : null;
}

/**
 * "only Tuesdays", "Mondays and Wednesdays", "los martes", "weekdays": a restriction, not one date.
 * A single weekday in the singular is a date ("Tuesday") unless "only"/"every" says otherwise.
 */
const SINGULAR_ENDING_IN_S = new Set(['tues', 'thurs', 'weds', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes']);

function recurringDays(whole: string, first: string, rest: string): Mention | null {
  const words = [first, ...rest.split(/\s*(?:,|\band\b|\bor\b|\by\b|\bo\b)\s*/).filter(Boolean)].map((w) => w.trim());
  const restricting = /^(?:only|just|every|any|all|todos|los)\b/.test(whole.trim());
  const plural = words.some((w) => w.endsWith('s') && !SINGULAR_ENDING_IN_S.has(w));
  if (first === 'weekdays') return { kind: 'weekdays', days: [1, 2, 3, 4, 5] };
  if (first === 'weekends') return { kind: 'weekdays', days: [6, 7] };
  if (!restricting && !plural) return null;
  const days = [...new Set(words.map((w) => WEEKDAY_WORDS[w] ?? WEEKDAY_WORDS[w.replace(/s$/, '')]).filter((d): d is number => d !== undefined))];
  return days.length ? { kind: 'weekdays', days: days.sort() } : null;
}
