import type { DateTime } from 'luxon';
import type { ClockReading, DayPart } from './times';

/**
 * A mention is one piece of a sentence the rules recognised ("next Friday", "half past 3", "in the afternoon").
 * Rules find mentions independently; the resolver then picks non-overlapping ones and combines them.
 */

/** The rules' view of "now": the reference instant in the customer's zone. */
export interface RuleContext {
  now: DateTime;
  /** Midnight of today, in the zone. */
  today: DateTime;
  /** Read "3/4" as 3 April (Spanish and most of the world) instead of March 4 (US). */
  dayFirst: boolean;
}

export type Mention =
  | { kind: 'date'; date: DateTime; note?: DateNote }
  | { kind: 'range'; start: DateTime; end: DateTime; note?: DateNote }
  | { kind: 'time'; reading: ClockReading; approx?: boolean; zoneOffsetMinutes?: number }
  /** A fully resolved instant ("in 2 hours"). */
  | { kind: 'instant'; at: DateTime }
  | { kind: 'part'; part: DayPart; window: [string, string] }
  | { kind: 'window'; start: ClockReading; end: ClockReading | null; open?: 'after' | 'before' }
  | { kind: 'weekdays'; days: number[] }
  /** Words that say "not a date" ("this one", a phone number): they block weaker rules on the same text. */
  | { kind: 'block' };

/** Why a date needs a second look. */
export type DateNote =
  | { kind: 'weekday_mismatch'; said: string; first: string }
  | { kind: 'ambiguous_weekend'; candidates: [string, string] }
  | { kind: 'invalid_date'; said: string };

export interface Found {
  start: number;
  end: number;
  text: string;
  rule: string;
  mention: Mention;
  /** Date mentions (date, range, instant, weekdays) and time mentions (time, part, window) may overlap each other. */
  group: 'date' | 'time' | 'block';
  /** Built from bare numbers: dropped when it overlaps anything else. */
  weak?: boolean;
}

export interface Rule {
  name: string;
  group: Found['group'];
  re: RegExp;
  weak?: boolean;
  make(m: RegExpExecArray, ctx: RuleContext): Mention | null;
}

/** Runs rules over normalized text and returns every mention found, unfiltered. */
export function findAll(rules: Rule[], text: string, ctx: RuleContext): Found[] {
  const out: Found[] = [];
  for (const rule of rules) {
    const re = new RegExp(rule.re.source, rule.re.flags.includes('g') ? rule.re.flags : rule.re.flags + 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) {
        re.lastIndex += 1;
        continue;
      }
      const mention = rule.make(m, ctx);
      if (mention) {
        const found: Found = { start: m.index, end: m.index + m[0].length, text: m[0], rule: rule.name, mention, group: rule.group };
        if (rule.weak) found.weak = true;
        out.push(found);
      }
    }
  }
  return out;
}

/**
 * Keeps the longest mention wherever two of the same group overlap (so "March 3 2015" beats "March 3"); date and
 * time mentions may share text ("9 tomorrow morning"), but weak ones give way to anything they touch, and a block
 * removes whatever it overlaps.
 */
export function selectMentions(all: Found[]): Found[] {
  const sorted = [...all].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Found[] = [];
  for (const cand of sorted) {
    const clash = chosen.some((c) => {
      const overlap = cand.start < c.end && c.start < cand.end;
      if (!overlap) return false;
      if (c.group === cand.group || c.group === 'block' || cand.group === 'block') return true;
      return Boolean(cand.weak || c.weak);
    });
    if (!clash) chosen.push(cand);
  }
  return chosen.filter((f) => f.group !== 'block').sort((a, b) => a.start - b.start);
}
