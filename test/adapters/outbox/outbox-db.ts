import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';

const MIGRATION = new URL('../../../src/adapters/ledger/migrations/050.do.outbox.sql', import.meta.url);

/** A fresh in-memory PGlite with the outbox migration applied (the ledger's own migrations are not needed). */
export async function createOutboxDb(): Promise<PGlite> {
  const db = new PGlite();
  await db.exec(await readFile(MIGRATION, 'utf8'));
  return db;
}
