import type { SqlPort } from './database';

/**
 * Contact details beyond the channel (migration 070): the customer's email address, which web chat asks for so
 * confirmations, reminders and calendar invitations reach customers who left no phone number. And a booking's
 * lineage: a move is a new row pointing at the old one, and a calendar invitation keeps one UID along that chain.
 */
export interface ContactStore {
  /** The customer's email address, or null. */
  emailOf(customerKey: string): Promise<string | null>;
  /** Remembers (or with null forgets) the customer's email address. Naturally idempotent. */
  setEmail(customerKey: string, email: string | null): Promise<void>;
  /**
   * The booking's chain of moves, oldest first, ending with `bookingId`, and whether a later move replaced it
   * (`movedTo`): the root's id is the invitation's UID, the chain's length its SEQUENCE.
   */
  lineage(bookingId: string): Promise<{ chain: { id: string; start: string }[]; movedTo: string | null }>;
}

export function createContactStore(db: SqlPort, clock: () => Date = () => new Date()): ContactStore {
  return {
    async emailOf(customerKey) {
      const { rows } = await db.query<{ email: string | null }>('SELECT email FROM customers WHERE customer_key = $1', [customerKey]);
      return rows[0]?.email ?? null;
    },
    async setEmail(customerKey, email) {
      const now = clock().toISOString();
      await db.query(
        `INSERT INTO customers (customer_key, email, created_at, updated_at) VALUES ($1, $2, $3::timestamptz, $3::timestamptz)
         ON CONFLICT (customer_key) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at`,
        [customerKey, email, now],
      );
    },
    async lineage(bookingId) {
      const { rows } = await db.query<{ id: string; starts_at: string | Date; depth: number }>(
        `WITH RECURSIVE chain AS (
           SELECT id, starts_at, rescheduled_from, 0 AS depth FROM bookings WHERE id = $1
           UNION ALL
           SELECT b.id, b.starts_at, b.rescheduled_from, c.depth + 1 FROM bookings b JOIN chain c ON b.id = c.rescheduled_from WHERE c.depth < 1000
         ) SELECT id, starts_at, depth FROM chain ORDER BY depth DESC`,
        [bookingId],
      );
      const next = await db.query<{ id: string }>(`SELECT id FROM bookings WHERE rescheduled_from = $1 AND status <> 'released' LIMIT 1`, [bookingId]);
      return {
        chain: rows.map((r) => ({ id: r.id, start: new Date(r.starts_at).toISOString() })),
        movedTo: next.rows[0]?.id ?? null,
      };
    },
  };
}
