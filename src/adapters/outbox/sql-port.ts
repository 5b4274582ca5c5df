/**
 * The little SQL the outbox needs. Both PGlite (`db.query`) and pg's `Pool` (`pool.query`) fit it, so the outbox
 * runs on the embedded ledger and on Postgres alike.
 */
export interface SqlPort {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}
