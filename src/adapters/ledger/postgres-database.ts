import pg from 'pg';
import { PG_ERROR, sqlState, type Database, type SqlPort } from './database';

/** Attempts for a transaction that lost a deadlock or a serialization conflict; each attempt is a fresh transaction. */
const TRANSACTION_ATTEMPTS = 5;

/**
 * The production driver: a `pg` pool on `DATABASE_URL`. Each transaction gets its own pooled connection, so concurrent
 * activities really race, and the database's constraints decide.
 */
export async function openPostgresDatabase(options: { databaseUrl: string; poolSize?: number }): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `cannot reach PostgreSQL at ${redact(options.databaseUrl)}: ${(error as Error).message}; ` +
        'check DATABASE_URL, or unset it to use the embedded ledger',
      { cause: error },
    );
  }
  const asPort = (client: pg.Pool | pg.PoolClient): SqlPort => ({
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as T[] }),
  });
  return {
    driver: 'postgres',
    query: asPort(pool).query,
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(asPort(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          const state = sqlState(error);
          const retryable = state === PG_ERROR.deadlockDetected || state === PG_ERROR.serializationFailure;
          if (!retryable || attempt >= TRANSACTION_ATTEMPTS) throw error;
        } finally {
          client.release();
        }
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    async exclusively(key, work) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await work({
            ...asPort(client),
            exec: async (script) => {
              await client.query(script);
            },
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The URL without its password, for error messages and logs. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
