import { describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../../src/adapters/ledger';
import { startTestPostgres, type TestPostgres } from '../../support/postgres';
import { describeLedgerContract, FakeClock } from './ledger-contract';
import { describeStaffCalendarContract } from './staff-calendar-contract';

/**
 * The same contract on a real PostgreSQL server: started here from Debian's `postgresql` package (or the server at
 * TEST_DATABASE_URL). Races use separate ledgers, each with its own single connection, so the transactions really
 * run at the same time and only the database's constraints decide.
 */
let server: TestPostgres | undefined;
const url = async () => (server ??= await startTestPostgres()).url;

describeLedgerContract('PostgreSQL', {
  open: async (clock) => openLedger({ databaseUrl: await url(), clock: clock.read }),
  openMany: async (count, clock) => {
    const databaseUrl = await url();
    const ledgers: Ledger[] = [];
    for (let i = 0; i < count; i++) ledgers.push(await openLedger({ databaseUrl, poolSize: 1, clock: clock.read }));
    return ledgers;
  },
  teardown: async () => {
    await server?.stop();
    server = undefined;
  },
});

describeStaffCalendarContract(
  'PostgreSQL',
  {
    open: async (clock) => openLedger({ databaseUrl: await url(), clock: clock.read }),
    openMany: async (count, clock) => {
      const databaseUrl = await url();
      return Promise.all(Array.from({ length: count }, () => openLedger({ databaseUrl, poolSize: 1, clock: clock.read })));
    },
    teardown: async () => {
      await server?.stop();
      server = undefined;
    },
  },
  new FakeClock(),
);

describe('PostgreSQL driver', () => {
  it('migrates safely when several processes open the ledger at once', async () => {
    const pg = await startTestPostgres();
    try {
      const ledgers = await Promise.all(Array.from({ length: 5 }, () => openLedger({ databaseUrl: pg.url, poolSize: 1 })));
      const { rows } = await ledgers[0]!.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE version > 0');
      expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
      expect(ledgers.every((l) => l.driver === 'postgres')).toBe(true);
      await Promise.all(ledgers.map((l) => l.close()));
    } finally {
      await pg.stop();
    }
  });

  it('says which URL it could not reach and how to fall back', async () => {
    await expect(openLedger({ databaseUrl: 'postgres://nobody:secret@127.0.0.1:1/none' })).rejects.toThrow(
      /cannot reach PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none.*unset it to use the embedded ledger/,
    );
  });
});
