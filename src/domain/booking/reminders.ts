import { DateTime, Duration } from 'luxon';
import type { Policies } from './business';
import { quietPeriodAround } from '../messaging/quiet-hours';
import { asDateTime, toInstant } from './time';

/**
 * When the appointment workflow wakes up: each reminder and the no-show check. Pure, so the workflow can rebuild the
 * plan deterministically after every change (confirm, reschedule, opt-out) and tests can assert exact instants.
 */

export type PlannedWake =
  | {
      /** ISO-8601 instant (UTC). */
      at: string;
      kind: 'reminder';
      /** The reminder offset it stands for, as configured, e.g. "PT24H". */
      before: string;
      /** Whether it was moved out of the customer's quiet hours. */
      shifted: boolean;
    }
  | { at: string; kind: 'no_show_check' };

export interface ReminderPlanInput {
  /** Appointment start and end, ISO-8601 instants. */
  start: string;
  end: string;
  policies: Pick<Policies, 'reminderOffsets' | 'quietHours' | 'noShowGraceMinutes'>;
  /** The customer's IANA zone: quiet hours are their local night, not the business's. */
  customerZone: string;
  now: string | Date;
  /** Opted out (STOP): no reminders at all. The no-show check is still planned; it must not message them either. */
  optedOut: boolean;
}

/**
 * Plans the wake-ups for one appointment, sorted by time:
 * - one reminder per offset at start − offset; one that falls inside quiet hours moves to the nearer edge of that
 *   quiet period (its start, i.e. earlier, on a tie or when the later edge would not be before the appointment);
 *   reminders that end up at or before `now` are skipped, as are duplicates of an instant already planned;
 * - a `no_show_check` at end + noShowGraceMinutes (always, unless it is already past).
 * Quiet hours follow src/domain/messaging/quiet-hours.ts (an open interval in the customer's zone: a message exactly
 * at 21:00 or 08:00 is allowed).
 */
export function planReminders(input: ReminderPlanInput): PlannedWake[] {
  const now = asDateTime(input.now).toMillis();
  const start = asDateTime(input.start);
  const wakes: PlannedWake[] = [];
  if (!input.optedOut) {
    const seen = new Set<string>();
    const offsets = [...input.policies.reminderOffsets].sort(
      (a, b) => Duration.fromISO(b).toMillis() - Duration.fromISO(a).toMillis(),
    );
    for (const before of offsets) {
      const offset = Duration.fromISO(before);
      if (!offset.isValid) throw new RangeError(`reminder offset "${before}" is not an ISO-8601 duration such as "PT24H"`);
      // Offsets are elapsed time ("24 hours before"), not calendar arithmetic, so they stay exact across DST changes.
      const ideal = start.minus(offset.toMillis());
      const placed = outOfQuietHours(ideal, start, input.policies.quietHours, input.customerZone, now);
      if (!placed || placed.toMillis() <= now) continue;
      const at = toInstant(placed);
      if (seen.has(at)) continue;
      seen.add(at);
      wakes.push({ at, kind: 'reminder', before, shifted: placed.toMillis() !== ideal.toMillis() });
    }
  }
  const noShowAt = asDateTime(input.end).plus({ minutes: input.policies.noShowGraceMinutes });
  if (noShowAt.toMillis() > now) wakes.push({ at: toInstant(noShowAt), kind: 'no_show_check' });
  return wakes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Moves an instant out of quiet hours to the nearer allowed edge that is after `now` and before `deadline`. */
function outOfQuietHours(
  ideal: DateTime,
  deadline: DateTime,
  quietHours: { start: string; end: string },
  zone: string,
  now: number,
): DateTime | null {
  const quiet = quietPeriodAround(ideal, quietHours, zone);
  if (!quiet) return ideal;
  const candidates = [quiet.start, quiet.end].filter((c) => c.toMillis() > now && c.toMillis() < deadline.toMillis());
  if (candidates.length === 0) return null;
  // Nearest first; the earlier edge wins a tie so a reminder is never later than it needs to be.
  candidates.sort(
    (a, b) =>
      Math.abs(a.toMillis() - ideal.toMillis()) - Math.abs(b.toMillis() - ideal.toMillis()) || a.toMillis() - b.toMillis(),
  );
  return candidates[0]!;
}
