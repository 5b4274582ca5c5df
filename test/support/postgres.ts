import { freshDatabaseOn, startThrowawayCluster, type ThrowawayPostgres } from '../../src/adapters/ledger/throwaway-postgres';

/**
 * A real PostgreSQL server for tests. With TEST_DATABASE_URL (or DATABASE_URL) it creates a fresh database on that
 * server; otherwise it starts a throwaway cluster from the installed server programs (Debian: the `postgresql` package;
 * as the `postgres` user when running as root) and removes it on stop. Never skips: when PostgreSQL is missing the
 * tests fail with a message that says how to install it.
 */
export type TestPostgres = ThrowawayPostgres;

export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  return given ? freshDatabaseOn(given) : startThrowawayCluster();
}
