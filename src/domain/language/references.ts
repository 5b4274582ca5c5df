import { DateTime } from 'luxon';
import { plain } from './intents';
import type { Understanding } from './understand';
import { minutesOf } from './times';

/**
 * References to the conversation so far: "the same day", "that day but later", "an hour earlier", "same time next
 * week", "with Sam instead", "the earlier one", and corrections ("no, I said Tuesday"). A message like these names
 * no day (or no time) of its own; it means the day or time of the booking or offer being discussed — the anchor —
 * read in the customer's zone. Pure: the words are read here, and the caller says what is being discussed.
 */

/** What a message says about the thing being discussed, before knowing what that is. */
export interface ReferenceWords {
  /** "the same day", "that day", "el mismo día", "ese día". */
  sameDay?: boolean;
  /** "later that day", "that day but later" (+1); "earlier that day" (-1): a window after or before the anchor. */
  direction?: 1 | -1;
  /** "an hour earlier" (-60), "30 minutes later" (+30), "media hora más tarde" (+30). */
  shiftMinutes?: number;
  /** "same time", "a la misma hora". */
  sameTime?: boolean;
  /** "next week" said with "same time" (or "same day"): the anchor moved on by whole weeks. */
  weeksAhead?: number;
  /** "with Sam instead", "con Sam mejor": a different person, the rest as it was. */
  instead?: boolean;
  /** "the earlier one" / "the later one" of two bookings or two offers. */
  pick?: 'earliest' | 'latest';
  /** "no, I said Tuesday", "I meant 3pm", "no, dije el martes": replaces what it names, keeps the rest. */
  correction?: boolean;
}

/** The booking, hold or request being discussed, as the customer saw it. */
export interface Anchor {
  /** Local date in the customer's zone, YYYY-MM-DD. */
  date?: string;
  /** Local time HH:MM in the customer's zone. */
  time?: string;
  /** Local end time HH:MM (for "later that day": after the appointment ends). */
  endTime?: string;
  provider?: string;
  service?: string;
}

const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, una: 1, un: 1, dos: 2, tres: 3, cuatro: 4 };

export function readReferences(text: string): ReferenceWords {
  const t = plain(text);
  const words: ReferenceWords = {};
  if (/\b(?:(?:the )?same day|that (?:same )?day|that date|the same date|(?:el )?mismo dia|ese (?:mismo )?dia|esa (?:misma )?fecha|la misma fecha)\b/.test(t)) words.sameDay = true;
  const later = /\b(?:later|mas tarde|despues|luego)\b/.test(t);
  const earlier = /\b(?:earlier|mas temprano|antes)\b/.test(t);
  const shift = shiftOf(t);
  if (shift !== undefined) words.shiftMinutes = shift;
  else if (words.sameDay && later !== earlier) words.direction = later ? 1 : -1;
  else if (later !== earlier && /\b(?:later (?:on )?(?:that|the same) day|earlier (?:that|the same) day|(?:mas tarde|mas temprano) (?:ese|el mismo) dia)\b/.test(t)) {
    words.sameDay = true;
    words.direction = later ? 1 : -1;
  }
  if (/\b(?:(?:the )?same time|misma hora)\b/.test(t)) words.sameTime = true;
  if ((words.sameTime || words.sameDay) && /\b(?:next week|(?:la )?semana (?:que viene|proxima)|(?:la )?proxima semana)\b/.test(t)) words.weeksAhead = 1;
  if (/\b(?:instead|rather|mejor|en su lugar|en vez de)\b/.test(t)) words.instead = true;
  if (/\b(?:the )?(?:earlier|earliest|first of the two) (?:one|option|slot|time|appointment|booking)\b|\b(?:la|el) (?:mas temprana|mas temprano|de antes|primera de las dos)\b/.test(t)) words.pick = 'earliest';
  else if (/\b(?:the )?(?:later|latest) (?:one|option|slot|time|appointment|booking)\b|\b(?:la|el) (?:mas tarde|de despues|de mas tarde)\b/.test(t)) words.pick = 'latest';
  if (/^(?:no|nope|sorry|actually|perdon|perdona)?[\s,.!]*(?:i said|i meant|i mean|i asked for|no i said|dije|he dicho|quise decir|queria decir|me referia a)\b/.test(t) || /^no[,.!]?\s+(?:on\s+|el\s+|a las\s+|at\s+)?(?:mon|tue|wed|thu|fri|sat|sun|lunes|martes|miercoles|jueves|viernes|sabado|domingo)/.test(t)) words.correction = true;
  if (words.pick) {
    // "the earlier one" picks from a list; it is not "earlier that day".
    delete words.direction;
  }
  return words;
}

/** "an hour earlier" → -60, "two hours later" → 120, "30 minutes later" → 30, "media hora antes" → -30. */
function shiftOf(t: string): number | undefined {
  const m =
    /\b(an?|one|two|three|four|\d{1,2}|half an?|una|un|dos|tres|cuatro|media)\s?(hours?|hrs?|h|minutes?|mins?|horas?|minutos?)\s(earlier|later|sooner|before|after|antes|despues|mas tarde|mas temprano)\b/.exec(t) ??
    /\b(half an?|media)\s(hour|hora)\s(earlier|later|sooner|antes|despues|mas tarde|mas temprano)\b/.exec(t);
  if (!m) return undefined;
  const [, count, unit, dir] = m;
  const n = count!.startsWith('half') || count === 'media' ? 0.5 : (WORD_NUMBERS[count!] ?? Number(count));
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const minutes = /^(?:h|hr|hour|hora)/.test(unit!) ? n * 60 : n;
  const sign = /^(?:earlier|sooner|before|antes|mas temprano)$/.test(dir!) ? -1 : 1;
  return Math.round(sign * minutes);
}

/** True when the words refer to something being discussed (so an anchor is needed to read the message). */
export function refersBack(words: ReferenceWords): boolean {
  return Boolean(words.sameDay || words.direction || words.shiftMinutes || words.sameTime || words.weeksAhead || words.instead || words.correction);
}

/**
 * The message's understanding with its references filled in from the anchor: "11am the same day" gains the anchor's
 * date; "an hour earlier" the anchor's date and time less an hour; "same time next week" both, a week on; "with Sam
 * instead" the anchor's date and time; a correction keeps the anchor's time, day and person where it names none.
 */
export function resolveReferences(said: Understanding, words: ReferenceWords, anchor: Anchor | null | undefined): Understanding {
  if (!anchor || !refersBack(words)) return said;
  const out: Understanding = { ...said };
  const namesDay = Boolean(said.date || said.range || said.weekdays);
  const setDay = (date: string | undefined) => {
    if (!date) return;
    out.date = date;
    delete out.range;
    delete out.weekdays;
    delete out.soonest;
  };
  if (anchor.date && (words.sameDay || words.shiftMinutes !== undefined) && !said.date) setDay(anchor.date);
  if (words.shiftMinutes !== undefined && anchor.time && !said.time) {
    const shifted = minutesOf(anchor.time) + words.shiftMinutes;
    if (shifted >= 0 && shifted < 24 * 60) {
      out.time = clock(shifted);
      delete out.window;
    }
  }
  if (words.direction && anchor.time && !said.time && !said.window) {
    out.window = words.direction > 0 ? { start: clock(minutesOf(anchor.endTime ?? anchor.time)), end: '23:59' } : { start: '00:00', end: anchor.time };
  }
  if (words.sameTime && anchor.time && !said.time) out.time = anchor.time;
  if (words.weeksAhead && anchor.date) setDay(DateTime.fromISO(anchor.date).plus({ weeks: words.weeksAhead }).toFormat('yyyy-MM-dd'));
  else if (words.sameTime && anchor.date && !namesDay && !said.soonest) setDay(anchor.date);
  // "with Sam instead", "no, I said Tuesday": what the message does not name stays as it was.
  if ((words.instead && said.provider) || words.correction) {
    if (!namesDay && !said.soonest && anchor.date) setDay(out.date ?? anchor.date);
    if (!said.time && !said.window && !out.time && !out.window && anchor.time) out.time = anchor.time;
  }
  if (out.time && out.date) delete out.instant;
  return out;
}

/**
 * "the earlier one" / "the later one": the 1-based position, in the list as shown, of the earliest or latest item;
 * undefined when there is no list of at least two to pick from.
 */
export function positionByTime(items: readonly { start: string }[], pick: 'earliest' | 'latest'): number | undefined {
  if (items.length < 2) return undefined;
  let best = 0;
  items.forEach((item, i) => {
    const better = pick === 'earliest' ? Date.parse(item.start) < Date.parse(items[best]!.start) : Date.parse(item.start) > Date.parse(items[best]!.start);
    if (better) best = i;
  });
  return best + 1;
}

/** The anchor for an instant range (a booking, a hold, an offered slot) in the customer's zone. */
export function anchorOf(item: { start: string; end?: string; provider?: string; service?: string }, zone: string): Anchor {
  const start = DateTime.fromISO(item.start, { setZone: true }).setZone(zone);
  const anchor: Anchor = { date: start.toFormat('yyyy-MM-dd'), time: start.toFormat('HH:mm') };
  if (item.end) {
    const end = DateTime.fromISO(item.end, { setZone: true }).setZone(zone);
    // An appointment that runs past midnight has no "later that day" after it.
    if (end.hasSame(start, 'day')) anchor.endTime = end.toFormat('HH:mm');
  }
  if (item.provider) anchor.provider = item.provider;
  if (item.service) anchor.service = item.service;
  return anchor;
}

function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
