import { DateTime } from 'luxon';
import { nthWeekdayOfMonth } from './dates';

/**
 * Named days people book around ("the day after Thanksgiving", "Christmas Eve", "Eid"). Fixed and nth-weekday
 * days by rule, Western and Orthodox Easter by computus, Hebrew, Islamic (Umm al-Qura) and Chinese dates through
 * the ICU calendars built into Intl — deterministic, no tables to go stale. Hindu lunisolar festivals are not
 * covered: they need astronomical tithi rules.
 */

type DayOf = (year: number, zone: string) => DateTime | null;

function fixed(month: number, day: number): DayOf {
  return (year, zone) => DateTime.fromObject({ year, month, day }, { zone });
}

function nth(month: number, weekday: number, n: number, offsetDays = 0): DayOf {
  return (year, zone) => nthWeekdayOfMonth(year, month, weekday, n, zone)?.plus({ days: offsetDays }) ?? null;
}

/** Western (Gregorian) Easter Sunday, anonymous Gregorian algorithm. */
export function westernEaster(year: number, zone: string): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.fromObject({ year, month, day }, { zone });
}

/** Orthodox Easter Sunday: Meeus' Julian computus, shifted to the Gregorian calendar (valid 1900–2099). */
export function orthodoxEaster(year: number, zone: string): DateTime {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return DateTime.fromObject({ year, month, day }, { zone }).plus({ days: 13 });
}

const easter = (offset: number): DayOf => (year, zone) => westernEaster(year, zone).plus({ days: offset });
const orthodox = (offset: number): DayOf => (year, zone) => orthodoxEaster(year, zone).plus({ days: offset });

interface CalendarDay {
  year: number;
  month: string;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The date in another calendar of a Gregorian day, through ICU ("hebrew", "islamic-umalqura", "chinese"). */
function inCalendar(calendar: string, d: DateTime): CalendarDay {
  let f = formatters.get(calendar);
  if (!f) {
    f = new Intl.DateTimeFormat(`en-US-u-ca-${calendar}`, { timeZone: 'UTC', year: 'numeric', month: calendar === 'hebrew' ? 'long' : 'numeric', day: 'numeric' });
    formatters.set(calendar, f);
  }
  const parts = f.formatToParts(new Date(Date.UTC(d.year, d.month - 1, d.day, 12)));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: Number(get('year') || get('relatedYear')), month: get('month'), day: Number(get('day')) };
}

/** First Gregorian day of `year` whose date in `calendar` satisfies `match`. */
function findInYear(calendar: string, year: number, zone: string, match: (c: CalendarDay) => boolean): DateTime | null {
  let d = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
  while (d.year === year) {
    if (match(inCalendar(calendar, d))) return d;
    d = d.plus({ days: 1 });
  }
  return null;
}

function hebrew(month: string, day: number, adjust?: (d: DateTime) => DateTime): DayOf {
  return (year, zone) => {
    const found = findInYear('hebrew', year, zone, (c) => c.day === day && c.month === month);
    return found && adjust ? adjust(found) : found;
  };
}

/** Purim is in Adar, or Adar II in a leap year. */
function purim(day: number): DayOf {
  return (year, zone) => findInYear('hebrew', year, zone, (c) => c.day === day && (c.month === 'Adar' || c.month === 'Adar II'));
}

function islamic(month: number, day: number): DayOf {
  return (year, zone) => findInYear('islamic-umalqura', year, zone, (c) => Number(c.month) === month && c.day === day);
}

/** The last Friday of Ramadan (Jumu'atul-Wida). */
const lastFridayOfRamadan: DayOf = (year, zone) => {
  const end = islamic(10, 1)(year, zone);
  if (!end) return null;
  let d = end.minus({ days: 1 });
  while (d.weekday !== 5) d = d.minus({ days: 1 });
  return d;
};

const chineseNewYear: DayOf = (year, zone) => findInYear('chinese', year, zone, (c) => c.month === '1' && c.day === 1);

/** Boss's Day: 16 October, or the nearest weekday. */
const bossDay: DayOf = (year, zone) => {
  const d = DateTime.fromObject({ year, month: 10, day: 16 }, { zone });
  if (d.weekday === 6) return d.minus({ days: 1 });
  if (d.weekday === 7) return d.plus({ days: 1 });
  return d;
};

/** King's Day (Netherlands): 27 April, or the 26th when the 27th is a Sunday. */
const kingsDay: DayOf = (year, zone) => {
  const d = DateTime.fromObject({ year, month: 4, day: 27 }, { zone });
  return d.weekday === 7 ? d.minus({ days: 1 }) : d;
};

/** Parsi (Shahenshahi) New Year: a 365-day year, so it moves a day earlier every Gregorian leap day. */
const parsiNewYear: DayOf = (year, zone) => DateTime.fromObject({ year: 2018, month: 8, day: 17 }, { zone }).plus({ days: 365 * (year - 2018) });

/** Israeli holidays moved off the Sabbath by law. */
const yomHaatzmaut = (d: DateTime) => (d.weekday === 5 ? d.minus({ days: 1 }) : d.weekday === 6 ? d.minus({ days: 2 }) : d.weekday === 1 ? d.plus({ days: 1 }) : d);
const yomHashoah = (d: DateTime) => (d.weekday === 5 ? d.minus({ days: 1 }) : d.weekday === 7 ? d.plus({ days: 1 }) : d);
const tishaBav = (d: DateTime) => (d.weekday === 6 ? d.plus({ days: 1 }) : d);

/** Holiday name patterns (normalized text: lower case, no accents, hyphens as spaces) and how to find them. */
export const HOLIDAYS: { re: string; day: DayOf }[] = [
  { re: String.raw`christmas eve|xmas eve|nochebuena`, day: fixed(12, 24) },
  { re: String.raw`christmas(?: day)?|xmas(?: day)?|navidad`, day: fixed(12, 25) },
  { re: String.raw`boxing day`, day: fixed(12, 26) },
  { re: String.raw`new year'?s eve|nochevieja`, day: fixed(12, 31) },
  { re: String.raw`new year'?s?(?: day)?|ano nuevo`, day: fixed(1, 1) },
  { re: String.raw`valentine'?s?(?: day)?|san valentin`, day: fixed(2, 14) },
  { re: String.raw`halloween`, day: fixed(10, 31) },
  { re: String.raw`(?:st\.?|saint) (?:patrick|paddy)'?s?(?: day)?`, day: fixed(3, 17) },
  { re: String.raw`(?:the )?4th of july|4 of july|independence day|july 4th`, day: fixed(7, 4) },
  { re: String.raw`juneteenth`, day: fixed(6, 19) },
  { re: String.raw`veterans'? day`, day: fixed(11, 11) },
  { re: String.raw`world vegan day`, day: fixed(11, 1) },
  { re: String.raw`king'?s day|koningsdag`, day: kingsDay },
  { re: String.raw`boss'?s?(?: day)?`, day: bossDay },
  { re: String.raw`rabindra(?:nath)? jayanti`, day: fixed(5, 9) },
  { re: String.raw`vaisakhi|baisakhi|vasakhi|vaishakhi`, day: fixed(4, 14) },
  { re: String.raw`(?:thai )?pongal|makara sankranthi`, day: fixed(1, 14) },
  { re: String.raw`bog(?:h)?i(?: pandigai)?`, day: fixed(1, 13) },
  { re: String.raw`ma(?:a)?ttu pongal`, day: fixed(1, 15) },
  { re: String.raw`(?:kaanum|kanni) pongal`, day: fixed(1, 16) },
  { re: String.raw`thanksgiving(?: day)?`, day: nth(11, 4, 4) },
  { re: String.raw`black friday`, day: nth(11, 4, 4, 1) },
  { re: String.raw`(?:mlk|martin luther king(?:'?s)?(?!'))(?: jr\.?)?(?: day)?|civil rights day`, day: nth(1, 1, 3) },
  { re: String.raw`presidents'? day|washington'?s birthday`, day: nth(2, 1, 3) },
  { re: String.raw`memorial day`, day: nth(5, 1, -1) },
  { re: String.raw`labou?r day`, day: nth(9, 1, 1) },
  { re: String.raw`columbus day|indigenous peoples'? day`, day: nth(10, 1, 2) },
  { re: String.raw`mother'?s day`, day: nth(5, 7, 2) },
  { re: String.raw`father'?s day`, day: nth(6, 7, 3) },
  { re: String.raw`easter mon(?:day)?`, day: easter(1) },
  { re: String.raw`easter(?: sunday)?|pascua`, day: easter(0) },
  { re: String.raw`good friday|viernes santo`, day: easter(-2) },
  { re: String.raw`holy saturday`, day: easter(-1) },
  { re: String.raw`maundy thursday|covenant thu(?:rsday)?|thu(?:rsday)? of mysteries|jueves santo`, day: easter(-3) },
  { re: String.raw`palm sunday|branch sunday|domingo de ramos`, day: easter(-7) },
  { re: String.raw`pentecost|whit(?:e)? sunday`, day: easter(49) },
  { re: String.raw`whit monday|monday of the holy spirit`, day: easter(50) },
  { re: String.raw`trinity sunday`, day: easter(56) },
  { re: String.raw`ascension day`, day: easter(39) },
  { re: String.raw`ash wednesday`, day: easter(-46) },
  { re: String.raw`shrove tuesday|pancake day|mardi gras`, day: easter(-47) },
  { re: String.raw`orthodox easter(?: sunday)?`, day: orthodox(0) },
  { re: String.raw`orthodox (?:good|great) friday`, day: orthodox(-2) },
  { re: String.raw`clean monday|orthodox shrove monday`, day: orthodox(-48) },
  { re: String.raw`lazarus saturday`, day: orthodox(-8) },
  { re: String.raw`yom kippur`, day: hebrew('Tishri', 10) },
  { re: String.raw`shemini atzeret`, day: hebrew('Tishri', 22) },
  { re: String.raw`simchat torah`, day: hebrew('Tishri', 23) },
  { re: String.raw`tisha b'?\s?av`, day: hebrew('Av', 9, tishaBav) },
  { re: String.raw`yom ha'?\s?atzmaut`, day: hebrew('Iyar', 5, yomHaatzmaut) },
  { re: String.raw`lag b'?\s?a?omer`, day: hebrew('Iyar', 18) },
  { re: String.raw`yom hashoah|holocaust (?:remembrance )?day`, day: hebrew('Nisan', 27, yomHashoah) },
  { re: String.raw`tu bishvat`, day: hebrew('Shevat', 15) },
  { re: String.raw`shushan purim`, day: purim(15) },
  { re: String.raw`purim`, day: purim(14) },
  { re: String.raw`chinese (?:lunar )?new year'?s?(?: day)?|lunar new year|spring festival`, day: chineseNewYear },
  { re: String.raw`eid al fitr|eid ul fitr|id al fitr`, day: islamic(10, 1) },
  { re: String.raw`eid al adha|id ul adha|eid ul adha|sacrifice feast|bakr id`, day: islamic(12, 10) },
  { re: String.raw`islamic new year|hijri new year|amun jadid`, day: islamic(1, 1) },
  { re: String.raw`(?:day of )?ashura`, day: islamic(1, 10) },
  { re: String.raw`mawlid(?: al nabawi)?|prophet'?s birthday`, day: islamic(3, 12) },
  { re: String.raw`isra and mi'?raj|the prophet'?s ascension|the night journey|ascension to heaven`, day: islamic(7, 27) },
  { re: String.raw`laylat al ?[kq]adr|night of (?:measures|power)`, day: islamic(9, 27) },
  { re: String.raw`jamat ul vida|jumu'?atul wida`, day: lastFridayOfRamadan },
  { re: String.raw`parsi new year|jamshedi navroz`, day: parsiNewYear },
];

/** Regex alternation of every holiday name, longest patterns first. */
export const HOLIDAY_RE = HOLIDAYS.map((h) => `(?:${h.re})`).join('|');

/** Which holiday a matched name is, or null. */
export function holidayByName(name: string): DayOf | null {
  for (const h of HOLIDAYS) {
    if (new RegExp(`^(?:${h.re})$`).test(name)) return h.day;
  }
  return null;
}

export type HolidayWhich = 'next' | 'last' | { year: number };

/** The occurrence of a holiday: on a given year, the next one on or after `today`, or the last one before it. */
export function holidayDate(day: DayOf, today: DateTime, which: HolidayWhich): DateTime | null {
  const zone = today.zoneName ?? 'UTC';
  if (typeof which === 'object') return day(which.year, zone)?.startOf('day') ?? null;
  if (which === 'next') {
    for (let y = today.year; y < today.year + 3; y += 1) {
      const d = day(y, zone);
      if (d && d.startOf('day') >= today) return d.startOf('day');
    }
    return null;
  }
  for (let y = today.year; y > today.year - 3; y -= 1) {
    const d = day(y, zone);
    if (d && d.startOf('day') < today) return d.startOf('day');
  }
  return null;
}

/** Ramadan as a range of days (1 Ramadan to the eve of Eid al-Fitr) for a Gregorian year. */
export function ramadan(year: number, zone: string): { start: DateTime; end: DateTime } | null {
  const start = islamic(9, 1)(year, zone);
  const end = islamic(10, 1)(year, zone);
  return start && end ? { start, end: end.minus({ days: 1 }) } : null;
}
