import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBookingActivities } from '../../activities/bookings';
import { openLedger, type Ledger } from '../../src/adapters/ledger';
import type { Booking, Outcome } from '../../src/domain/booking/types';
import { testBusiness } from '../domain/booking/fixtures';

/**
 * get_availability's constraints end to end over a real (in-memory PGlite) ledger: ranges, weekdays, excluded dates,
 * channel-sized chronological lists, closed days said as closed, and a move that never conflicts with itself.
 */

const NY = 'America/New_York';
const business = testBusiness({ closures: { dates: [{ date: '2025-01-20', reason: 'Staff day' }] } });
let now = new Date('2025-01-12T17:00:00Z'); // Sunday noon in New York
const clock = () => now;
let ledger: Ledger;
let activities: ReturnType<typeof createBookingActivities>;
let seq = 0;
const key = (step: string) => `conversation:chat:test:${step}:${++seq}`;

function value<T>(outcome: Outcome<T> | { ok: false; rejection: unknown; alternatives?: unknown }): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return (outcome as { value: T }).value;
}
const local = (iso: string) => DateTime.fromISO(iso, { zone: NY });
const dayOf = (iso: string) => local(iso).toISODate()!;
const clockOf = (iso: string) => local(iso).toFormat('HH:mm');

beforeAll(async () => {
  ledger = await openLedger({ memory: true, clock });
  activities = createBookingActivities({ ledger, business, now: clock });
});
afterAll(() => ledger?.close());
beforeEach(async () => {
  now = new Date('2025-01-12T17:00:00Z');
  for (const table of ['ledger_requests', 'bookings', 'customers', 'provider_blocks']) await ledger.sql.query(`DELETE FROM ${table}`);
});

async function book(customerKey: string, start: string, provider = 'alex', service = 'haircut'): Promise<Booking> {
  const held = value(await activities.holdSlot({ customerKey, service, provider, start, idempotencyKey: key('hold') }));
  return value(await activities.confirmBooking({ customerKey, bookingId: held.id, idempotencyKey: key('confirm') }));
}

describe('the booking being moved', () => {
  it('does not stand in its own way: its own time and buffer are free for its owner with forBooking', async () => {
    const mine = await book('c1', '2025-01-13T15:00:00Z'); // Mon 10:00 with Alex (only Alex works Mondays)
    const without = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '10:30' }));
    expect(without.exact, 'inside the booking’s buffer, 10:30 is taken').toBeNull();
    const moving = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '10:30', forBooking: mine.id }));
    expect(moving.exact).toMatchObject({ providerId: 'alex', start: '2025-01-13T15:30:00Z' });
    const same = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '10:00', forBooking: mine.id }));
    expect(same.exact?.start).toBe('2025-01-13T15:00:00Z');
  });

  it("frees nothing for someone else's booking", async () => {
    const theirs = await book('other', '2025-01-13T15:00:00Z');
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '10:30', forBooking: theirs.id }));
    expect(found.exact).toBeNull();
  });

  it('moves by 15 minutes into its own range in one transaction (the ledger excludes the old row while inserting)', async () => {
    const mine = await book('c1', '2025-01-14T15:00:00Z'); // Tue 10:00 with Alex, more than 24 h ahead
    const moved = value(await activities.rescheduleBooking({ customerKey: 'c1', bookingId: mine.id, start: '2025-01-14T15:15:00Z', idempotencyKey: key('move') }));
    expect(moved.booking.start).toBe('2025-01-14T15:15:00Z');
    expect(moved.previous.status).toBe('cancelled');
    const rows = await ledger.listCustomerBookings('c1');
    expect(rows.map((b) => [b.status, Date.parse(b.start)])).toEqual([
      ['cancelled', Date.parse('2025-01-14T15:00:00Z')],
      ['confirmed', Date.parse('2025-01-14T15:15:00Z')],
    ]);
  });

  it('still refuses a move onto another customer, and keeps the booking where it was', async () => {
    const mine = await book('c1', '2025-01-14T15:00:00Z');
    await book('other', '2025-01-14T16:00:00Z', 'alex');
    const refused = await activities.rescheduleBooking({ customerKey: 'c1', bookingId: mine.id, start: '2025-01-14T15:45:00Z', provider: 'alex', idempotencyKey: key('move') });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.rejection.code).toBe('slot_taken');
    expect((await ledger.getBooking(mine.id))?.status).toBe('confirmed');
  });
});

describe('ranges, weekdays and excluded dates', () => {
  it('offers only the weekdays asked for, never an excluded date, inside the range, chronologically', async () => {
    const found = value(
      await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-13', dateTo: '2025-01-24', weekdays: ['tue', 'thu', 'fri'], excludeDates: ['2025-01-16'] }),
    );
    expect(found.alternatives.length).toBe(6);
    for (const s of found.alternatives) {
      expect(['Tue', 'Thu', 'Fri']).toContain(local(s.start).toFormat('ccc'));
      expect(dayOf(s.start)).not.toBe('2025-01-16');
      expect(dayOf(s.start) >= '2025-01-13' && dayOf(s.start) <= '2025-01-24').toBe(true);
    }
    const starts = found.alternatives.map((s) => Date.parse(s.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(found.alternatives.map((s) => dayOf(s.start))).size, 'spread over several days').toBeGreaterThanOrEqual(3);
    expect(found.requested).toEqual({ date: '2025-01-13', dateTo: '2025-01-24', weekdays: ['tue', 'thu', 'fri'], excludeDates: ['2025-01-16'] });
  });

  it('reads a range that began before today from today, and a last day alone from today', async () => {
    const begun = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-06', dateTo: '2025-01-17' }));
    expect(begun.requested).toEqual({ date: '2025-01-12', dateTo: '2025-01-17' });
    expect(begun.alternatives.every((s) => dayOf(s.start) >= '2025-01-13' && dayOf(s.start) <= '2025-01-17')).toBe(true);
    // Far past the default week: busy time must be read for the whole range.
    await book('other', '2025-02-06T14:00:00Z');
    const farEnd = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', dateTo: '2025-02-06', weekdays: ['thu'], excludeDates: ['2025-01-16', '2025-01-23', '2025-01-30'] }));
    expect(farEnd.alternatives.length).toBeGreaterThan(0);
    expect(farEnd.alternatives.every((s) => dayOf(s.start) === '2025-02-06')).toBe(true);
    expect(farEnd.alternatives.some((s) => s.start === '2025-02-06T14:00:00Z')).toBe(false);
  });

  it('keeps to a window across a range ("next week after 5")', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-13', dateTo: '2025-01-19', window: { start: '17:00', end: '23:59' } }));
    expect(found.alternatives.length).toBeGreaterThan(0);
    for (const s of found.alternatives) expect(clockOf(s.start) >= '17:00').toBe(true);
  });

  it('offers as many times as the channel suits: chat 6, WhatsApp 4, SMS and voice 3', async () => {
    const count = async (channel?: 'chat' | 'whatsapp' | 'sms' | 'voice') =>
      value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14', ...(channel ? { channel } : {}) })).alternatives.length;
    expect([await count('chat'), await count('whatsapp'), await count('sms'), await count('voice'), await count()]).toEqual([6, 4, 3, 3, 6]);
  });

  it('spreads one day through the day, not all on the first morning', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14', channel: 'sms' }));
    const times = found.alternatives.map((s) => clockOf(s.start));
    expect(times[0]! < '12:00').toBe(true);
    expect(times[times.length - 1]! >= '15:00').toBe(true);
  });

  it('counts the exact slot in the channel’s number and lists the rest chronologically', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14', time: '14:00', channel: 'sms' }));
    expect(found.exact).not.toBeNull();
    expect(found.alternatives.length).toBe(2);
    const starts = found.alternatives.map((s) => Date.parse(s.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});

describe('closed days', () => {
  it('says a Sunday is closed for the whole business and offers the next open days', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-19' }));
    expect(found.closed).toEqual({ date: '2025-01-19', reason: { kind: 'weekly', weekday: 'sun', scope: 'business' } });
    expect(found.alternatives.length).toBeGreaterThan(0);
    for (const s of found.alternatives) expect(dayOf(s.start) > '2025-01-19').toBe(true);
  });

  it('says when nobody offering the service works that weekday (colour on Saturday: only Sam, who does not colour)', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'color', date: '2025-01-18' }));
    expect(found.closed?.reason).toEqual({ kind: 'weekly', weekday: 'sat', scope: 'service' });
  });

  it("names the business file's closed day and the staff desk's closure", async () => {
    const listed = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-20' }));
    expect(listed.closed?.reason).toEqual({ kind: 'holiday', name: 'Staff day' });
    const added = await ledger.addBlock({ providerId: null, kind: 'closure', start: '2025-01-21T05:00:00Z', end: '2025-01-22T05:00:00Z', reason: 'Flooded basement', operator: 'ops' });
    expect(added.ok).toBe(true);
    const staff = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-21' }));
    expect(staff.closed?.reason).toEqual({ kind: 'closure', reason: 'Flooded basement' });
  });

  it('says nothing of closing on a day that is open but full', async () => {
    const found = value(await activities.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14' }));
    expect(found.closed).toBeUndefined();
  });
});
