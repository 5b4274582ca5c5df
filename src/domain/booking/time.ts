import { DateTime } from 'luxon';

/**
 * Instant and wall-clock helpers shared by availability, rules and reminders. Every instant that leaves the engine is
 * a UTC ISO-8601 string without milliseconds ("2025-03-10T13:00:00Z"), so two engine answers for the same moment
 * compare equal as strings across activities, the ledger and the workflow.
 */

/** Formats an instant the one way the engine writes instants. */
export function toInstant(value: DateTime | Date | string | number): string {
  if (typeof value === 'number') return instantFromMillis(value);
  const dt = asDateTime(value).toUTC();
  if (!dt.isValid) throw new RangeError(`not a valid instant: ${String(value)}`);
  return dt.toISO({ suppressMilliseconds: true })!;
}

/** The fast path of {@link toInstant} for epoch milliseconds (availability formats thousands of these). */
export function instantFromMillis(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${ms}`);
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Reads an ISO-8601 instant (any offset), a JS Date or epoch milliseconds; throws a RangeError naming the value. */
export function asDateTime(value: DateTime | Date | string | number): DateTime {
  let dt: DateTime;
  if (DateTime.isDateTime(value)) dt = value;
  else if (value instanceof Date) dt = DateTime.fromJSDate(value);
  else if (typeof value === 'number') dt = DateTime.fromMillis(value);
  else dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) throw new RangeError(`not a valid ISO-8601 instant: ${String(value)} (e.g. "2025-03-10T13:00:00Z")`);
  return dt;
}

/** Epoch milliseconds of an instant. */
export function toMillis(value: DateTime | Date | string | number): number {
  return asDateTime(value).toMillis();
}

/** Minutes since local midnight of an "HH:MM" clock; "24:00" is 1440. */
export function clockMinutes(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) throw new RangeError(`not a clock time: "${clock}" (use "HH:MM")`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The instant at a wall-clock time on a local date in a zone. A time that does not exist (the spring-forward gap) moves
 * forward by the gap, as luxon does; an ambiguous time (the autumn overlap) takes the earlier, daylight-saving reading.
 * "24:00" is the next day's midnight.
 */
export function atLocal(date: DateTime, clock: string): DateTime {
  const minutes = clockMinutes(clock);
  const day = date.startOf('day');
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day');
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** Parses a local date "YYYY-MM-DD" in a zone; throws a RangeError naming the value. */
export function localDate(date: string, zone: string): DateTime {
  const dt = DateTime.fromISO(date, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !dt.isValid) {
    throw new RangeError(`not a local date: "${date}" (use "YYYY-MM-DD")`);
  }
  return dt.startOf('day');
}
