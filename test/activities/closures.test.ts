import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingActivities } from '../../activities/bookings';
import { createClosureCalendar } from '../../src/adapters/closures';
import { openLedger, type Ledger } from '../../src/adapters/ledger';
import { BusinessConfigError } from '../../src/domain/booking/business';
import type { Outcome } from '../../src/domain/booking/types';
import { testBusiness } from '../domain/booking/fixtures';

/**
 * Blocked time, time off and closures as customers meet them: availability never offers them and a hold (or a move)
 * into them is refused. File closures (public holidays from date-holidays, listed dates) come from the business file;
 * blocks and staff-closed days from the ledger. Real in-memory PGlite ledger, one fake clock.
 */

const NY = 'America/New_York';
// Martin Luther King Jr. Day 2025 is Monday 20 January (a US public holiday); the 22nd is closed by the file.
const business = testBusiness({ closures: { holidays: { country: 'US', region: 'NY' }, dates: [{ date: '2025-01-22', reason: 'inventory' }] } });
const now = new Date('2025-01-12T17:00:00Z'); // Sunday noon in New York
let ledger: Ledger;
let bookings: ReturnType<typeof createBookingActivities>;
let seq = 0;
const key = (step: string) => `conversation:chat:closures:${step}:${++seq}`;
const local = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: NY }).toUTC().toISO({ suppressMilliseconds: true })!;
const localTime = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toFormat('yyyy-MM-dd HH:mm');

function value<T>(outcome: Outcome<T> | { ok: false; rejection: unknown }): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return (outcome as { value: T }).value;
}

beforeAll(async () => {
  ledger = await openLedger({ memory: true, clock: () => now });
  bookings = createBookingActivities({ ledger, business, now: () => now });
});
afterAll(() => ledger?.close());

describe('closures from the business file', () => {
  it('knows the public holidays of the country and region and the listed dates, as business-local days', () => {
    const days = createClosureCalendar(business).closedDays({ start: '2025-01-13T00:00:00Z', end: '2025-02-01T00:00:00Z' });
    expect(days).toEqual([
      { date: '2025-01-20', reason: 'Martin Luther King Jr. Day', start: '2025-01-20T05:00:00Z', end: '2025-01-21T05:00:00Z' },
      { date: '2025-01-22', reason: 'inventory', start: '2025-01-22T05:00:00Z', end: '2025-01-23T05:00:00Z' },
    ]);
  });

  it('refuses an unknown country or region with a message that says what to use', () => {
    expect(() => createClosureCalendar(testBusiness({ closures: { holidays: { country: 'QQ' } } }))).toThrow(BusinessConfigError);
    expect(() => createClosureCalendar(testBusiness({ closures: { holidays: { country: 'US', region: 'ZZ' } } }))).toThrow(/not a region of US \(e\.g\./);
  });

  it('availability skips a holiday and a closed date; a hold or a move into one is refused', async () => {
    const onHoliday = value(await bookings.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-20', time: '10:00' }));
    expect(onHoliday.exact).toBeNull();
    expect(onHoliday.alternatives.length).toBeGreaterThan(0);
    expect(onHoliday.alternatives.every((s) => !['2025-01-20', '2025-01-22'].includes(localTime(s.start).slice(0, 10)))).toBe(true);
    const week = value(await bookings.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-22', limit: 5 }));
    expect(week.exact).toBeNull();

    const held = await bookings.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: local('2025-01-20', '10:00'), idempotencyKey: key('hold') });
    expect(held).toMatchObject({ ok: false, rejection: { code: 'outside_hours' } });
    const booked = value(await bookings.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: local('2025-01-21', '10:00'), idempotencyKey: key('hold') }));
    value(await bookings.confirmBooking({ customerKey: 'c1', bookingId: booked.id, idempotencyKey: key('confirm') }));
    const moved = await bookings.rescheduleBooking({ customerKey: 'c1', bookingId: booked.id, start: local('2025-01-22', '10:00'), idempotencyKey: key('move'), bypassPolicy: true, operator: 'Dana' });
    expect(moved).toMatchObject({ ok: false, rejection: { code: 'outside_hours' } });
    expect((await ledger.getBooking(booked.id))?.status).toBe('confirmed');
  });
});

describe('blocks and closures from the staff desk', () => {
  it('a blocked hour is not offered and not holdable; a staff-closed day closes every provider', async () => {
    const before = value(await bookings.findAvailability({ customerKey: 'c2', service: 'haircut', provider: 'alex', date: '2025-01-23', time: '14:00' }));
    expect(before.exact).not.toBeNull();
    const block = await ledger.addBlock({ providerId: 'alex', kind: 'block', start: local('2025-01-23', '14:00'), end: local('2025-01-23', '15:00'), operator: 'Dana', reason: 'school run' });
    expect(block.ok).toBe(true);
    const after = value(await bookings.findAvailability({ customerKey: 'c2', service: 'haircut', provider: 'alex', date: '2025-01-23', time: '14:00' }));
    expect(after.exact).toBeNull();
    // Nothing offered inside the hour, nor a slot whose buffer runs into it; right after it is fine.
    const starts = after.alternatives.map((s) => localTime(s.start));
    expect(starts.filter((t) => t >= '2025-01-23 13:25' && t < '2025-01-23 15:00')).toEqual([]);
    expect(starts).toContain('2025-01-23 15:00');
    expect(await bookings.holdSlot({ customerKey: 'c2', service: 'haircut', provider: 'alex', start: local('2025-01-23', '14:15'), idempotencyKey: key('hold') })).toMatchObject({
      ok: false,
      rejection: { code: 'slot_taken' },
    });

    expect((await ledger.addBlock({ providerId: null, kind: 'closure', start: local('2025-01-28', '00:00'), end: local('2025-01-29', '00:00'), operator: 'Dana', reason: 'staff training' })).ok).toBe(true);
    const closed = value(await bookings.findAvailability({ customerKey: 'c2', service: 'haircut', date: '2025-01-28', time: '10:00' }));
    expect(closed.exact).toBeNull();
    expect(closed.alternatives.every((s) => localTime(s.start).slice(0, 10) !== '2025-01-28')).toBe(true);
    for (const provider of ['alex', 'sam']) {
      const held = await bookings.holdSlot({ customerKey: 'c2', service: 'haircut', provider, start: local('2025-01-28', '13:00'), idempotencyKey: key('hold') });
      expect(held).toMatchObject({ ok: false, rejection: { code: 'slot_taken' } });
    }
  });
});
