import { randomUUID } from 'node:crypto';
import type { BusyInterval } from '../../domain/booking/availability';
import { ok, reject } from '../../domain/booking/outcome';
import { toInstant } from '../../domain/booking/time';
import type { Booking, BookingStatus, Outcome } from '../../domain/booking/types';
import type { ConversationNotice, ConversationSnapshot } from '../../domain/conversation/conversation';
import { PG_ERROR, sqlState, type Database, type SqlPort } from './database';
import {
  IdempotencyKeyReusedError,
  type AttendanceRequest,
  type BookingRequest,
  type Customer,
  type ForgottenCustomer,
  type HoldRequest,
  type Ledger,
  type RescheduleRequest,
  type SwapRequest,
} from './ledger';
import { BOOKING_COLUMNS, toBooking, type BookingRow } from './booking-row';
import { blockedIntervals, createStaffCalendar, insertStaffAction, isBlocked, lockForBookingInsert } from './staff-calendar';

/**
 * The ledger in SQL, identical on PGlite and PostgreSQL. Overlaps are refused by the exclusion constraint
 * `bookings_no_overlap`, not by a read-then-write check, so it holds under any concurrency.
 */

interface CustomerRow {
  customer_key: string;
  opted_out: boolean;
  zone: string | null;
  locale: string | null;
  name: string | null;
}

const CUSTOMER_COLUMNS = 'customer_key, opted_out, zone, locale, name';
const MINUTE = 60_000;
/** A conversation with no cursor (a fresh start) takes in only this recent a past. */
const NOTICE_HORIZON_MS = 14 * 24 * 60 * MINUTE;


function toCustomer(row: CustomerRow): Customer {
  return { customerKey: row.customer_key, optedOut: row.opted_out, zone: row.zone, locale: row.locale, name: row.name };
}

/** [start, end + buffer) as ISO instants: the time a booking blocks. */
function blockedRange(start: string, end: string, bufferMinutes: number): { from: string; until: string } {
  return { from: toInstant(start), until: toInstant(Date.parse(end) + bufferMinutes * MINUTE) };
}

export interface SqlLedgerOptions {
  /** The ledger's clock (hold expiry); defaults to the system clock. Tests pass a fake one. */
  clock?: () => Date;
}

/** Builds the ledger over an already-migrated database. */
export function createSqlLedger(db: Database, options: SqlLedgerOptions = {}): Ledger {
  const clock = options.clock ?? (() => new Date());

  /**
   * Runs a mutation once per idempotency key: the key is claimed first (a concurrent twin waits on the claim, then
   * reads the stored answer), the work runs in the same transaction, and its answer is stored with the key.
   */
  async function once<T>(
    operation: string,
    key: string,
    fingerprint: unknown,
    work: (tx: SqlPort, now: string) => Promise<{ result: T; bookingId?: string }>,
  ): Promise<T> {
    if (!key || key.length > 500) throw new RangeError(`${operation}: an idempotency key of 1–500 characters is required`);
    const print = JSON.stringify(fingerprint);
    return db.transaction(async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO ledger_requests (idempotency_key, operation, fingerprint, result)
         VALUES ($1, $2, $3, 'null'::jsonb) ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        [key, operation, print],
      );
      if (claimed.rows.length === 0) {
        const { rows } = await tx.query<{ operation: string; fingerprint: string; result: T }>(
          'SELECT operation, fingerprint, result FROM ledger_requests WHERE idempotency_key = $1',
          [key],
        );
        const prior = rows[0];
        if (!prior) throw new Error(`idempotency key "${key}" vanished while being read; retry the request`);
        if (prior.operation !== operation || prior.fingerprint !== print) {
          throw new IdempotencyKeyReusedError(key, operation, prior.operation);
        }
        return prior.result;
      }
      const { result, bookingId } = await work(tx, toInstant(clock()));
      await tx.query('UPDATE ledger_requests SET result = $2::jsonb, booking_id = $3 WHERE idempotency_key = $1', [
        key,
        JSON.stringify(result),
        bookingId ?? null,
      ]);
      return result;
    });
  }

  /** Releases expired holds of a provider that overlap a range, so they cannot block the insert that follows. */
  async function releaseExpiredHolds(tx: SqlPort, providerId: string, from: string, until: string, now: string) {
    await tx.query(
      `UPDATE bookings SET status = 'released', updated_at = $4::timestamptz
       WHERE provider_id = $1 AND status = 'held' AND expires_at <= $4::timestamptz
         AND during && tstzrange($2::timestamptz, $3::timestamptz, '[)')`,
      [providerId, from, until, now],
    );
  }

  /**
   * Inserts a row inside a savepoint; an overlap (exclusion violation) rolls back to the savepoint and answers null,
   * leaving the transaction usable. `before` runs inside the savepoint first (reschedule cancels the old row there).
   */
  async function insertUnlessTaken(
    tx: SqlPort,
    row: {
      id: string;
      customerKey: string;
      serviceId: string;
      providerId: string;
      start: string;
      end: string;
      from: string;
      until: string;
      status: 'held' | 'confirmed';
      expiresAt: string | null;
      createdByKey: string;
      rescheduledFrom: string | null;
      now: string;
      /** The part of [from, until) the row claims in `during` (a move's hold leaves out the booking it replaces). */
      claim?: { from: string; until: string };
    },
    before?: () => Promise<void>,
  ): Promise<Booking | null> {
    // Two transactions inserting overlapping rows each wait for the other inside the exclusion check: a deadlock
    // PostgreSQL breaks only after deadlock_timeout. Queuing writers per provider avoids it; the constraint still
    // decides who wins. Blocks and closures are written in the same queue (staff-calendar.ts), so the check for them
    // below cannot miss one committed by a racing staff action. Released at commit or rollback.
    await lockForBookingInsert(tx, row.providerId);
    if (await isBlocked(tx, row.providerId, row.from, row.until)) return null;
    await tx.query('SAVEPOINT ledger_insert');
    try {
      await before?.();
      await releaseExpiredHolds(tx, row.providerId, row.from, row.until, row.now);
      const { rows } = await tx.query<BookingRow>(
        `INSERT INTO bookings (id, customer_key, service_id, provider_id, starts_at, ends_at, during, status, expires_at,
                               created_by_key, rescheduled_from, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, tstzrange($7::timestamptz, $8::timestamptz, '[)'),
                 $9, $10::timestamptz, $11, $12, $13::timestamptz, $13::timestamptz)
         RETURNING ${BOOKING_COLUMNS}`,
        [
          row.id,
          row.customerKey,
          row.serviceId,
          row.providerId,
          row.start,
          row.end,
          row.claim?.from ?? row.from,
          row.claim?.until ?? row.until,
          row.status,
          row.expiresAt,
          row.createdByKey,
          row.rescheduledFrom,
          row.now,
        ],
      );
      await tx.query('RELEASE SAVEPOINT ledger_insert');
      return toBooking(rows[0]!);
    } catch (error) {
      if (sqlState(error) !== PG_ERROR.exclusionViolation) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT ledger_insert');
      return null;
    }
  }

  /** Locks and reads the customer's booking, or says why not. */
  async function ownBooking(tx: SqlPort, bookingId: string, customerKey: string | null): Promise<Outcome<Booking>> {
    const { rows } = await tx.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = $1 FOR UPDATE`, [bookingId]);
    const row = rows[0];
    if (!row) return reject({ code: 'not_found' });
    if (customerKey !== null && row.customer_key !== customerKey) return reject({ code: 'not_yours' });
    return ok(toBooking(row));
  }

  /**
   * The part of [from, until) that the booking `bookingId` does not already block: all of it, the end beyond the
   * booking, the start before it, or nothing. A move's hold claims only that, so it does not collide with the booking
   * it replaces, while the two rows together keep the whole new time from anyone else. The same service on both
   * sides means equal lengths, so what is left is always one piece.
   */
  async function unclaimedPart(tx: SqlPort, bookingId: string, from: string, until: string): Promise<{ from: string; until: string }> {
    const { rows } = await tx.query<{ start: Date | string; end: Date | string }>('SELECT lower(during) AS start, upper(during) AS end FROM bookings WHERE id = $1', [bookingId]);
    const own = rows[0];
    if (!own) return { from, until };
    const ownFrom = toInstant(new Date(own.start));
    const ownUntil = toInstant(new Date(own.end));
    const [a, b, c, d] = [from, until, ownFrom, ownUntil].map((t) => Date.parse(t)) as [number, number, number, number];
    if (b <= c || d <= a) return { from, until }; // apart
    if (a >= c && b <= d) return { from, until: from }; // inside it: nothing more to claim (an empty range)
    if (a < c) return { from, until: ownFrom }; // earlier: up to where the booking starts
    return { from: ownUntil, until }; // later: from where the booking ends
  }

  async function setStatus(
    tx: SqlPort,
    bookingId: string,
    status: BookingStatus,
    now: string,
    clearExpiry = false,
  ): Promise<Booking> {
    const { rows } = await tx.query<BookingRow>(
      `UPDATE bookings SET status = $2, updated_at = $3::timestamptz${clearExpiry ? ', expires_at = NULL' : ''}
       WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
      [bookingId, status, now],
    );
    return toBooking(rows[0]!);
  }

  /** Shared shape of confirm / release / cancel: read own booking, then one status transition. */
  function transition(
    operation: string,
    request: BookingRequest,
    decide: (booking: Booking) => { to: BookingStatus; clearExpiry?: boolean } | Outcome<Booking>,
  ): Promise<Outcome<Booking>> {
    return once<Outcome<Booking>>(operation, request.idempotencyKey, [request.bookingId, request.customerKey], async (tx, now) => {
      const found = await ownBooking(tx, request.bookingId, request.customerKey);
      if (!found.ok) return { result: found };
      const decision = decide(found.value);
      if ('ok' in decision) return { result: decision, bookingId: found.value.id };
      const booking = await setStatus(tx, found.value.id, decision.to, now, decision.clearExpiry);
      if (request.operator) await insertStaffAction(tx, { operator: request.operator, action: operation, bookingId: booking.id }, now);
      return { result: ok(booking), bookingId: booking.id };
    });
  }

  const ledger: Ledger = {
    ...createStaffCalendar(db, clock),
    driver: db.driver,
    sql: { query: (sql, params) => db.query(sql, params) },

    hold(request: HoldRequest) {
      const { from, until } = blockedRange(request.start, request.end, request.bufferMinutes);
      // expiresAt is left out of the fingerprint: a retried activity computes a fresh one for the same request.
      const print = [request.customerKey, request.serviceId, request.providerId, from, toInstant(request.end), until, ...(request.replacing ? [request.replacing] : [])];
      return once<Outcome<Booking>>('hold', request.idempotencyKey, print, async (tx, now) => {
        let claim: { from: string; until: string } | undefined;
        if (request.replacing) {
          // Locked for the rest of the transaction: the booking cannot be cancelled or moved under the hold's claim.
          const replaced = await ownBooking(tx, request.replacing, request.customerKey);
          if (!replaced.ok) return { result: replaced };
          if (replaced.value.status !== 'confirmed') return { result: reject({ code: 'not_confirmable', status: replaced.value.status }) };
          if (replaced.value.providerId === request.providerId) claim = await unclaimedPart(tx, request.replacing, from, until);
        }
        const booking = await insertUnlessTaken(tx, {
          id: randomUUID(),
          customerKey: request.customerKey,
          serviceId: request.serviceId,
          providerId: request.providerId,
          start: from,
          end: toInstant(request.end),
          from,
          until,
          status: 'held',
          expiresAt: toInstant(request.expiresAt),
          createdByKey: request.idempotencyKey,
          rescheduledFrom: request.replacing ?? null,
          now,
          claim,
        });
        return booking ? { result: ok(booking), bookingId: booking.id } : { result: reject({ code: 'slot_taken' }) };
      });
    },

    confirm(request) {
      return transition('confirm', request, (b) => {
        if (b.status === 'held') return { to: 'confirmed', clearExpiry: true };
        if (b.status === 'confirmed') return ok(b);
        if (b.status === 'released') return reject({ code: 'hold_expired' });
        return reject({ code: 'not_confirmable', status: b.status });
      });
    },

    release(request) {
      return transition('release', request, (b) => {
        if (b.status === 'held') return { to: 'released' };
        if (b.status === 'released') return ok(b);
        return reject({ code: 'not_confirmable', status: b.status });
      });
    },

    cancel(request) {
      return transition('cancel', request, (b) => {
        if (b.status === 'confirmed') return { to: 'cancelled' };
        if (b.status === 'cancelled') return ok(b);
        return reject({ code: 'not_confirmable', status: b.status });
      });
    },

    reschedule(request: RescheduleRequest) {
      const { from, until } = blockedRange(request.start, request.end, request.bufferMinutes);
      const print = [request.bookingId, request.customerKey, request.providerId, from, toInstant(request.end), until];
      return once<Outcome<{ booking: Booking; previous: Booking }>>('reschedule', request.idempotencyKey, print, async (tx, now) => {
        const found = await ownBooking(tx, request.bookingId, request.customerKey);
        if (!found.ok) return { result: found };
        const previous = found.value;
        if (previous.status !== 'confirmed') {
          return { result: reject({ code: 'not_confirmable', status: previous.status }), bookingId: previous.id };
        }
        let cancelled: Booking | undefined;
        const booking = await insertUnlessTaken(
          tx,
          {
            id: randomUUID(),
            customerKey: previous.customerKey,
            serviceId: previous.serviceId,
            providerId: request.providerId,
            start: from,
            end: toInstant(request.end),
            from,
            until,
            status: 'confirmed',
            expiresAt: null,
            createdByKey: request.idempotencyKey,
            rescheduledFrom: previous.id,
            now,
          },
          // Cancelled first, inside the savepoint: the new slot may overlap the old one, and a refused insert
          // rolls the cancellation back with it.
          async () => {
            cancelled = await setStatus(tx, previous.id, 'cancelled', now);
          },
        );
        if (!booking) return { result: reject({ code: 'slot_taken' }), bookingId: previous.id };
        if (request.operator) {
          const details = { previous: previous.id, from: previous.start, to: booking.start, providerFrom: previous.providerId, providerTo: booking.providerId };
          await insertStaffAction(tx, { operator: request.operator, action: 'move', bookingId: booking.id, details }, now);
        }
        return { result: ok({ booking, previous: cancelled! }), bookingId: booking.id };
      });
    },

    swap(request: SwapRequest) {
      const print = [request.bookingId, request.holdId, request.customerKey, request.bufferMinutes];
      return once<Outcome<{ booking: Booking; previous: Booking }>>('swap', request.idempotencyKey, print, async (tx, now) => {
        const found = await ownBooking(tx, request.bookingId, request.customerKey);
        if (!found.ok) return { result: found };
        const held = await ownBooking(tx, request.holdId, request.customerKey);
        if (!held.ok) return { result: held };
        const previous = found.value;
        const hold = held.value;
        const { rows } = await tx.query<{ rescheduled_from: string | null }>('SELECT rescheduled_from FROM bookings WHERE id = $1', [hold.id]);
        if (rows[0]?.rescheduled_from !== previous.id) return { result: reject({ code: 'not_found' }) };
        // Swapped already (under another key): the same answer.
        if (hold.status === 'confirmed' && previous.status === 'cancelled') return { result: ok({ booking: hold, previous }), bookingId: hold.id };
        if (hold.status === 'released') return { result: reject({ code: 'hold_expired' }), bookingId: previous.id };
        if (hold.status !== 'held') return { result: reject({ code: 'not_confirmable', status: hold.status }), bookingId: previous.id };
        if (previous.status !== 'confirmed') return { result: reject({ code: 'not_confirmable', status: previous.status }), bookingId: previous.id };
        const { from, until } = blockedRange(hold.start, hold.end, request.bufferMinutes);
        await lockForBookingInsert(tx, hold.providerId);
        await tx.query('SAVEPOINT ledger_swap');
        try {
          // The old booking goes first, so the hold can take the whole of its time, including what overlapped it.
          const cancelled = await setStatus(tx, previous.id, 'cancelled', now);
          await releaseExpiredHolds(tx, hold.providerId, from, until, now);
          const { rows: confirmed } = await tx.query<BookingRow>(
            `UPDATE bookings SET status = 'confirmed', expires_at = NULL, updated_at = $2::timestamptz,
                    during = tstzrange($3::timestamptz, $4::timestamptz, '[)')
             WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
            [hold.id, now, from, until],
          );
          await tx.query('RELEASE SAVEPOINT ledger_swap');
          return { result: ok({ booking: toBooking(confirmed[0]!), previous: cancelled }), bookingId: hold.id };
        } catch (error) {
          if (sqlState(error) !== PG_ERROR.exclusionViolation) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT ledger_swap');
          return { result: reject({ code: 'slot_taken' }), bookingId: previous.id };
        }
      });
    },

    markAttendance(request: AttendanceRequest) {
      return once<Outcome<Booking>>('attendance', request.idempotencyKey, [request.bookingId, request.attended], async (tx, now) => {
        const found = await ownBooking(tx, request.bookingId, null);
        if (!found.ok) return { result: found };
        const b = found.value;
        if (b.status !== 'confirmed' && b.status !== 'completed' && b.status !== 'no_show') {
          return { result: reject({ code: 'not_confirmable', status: b.status }), bookingId: b.id };
        }
        const booking = await setStatus(tx, b.id, request.attended ? 'completed' : 'no_show', now);
        return { result: ok(booking), bookingId: b.id };
      });
    },

    async listBusy(providerIds, range, options = {}) {
      if (providerIds.length === 0) return [];
      const { rows } = await db.query<{ provider_id: string; start: Date | string; end: Date | string }>(
        `SELECT provider_id, lower(during) AS start, upper(during) AS end FROM bookings
         WHERE provider_id = ANY($1::text[]) AND during && tstzrange($2::timestamptz, $3::timestamptz, '[)')
           AND (status = 'confirmed' OR (status = 'held' AND expires_at > $4::timestamptz))
           AND NOT (id = ANY($5::text[]))
         ORDER BY provider_id, lower(during)`,
        [[...providerIds], toInstant(range.start), toInstant(range.end), toInstant(clock()), [...(options.exceptBookingIds ?? [])]],
      );
      const booked = rows.map((r) => ({
        providerId: r.provider_id,
        start: toInstant(new Date(r.start)),
        end: toInstant(new Date(r.end)),
      }));
      return [...booked, ...(await blockedIntervals(db, providerIds, range))];
    },

    async listCustomerBookings(customerKey, options = {}) {
      const statuses = options.statuses ? [...options.statuses] : null;
      const { rows } = await db.query<BookingRow>(
        `SELECT ${BOOKING_COLUMNS} FROM bookings
         WHERE customer_key = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))
         ORDER BY starts_at, created_at, id`,
        [customerKey, statuses],
      );
      return rows.map(toBooking);
    },

    async getBooking(bookingId) {
      const { rows } = await db.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = $1`, [bookingId]);
      return rows[0] ? toBooking(rows[0]) : null;
    },

    async getCustomer(customerKey) {
      const { rows } = await db.query<CustomerRow>(
        `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE customer_key = $1`,
        [customerKey],
      );
      return rows[0] ? toCustomer(rows[0]) : { customerKey, optedOut: false, zone: null, locale: null, name: null };
    },

    setOptOut(request) {
      const write = async (tx: SqlPort, now: string) => {
        const { rows } = await tx.query<CustomerRow>(
          `INSERT INTO customers (customer_key, opted_out, opted_out_at, created_at, updated_at)
           VALUES ($1, $2, CASE WHEN $2 THEN $3::timestamptz END, $3::timestamptz, $3::timestamptz)
           ON CONFLICT (customer_key) DO UPDATE SET
             opted_out = EXCLUDED.opted_out,
             opted_out_at = CASE WHEN EXCLUDED.opted_out THEN COALESCE(customers.opted_out_at, EXCLUDED.opted_out_at) END,
             updated_at = EXCLUDED.updated_at
           RETURNING ${CUSTOMER_COLUMNS}`,
          [request.customerKey, request.optedOut, now],
        );
        return { result: toCustomer(rows[0]!) };
      };
      if (request.idempotencyKey) {
        return once('opt_out', request.idempotencyKey, [request.customerKey, request.optedOut], write);
      }
      return db.transaction(async (tx) => (await write(tx, toInstant(clock()))).result);
    },

    setCustomerPreferences(request) {
      const write = async (tx: SqlPort, now: string) => {
        const { rows } = await tx.query<CustomerRow>(
          `INSERT INTO customers (customer_key, zone, locale, name, created_at, updated_at)
           VALUES ($1, $2, $3, $7, $6::timestamptz, $6::timestamptz)
           ON CONFLICT (customer_key) DO UPDATE SET
             zone = CASE WHEN $4 THEN EXCLUDED.zone ELSE customers.zone END,
             locale = CASE WHEN $5 THEN EXCLUDED.locale ELSE customers.locale END,
             name = CASE WHEN $8 THEN EXCLUDED.name ELSE customers.name END,
             updated_at = EXCLUDED.updated_at
           RETURNING ${CUSTOMER_COLUMNS}`,
          [
            request.customerKey,
            request.zone ?? null,
            request.locale ?? null,
            request.zone !== undefined,
            request.locale !== undefined,
            now,
            request.name ?? null,
            request.name !== undefined,
          ],
        );
        return { result: toCustomer(rows[0]!) };
      };
      if (request.idempotencyKey) {
        const print = [request.customerKey, request.zone, request.locale, ...(request.name !== undefined ? [request.name] : [])];
        return once('preferences', request.idempotencyKey, print, write);
      }
      return db.transaction(async (tx) => (await write(tx, toInstant(clock()))).result);
    },

    async loadConversationMemory(workflowId) {
      const { rows } = await db.query<{ snapshot: ConversationSnapshot | string }>(
        'SELECT snapshot FROM conversation_memory WHERE workflow_id = $1',
        [workflowId],
      );
      const snapshot = rows[0]?.snapshot;
      return snapshot === undefined ? null : typeof snapshot === 'string' ? (JSON.parse(snapshot) as ConversationSnapshot) : snapshot;
    },

    async saveConversationMemory({ workflowId, customerKey, snapshot }) {
      await db.query(
        `INSERT INTO conversation_memory (workflow_id, customer_key, snapshot, updated_at) VALUES ($1, $2, $3::jsonb, $4::timestamptz)
         ON CONFLICT (workflow_id) DO UPDATE SET customer_key = EXCLUDED.customer_key, snapshot = EXCLUDED.snapshot, updated_at = EXCLUDED.updated_at`,
        [workflowId, customerKey, JSON.stringify(snapshot), toInstant(clock())],
      );
    },

    async addConversationNotice({ workflowId, customerKey, noticeKey, notice }) {
      await db.query(
        `INSERT INTO conversation_notices (workflow_id, customer_key, notice_key, body, created_at) VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
         ON CONFLICT (workflow_id, notice_key) DO NOTHING`,
        [workflowId, customerKey, noticeKey, JSON.stringify(notice), toInstant(clock())],
      );
    },

    async listConversationNotices(workflowId, afterId) {
      const since = afterId > 0 ? '-infinity' : toInstant(new Date(clock().getTime() - NOTICE_HORIZON_MS));
      const { rows } = await db.query<{ id: number; body: Omit<ConversationNotice, 'id'> | string }>(
        `SELECT id, body FROM conversation_notices WHERE workflow_id = $1 AND id > $2 AND created_at > $3::timestamptz ORDER BY id LIMIT 20`,
        [workflowId, afterId, since],
      );
      return rows.map((row) => ({ id: row.id, ...(typeof row.body === 'string' ? JSON.parse(row.body) : row.body) }));
    },

    forgetCustomer(customerKey) {
      return db.transaction(async (tx): Promise<ForgottenCustomer> => {
        const count = async (sql: string, params: unknown[]) => (await tx.query<{ n: number | string }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*) AS n FROM gone`, params)).rows[0]?.n ?? 0;
        const { rows } = await tx.query<{ id: string }>('SELECT id FROM bookings WHERE customer_key = $1 ORDER BY starts_at FOR UPDATE', [customerKey]);
        const bookingIds = rows.map((row) => row.id);
        const anonymousKey = bookingIds.length > 0 ? `forgotten:${randomUUID()}` : null;
        if (anonymousKey) await tx.query('UPDATE bookings SET customer_key = $2 WHERE customer_key = $1', [customerKey, anonymousKey]);
        // Idempotency records repeat the customer key in their fingerprint and answer; the bookings' own records too.
        const idempotencyRecords = await count(
          'DELETE FROM ledger_requests WHERE booking_id = ANY($2::text[]) OR position($1 in fingerprint) > 0 OR position($1 in result::text) > 0',
          [customerKey, bookingIds],
        );
        // The waitlist keeps the number it reaches a customer on; its table exists once the waitlist migration ran.
        const { rows: waitlist } = await tx.query<{ present: boolean }>(`SELECT to_regclass('waitlist_entries') IS NOT NULL AS present`, []);
        const waitlistEntries = waitlist[0]?.present ? await count('DELETE FROM waitlist_entries WHERE customer_key = $1', [customerKey]) : 0;
        return {
          anonymousKey,
          bookingIds,
          deleted: {
            customers: Number(await count('DELETE FROM customers WHERE customer_key = $1', [customerKey])),
            conversationMemories: Number(await count('DELETE FROM conversation_memory WHERE customer_key = $1', [customerKey])),
            conversationNotices: Number(await count('DELETE FROM conversation_notices WHERE customer_key = $1', [customerKey])),
            idempotencyRecords: Number(idempotencyRecords),
            waitlistEntries: Number(waitlistEntries),
          },
        };
      });
    },

    close: () => db.close(),
  };
  return ledger;
}
