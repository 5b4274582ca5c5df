import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Database } from './database';

/**
 * Brings a database to the newest schema with postgrator, over either driver. Migrations are numbered SQL files in
 * ./migrations ("NNN.do.description.sql"), one sequence shared by the ledger and the outbox. postgrator only runs files
 * numbered above the highest version a database has applied, so a new file always takes the next number above the
 * highest one here (never a gap below it). Applied files are checksummed, so editing one that already ran fails
 * loudly; add a new file instead.
 */

/** Where the migration files live (one folder shared by every adapter on this database). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Arbitrary but fixed: the advisory lock that keeps two processes from migrating at once. */
const MIGRATION_LOCK_KEY = 727_001;

/** `dir` is for tests that replay an older release's set of files; production always uses MIGRATIONS_DIR. */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  return db.exclusively(MIGRATION_LOCK_KEY, async (conn) => {
    const { rows } = await conn.query<{ name: string }>('SELECT current_database() AS name');
    const postgrator = new Postgrator({
      migrationPattern: `${dir.endsWith('/') ? dir : `${dir}/`}*.sql`,
      driver: 'pg',
      database: rows[0]!.name,
      schemaTable: 'schema_migrations',
      currentSchema: 'public',
      execQuery: async (query: string) => conn.query(query),
      // One multi-statement simple query runs as one implicit transaction on both drivers, so a failing migration
      // leaves no half schema behind (do not put BEGIN/COMMIT or CREATE INDEX CONCURRENTLY in migration files).
      execSqlScript: async (script: string) => conn.exec(script),
    });
    try {
      const applied = await postgrator.migrate();
      return { applied: applied.map((m) => m.filename.split('/').pop()!) };
    } catch (error) {
      throw new Error(`ledger migration failed: ${(error as Error).message}; fix the migration file and restart`, {
        cause: error,
      });
    }
  });
}
