import { randomUUID } from 'node:crypto';
import { toInstant } from '../../domain/booking/time';
import type { WaitlistEntry, WaitlistStatus } from '../../domain/booking/waitlist';
import type { Channel } from '../../domain/messaging/channel';
import type { SqlPort } from './database';

/**
 * The waitlist's table (migration 070), next to the bookings in the same database. Joining is idempotent by key (a
 * retried activity finds its entry); status only leaves `waiting`, once, so a booked entry never expires and an
 * expired one is never booked. Which freed slot fits whom is the domain's rule (src/domain/booking/waitlist.ts).
 */
export interface WaitlistStore {
  /** Adds an entry (status waiting), or returns the one this key already added. */
  join(entry: NewWaitlistEntry, idempotencyKey: string): Promise<WaitlistEntry>;
  get(entryId: string): Promise<WaitlistEntry | null>;
  /** Entries still waiting for a service (any provider), in order of joining. */
  waitingFor(serviceId: string): Promise<WaitlistEntry[]>;
  /** The customer's entries still waiting, in order of joining. */
  waitingOf(customerKey: string): Promise<WaitlistEntry[]>;
  /** The customer's entries that ended as booked by this booking, in order of joining. */
  bookedWith(customerKey: string, bookingId: string): Promise<WaitlistEntry[]>;
  /** waiting → `status`; returns the entry as it is now (unchanged when it had already ended). */
  end(entryId: string, status: Exclude<WaitlistStatus, 'waiting'>, bookingId?: string | null): Promise<WaitlistEntry | null>;
}

export type NewWaitlistEntry = Omit<WaitlistEntry, 'id' | 'position' | 'status' | 'bookingId' | 'joinedAt'>;

interface Row {
  id: string;
  position: number;
  customer_key: string;
  channel: string;
  conversation_key: string | null;
  address: string | null;
  zone: string;
  locale: string;
  service_id: string;
  provider_id: string | null;
  date_from: string | Date;
  date_to: string | Date;
  window_start: string | null;
  window_end: string | null;
  ends_at: string | Date;
  status: WaitlistStatus;
  booking_id: string | null;
  created_at: string | Date;
}

/** A `date` column as YYYY-MM-DD whatever the driver hands back (pg parses dates into local midnight). */
function localDate(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

function toEntry(row: Row): WaitlistEntry {
  return {
    id: row.id,
    position: Number(row.position),
    customerKey: row.customer_key,
    channel: row.channel as Channel,
    conversationKey: row.conversation_key,
    address: row.address,
    zone: row.zone,
    locale: row.locale === 'es' ? 'es' : 'en',
    service: row.service_id,
    ...(row.provider_id ? { provider: row.provider_id } : {}),
    dateFrom: localDate(row.date_from),
    dateTo: localDate(row.date_to),
    ...(row.window_start && row.window_end ? { window: { start: row.window_start, end: row.window_end } } : {}),
    endsAt: toInstant(new Date(row.ends_at)),
    status: row.status,
    bookingId: row.booking_id,
    joinedAt: toInstant(new Date(row.created_at)),
  };
}

// date columns read back as text, so no driver turns them into a Date at local midnight.
const COLUMNS = `id, position, customer_key, channel, conversation_key, address, zone, locale, service_id, provider_id,
  date_from::text AS date_from, date_to::text AS date_to, window_start, window_end, ends_at, status, booking_id, created_at`;

export function createWaitlistStore(db: SqlPort, clock: () => Date = () => new Date()): WaitlistStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await db.query<Row>(sql, params);
    return rows[0] ? toEntry(rows[0]) : null;
  };
  return {
    async join(entry, idempotencyKey) {
      const now = toInstant(clock());
      const inserted = await one(
        `INSERT INTO waitlist_entries (id, customer_key, channel, conversation_key, address, zone, locale, service_id, provider_id,
           date_from, date_to, window_start, window_end, ends_at, created_by_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12, $13, $14::timestamptz, $15, $16::timestamptz, $16::timestamptz)
         ON CONFLICT (created_by_key) DO NOTHING RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          entry.customerKey,
          entry.channel,
          entry.conversationKey,
          entry.address,
          entry.zone,
          entry.locale,
          entry.service,
          entry.provider ?? null,
          entry.dateFrom,
          entry.dateTo,
          entry.window?.start ?? null,
          entry.window?.end ?? null,
          entry.endsAt,
          idempotencyKey,
          now,
        ],
      );
      if (inserted) return inserted;
      const existing = await one(`SELECT ${COLUMNS} FROM waitlist_entries WHERE created_by_key = $1`, [idempotencyKey]);
      if (!existing) throw new Error(`waitlist entry of key "${idempotencyKey}" vanished between insert and read; retry`);
      return existing;
    },
    get: (entryId) => one(`SELECT ${COLUMNS} FROM waitlist_entries WHERE id = $1`, [entryId]),
    async waitingFor(serviceId) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM waitlist_entries WHERE service_id = $1 AND status = 'waiting' AND ends_at > $2::timestamptz ORDER BY position`,
        [serviceId, toInstant(clock())],
      );
      return rows.map(toEntry);
    },
    async waitingOf(customerKey) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM waitlist_entries WHERE customer_key = $1 AND status = 'waiting' ORDER BY position`, [customerKey]);
      return rows.map(toEntry);
    },
    async bookedWith(customerKey, bookingId) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM waitlist_entries WHERE customer_key = $1 AND status = 'booked' AND booking_id = $2 ORDER BY position`,
        [customerKey, bookingId],
      );
      return rows.map(toEntry);
    },
    async end(entryId, status, bookingId = null) {
      const ended = await one(
        `UPDATE waitlist_entries SET status = $2, booking_id = COALESCE($3, booking_id), updated_at = $4::timestamptz
         WHERE id = $1 AND status = 'waiting' RETURNING ${COLUMNS}`,
        [entryId, status, bookingId, toInstant(clock())],
      );
      return ended ?? one(`SELECT ${COLUMNS} FROM waitlist_entries WHERE id = $1`, [entryId]);
    },
  };
}
