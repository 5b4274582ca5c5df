import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBookingActivities } from '../../activities/bookings';
import { createGoogleCalendarSync, eventIdFor } from '../../src/adapters/google-calendar';
import { openLedger, type Ledger } from '../../src/adapters/ledger';
import type { Booking, Outcome } from '../../src/domain/booking/types';
import { testBusiness } from '../domain/booking/fixtures';
import { startFakeGoogleCalendar, type FakeGoogleCalendar } from '../support/fake-google-calendar';

/** The calendar activities over a real (in-memory PGlite) ledger, with one fake clock shared by both. */

const NY = 'America/New_York';
const business = testBusiness();
let now = new Date('2025-01-12T17:00:00Z'); // Sunday noon in New York
const clock = () => now;
let ledger: Ledger;
let calendar: ReturnType<typeof createBookingActivities>;
let seq = 0;
const key = (step: string) => `conversation:chat:test:${step}:${++seq}`;

function value<T>(outcome: Outcome<T> | { ok: false; rejection: unknown; alternatives?: unknown }): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return (outcome as { value: T }).value;
}

const localTime = (iso: string, zone = NY) => DateTime.fromISO(iso, { zone }).toFormat('ccc HH:mm');

beforeAll(async () => {
  ledger = await openLedger({ memory: true, clock });
  calendar = createBookingActivities({ ledger, business, now: clock });
});
afterAll(() => ledger?.close());
beforeEach(async () => {
  now = new Date('2025-01-12T17:00:00Z');
  for (const table of ['ledger_requests', 'bookings', 'customers']) await ledger.sql.query(`DELETE FROM ${table}`);
});

async function book(customerKey: string, start: string, provider = 'alex', service = 'haircut'): Promise<Booking> {
  const held = value(await calendar.holdSlot({ customerKey, service, provider, start, idempotencyKey: key('hold') }));
  return value(await calendar.confirmBooking({ customerKey, bookingId: held.id, idempotencyKey: key('confirm') }));
}

describe('findAvailability', () => {
  it('returns the exact slot asked for (in the customer zone) and nearby alternatives at other times', async () => {
    const found = value(
      await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14', time: '15:00', zone: 'Europe/Madrid' }),
    );
    // 15:00 in Madrid is 09:00 in New York: alex opens then (sam only at noon).
    expect(found.requestedStart).toBe('2025-01-14T14:00:00Z');
    expect(found.exact).toEqual({ serviceId: 'haircut', providerId: 'alex', start: '2025-01-14T14:00:00Z', end: '2025-01-14T14:30:00Z' });
    expect(found.alternatives.length).toBeGreaterThan(0);
    expect(found.alternatives.some((s) => s.start === found.exact!.start)).toBe(false);
    expect(found.requested).toEqual({ date: '2025-01-14', time: '15:00', window: undefined });
  });

  it('offers another provider at the same time, or the nearest times, when the asked-for one is taken', async () => {
    await book('someone', '2025-01-14T17:00:00Z'); // alex, Tuesday 12:00
    const anyone = value(await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-14', time: '12:00' }));
    expect(anyone.exact).toMatchObject({ providerId: 'sam', start: '2025-01-14T17:00:00Z' });
    const withAlex = value(await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-14', time: '12:00' }));
    expect(withAlex.exact).toBeNull();
    // 12:00–12:30 plus 10 minutes' buffer is taken: nearest are 12:45 (45 min) and 11:15 (45 min, ends 11:55 incl. buffer),
    // among the nearest six, listed chronologically.
    const times = withAlex.alternatives.map((s) => localTime(s.start));
    expect(times).toEqual(expect.arrayContaining(['Tue 11:15', 'Tue 12:45']));
    expect(times).toEqual([...times].sort());
    expect(withAlex.alternatives.every((s) => s.providerId === 'alex')).toBe(true);
  });

  it('spreads the offer through the day when no time was named', async () => {
    const found = value(await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', limit: 3 }));
    expect(found.exact).toBeNull();
    expect(found.alternatives.map((s) => localTime(s.start))).toEqual(['Mon 09:00', 'Mon 12:45', 'Mon 16:30']);
  });

  it('refuses unknown services, providers who do not offer it, past and too-distant dates', async () => {
    expect(await calendar.findAvailability({ customerKey: 'c1', service: 'nails' })).toEqual({ ok: false, rejection: { code: 'unknown_service', service: 'nails' } });
    expect(await calendar.findAvailability({ customerKey: 'c1', service: 'color', provider: 'sam' })).toEqual({
      ok: false,
      rejection: { code: 'provider_does_not_offer', service: 'color', provider: 'sam' },
    });
    expect(await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-01-10' })).toEqual({ ok: false, rejection: { code: 'in_the_past' } });
    expect(await calendar.findAvailability({ customerKey: 'c1', service: 'haircut', date: '2025-06-10' })).toEqual({
      ok: false,
      rejection: { code: 'too_far', maxDaysAhead: 60 },
    });
  });
});

describe('holdSlot and confirmBooking', () => {
  it('holds for holdTtlSeconds and confirms it for the same customer only', async () => {
    const held = value(await calendar.holdSlot({ customerKey: 'c1', service: 'color', provider: 'alex', start: '2025-01-13T14:00:00Z', idempotencyKey: key('hold') }));
    expect(held).toMatchObject({ status: 'held', start: '2025-01-13T14:00:00Z', end: '2025-01-13T15:30:00Z', expiresAt: '2025-01-12T17:01:30Z' });
    expect(await calendar.confirmBooking({ customerKey: 'c2', bookingId: held.id, idempotencyKey: key('confirm') })).toEqual({
      ok: false,
      rejection: { code: 'not_yours' },
    });
    const confirmed = value(await calendar.confirmBooking({ customerKey: 'c1', bookingId: held.id, idempotencyKey: key('confirm') }));
    expect(confirmed).toMatchObject({ id: held.id, status: 'confirmed', expiresAt: null });
  });

  it('answers a taken slot with slot_taken and the nearest alternatives', async () => {
    await book('c1', '2025-01-14T17:00:00Z', 'alex');
    await book('c3', '2025-01-14T17:00:00Z', 'sam');
    const taken = await calendar.holdSlot({ customerKey: 'c2', service: 'haircut', provider: 'alex', start: '2025-01-14T17:00:00Z', idempotencyKey: key('hold') });
    expect(taken.ok).toBe(false);
    if (taken.ok) return;
    expect(taken.rejection).toEqual({ code: 'slot_taken' });
    expect(taken.alternatives.length).toBe(5);
    expect(taken.alternatives.some((s) => s.start === '2025-01-14T17:00:00Z')).toBe(false);
    expect(new Set(taken.alternatives.map((s) => s.providerId))).toEqual(new Set(['alex', 'sam']));
    // All on the same day, nearest first.
    expect(taken.alternatives.every((s) => s.start.startsWith('2025-01-14'))).toBe(true);
  });

  it('refuses rule breaks before touching the ledger, with alternatives where they help', async () => {
    const early = await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-13T13:00:00Z', idempotencyKey: key('hold') });
    expect(early).toMatchObject({ ok: false, rejection: { code: 'outside_hours' } });
    expect(early.ok === false && early.alternatives[0]!.start).toBe('2025-01-13T14:00:00Z');
    const soon = await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-12T17:30:00Z', idempotencyKey: key('hold') });
    expect(soon).toMatchObject({ ok: false, rejection: { code: 'too_soon', minNoticeMinutes: 60 } });
    const wrong = await calendar.holdSlot({ customerKey: 'c1', service: 'color', provider: 'sam', start: '2025-01-14T18:00:00Z', idempotencyKey: key('hold') });
    expect(wrong).toEqual({ ok: false, rejection: { code: 'provider_does_not_offer', service: 'color', provider: 'sam' }, alternatives: [] });
    expect(await ledger.listCustomerBookings('c1')).toEqual([]);
  });

  it('refuses a fourth upcoming booking', async () => {
    await book('c1', '2025-01-13T14:00:00Z');
    await book('c1', '2025-01-14T14:00:00Z');
    await book('c1', '2025-01-15T14:00:00Z');
    const fourth = await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-16T14:00:00Z', idempotencyKey: key('hold') });
    expect(fourth).toEqual({ ok: false, rejection: { code: 'too_many_active_bookings', max: 3 }, alternatives: [] });
  });

  it('returns the same hold when the activity is retried with its key', async () => {
    const input = { customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-13T14:00:00Z', idempotencyKey: key('hold') };
    const first = value(await calendar.holdSlot(input));
    now = new Date(now.getTime() + 5_000); // the retry runs a little later
    expect(value(await calendar.holdSlot(input))).toEqual(first);
    expect(await ledger.listCustomerBookings('c1')).toHaveLength(1);
  });

  it('leaves no orphan: a hold whose worker died before confirming stops blocking after the TTL', async () => {
    const start = '2025-01-13T14:00:00Z';
    value(await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start, idempotencyKey: key('hold') }));
    const during = value(await calendar.findAvailability({ customerKey: 'c2', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '09:00' }));
    expect(during.exact).toBeNull();
    now = new Date(now.getTime() + business.policies.holdTtlSeconds * 1000 + 1000);
    const after = value(await calendar.findAvailability({ customerKey: 'c2', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '09:00' }));
    expect(after.exact?.start).toBe(start);
    const theirs = value(await calendar.holdSlot({ customerKey: 'c2', service: 'haircut', provider: 'alex', start, idempotencyKey: key('hold') }));
    expect(theirs.status).toBe('held');
  });
});

describe('cancelBooking and rescheduleBooking', () => {
  it('cancels with enough notice, explains the policy inside the window, and lets staff bypass it', async () => {
    const far = await book('c1', '2025-01-15T14:00:00Z');
    expect(value(await calendar.cancelBooking({ customerKey: 'c1', bookingId: far.id, idempotencyKey: key('cancel') })).status).toBe('cancelled');
    const near = await book('c1', '2025-01-13T14:00:00Z'); // 21 hours away
    expect(await calendar.cancelBooking({ customerKey: 'c1', bookingId: near.id, idempotencyKey: key('cancel') })).toEqual({
      ok: false,
      rejection: { code: 'inside_cancellation_window', cancellationNoticeHours: 24 },
    });
    expect(await calendar.cancelBooking({ customerKey: 'c2', bookingId: near.id, idempotencyKey: key('cancel') })).toEqual({
      ok: false,
      rejection: { code: 'not_yours' },
    });
    expect(value(await calendar.cancelBooking({ customerKey: 'c1', bookingId: near.id, idempotencyKey: key('cancel'), bypassPolicy: true })).status).toBe(
      'cancelled',
    );
  });

  it('a retried cancel after success answers the same, even once inside the window', async () => {
    const booking = await book('c1', '2025-01-13T19:00:00Z'); // Monday 14:00, 26 h away
    const input = { customerKey: 'c1', bookingId: booking.id, idempotencyKey: key('cancel') };
    const first = value(await calendar.cancelBooking(input));
    now = new Date('2025-01-12T20:00:00Z'); // now 23 h before
    expect(value(await calendar.cancelBooking(input))).toEqual(first);
  });

  it('moves a booking atomically, keeping service and provider unless a new provider is named', async () => {
    const booking = await book('c1', '2025-01-14T14:00:00Z');
    const moved = value(
      await calendar.rescheduleBooking({ customerKey: 'c1', bookingId: booking.id, start: '2025-01-14T18:00:00Z', provider: 'sam', idempotencyKey: key('move') }),
    );
    expect(moved.previous).toMatchObject({ id: booking.id, status: 'cancelled' });
    expect(moved.booking).toMatchObject({ status: 'confirmed', providerId: 'sam', serviceId: 'haircut', start: '2025-01-14T18:00:00Z', end: '2025-01-14T18:30:00Z' });
    const listed = await calendar.listBookings({ customerKey: 'c1' });
    expect(listed.map((b) => b.status)).toEqual(['cancelled', 'confirmed']);
  });

  it('refuses a taken new slot with alternatives and leaves the booking as it was', async () => {
    const mine = await book('c1', '2025-01-14T14:00:00Z');
    await book('c2', '2025-01-15T14:00:00Z');
    const refused = await calendar.rescheduleBooking({ customerKey: 'c1', bookingId: mine.id, start: '2025-01-15T14:00:00Z', idempotencyKey: key('move') });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.rejection).toEqual({ code: 'slot_taken' });
    expect(refused.alternatives.length).toBeGreaterThan(0);
    expect((await ledger.getBooking(mine.id))!.status).toBe('confirmed');
  });

  it('applies the cancellation policy to moves too', async () => {
    const near = await book('c1', '2025-01-13T14:00:00Z');
    const refused = await calendar.rescheduleBooking({ customerKey: 'c1', bookingId: near.id, start: '2025-01-15T14:00:00Z', idempotencyKey: key('move') });
    expect(refused).toEqual({ ok: false, rejection: { code: 'inside_cancellation_window', cancellationNoticeHours: 24 }, alternatives: [] });
  });
});

describe('reads, attendance and failures', () => {
  it('shows a customer only their own bookings, and lists bookings without holds', async () => {
    const booking = await book('c1', '2025-01-14T14:00:00Z');
    value(await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-15T14:00:00Z', idempotencyKey: key('hold') }));
    expect(value(await calendar.getBooking({ customerKey: 'c1', bookingId: booking.id })).id).toBe(booking.id);
    expect(await calendar.getBooking({ customerKey: 'c2', bookingId: booking.id })).toEqual({ ok: false, rejection: { code: 'not_yours' } });
    expect(await calendar.getBooking({ customerKey: 'c1', bookingId: 'nope' })).toEqual({ ok: false, rejection: { code: 'not_found' } });
    expect((await calendar.listBookings({ customerKey: 'c1' })).map((b) => b.id)).toEqual([booking.id]);
    expect(await calendar.listBookings({ customerKey: 'c2' })).toEqual([]);
  });

  it('marks attendance', async () => {
    const booking = await book('c1', '2025-01-13T14:00:00Z');
    const marked = value(await calendar.markAttendance({ bookingId: booking.id, attended: false, idempotencyKey: key('attendance') }));
    expect(marked.status).toBe('no_show');
  });

  it('fails for good (non-retryable) on invalid input and on a reused idempotency key', async () => {
    const invalid = calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: 'tomorrow', idempotencyKey: 'k' });
    await expect(invalid).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(invalid).rejects.toMatchObject({ type: 'InvalidActivityInput', nonRetryable: true, message: expect.stringMatching(/start/) });

    const reused = key('hold');
    value(await calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-13T14:00:00Z', idempotencyKey: reused }));
    await expect(
      calendar.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-13T16:00:00Z', idempotencyKey: reused }),
    ).rejects.toMatchObject({ type: 'IdempotencyKeyReused', nonRetryable: true });
  });
});

describe('with a Google Calendar mirror', () => {
  let google: FakeGoogleCalendar;
  let synced: ReturnType<typeof createBookingActivities>;
  beforeAll(async () => {
    google = await startFakeGoogleCalendar();
    const calendarSync = createGoogleCalendarSync({ calendarId: google.calendarId, rootUrl: google.rootUrl, auth: null, zone: NY });
    synced = createBookingActivities({ ledger, business, now: clock, calendarSync });
  });
  afterAll(() => google?.close());
  beforeEach(() => google.events.clear());

  it('treats staff events as busy time in availability and holds', async () => {
    google.events.set('dentist', {
      id: 'dentist',
      status: 'confirmed',
      start: { dateTime: '2025-01-13T14:00:00Z' }, // alex, Monday 09:00–10:00
      end: { dateTime: '2025-01-13T15:00:00Z' },
      extendedProperties: { private: { providerId: 'alex' } },
    });
    const found = value(await synced.findAvailability({ customerKey: 'c1', service: 'haircut', provider: 'alex', date: '2025-01-13', time: '09:00' }));
    expect(found.exact).toBeNull();
    expect(found.alternatives[0]!.start).toBe('2025-01-13T15:00:00Z');
    const held = await synced.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-13T14:30:00Z', idempotencyKey: key('hold') });
    expect(held).toMatchObject({ ok: false, rejection: { code: 'slot_taken' } });
    expect(await ledger.listCustomerBookings('c1')).toEqual([]);
  });

  it('mirrors a booking as the ledger has it: an event while confirmed, none once cancelled', async () => {
    const held = value(await synced.holdSlot({ customerKey: 'c1', service: 'haircut', provider: 'alex', start: '2025-01-15T15:00:00Z', idempotencyKey: key('hold') }));
    value(await synced.confirmBooking({ customerKey: 'c1', bookingId: held.id, idempotencyKey: key('confirm') }));
    expect(await synced.syncBookingToCalendar({ bookingId: held.id, idempotencyKey: key('sync') })).toEqual({ synced: true, status: 'confirmed' });
    expect(google.events.get(eventIdFor(held.id))).toMatchObject({ status: 'confirmed', start: { dateTime: '2025-01-15T15:00:00Z' } });
    // Our own event does not block the booking it mirrors (or anyone else: the ledger already does).
    const busyNow = value(await synced.findAvailability({ customerKey: 'c2', service: 'haircut', provider: 'alex', date: '2025-01-15', time: '10:45' }));
    expect(busyNow.exact).not.toBeNull();
    value(await synced.cancelBooking({ customerKey: 'c1', bookingId: held.id, idempotencyKey: key('cancel') }));
    expect(await synced.syncBookingToCalendar({ bookingId: held.id, idempotencyKey: key('sync') })).toEqual({ synced: true, status: 'cancelled' });
    expect(google.events.get(eventIdFor(held.id))!.status).toBe('cancelled');
  });

  it('does nothing without a calendar configured', async () => {
    const booking = await book('c1', '2025-01-15T16:00:00Z');
    expect(await calendar.syncBookingToCalendar({ bookingId: booking.id, idempotencyKey: key('sync') })).toEqual({ synced: false, status: 'confirmed' });
  });
});
