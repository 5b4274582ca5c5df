import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGliteDatabase } from '../../../src/adapters/ledger/pglite-database';
import { MIGRATIONS_DIR, migrate } from '../../../src/adapters/ledger/migrate';

describe('ledger migrations', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('bring a ledger migrated by the first wave (001, 002, 050) up to every table of today', async () => {
    const firstWave = fs.mkdtempSync(path.join(os.tmpdir(), 'first-wave-migrations-'));
    dirs.push(firstWave);
    for (const file of ['001.do.bookings.sql', '002.do.customers.sql', '050.do.outbox.sql']) {
      fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(firstWave, file));
    }
    const db = await openPGliteDatabase({});
    try {
      await migrate(db, firstWave);
      const { applied } = await migrate(db);
      const today = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && Number(f.slice(0, 3)) > 50);
      expect(applied.sort()).toEqual(today.sort());
      const { rows } = await db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('conversation_memory', 'conversation_notices')",
      );
      expect(rows.map((r) => r.name).sort()).toEqual(['conversation_memory', 'conversation_notices']);
    } finally {
      await db.close();
    }
  });

  it('number every file above the ones before it, so no file hides below a version a ledger already has', () => {
    const numbers = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => Number(f.slice(0, 3))).sort((a, b) => a - b);
    // The first wave shipped 001, 002 and 050; everything after it must be numbered above 050.
    expect(numbers.filter((n) => n > 2 && n < 50)).toEqual([]);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
