/**
 * Times of day: the regex fragments that find them in normalized text and the reading of one match into hours and
 * minutes. Whether "3" means 03:00 or 15:00 is decided later, with the part of the day the sentence mentions
 * ("in the afternoon", "evening 4"); what stays open is reported as a meridiem ambiguity.
 */

export type Meridiem = 'am' | 'pm';
export type DayPart = 'morning' | 'afternoon' | 'evening' | 'night';

/** A time as read from the text, before the part of the day settles am or pm. */
export interface ClockReading {
  hour: number;
  minute: number;
  /** am/pm said with the time itself ("3pm", "de la tarde" is a separate part mention). */
  meridiem: Meridiem | null;
  /** True when the notation leaves no doubt: "15:00", "09:30", "15h", "noon". */
  fixed: boolean;
  /** "quarter to 5": the reading is derived from another hour, so a later am/pm applies to the result. */
  relative: boolean;
}

/** am/pm as a separate word or letters after a number ("3 pm", "3pm", "3 p m", "3 in the pm"). */
const AMPM = String.raw`(?:\s?(?:am|pm|a m|p m)(?![a-z])|\s(?:in the )(?:am|pm)(?![a-z]))`;
/** A bare "p"/"a" glued to a number ("7p", "3:15p", "3:18a"). */
const LETTER_P = String.raw`p\.?(?![a-z0-9])`;
const LETTER_AP = String.raw`[ap]\.?(?![a-z0-9])`;

/** "3:30", "15h30", "3:30pm", "3:15p", "15:23:24". */
const CLOCK = String.raw`\d{1,2}[:h][0-5]\d(?::[0-5]\d)?(?:${AMPM}|${LETTER_AP})?`;
/** "15h" (continental hour notation). */
const H_ONLY = String.raw`\d{1,2}h(?![a-z0-9])`;
/** "330 pm", "1030am". */
const HMM_AMPM = String.raw`\d{3,4}\s?(?:ish\s?)?(?:am|pm)(?![a-z])`;
/** "3pm", "3 oclock pm", "3ish pm", "7p". */
const H_AMPM = String.raw`\d{1,2}(?:\s?oclock)?(?:\s?ish)?(?:${AMPM}|${LETTER_P})`;
/** "3 oclock". */
const H_OCLOCK = String.raw`\d{1,2}\s?oclock`;
const NAMED = String.raw`(?:12\s)?(?:noon|midday|midnight)|mediodia|medianoche`;

/** One absolute time: what "quarter past X" can be built on. */
export const ABSOLUTE_TIME = `(?:${CLOCK}|${HMM_AMPM}|${H_AMPM}|${H_OCLOCK}|${H_ONLY}|${NAMED})`;

/** "quarter to 5", "half past 3pm", "20 minutes past noon", "ten to five" ("2 to 4" is a range, not 3:58). */
const RELATIVE = String.raw`(?:(?:a\s)?quarter|half|\d{1,2}\s?(?:minutes?|mins?)|(?:5|10|15|20|25)(?!\d))\s(?:past|after|to|till|til|before|of|from)\s(?:${ABSOLUTE_TIME}|\d{1,2}(?![\d:]))`;
/** British "half three" = 3:30. */
const HALF_H = String.raw`half\s\d{1,2}(?![\d:]|\s?(?:hours?|an?\b))`;
/** Spanish: "las 3", "la 1 y media", "las 4 menos cuarto", "las 17:30". */
const SPANISH = String.raw`(?:a\s)?las?\s\d{1,2}(?:[:h][0-5]\d)?(?:\s(?:y\s(?:media|cuarto|\d{1,2})|menos\s(?:cuarto|\d{1,2})))?(?![\d/])`;

/** Any time expression that stands on its own (no cue word needed). */
export const TIME = `(?:${RELATIVE}|${HALF_H}|${SPANISH}|${ABSOLUTE_TIME})`;

/** What may follow a bare hour and still make it a time ("at 5", "5 tonight"). Numbers followed by these are not. */
export const NOT_AFTER_BARE_HOUR = String.raw`(?![\d:%]|[./\-]\s?\d|\s?(?:st|nd|rd|th)\b|\s(?:people|persons|guests|of us|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times|x)\b)`;

/** Reads a matched time expression. Returns null when it is not a real time ("25:00", "2:60"). */
export function readClock(raw: string): ClockReading | null {
  const text = raw.trim().replace(/\s?ish\b/g, '').replace(/^(?:at|@)\s?/, '');
  let m: RegExpExecArray | null;

  if ((m = /^(?:12\s)?(noon|midday|mediodia)$/.exec(text))) return { hour: 12, minute: 0, meridiem: 'pm', fixed: true, relative: false };
  if ((m = /^(?:12\s)?(midnight|medianoche)$/.exec(text))) return { hour: 0, minute: 0, meridiem: 'am', fixed: true, relative: false };

  // Spanish "las 4 menos cuarto", "la 1 y media"
  if ((m = /^(?:a\s)?las?\s(\d{1,2})(?:[:h]([0-5]\d))?(?:\s(y|menos)\s(media|cuarto|\d{1,2}))?$/.exec(text))) {
    const base = checkHour(Number(m[1]), Number(m[2] ?? 0));
    if (!base) return null;
    if (!m[3]) return base;
    const amount = m[4] === 'media' ? 30 : m[4] === 'cuarto' ? 15 : Number(m[4]);
    if (amount >= 60) return null;
    return shift(base, m[3] === 'y' ? amount : -amount);
  }

  // "quarter to 5", "20 minutes past 3pm", "half past noon"
  if ((m = /^(?:(?:a\s)?(quarter)|(half)|(\d{1,2})(?:\s?(?:minutes?|mins?))?)\s(past|after|to|till|til|before|of|from)\s(.+)$/.exec(text))) {
    const amount = m[1] ? 15 : m[2] ? 30 : Number(m[3]);
    if (amount >= 60) return null;
    const base = readClock(m[5] ?? '') ?? readBareHour(m[5] ?? '');
    if (!base) return null;
    const forward = ['past', 'after', 'from'].includes(m[4] ?? '');
    return shift(base, forward ? amount : -amount);
  }

  if ((m = /^half\s(\d{1,2})$/.exec(text))) {
    const base = checkHour(Number(m[1]), 0);
    return base ? { ...base, minute: 30 } : null;
  }

  // "3:30", "15h30", "3:30 pm", "3:18a", "09:30"
  if ((m = /^(\d{1,2})[:h]([0-5]\d)(?::[0-5]\d)?\s?(am|pm|a m|p m|in the am|in the pm|a\.?|p\.?)?$/.exec(text))) {
    const reading = checkHour(Number(m[1]), Number(m[2]));
    if (!reading) return null;
    if ((m[1] ?? '').length === 2 && (m[1] ?? '').startsWith('0')) reading.fixed = true;
    if (/h/.test(text) && !m[3]) reading.fixed = true;
    return withMeridiem(reading, m[3]);
  }

  // "330 pm", "1030"
  if ((m = /^(\d{1,2})(\d{2})\s?(am|pm)?$/.exec(text))) {
    const reading = checkHour(Number(m[1]), Number(m[2]));
    return reading ? withMeridiem(reading, m[3]) : null;
  }

  // "15h"
  if ((m = /^(\d{1,2})h$/.exec(text))) {
    const reading = checkHour(Number(m[1]), 0);
    if (reading) reading.fixed = true;
    return reading;
  }

  // "3pm", "3 oclock pm", "7p", "3 in the am", "3 oclock"
  if ((m = /^(\d{1,2})(?:\s?oclock)?\s?(am|pm|a m|p m|in the am|in the pm|p\.?)?$/.exec(text))) {
    const reading = checkHour(Number(m[1]), 0);
    return reading ? withMeridiem(reading, m[2]) : null;
  }
  return null;
}

/** A bare hour number ("5"), used after cue words ("at 5", "evening 4"). */
export function readBareHour(raw: string): ClockReading | null {
  const m = /^(\d{1,2})$/.exec(raw.trim());
  return m ? checkHour(Number(m[1]), 0) : null;
}

function checkHour(hour: number, minute: number): ClockReading | null {
  if (!Number.isInteger(hour) || hour > 24 || minute > 59) return null;
  if (hour === 24 && minute > 0) return null;
  return { hour: hour === 24 ? 0 : hour, minute, meridiem: null, fixed: hour === 0 || hour > 12, relative: false };
}

function withMeridiem(reading: ClockReading, word: string | undefined): ClockReading | null {
  if (!word) return reading;
  const meridiem: Meridiem = word.startsWith('p') || word.endsWith('pm') ? 'pm' : 'am';
  if (reading.hour > 12) {
    // "15:00 pm" is still 15:00; "15:00 am" is nonsense.
    return meridiem === 'pm' ? reading : null;
  }
  if (reading.hour === 0) return meridiem === 'am' ? reading : null;
  return { ...reading, meridiem, fixed: true };
}

/** Moves a reading by minutes; an attached am/pm is applied first ("20 to 2pm" = 13:40). */
function shift(base: ClockReading, minutes: number): ClockReading {
  let hour = base.hour;
  if (base.meridiem === 'pm' && hour < 12) hour += 12;
  if (base.meridiem === 'am' && hour === 12) hour = 0;
  const total = (((hour * 60 + base.minute + minutes) % 1440) + 1440) % 1440;
  let h = Math.floor(total / 60);
  // On the 12-hour dial "quarter to 1" is 12:45, not 00:45; am/pm is settled later.
  if (!base.meridiem && !base.fixed && h === 0) h = 12;
  const result: ClockReading = { hour: h, minute: total % 60, meridiem: null, fixed: base.fixed, relative: true };
  if (base.meridiem || base.fixed) {
    result.fixed = true;
    result.meridiem = h >= 12 ? 'pm' : 'am';
    if (h > 12 || h === 0) result.meridiem = null;
  }
  return result;
}

/** The outcome of settling am/pm for one reading. */
export interface SettledTime {
  hour: number;
  minute: number;
  /** Both readings when nothing said which one was meant ("at 3"). */
  candidates?: [string, string];
  /** The part of the day pushed it past midnight ("12 tonight"). */
  nextDay?: boolean;
}

/**
 * Settles a reading to 24 h using the part of the day when one was said. Without one, a business-day guess
 * (1–6 → pm, 7–11 → am) is returned with both candidates so the caller can ask or check opening hours.
 */
export function settle(reading: ClockReading, part: DayPart | null): SettledTime {
  const { minute } = reading;
  let { hour } = reading;
  if (reading.meridiem === 'pm' && hour < 12) return { hour: hour + 12, minute };
  if (reading.meridiem === 'am' && hour === 12) return { hour: 0, minute };
  if (reading.meridiem || hour === 0 || hour > 12) return { hour, minute };
  if (reading.fixed && !reading.relative) return { hour, minute };
  if (part === 'morning') return hour === 12 ? { hour: 0, minute, nextDay: true } : { hour, minute };
  if (part === 'afternoon') return { hour: hour === 12 ? 12 : hour + 12, minute };
  if (part === 'evening' || part === 'night') {
    if (hour === 12) return { hour: 0, minute, nextDay: true };
    return { hour: hour + 12, minute };
  }
  if (reading.fixed) return { hour, minute };
  if (hour === 12) return { hour: 12, minute };
  const am = clock(hour, minute);
  const pm = clock(hour + 12, minute);
  if (hour >= 7) return { hour, minute, candidates: [am, pm] };
  return { hour: hour + 12, minute, candidates: [am, pm] };
}

/** "HH:MM" */
export function clock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Minutes since midnight of an "HH:MM" string. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
