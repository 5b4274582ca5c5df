import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError, type HoldRequest, type Ledger } from '../../../src/adapters/ledger';
import type { Booking, Outcome } from '../../../src/domain/booking/types';

/**
 * The behaviour every Ledger driver must have, run against PGlite and against a real PostgreSQL server. `open` gives a
 * ledger on an EMPTY database whose clock reads `clock.now`.
 */
export interface LedgerHarness {
  open(clock: FakeClock): Promise<Ledger>;
  /** Opens `count` more ledgers on the SAME database, each with its own connection(s), for races. */
  openMany?(count: number, clock: FakeClock): Promise<Ledger[]>;
  teardown?(): Promise<void>;
}

export class FakeClock {
  constructor(public now = new Date('2030-01-07T12:00:00Z')) {}
  read = (): Date => this.now;
  advanceSeconds(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }
}

const T0 = '2030-01-07T12:00:00Z';
let keySeq = 0;
/** A fresh idempotency key, like workflow id + step. */
const key = (label = 'step') => `wf-test:${label}:${++keySeq}`;

function holdRequest(overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    customerKey: 'cust-a',
    serviceId: 'haircut',
    providerId: 'alex',
    start: '2030-01-08T15:00:00Z',
    end: '2030-01-08T15:30:00Z',
    bufferMinutes: 10,
    expiresAt: '2030-01-07T12:01:30Z',
    idempotencyKey: key('hold'),
    ...overrides,
  };
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.rejection)}`);
  return outcome.value;
}

async function countRows(ledger: Ledger, where: string, params: unknown[] = []): Promise<number> {
  const { rows } = await ledger.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE ${where}`, params);
  return rows[0]!.n;
}

export function describeLedgerContract(driver: string, harness: LedgerHarness): void {
  describe(`Ledger contract on ${driver}`, () => {
    const clock = new FakeClock();
    let ledger: Ledger;

    beforeAll(async () => {
      ledger = await harness.open(clock);
    });
    afterAll(async () => {
      await ledger?.close();
      await harness.teardown?.();
    });
    beforeEach(async () => {
      clock.now = new Date(T0);
      await ledger.sql.query('DELETE FROM ledger_requests');
      await ledger.sql.query('DELETE FROM bookings');
      await ledger.sql.query('DELETE FROM customers');
    });

    it('holds a slot and reports it busy for [start, end + buffer)', async () => {
      const held = value(await ledger.hold(holdRequest()));
      expect(held).toMatchObject({
        customerKey: 'cust-a',
        serviceId: 'haircut',
        providerId: 'alex',
        start: '2030-01-08T15:00:00Z',
        end: '2030-01-08T15:30:00Z',
        status: 'held',
        expiresAt: '2030-01-07T12:01:30Z',
      });
      expect(await ledger.getBooking(held.id)).toEqual(held);
      expect(await ledger.listBusy(['alex', 'sam'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([
        { providerId: 'alex', start: '2030-01-08T15:00:00Z', end: '2030-01-08T15:40:00Z' },
      ]);
      expect(await ledger.listBusy(['sam'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([]);
    });

    it('refuses an overlap with the slot or its buffer, and allows the next slot and other providers', async () => {
      value(await ledger.hold(holdRequest()));
      const overlap = await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T15:15:00Z', end: '2030-01-08T15:45:00Z' }));
      expect(overlap).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      // 15:35 would start inside the first booking's buffer (until 15:40).
      const inBuffer = await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T15:35:00Z', end: '2030-01-08T16:05:00Z' }));
      expect(inBuffer.ok).toBe(false);
      // A booking whose own buffer would run into the held one is refused too.
      const bufferInto = await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T14:25:00Z', end: '2030-01-08T14:55:00Z' }));
      expect(bufferInto.ok).toBe(false);
      expect((await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T15:40:00Z', end: '2030-01-08T16:10:00Z' }))).ok).toBe(true);
      expect((await ledger.hold(holdRequest({ customerKey: 'cust-b', providerId: 'sam' }))).ok).toBe(true);
    });

    it('makes overlaps impossible in the database itself, not only in the ledger code', async () => {
      value(await ledger.hold(holdRequest()));
      await expect(
        ledger.sql.query(
          `INSERT INTO bookings (id, customer_key, service_id, provider_id, starts_at, ends_at, during, status, created_by_key)
           VALUES ('raw', 'x', 'haircut', 'alex', '2030-01-08T15:10:00Z', '2030-01-08T15:40:00Z',
                   tstzrange('2030-01-08T15:10:00Z', '2030-01-08T15:50:00Z', '[)'), 'confirmed', 'raw-key')`,
        ),
      ).rejects.toMatchObject({ code: '23P01' });
    });

    it('answers a repeated hold with the first result and creates nothing new', async () => {
      const request = holdRequest();
      const first = value(await ledger.hold(request));
      // A retried activity computes a fresh expiry; it is still the same request.
      const again = value(await ledger.hold({ ...request, expiresAt: '2030-01-07T12:02:00Z' }));
      expect(again).toEqual(first);
      expect(await countRows(ledger, 'true')).toBe(1);
    });

    it('remembers a refusal under its key: the repeat is refused even after the slot frees up', async () => {
      const blocker = value(await ledger.hold(holdRequest()));
      const request = holdRequest({ customerKey: 'cust-b' });
      expect((await ledger.hold(request)).ok).toBe(false);
      value(await ledger.release({ bookingId: blocker.id, customerKey: 'cust-a', idempotencyKey: key('release') }));
      expect(await ledger.hold(request)).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      expect(await countRows(ledger, "status = 'held'")).toBe(0);
    });

    it('refuses a key reused for a different request', async () => {
      const request = holdRequest();
      value(await ledger.hold(request));
      await expect(ledger.hold({ ...request, start: '2030-01-08T17:00:00Z', end: '2030-01-08T17:30:00Z' })).rejects.toBeInstanceOf(
        IdempotencyKeyReusedError,
      );
      await expect(ledger.confirm({ bookingId: 'x', customerKey: 'cust-a', idempotencyKey: request.idempotencyKey })).rejects.toThrow(
        /already used for a different hold request/,
      );
    });

    it('confirms a hold once; repeats return the booking; strangers and unknown ids are refused', async () => {
      const held = value(await ledger.hold(holdRequest()));
      const confirmKey = key('confirm');
      const confirmed = value(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: confirmKey }));
      expect(confirmed).toMatchObject({ id: held.id, status: 'confirmed', expiresAt: null });
      expect(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: confirmKey })).toEqual({ ok: true, value: confirmed });
      expect(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-b', idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'not_yours' },
      });
      expect(await ledger.confirm({ bookingId: 'no-such-id', customerKey: 'cust-a', idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'not_found' },
      });
      // Confirmed bookings block for good: expiry no longer matters.
      clock.advanceSeconds(3600);
      expect(await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toHaveLength(1);
    });

    it('never lets an expired hold block anyone, even when its release never happened', async () => {
      const stale = value(await ledger.hold(holdRequest())); // expires 12:01:30
      clock.advanceSeconds(91);
      expect(await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([]);
      const taken = value(await ledger.hold(holdRequest({ customerKey: 'cust-b', start: '2030-01-08T15:15:00Z', end: '2030-01-08T15:45:00Z', expiresAt: '2030-01-07T12:03:01Z' })));
      expect(taken.status).toBe('held');
      expect((await ledger.getBooking(stale.id))!.status).toBe('released');
      expect(await ledger.confirm({ bookingId: stale.id, customerKey: 'cust-a', idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'hold_expired' },
      });
    });

    it('still confirms a hold a moment past its expiry when nobody took the slot', async () => {
      const held = value(await ledger.hold(holdRequest()));
      clock.advanceSeconds(95);
      const confirmed = value(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: key() }));
      expect(confirmed.status).toBe('confirmed');
    });

    it('releases a hold (idempotently) and frees the slot; a confirmed booking is not a hold', async () => {
      const held = value(await ledger.hold(holdRequest()));
      const releaseKey = key('release');
      const released = value(await ledger.release({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: releaseKey }));
      expect(released.status).toBe('released');
      expect(value(await ledger.release({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: releaseKey }))).toEqual(released);
      expect(value(await ledger.release({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: key() })).status).toBe('released');
      expect(await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([]);

      const other = value(await ledger.hold(holdRequest()));
      value(await ledger.confirm({ bookingId: other.id, customerKey: 'cust-a', idempotencyKey: key() }));
      expect(await ledger.release({ bookingId: other.id, customerKey: 'cust-a', idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'not_confirmable', status: 'confirmed' },
      });
    });

    it('cancels a confirmed booking once and frees its slot', async () => {
      const held = value(await ledger.hold(holdRequest()));
      value(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: key() }));
      expect(await ledger.cancel({ bookingId: held.id, customerKey: 'cust-b', idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'not_yours' },
      });
      const cancelKey = key('cancel');
      const cancelled = value(await ledger.cancel({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: cancelKey }));
      expect(cancelled.status).toBe('cancelled');
      expect(await ledger.cancel({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: cancelKey })).toEqual({ ok: true, value: cancelled });
      expect((await ledger.hold(holdRequest({ customerKey: 'cust-b' }))).ok).toBe(true);
    });

    it('reschedules in one step: the old booking is cancelled exactly when the new one is confirmed', async () => {
      const held = value(await ledger.hold(holdRequest()));
      value(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: key() }));
      const moveKey = key('reschedule');
      // Moving by 15 minutes overlaps the old slot: allowed, because the old one is cancelled in the same transaction.
      const move = { bookingId: held.id, customerKey: 'cust-a', providerId: 'alex', start: '2030-01-08T15:15:00Z', end: '2030-01-08T15:45:00Z', bufferMinutes: 10, idempotencyKey: moveKey };
      const moved = value(await ledger.reschedule(move));
      expect(moved.previous).toMatchObject({ id: held.id, status: 'cancelled' });
      expect(moved.booking).toMatchObject({ status: 'confirmed', start: '2030-01-08T15:15:00Z', providerId: 'alex', serviceId: 'haircut', customerKey: 'cust-a' });
      expect(moved.booking.id).not.toBe(held.id);
      expect(value(await ledger.reschedule(move))).toEqual(moved);
      const mine = await ledger.listCustomerBookings('cust-a');
      expect(mine.map((b) => [b.id, b.status])).toEqual([
        [held.id, 'cancelled'],
        [moved.booking.id, 'confirmed'],
      ]);
      expect(await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([
        { providerId: 'alex', start: '2030-01-08T15:15:00Z', end: '2030-01-08T15:55:00Z' },
      ]);
    });

    it('leaves the booking untouched when the new slot is taken: never both, never neither', async () => {
      const mine = value(await ledger.hold(holdRequest()));
      value(await ledger.confirm({ bookingId: mine.id, customerKey: 'cust-a', idempotencyKey: key() }));
      value(await ledger.hold(holdRequest({ customerKey: 'cust-b', providerId: 'sam', start: '2030-01-08T17:00:00Z', end: '2030-01-08T17:30:00Z' })));
      const refused = await ledger.reschedule({
        bookingId: mine.id,
        customerKey: 'cust-a',
        providerId: 'sam',
        start: '2030-01-08T17:10:00Z',
        end: '2030-01-08T17:40:00Z',
        bufferMinutes: 10,
        idempotencyKey: key(),
      });
      expect(refused).toEqual({ ok: false, rejection: { code: 'slot_taken' } });
      expect((await ledger.getBooking(mine.id))!.status).toBe('confirmed');
      expect(await countRows(ledger, "customer_key = 'cust-a'")).toBe(1);
      expect(
        await ledger.reschedule({ bookingId: mine.id, customerKey: 'cust-b', providerId: 'alex', start: '2030-01-09T15:00:00Z', end: '2030-01-09T15:30:00Z', bufferMinutes: 10, idempotencyKey: key() }),
      ).toEqual({ ok: false, rejection: { code: 'not_yours' } });
    });

    it('marks attendance on confirmed bookings, idempotently', async () => {
      const held = value(await ledger.hold(holdRequest()));
      expect(await ledger.markAttendance({ bookingId: held.id, attended: true, idempotencyKey: key() })).toEqual({
        ok: false,
        rejection: { code: 'not_confirmable', status: 'held' },
      });
      value(await ledger.confirm({ bookingId: held.id, customerKey: 'cust-a', idempotencyKey: key() }));
      const attendanceKey = key('attendance');
      expect(value(await ledger.markAttendance({ bookingId: held.id, attended: false, idempotencyKey: attendanceKey })).status).toBe('no_show');
      expect(value(await ledger.markAttendance({ bookingId: held.id, attended: false, idempotencyKey: attendanceKey })).status).toBe('no_show');
      expect(value(await ledger.markAttendance({ bookingId: held.id, attended: true, idempotencyKey: key() })).status).toBe('completed');
      expect(await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' })).toEqual([]);
    });

    it('lists a customer’s bookings by start, optionally by status', async () => {
      const late = value(await ledger.hold(holdRequest({ start: '2030-01-09T15:00:00Z', end: '2030-01-09T15:30:00Z' })));
      const early = value(await ledger.hold(holdRequest()));
      value(await ledger.hold(holdRequest({ customerKey: 'cust-b', providerId: 'sam' })));
      value(await ledger.confirm({ bookingId: late.id, customerKey: 'cust-a', idempotencyKey: key() }));
      expect((await ledger.listCustomerBookings('cust-a')).map((b) => b.id)).toEqual([early.id, late.id]);
      expect((await ledger.listCustomerBookings('cust-a', { statuses: ['confirmed'] })).map((b) => b.id)).toEqual([late.id]);
      expect(await ledger.listCustomerBookings('nobody')).toEqual([]);
    });

    it('remembers a conversation between runs (newest snapshot wins) and keeps its notices once each, after a cursor', async () => {
      const id = `conversation:sms:${key('memory')}`;
      expect(await ledger.loadConversationMemory(id)).toBeNull();
      const snapshot = (turn: number) =>
        ({ transcript: [{ seq: 1, role: 'customer', text: 'hola', at: T0 }], history: [], seenMessageIds: ['m1'], slots: {}, hold: null, offered: [], bookings: [], needsHuman: false, operator: null, locale: 'es', usage: { promptTokens: 0, completionTokens: 0, modelCalls: 1 }, turn, nextSeq: 2, lastInboundAt: T0 }) as const;
      await ledger.saveConversationMemory({ workflowId: id, customerKey: 'cust-a', snapshot: structuredClone(snapshot(1)) as never });
      await ledger.saveConversationMemory({ workflowId: id, customerKey: 'cust-a', snapshot: structuredClone(snapshot(2)) as never });
      expect(await ledger.loadConversationMemory(id)).toEqual(snapshot(2));

      const notice = { text: 'Reminder', at: T0, offered: [{ service: 'haircut', provider: 'alex', start: T0, end: T0 }] };
      await ledger.addConversationNotice({ workflowId: id, customerKey: 'cust-a', noticeKey: 'reminder-PT24H', notice });
      await ledger.addConversationNotice({ workflowId: id, customerKey: 'cust-a', noticeKey: 'reminder-PT24H', notice: { ...notice, text: 'again' } });
      await ledger.addConversationNotice({ workflowId: id, customerKey: 'cust-a', noticeKey: 'follow-up', notice: { text: 'Follow-up', at: T0 } });
      const all = await ledger.listConversationNotices(id, 0);
      expect(all.map((n) => n.text)).toEqual(['Reminder', 'Follow-up']);
      expect(all[0]).toMatchObject({ offered: notice.offered });
      expect((await ledger.listConversationNotices(id, all[0]!.id)).map((n) => n.text)).toEqual(['Follow-up']);
      // A fresh start (no cursor) takes in only the last two weeks.
      clock.now = new Date(Date.parse(T0) + 15 * 24 * 3600_000);
      expect(await ledger.listConversationNotices(id, 0)).toEqual([]);
      expect((await ledger.listConversationNotices(id, all[0]!.id)).map((n) => n.text)).toEqual(['Follow-up']);
    });

    it('keeps customer preferences and opt-out', async () => {
      expect(await ledger.getCustomer('cust-a')).toEqual({ customerKey: 'cust-a', optedOut: false, zone: null, locale: null, name: null });
      expect(await ledger.setOptOut({ customerKey: 'cust-a', optedOut: true })).toMatchObject({ optedOut: true });
      expect(await ledger.setCustomerPreferences({ customerKey: 'cust-a', zone: 'Europe/Madrid' })).toEqual({
        customerKey: 'cust-a',
        optedOut: true,
        zone: 'Europe/Madrid',
        locale: null,
        name: null,
      });
      expect(await ledger.setCustomerPreferences({ customerKey: 'cust-a', locale: 'es' })).toMatchObject({ zone: 'Europe/Madrid', locale: 'es' });
      const stopKey = key('opt');
      expect((await ledger.setOptOut({ customerKey: 'cust-a', optedOut: false, idempotencyKey: stopKey })).optedOut).toBe(false);
      await ledger.setOptOut({ customerKey: 'cust-a', optedOut: true });
      // A replay of the START with its key does not undo the later STOP.
      expect((await ledger.setOptOut({ customerKey: 'cust-a', optedOut: false, idempotencyKey: stopKey })).optedOut).toBe(false);
      expect((await ledger.getCustomer('cust-a')).optedOut).toBe(true);
    });

    it('50 concurrent holds for one slot leave exactly one hold', async () => {
      const racers = harness.openMany ? await harness.openMany(50, clock) : Array.from({ length: 50 }, () => ledger);
      try {
        const outcomes = await Promise.all(
          racers.map((racer, i) =>
            racer.hold(holdRequest({ customerKey: `racer-${i}`, expiresAt: '2030-01-07T13:00:00Z', idempotencyKey: key(`race-${i}`) })),
          ),
        );
        const winners = outcomes.filter((o): o is { ok: true; value: Booking } => o.ok);
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok && o.rejection.code === 'slot_taken')).toHaveLength(49);
        expect(await countRows(ledger, "status IN ('held', 'confirmed')")).toBe(1);
        expect(await countRows(ledger, 'true')).toBe(1);
      } finally {
        if (harness.openMany) await Promise.all(racers.map((r) => r.close()));
      }
    });

    it('concurrent holds on staggered, overlapping slots never leave two overlapping rows', async () => {
      const racers = harness.openMany ? await harness.openMany(20, clock) : Array.from({ length: 20 }, () => ledger);
      try {
        // 20 requests 5 minutes apart, each blocking 40 minutes: many overlap their neighbours.
        const base = Date.parse('2030-01-08T14:00:00Z');
        await Promise.all(
          racers.map((racer, i) =>
            racer.hold(
              holdRequest({
                customerKey: `racer-${i}`,
                start: new Date(base + i * 5 * 60_000).toISOString(),
                end: new Date(base + (i * 5 + 30) * 60_000).toISOString(),
                expiresAt: '2030-01-07T13:00:00Z',
                idempotencyKey: key(`stagger-${i}`),
              }),
            ),
          ),
        );
        const busy = await ledger.listBusy(['alex'], { start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' });
        expect(busy.length).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < busy.length; i++) expect(Date.parse(busy[i]!.start)).toBeGreaterThanOrEqual(Date.parse(busy[i - 1]!.end));
      } finally {
        if (harness.openMany) await Promise.all(racers.map((r) => r.close()));
      }
    });

    it('the same hold retried concurrently under one key creates one row and gives every caller the same answer', async () => {
      const racers = harness.openMany ? await harness.openMany(10, clock) : Array.from({ length: 10 }, () => ledger);
      try {
        const request = holdRequest({ expiresAt: '2030-01-07T13:00:00Z' });
        const outcomes = await Promise.all(racers.map((r) => r.hold(request)));
        const ids = new Set(outcomes.map((o) => value(o).id));
        expect(ids.size).toBe(1);
        expect(await countRows(ledger, 'true')).toBe(1);
      } finally {
        if (harness.openMany) await Promise.all(racers.map((r) => r.close()));
      }
    });
  });
}
