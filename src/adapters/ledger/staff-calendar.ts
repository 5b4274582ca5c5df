import { randomUUID } from 'node:crypto';
import { toInstant } from '../../domain/booking/time';
import type {
  BlockKind,
  ProviderBlock,
  ScheduleEntry,
  StaffAction,
  StaffActionRequest,
  StaffCalendar,
} from '../../domain/booking/staff-calendar';
import type { Database, SqlPort } from './database';
import { toBooking, type BookingRow } from './booking-row';

export type * from '../../domain/booking/staff-calendar';

/**
 * The staff desk's part of the ledger: blocked time per provider, days the whole business is closed, the record of
 * what staff did, and the schedule a day grid shows. Blocks take part in the same writer queue as holds: a hold
 * (or a move) checks for blocks under its provider's advisory lock and a shared lock on closures, and a block is
 * inserted under the same locks after checking for bookings, so a hold racing a new block cannot land inside it.
 */

const CLOSURES_LOCK = 'ledger:closures';

/** The advisory lock key every writer of a provider's time queues on (shared with the booking inserts). */
export function providerLockKey(providerId: string): string {
  return `ledger:provider:${providerId}`;
}

/**
 * Queues a booking insert behind any closure being written (shared: holds do not wait for each other here) and
 * behind the provider's other writers (exclusive). Order: closures, then provider; a block takes only the provider's.
 */
export async function lockForBookingInsert(tx: SqlPort, providerId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [CLOSURES_LOCK]);
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [providerLockKey(providerId)]);
}

/** Whether an active block of the provider (or a closure) overlaps [from, until). Call after lockForBookingInsert. */
export async function isBlocked(tx: SqlPort, providerId: string, from: string, until: string): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM provider_blocks
     WHERE removed_at IS NULL AND (provider_id = $1 OR provider_id IS NULL)
       AND during && tstzrange($2::timestamptz, $3::timestamptz, '[)') LIMIT 1`,
    [providerId, from, until],
  );
  return rows.length > 0;
}

/** Busy intervals from blocks for these providers (a closure counts for each of them). */
export async function blockedIntervals(
  sql: SqlPort,
  providerIds: readonly string[],
  range: { start: string; end: string },
): Promise<{ providerId: string; start: string; end: string }[]> {
  const { rows } = await sql.query<{ provider_id: string; start: Date | string; end: Date | string }>(
    `SELECT p.provider_id, lower(b.during) AS start, upper(b.during) AS end
     FROM provider_blocks b JOIN unnest($1::text[]) AS p(provider_id) ON (b.provider_id = p.provider_id OR b.provider_id IS NULL)
     WHERE b.removed_at IS NULL AND b.during && tstzrange($2::timestamptz, $3::timestamptz, '[)')`,
    [[...providerIds], toInstant(range.start), toInstant(range.end)],
  );
  return rows.map((r) => ({ providerId: r.provider_id, start: toInstant(new Date(r.start)), end: toInstant(new Date(r.end)) }));
}

interface BlockRow {
  id: string;
  provider_id: string | null;
  kind: BlockKind;
  start: Date | string;
  end: Date | string;
  reason: string;
  created_by: string;
  created_at: Date | string;
}

interface ActionRow {
  id: number;
  at: Date | string;
  operator: string;
  action: string;
  booking_id: string | null;
  subject: string | null;
  details: Record<string, unknown> | string;
}

const BLOCK_COLUMNS = 'id, provider_id, kind, lower(during) AS start, upper(during) AS end, reason, created_by, created_at';

function toBlock(row: BlockRow): ProviderBlock {
  return {
    id: row.id,
    providerId: row.provider_id,
    kind: row.kind,
    start: toInstant(new Date(row.start)),
    end: toInstant(new Date(row.end)),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: toInstant(new Date(row.created_at)),
  };
}

function toAction(row: ActionRow): StaffAction {
  return {
    id: row.id,
    at: toInstant(new Date(row.at)),
    operator: row.operator,
    action: row.action,
    bookingId: row.booking_id,
    subject: row.subject,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
  };
}

/** Records a staff action inside the caller's transaction (a cancel or move records itself with its change). */
export async function insertStaffAction(tx: SqlPort, request: StaffActionRequest, now: string): Promise<StaffAction> {
  const { rows } = await tx.query<ActionRow>(
    `INSERT INTO staff_actions (at, operator, action, booking_id, subject, details) VALUES ($1::timestamptz, $2, $3, $4, $5, $6::jsonb)
     RETURNING id, at, operator, action, booking_id, subject, details`,
    [now, request.operator.slice(0, 80), request.action, request.bookingId ?? null, request.subject ?? null, JSON.stringify(request.details ?? {})],
  );
  return toAction(rows[0]!);
}

interface ScheduleRow extends BookingRow {
  rescheduled_from: string | null;
  name: string | null;
}

export function createStaffCalendar(db: Database, clock: () => Date): StaffCalendar {
  const now = () => toInstant(clock());
  return {
    addBlock(request) {
      const start = toInstant(request.start);
      const end = toInstant(request.end);
      if (Date.parse(end) <= Date.parse(start)) throw new RangeError('a block must end after it starts');
      if ((request.kind === 'closure') !== (request.providerId === null)) {
        throw new RangeError('a closure is business-wide (providerId null); a block or time off names its provider');
      }
      return db.transaction(async (tx) => {
        // A closure waits for every hold in flight (they hold the closures lock shared); a provider's block queues
        // with that provider's holds. Either way the check below sees every booking committed before it.
        if (request.providerId === null) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [CLOSURES_LOCK]);
        else await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [providerLockKey(request.providerId)]);
        const at = now();
        const { rows: conflicts } = await tx.query<ScheduleRow>(
          `SELECT id, customer_key, service_id, provider_id, starts_at, ends_at, status, expires_at, rescheduled_from, NULL AS name FROM bookings
           WHERE ($1::text IS NULL OR provider_id = $1) AND during && tstzrange($2::timestamptz, $3::timestamptz, '[)')
             AND (status = 'confirmed' OR (status = 'held' AND expires_at > $4::timestamptz))
           ORDER BY starts_at`,
          [request.providerId, start, end, at],
        );
        if (conflicts.length > 0) return { ok: false as const, conflicts: conflicts.map(toScheduleEntry) };
        const { rows } = await tx.query<BlockRow>(
          `INSERT INTO provider_blocks (id, provider_id, kind, during, reason, created_by, created_at)
           VALUES ($1, $2, $3, tstzrange($4::timestamptz, $5::timestamptz, '[)'), $6, $7, $8::timestamptz) RETURNING ${BLOCK_COLUMNS}`,
          [randomUUID(), request.providerId, request.kind, start, end, (request.reason ?? '').slice(0, 200), request.operator.slice(0, 80), at],
        );
        const block = toBlock(rows[0]!);
        await insertStaffAction(
          tx,
          { operator: request.operator, action: request.kind === 'closure' ? 'close' : request.kind, subject: block.id, details: { providerId: block.providerId, start, end, reason: block.reason } },
          at,
        );
        return { ok: true as const, block };
      });
    },

    removeBlock({ blockId, operator }) {
      return db.transaction(async (tx) => {
        const at = now();
        const { rows } = await tx.query<BlockRow>(
          `UPDATE provider_blocks SET removed_at = $2::timestamptz, removed_by = $3 WHERE id = $1 AND removed_at IS NULL RETURNING ${BLOCK_COLUMNS}`,
          [blockId, at, operator.slice(0, 80)],
        );
        if (!rows[0]) return null;
        const block = toBlock(rows[0]);
        await insertStaffAction(tx, { operator, action: 'unblock', subject: block.id, details: { providerId: block.providerId, kind: block.kind, start: block.start, end: block.end } }, at);
        return block;
      });
    },

    async listBlocks(range, providerIds) {
      const { rows } = await db.query<BlockRow>(
        `SELECT ${BLOCK_COLUMNS} FROM provider_blocks
         WHERE removed_at IS NULL AND during && tstzrange($1::timestamptz, $2::timestamptz, '[)')
           AND ($3::text[] IS NULL OR provider_id IS NULL OR provider_id = ANY($3::text[]))
         ORDER BY lower(during), id`,
        [toInstant(range.start), toInstant(range.end), providerIds ? [...providerIds] : null],
      );
      return rows.map(toBlock);
    },

    async listSchedule(range) {
      const { rows } = await db.query<ScheduleRow>(
        `SELECT b.id, b.customer_key, b.service_id, b.provider_id, b.starts_at, b.ends_at, b.status, b.expires_at, b.rescheduled_from, c.name
         FROM bookings b LEFT JOIN customers c ON c.customer_key = b.customer_key
         WHERE b.starts_at >= $1::timestamptz AND b.starts_at < $2::timestamptz
           AND (b.status IN ('confirmed', 'completed', 'no_show', 'cancelled') OR (b.status = 'held' AND b.expires_at > $3::timestamptz))
         ORDER BY b.starts_at, b.provider_id, b.id`,
        [toInstant(range.start), toInstant(range.end), now()],
      );
      return rows.map(toScheduleEntry);
    },

    recordStaffAction(request) {
      return db.transaction((tx) => insertStaffAction(tx, request, now()));
    },

    async listStaffActions({ bookingIds, limit = 100 }) {
      const { rows } = bookingIds
        ? await db.query<ActionRow>(
            `SELECT id, at, operator, action, booking_id, subject, details FROM staff_actions
             WHERE booking_id = ANY($1::text[]) OR details->>'previous' = ANY($1::text[]) ORDER BY id`,
            [[...bookingIds]],
          )
        : await db.query<ActionRow>(
            'SELECT id, at, operator, action, booking_id, subject, details FROM staff_actions ORDER BY id DESC LIMIT $1',
            [limit],
          );
      return rows.map(toAction);
    },
  };
}

function toScheduleEntry(row: ScheduleRow): ScheduleEntry {
  return {
    ...toBooking(row),
    customerName: row.name,
    rescheduledFrom: row.rescheduled_from,
  };
}
