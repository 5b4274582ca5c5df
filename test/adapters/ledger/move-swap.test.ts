import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type HoldRequest, type Ledger } from '../../../src/adapters/ledger';
import type { Booking, Outcome } from '../../../src/domain/booking/types';
import { FakeClock } from './ledger-contract';

/**
 * A move confirmed like a booking, on PGlite: the new time is held while the customer answers (the booking's own time
 * does not count against the hold), then swapped in one transaction — the hold becomes the booking, the old one is
 * cancelled — idempotently under retries.
 */
const clock = new FakeClock(new Date('2030-01-07T12:00:00Z'));
let ledger: Ledger;
let seq = 0;
const key = (label: string) => `wf-move:${label}:${++seq}`;

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return outcome.value;
}

/** A colour: 90 minutes and a 15-minute buffer, with Alex. */
function colour(start: string, overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    customerKey: 'cust-a',
    serviceId: 'color',
    providerId: 'alex',
    start,
    end: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
    bufferMinutes: 15,
    expiresAt: '2030-01-07T12:01:30Z',
    idempotencyKey: key('hold'),
    ...overrides,
  };
}

async function confirmedAt(start: string, customerKey = 'cust-a'): Promise<Booking> {
  const held = value(await ledger.hold(colour(start, { customerKey })));
  return value(await ledger.confirm({ bookingId: held.id, customerKey, idempotencyKey: key('confirm') }));
}

beforeAll(async () => {
  ledger = await openLedger({ memory: true, clock: clock.read });
});
afterAll(async () => {
  await ledger.close();
});

describe('moving a booking: hold the new time, swap on yes', () => {
  it('holds 11:00 for a 10:00 booking the same day over its own time, keeps everyone else out, then swaps', async () => {
    const booking = await confirmedAt('2030-01-14T10:00:00Z');
    const hold = value(await ledger.hold(colour('2030-01-14T11:00:00Z', { replacing: booking.id })));
    expect(hold.status).toBe('held');

    // The new time is fully blocked: where it overlaps the booking and beyond it.
    for (const start of ['2030-01-14T11:00:00Z', '2030-01-14T12:00:00Z']) {
      expect(await ledger.hold(colour(start, { customerKey: 'cust-b' }))).toMatchObject({ ok: false, rejection: { code: 'slot_taken' } });
    }
    // Nothing changed for the booking while the customer answers.
    expect((await ledger.getBooking(booking.id))?.status).toBe('confirmed');

    const swapKey = key('swap');
    const swap = { customerKey: 'cust-a', bookingId: booking.id, holdId: hold.id, bufferMinutes: 15, idempotencyKey: swapKey };
    const swapped = value(await ledger.swap(swap));
    expect(swapped.booking).toMatchObject({ id: hold.id, status: 'confirmed', start: '2030-01-14T11:00:00Z', expiresAt: null });
    expect(swapped.previous).toMatchObject({ id: booking.id, status: 'cancelled' });
    // A retried activity gets the same answer and changes nothing.
    expect(value(await ledger.swap(swap))).toEqual(swapped);
    const mine = await ledger.listCustomerBookings('cust-a', { statuses: ['confirmed'] });
    expect(mine.filter((b) => b.start.startsWith('2030-01-14')).map((b) => b.id)).toEqual([hold.id]);

    // The moved booking blocks its whole new time, buffer included; the old 10:00 is free again.
    expect(await ledger.hold(colour('2030-01-14T12:30:00Z', { customerKey: 'cust-b' }))).toMatchObject({ ok: false, rejection: { code: 'slot_taken' } });
    const busy = await ledger.listBusy(['alex'], { start: '2030-01-14T00:00:00Z', end: '2030-01-15T00:00:00Z' });
    expect(busy).toEqual([{ providerId: 'alex', start: '2030-01-14T11:00:00Z', end: '2030-01-14T12:45:00Z' }]);
  });

  it('holds an earlier time overlapping the booking too (9:00 for 10:00)', async () => {
    const booking = await confirmedAt('2030-01-15T10:00:00Z');
    const hold = value(await ledger.hold(colour('2030-01-15T09:00:00Z', { replacing: booking.id })));
    expect(await ledger.hold(colour('2030-01-15T08:00:00Z', { customerKey: 'cust-b' }))).toMatchObject({ ok: false, rejection: { code: 'slot_taken' } });
    const swapped = value(await ledger.swap({ customerKey: 'cust-a', bookingId: booking.id, holdId: hold.id, bufferMinutes: 15, idempotencyKey: key('swap') }));
    expect(swapped.booking.start).toBe('2030-01-15T09:00:00Z');
  });

  it('a released hold answers hold_expired and the booking stays', async () => {
    const booking = await confirmedAt('2030-01-16T10:00:00Z');
    const hold = value(await ledger.hold(colour('2030-01-16T13:00:00Z', { replacing: booking.id })));
    value(await ledger.release({ bookingId: hold.id, customerKey: 'cust-a', idempotencyKey: key('release') }));
    const refused = await ledger.swap({ customerKey: 'cust-a', bookingId: booking.id, holdId: hold.id, bufferMinutes: 15, idempotencyKey: key('swap') });
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'hold_expired' } });
    expect((await ledger.getBooking(booking.id))?.status).toBe('confirmed');
  });

  it("refuses to hold a move of someone else's booking, and to swap a hold made for another booking", async () => {
    const theirs = await confirmedAt('2030-01-17T10:00:00Z', 'cust-b');
    expect(await ledger.hold(colour('2030-01-17T11:00:00Z', { replacing: theirs.id }))).toMatchObject({ ok: false, rejection: { code: 'not_yours' } });
    const mine = await confirmedAt('2030-01-18T10:00:00Z');
    const plainHold = value(await ledger.hold(colour('2030-01-18T13:00:00Z')));
    const refused = await ledger.swap({ customerKey: 'cust-a', bookingId: mine.id, holdId: plainHold.id, bufferMinutes: 15, idempotencyKey: key('swap') });
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'not_found' } });
    expect((await ledger.getBooking(mine.id))?.status).toBe('confirmed');
  });

  it('a booking cancelled meanwhile (by staff) is not swapped', async () => {
    const booking = await confirmedAt('2030-01-21T10:00:00Z');
    const hold = value(await ledger.hold(colour('2030-01-21T11:00:00Z', { replacing: booking.id })));
    value(await ledger.cancel({ bookingId: booking.id, customerKey: 'cust-a', idempotencyKey: key('cancel') }));
    const refused = await ledger.swap({ customerKey: 'cust-a', bookingId: booking.id, holdId: hold.id, bufferMinutes: 15, idempotencyKey: key('swap') });
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'not_confirmable' } });
    expect((await ledger.getBooking(hold.id))?.status).toBe('held');
  });
});
