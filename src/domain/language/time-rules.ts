import type { Mention, Rule } from './mentions';
import { NOT_AFTER_BARE_HOUR, TIME, readBareHour, readClock } from './times';

/**
 * Rules that find times of day. A bare number is a time only with a cue ("at 5", "evening 4", "5 tonight");
 * otherwise "I need 2" would become 02:00.
 */

/** UTC offsets in minutes of the zone abbreviations people write after a time ("4pm CET", "9 am PST"). */
export const ZONE_ABBREVIATIONS: Record<string, number> = {
  gmt: 0, utc: 0, z: 0, wet: 0, bst: 60, cet: 60, cest: 120, eet: 120, eest: 180, ist: 330,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, hst: -600,
};
const ZONE_RE = `(?:${Object.keys(ZONE_ABBREVIATIONS).filter((z) => z !== 'z').join('|')})`;

const APPROX_BEFORE = /^(?:around|about|approximately|approx|circa|roughly|a eso de)\b/;

function timeMention(raw: string, cue: string | undefined, zone: string | undefined, whole: string): Mention | null {
  const reading = readClock(raw);
  if (!reading) return null;
  const approx = APPROX_BEFORE.test(cue ?? '') || /ish\b|approximately/.test(whole);
  const mention: Mention = { kind: 'time', reading };
  if (approx) mention.approx = true;
  if (zone) mention.zoneOffsetMinutes = ZONE_ABBREVIATIONS[zone.replace(/[()]/g, '')] ?? 0;
  return mention;
}

export const timeRules: Rule[] = [
  {
    name: 'time',
    group: 'time',
    re: new RegExp(
      String.raw`(?<![a-z0-9:/.\-])(?:(at|@|around|about|approximately|approx|circa|roughly|a eso de)\s?)?(${TIME})(?![0-9])(?:\s?ish)?(?:\s(approximately))?(?:\s\(?(${ZONE_RE})\)?(?![a-z]))?`,
    ),
    make: (m) => timeMention(m[2] ?? '', m[1], m[4], m[0]),
  },
  {
    // "at 5", "around 1030", "at 3 15", "tomorrow at 150ish", "Thu at 8 GMT"
    name: 'cued-hour',
    group: 'time',
    re: new RegExp(
      String.raw`(?<![a-z])(at|@|around|about|approximately|approx|a eso de la?s?)\s?(\d{1,2}\s[0-5]\d|\d{3,4}|\d{1,2})(?:\s?ish)?${NOT_AFTER_BARE_HOUR}(?:\s\(?(${ZONE_RE})\)?(?![a-z]))?`,
    ),
    make: (m) => {
      const digits = (m[2] ?? '').replace(' ', '');
      const reading = digits.length <= 2 ? readBareHour(digits) : readClock(digits.length === 3 ? digits : digits);
      if (!reading) return null;
      const mention: Mention = { kind: 'time', reading };
      if (APPROX_BEFORE.test(m[1] ?? '') || /ish/.test(m[0])) mention.approx = true;
      if (m[3]) mention.zoneOffsetMinutes = ZONE_ABBREVIATIONS[m[3]] ?? 0;
      return mention;
    },
  },
  {
    // "evening 4", "afternoon 2", "tonight 815", "early morning @ 3", "in the evening at 8"
    name: 'part-then-hour',
    group: 'time',
    re: new RegExp(
      String.raw`(?<=(?:morning|afternoon|evening|night|tonight)\s(?:at\s|@\s?|around\s)?)(\d{3,4}|\d{1,2})(?![\d:])${NOT_AFTER_BARE_HOUR}`,
    ),
    make: (m) => {
      const reading = (m[1] ?? '').length <= 2 ? readBareHour(m[1] ?? '') : readClock(m[1] ?? '');
      return reading ? { kind: 'time', reading } : null;
    },
  },
  {
    // "4 in the evening", "8 tonight", "9 tomorrow", "3 de la tarde"
    name: 'hour-then-part',
    group: 'time',
    re: /(?<![a-z0-9:/.\-])(\d{1,2})(?=\s(?:in the (?:morning|afternoon|evening|night)|at night|tonight|this (?:morning|afternoon|evening)|tomorrow|today|de la (?:manana|tarde|noche)|por la (?:manana|tarde|noche)|en punto)\b)/,
    make: (m) => {
      const reading = readBareHour(m[1] ?? '');
      return reading ? { kind: 'time', reading } : null;
    },
  },
  {
    // Telephone numbers and codes are not times: "at 650.650.6500", "A4 A5".
    name: 'not-a-time',
    group: 'block',
    re: /\+?\d{3}[.\- ]\d{3}[.\- ]\d{4}|\b\d{3}[.\- ]\d{4}\b|\b[a-z]\d\b/,
    make: () => ({ kind: 'block' }),
  },
];
