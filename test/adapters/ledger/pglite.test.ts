import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../../src/adapters/ledger';
import { describeLedgerContract, FakeClock } from './ledger-contract';
import { describeStaffCalendarContract } from './staff-calendar-contract';

describeLedgerContract('PGlite (in memory)', {
  open: (clock) => openLedger({ memory: true, clock: clock.read }),
});
describeStaffCalendarContract('PGlite (in memory)', { open: (clock) => openLedger({ memory: true, clock: clock.read }) }, new FakeClock());

describe('PGlite on disk', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-pglite-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('keeps bookings across a restart and migrates only once', async () => {
    const dataDir = path.join(tempDir(), 'ledger');
    const first = await openLedger({ dataDir });
    const held = await first.hold({
      customerKey: 'c',
      serviceId: 'haircut',
      providerId: 'alex',
      start: '2030-01-08T15:00:00Z',
      end: '2030-01-08T15:30:00Z',
      bufferMinutes: 0,
      expiresAt: '2030-01-08T00:00:00Z',
      idempotencyKey: 'persist-1',
    });
    expect(held.ok).toBe(true);
    await first.close();

    const second = await openLedger({ dataDir });
    try {
      const bookings = await second.listCustomerBookings('c');
      expect(bookings).toHaveLength(1);
      const { rows } = await second.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE version > 0');
      expect(rows[0]!.n).toBe(fs.readdirSync(path.resolve('src/adapters/ledger/migrations')).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await second.close();
    }
  });

  it('refuses a second opener of the same data directory with a message that says what to do', async () => {
    const dataDir = path.join(tempDir(), 'ledger');
    const first = await openLedger({ dataDir });
    try {
      await expect(openLedger({ dataDir })).rejects.toThrow(/already open in process .*DATABASE_URL/);
    } finally {
      await first.close();
    }
    const again = await openLedger({ dataDir }); // the lock went away with close()
    await again.close();
  });

  it('refuses a data directory that holds other files', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'key-secret'), 'x');
    await expect(openLedger({ dataDir: dir })).rejects.toThrow(/directory of its own, e.g. .*ledger/);
  });
});
