import { DateTime } from 'luxon';

/**
 * Quiet hours in the customer's zone, when no reminder or follow-up should arrive. Pure: the instant and the zone
 * are arguments. A window whose start is after its end crosses midnight (21:00–08:00); equal bounds mean none.
 */

export interface QuietHours {
  /** Local "HH:MM" when quiet starts. */
  start: string;
  /** Local "HH:MM" when sending may resume. */
  end: string;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function localMinutes(at: DateTime): number {
  return at.hour * 60 + at.minute;
}

/** True when `instant` (ISO-8601) falls inside quiet hours in `zone`. */
export function isQuietTime(instant: string, zone: string, quiet: QuietHours): boolean {
  const local = DateTime.fromISO(instant, { zone });
  if (!local.isValid) throw new RangeError(`"${instant}" is not an ISO-8601 instant, or "${zone}" is not an IANA zone`);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const now = localMinutes(local);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * The first instant at or after `instant` outside quiet hours, as an ISO-8601 UTC string: `instant` itself when it
 * is not quiet, otherwise the end of the quiet period in `zone` (daylight-saving days handled by luxon).
 */
export function nextSendableTime(instant: string, zone: string, quiet: QuietHours): string {
  const local = DateTime.fromISO(instant, { zone });
  if (!isQuietTime(instant, zone, quiet)) return local.toUTC().toISO()!;
  const end = minutesOf(quiet.end);
  let resume = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (resume <= local) resume = resume.plus({ days: 1 });
  return resume.toUTC().toISO()!;
}
