/**
 * The SQL connection the ledger (and its sibling adapters, e.g. the outbox) run on: one shape over two drivers,
 * PGlite in-process and PostgreSQL via `pg`. Only what the adapters need: parameterised queries, multi-statement
 * scripts for migrations, and transactions.
 */

/** Parameterised queries. Structurally the same as the outbox's SqlPort, so one database serves both. */
export interface SqlPort {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** Queries plus multi-statement scripts (migrations). */
export interface ScriptPort extends SqlPort {
  exec(script: string): Promise<void>;
}

export interface Database extends ScriptPort {
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction (READ COMMITTED) on one connection; commits when it resolves, rolls back when it
   * throws. On PostgreSQL a deadlock or serialization failure re-runs `work` (it must be safe to re-run).
   */
  transaction<T>(work: (tx: SqlPort) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection while it holds a database-wide lock named by `key`, so concurrent processes do not
   * run it at once (migrations). `work` must use the connection it is given: with a pool of one, any other would wait
   * forever. PGlite has a single connection, so there it simply runs.
   */
  exclusively<T>(key: number, work: (conn: ScriptPort) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the ledger reacts to. */
export const PG_ERROR = {
  exclusionViolation: '23P01',
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** The SQLSTATE of a driver error, if it has one (pg and PGlite both expose `code`). */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
