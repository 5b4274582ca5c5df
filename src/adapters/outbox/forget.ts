import type { SqlPort } from './sql-port';

/**
 * Forgetting a customer in the outbox: every message to or about them (their conversations' scopes, their bookings'
 * confirmations and reminders, anything addressed to their number) is deleted, body, address and delivery record
 * alike. Beside the store rather than in it because it is the one operation that removes rows.
 */
export async function forgetOutboxMessages(db: SqlPort, request: { scopes: readonly string[]; addresses: readonly string[] }): Promise<number> {
  if (request.scopes.length === 0 && request.addresses.length === 0) return 0;
  const { rows } = await db.query<{ n: number | string }>(
    `WITH gone AS (DELETE FROM outbox_messages WHERE scope = ANY($1::text[]) OR to_address = ANY($2::text[]) RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [[...request.scopes], [...request.addresses]],
  );
  return Number(rows[0]?.n ?? 0);
}
