import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { Conversation } from '../../../src/domain/conversation/conversation';
import { guardToolCall } from '../../../src/domain/conversation/guard';
import type { BookingView, HoldView, ParsedToolCall } from '../../../src/domain/tools';

/**
 * Our code owns the rule that a cancellation or a move runs only after the customer answered its read-back: the guard
 * refuses confirm_change unless that exact change was read back in an EARLIER turn, whatever the model proposes.
 */
const business = parseBusiness(JSON.parse(fs.readFileSync('config/business.json', 'utf8')));
const zone = business.timezone;
const now = '2030-01-07T12:00:00.000Z';
const booking: BookingView = { id: 'bk_1', service: 'haircut', provider: 'alex', start: '2030-01-10T15:00:00.000Z', end: '2030-01-10T15:30:00.000Z', status: 'confirmed' };
const other: BookingView = { ...booking, id: 'bk_2', start: '2030-01-11T15:00:00.000Z', end: '2030-01-11T15:30:00.000Z' };
const hold: HoldView = { bookingId: 'hold_9', service: 'haircut', provider: 'alex', start: '2030-01-10T16:00:00.000Z', end: '2030-01-10T16:30:00.000Z', expiresAt: '2030-01-07T12:01:30.000Z' };

const confirm = (bookingId: string, change: 'cancel' | 'move'): ParsedToolCall => ({ id: 'c1', name: 'confirm_change', args: { bookingId, change } });
const keep = (bookingId: string): ParsedToolCall => ({ id: 'c2', name: 'keep_booking', args: { bookingId } });
const verdict = (call: ParsedToolCall, c: Conversation) => guardToolCall(call, c, business, now, zone);

function conversationWithBookings(): Conversation {
  const c = new Conversation();
  c.replaceBookings([booking, other]);
  return c;
}

function proposeCancel(c: Conversation, target = booking): void {
  c.applyToolResult('cancel_booking', { bookingId: target.id }, { ok: true, proposed: { change: 'cancel', booking: target, cancellationNoticeHours: 24 } });
}

function proposeMove(c: Conversation): void {
  c.applyToolResult('reschedule_booking', { bookingId: booking.id, start: hold.start }, { ok: true, proposed: { change: 'move', booking, hold } });
}

describe('confirm_change: only a change read back in an earlier turn', () => {
  it('refuses a cancellation nobody read back', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel it, yes, do it now', now);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
  });

  it('refuses it in the same turn as the read-back, allows it once the customer has answered', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut, yes I am sure', now);
    proposeCancel(c);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_answered_yet' });
    c.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toEqual({ ok: true });
  });

  it('refuses a different booking or a different kind of change than the one read back', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut', now);
    proposeCancel(c);
    c.beginTurn('yes', now);
    expect(verdict(confirm(other.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
    expect(verdict(confirm(booking.id, 'move'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
  });

  it('a new read-back replaces the last one and starts the wait again', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut', now);
    proposeCancel(c);
    c.beginTurn('actually move it an hour later', now);
    proposeMove(c);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
    expect(verdict(confirm(booking.id, 'move'), c)).toMatchObject({ ok: false, error: 'not_answered_yet' });
    c.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'move'), c)).toEqual({ ok: true });
  });

  it('nothing is left to confirm after "no", after the change ran, or after the move\'s held time ran out', () => {
    const kept = conversationWithBookings();
    kept.beginTurn('cancel my haircut', now);
    proposeCancel(kept);
    kept.beginTurn('no', now);
    expect(verdict(keep(booking.id), kept)).toEqual({ ok: true });
    kept.applyToolResult('keep_booking', { bookingId: booking.id }, { ok: true, kept: booking, released: null });
    kept.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), kept)).toMatchObject({ ok: false, error: 'not_read_back' });

    const done = conversationWithBookings();
    done.beginTurn('cancel my haircut', now);
    proposeCancel(done);
    done.beginTurn('yes', now);
    done.applyToolResult('confirm_change', { bookingId: booking.id, change: 'cancel' }, { ok: true, change: 'cancel', booking: { ...booking, status: 'cancelled' } });
    done.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), done)).toMatchObject({ ok: false, error: 'not_read_back' });

    const lapsed = conversationWithBookings();
    lapsed.beginTurn('move my haircut an hour later', now);
    proposeMove(lapsed);
    expect(lapsed.moveHold).toEqual(hold);
    expect(lapsed.expireHold(hold.bookingId)).toEqual(hold);
    lapsed.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'move'), lapsed)).toMatchObject({ ok: false, error: 'not_read_back' });
    expect(lapsed.bookings.find((b) => b.id === booking.id)?.status).toBe('confirmed');
  });

  it('a cancellation read back for a booking staff have since cancelled is forgotten', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut', now);
    proposeCancel(c);
    c.replaceBookings([{ ...booking, status: 'cancelled' }, other]);
    c.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
  });

  it('keep_booking is refused when nothing about that booking waits for an answer', () => {
    const c = conversationWithBookings();
    c.beginTurn('no', now);
    expect(verdict(keep(booking.id), c)).toMatchObject({ ok: false, error: 'not_read_back' });
  });

  it('the pending change survives continue-as-new, not a new visit', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut', now);
    proposeCancel(c);
    const carried = new Conversation(c.snapshot());
    carried.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), carried)).toEqual({ ok: true });
    const nextVisit = new Conversation();
    nextVisit.resumeFrom(c.snapshot());
    nextVisit.replaceBookings([booking, other]);
    nextVisit.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), nextVisit)).toMatchObject({ ok: false, error: 'not_read_back' });
  });
});

describe('a read-back the conversation has moved on from', () => {
  it('a cancellation read back is dropped once the customer holds a new slot', () => {
    const c = conversationWithBookings();
    c.beginTurn('cancel my haircut', now);
    proposeCancel(c);
    c.beginTurn('actually, book me a beard trim on Friday at 3', now);
    c.applyToolResult('hold_slot', { service: 'beard-trim', provider: 'alex', start: hold.start }, { ok: true, hold: { ...hold, service: 'beard-trim' } });
    c.beginTurn('yes', now);
    expect(verdict(confirm(booking.id, 'cancel'), c)).toMatchObject({ ok: false, error: 'not_read_back' });
  });
});
