import path from 'node:path';
import type { Database } from './database';
import type { Ledger } from './ledger';
import { migrate } from './migrate';
import { createSqlLedger } from './sql-ledger';

export type { Ledger, Customer, HoldRequest, BookingRequest, RescheduleRequest, AttendanceRequest } from './ledger';
export { IdempotencyKeyReusedError } from './ledger';
export type { Database, SqlPort } from './database';
export { MIGRATIONS_DIR } from './migrate';

export interface OpenLedgerOptions {
  /** PostgreSQL connection string; when set, the `pg` driver is used and dataDir/memory are ignored. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; default ./.data/ledger. */
  dataDir?: string;
  /** PGlite in memory (tests): nothing is written to disk. */
  memory?: boolean;
  /** PostgreSQL pool size; default 10. */
  poolSize?: number;
  /** The ledger's clock (hold expiry); default the system clock. */
  clock?: () => Date;
}

/** The default PGlite data directory, relative to the working directory. */
export const DEFAULT_LEDGER_DIR = path.join('.data', 'ledger');

/**
 * Opens the ledger and brings its schema up to date: PostgreSQL when `databaseUrl` is given (DATABASE_URL), otherwise
 * the embedded PGlite under `dataDir` (or in memory). Call `close()` when done; PGlite allows one process per dataDir.
 */
export async function openLedger(options: OpenLedgerOptions = {}): Promise<Ledger> {
  const db = await openDatabase(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return createSqlLedger(db, { clock: options.clock });
}

/** The database alone (not migrated: call migrate), for tools that need raw SQL; most code wants {@link openLedger}. */
export async function openDatabase(options: OpenLedgerOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    // Each driver is loaded only when chosen (pg or the PGlite WebAssembly): a restarted worker loads one, not both.
    const { openPostgresDatabase, redact } = await import('./postgres-database');
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${redact(options.databaseUrl)})`);
    }
    return openPostgresDatabase({ databaseUrl: options.databaseUrl, poolSize: options.poolSize });
  }
  const { openPGliteDatabase } = await import('./pglite-database');
  return openPGliteDatabase({ dataDir: options.memory ? undefined : (options.dataDir ?? DEFAULT_LEDGER_DIR) });
}
