import { DateTime } from 'luxon';
import { atLocal, clockMinutes } from '../booking/time';

/**
 * Quiet hours in the customer's zone, when no reminder or follow-up should arrive — the one module that says what
 * they are, for the reminder plan, the no-show follow-up and the messaging activity alike. Pure: the instant and the
 * zone are arguments. One boundary rule: quiet hours are the open interval between their bounds, so a message at
 * exactly 21:00 or exactly 08:00 of {start: "21:00", end: "08:00"} is allowed. A window whose start is after its end
 * crosses midnight; equal bounds mean none.
 */

export interface QuietHours {
  /** Local "HH:MM" after which it is quiet. */
  start: string;
  /** Local "HH:MM" from which sending may resume. */
  end: string;
}

/**
 * The quiet period (its bounds as instants) that contains `instant` in `zone`, or null when it is not quiet.
 * Daylight-saving days are handled by luxon: the bounds are wall-clock times of the days they fall on.
 */
export function quietPeriodAround(instant: DateTime, quiet: QuietHours, zone: string): { start: DateTime; end: DateTime } | null {
  const qs = clockMinutes(quiet.start);
  const qe = clockMinutes(quiet.end);
  if (qs === qe) return null;
  const local = instant.setZone(zone);
  const day = local.startOf('day');
  const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  if (qs < qe) {
    // Same-day quiet hours, e.g. 13:00–15:00.
    return minute > qs && minute < qe ? { start: atLocal(day, quiet.start), end: atLocal(day, quiet.end) } : null;
  }
  // Wrapping midnight, e.g. 21:00–08:00.
  if (minute > qs) return { start: atLocal(day, quiet.start), end: atLocal(day.plus({ days: 1 }), quiet.end) };
  if (minute < qe) return { start: atLocal(day.minus({ days: 1 }), quiet.start), end: atLocal(day, quiet.end) };
  return null;
}

/** True when `instant` (ISO-8601) falls inside quiet hours in `zone`. */
export function isQuietTime(instant: string, zone: string, quiet: QuietHours): boolean {
  return quietPeriodAround(parse(instant, zone), quiet, zone) !== null;
}

/**
 * The first instant at or after `instant` outside quiet hours, as an ISO-8601 UTC string: `instant` itself when it
 * is not quiet, otherwise the end of the quiet period in `zone`.
 */
export function nextSendableTime(instant: string, zone: string, quiet: QuietHours): string {
  const at = parse(instant, zone);
  const period = quietPeriodAround(at, quiet, zone);
  return (period ? period.end : at).toUTC().toISO()!;
}

function parse(instant: string, zone: string): DateTime {
  const local = DateTime.fromISO(instant, { zone });
  if (!local.isValid) throw new RangeError(`"${instant}" is not an ISO-8601 instant, or "${zone}" is not an IANA zone`);
  return local;
}
