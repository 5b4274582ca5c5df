import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HoldRequest, Ledger } from '../../../src/adapters/ledger';
import type { Booking, Outcome } from '../../../src/domain/booking/types';
import type { FakeClock, LedgerHarness } from './ledger-contract';

/**
 * The staff desk's part of the ledger on every driver: blocked time and closures refuse holds and moves (also when
 * they race), blocks are refused over bookings, staff actions are recorded with the change they describe, and the
 * customer's name is kept. Run by pglite.test.ts and postgres.test.ts after the main contract.
 */

let keySeq = 0;
const key = (label: string) => `wf-staff:${label}:${++keySeq}`;

function holdRequest(overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    customerKey: 'cust-a',
    serviceId: 'haircut',
    providerId: 'alex',
    start: '2030-01-08T15:00:00Z',
    end: '2030-01-08T15:30:00Z',
    bufferMinutes: 10,
    expiresAt: '2030-01-07T13:00:00Z',
    idempotencyKey: key('hold'),
    ...overrides,
  };
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return outcome.value;
}

const DAY = { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' };

export function describeStaffCalendarContract(driver: string, harness: LedgerHarness, clock: FakeClock): void {
  describe(`Staff calendar on ${driver}`, () => {
    let ledger: Ledger;
    beforeAll(async () => {
      ledger = await harness.open(clock);
    });
    const clean = async () => {
      for (const table of ['ledger_requests', 'bookings', 'customers', 'provider_blocks', 'staff_actions']) await ledger.sql.query(`DELETE FROM ${table}`);
    };
    beforeEach(async () => {
      clock.now = new Date('2030-01-07T12:00:00Z');
      await clean();
    });
    afterAll(async () => {
      await clean();
      await ledger?.close();
      await harness.teardown?.();
    });

    it('a blocked hour refuses a hold and shows as busy; lifting it frees the time again', async () => {
      const blocked = await ledger.addBlock({ providerId: 'alex', kind: 'block', start: '2030-01-08T15:00:00Z', end: '2030-01-08T16:00:00Z', reason: 'dentist', operator: 'Dana' });
      expect(blocked.ok).toBe(true);
      if (!blocked.ok) return;
      expect(await ledger.hold(holdRequest())).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      // Its buffer (until 15:00) may touch the block but not enter it.
      expect((await ledger.hold(holdRequest({ start: '2030-01-08T14:20:00Z', end: '2030-01-08T14:50:00Z' }))).ok).toBe(true);
      expect((await ledger.hold(holdRequest({ customerKey: 'b', providerId: 'sam' }))).ok).toBe(true);
      expect(await ledger.listBusy(['alex'], DAY)).toContainEqual({ providerId: 'alex', start: '2030-01-08T15:00:00Z', end: '2030-01-08T16:00:00Z' });
      expect(await ledger.listBlocks(DAY)).toEqual([expect.objectContaining({ id: blocked.block.id, providerId: 'alex', kind: 'block', reason: 'dentist', createdBy: 'Dana' })]);

      expect(await ledger.removeBlock({ blockId: blocked.block.id, operator: 'Sam' })).toMatchObject({ id: blocked.block.id });
      expect(await ledger.removeBlock({ blockId: blocked.block.id, operator: 'Sam' })).toBeNull();
      expect(await ledger.listBlocks(DAY)).toEqual([]);
      expect((await ledger.hold(holdRequest({ customerKey: 'c' }))).ok).toBe(true);
      const actions = await ledger.listStaffActions({});
      expect(actions.map((a) => [a.operator, a.action, a.subject])).toEqual([
        ['Sam', 'unblock', blocked.block.id],
        ['Dana', 'block', blocked.block.id],
      ]);
    });

    it('a closure refuses every provider, and a move into a block is refused without losing the booking', async () => {
      const booked = value(await ledger.hold(holdRequest({ start: '2030-01-09T15:00:00Z', end: '2030-01-09T15:30:00Z' })));
      value(await ledger.confirm({ bookingId: booked.id, customerKey: 'cust-a', idempotencyKey: key('confirm') }));
      expect((await ledger.addBlock({ providerId: null, kind: 'closure', start: '2030-01-08T05:00:00Z', end: '2030-01-09T05:00:00Z', reason: 'holiday', operator: 'Dana' })).ok).toBe(true);
      for (const providerId of ['alex', 'sam', 'jordan']) {
        expect(await ledger.hold(holdRequest({ customerKey: providerId, providerId, idempotencyKey: key(providerId) }))).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      }
      expect(await ledger.listBusy(['sam'], DAY)).toEqual([{ providerId: 'sam', start: '2030-01-08T05:00:00Z', end: '2030-01-09T05:00:00Z' }]);
      const moved = await ledger.reschedule({ bookingId: booked.id, customerKey: 'cust-a', providerId: 'alex', start: '2030-01-08T15:00:00Z', end: '2030-01-08T15:30:00Z', bufferMinutes: 10, idempotencyKey: key('move'), operator: 'Dana' });
      expect(moved).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      expect((await ledger.getBooking(booked.id))?.status).toBe('confirmed');
    });

    it('refuses a block or closure over a booking or live hold and names them', async () => {
      const held = value(await ledger.hold(holdRequest()));
      const refused = await ledger.addBlock({ providerId: 'alex', kind: 'time_off', start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z', operator: 'Dana' });
      expect(refused).toEqual({ ok: false, conflicts: [expect.objectContaining({ id: held.id })] });
      const closure = await ledger.addBlock({ providerId: null, kind: 'closure', start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z', operator: 'Dana' });
      expect(closure.ok).toBe(false);
      // Another provider's day is free to block; an expired hold is in nobody's way.
      expect((await ledger.addBlock({ providerId: 'sam', kind: 'time_off', start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z', operator: 'Dana' })).ok).toBe(true);
      clock.advanceSeconds(3600);
      expect((await ledger.addBlock({ providerId: 'alex', kind: 'time_off', start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z', operator: 'Dana' })).ok).toBe(true);
    });

    it('records a cancel and a move by staff with the change, and shows names on the schedule', async () => {
      await ledger.setCustomerPreferences({ customerKey: 'cust-a', name: 'Ana López' });
      expect(await ledger.getCustomer('cust-a')).toMatchObject({ name: 'Ana López' });
      await ledger.setCustomerPreferences({ customerKey: 'cust-a', zone: 'Europe/Madrid' });
      expect(await ledger.getCustomer('cust-a')).toMatchObject({ name: 'Ana López', zone: 'Europe/Madrid' });
      expect(await ledger.getCustomer('nobody')).toMatchObject({ name: null });

      const first = value(await ledger.hold(holdRequest()));
      value(await ledger.confirm({ bookingId: first.id, customerKey: 'cust-a', idempotencyKey: key('confirm') }));
      const moved = value(
        await ledger.reschedule({ bookingId: first.id, customerKey: 'cust-a', providerId: 'sam', start: '2030-01-08T17:00:00Z', end: '2030-01-08T17:30:00Z', bufferMinutes: 10, idempotencyKey: key('move'), operator: 'Dana' }),
      );
      value(await ledger.cancel({ bookingId: moved.booking.id, customerKey: 'cust-a', idempotencyKey: key('cancel'), operator: 'Sam' }));
      const history = await ledger.listStaffActions({ bookingIds: [first.id] });
      expect(history.map((a) => [a.operator, a.action])).toEqual([['Dana', 'move']]);
      expect(history[0]!.details).toMatchObject({ previous: first.id, from: '2030-01-08T15:00:00Z', to: '2030-01-08T17:00:00Z', providerTo: 'sam' });
      expect((await ledger.listStaffActions({ bookingIds: [moved.booking.id] })).map((a) => [a.operator, a.action])).toEqual([
        ['Dana', 'move'],
        ['Sam', 'cancel'],
      ]);
      // A customer's own cancel (no operator) records nothing.
      const other = value(await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T19:00:00Z', end: '2030-01-08T19:30:00Z' })));
      value(await ledger.confirm({ bookingId: other.id, customerKey: 'cust-b', idempotencyKey: key('confirm') }));
      value(await ledger.cancel({ bookingId: other.id, customerKey: 'cust-b', idempotencyKey: key('cancel') }));
      expect(await ledger.listStaffActions({ bookingIds: [other.id] })).toEqual([]);

      const schedule = await ledger.listSchedule(DAY);
      expect(schedule.map((b) => [b.status, b.providerId, b.customerName])).toEqual([
        ['cancelled', 'alex', 'Ana López'],
        ['cancelled', 'sam', 'Ana López'],
        ['cancelled', 'alex', null],
      ]);
      expect(schedule[1]!.rescheduledFrom).toBe(first.id);
    });

    it('a hold racing a new block for the same hour never lands inside it', async () => {
      for (let round = 0; round < 6; round++) {
        await clean();
        const racers = harness.openMany ? await harness.openMany(6, clock) : Array.from({ length: 6 }, () => ledger);
        try {
          const start = Date.parse('2030-01-08T15:00:00Z') + round * 5 * 60_000;
          const holds = racers.slice(1).map((racer, i) =>
            racer.hold(holdRequest({ customerKey: `racer-${i}`, start: new Date(start + i * 10 * 60_000).toISOString(), end: new Date(start + (i * 10 + 30) * 60_000).toISOString(), idempotencyKey: key(`race-${round}-${i}`) })),
          );
          // Half the rounds close the whole business instead of blocking alex.
          const closure = round % 2 === 1;
          const block = racers[0]!.addBlock({ providerId: closure ? null : 'alex', kind: closure ? 'closure' : 'block', start: '2030-01-08T15:00:00Z', end: '2030-01-08T17:00:00Z', operator: 'Dana' });
          const [blocked, ...held] = await Promise.all([block, ...holds]);
          const winners = held.filter((o): o is { ok: true; value: Booking } => o.ok);
          if (blocked!.ok) expect(winners).toEqual([]);
          else expect(winners.length).toBeGreaterThan(0);
          // The invariant, read back from the database: no live booking overlaps a live block.
          const { rows } = await ledger.sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM bookings b JOIN provider_blocks k ON (k.provider_id = b.provider_id OR k.provider_id IS NULL)
             WHERE k.removed_at IS NULL AND b.status IN ('held', 'confirmed') AND b.during && k.during`,
          );
          expect(rows[0]!.n).toBe(0);
        } finally {
          if (harness.openMany) await Promise.all(racers.map((r) => r.close()));
        }
      }
    });
  });
}
