import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../src/domain/booking/business';
import * as ask from '../../src/domain/language/questions';
import { deskFacts } from '../../src/domain/booking/front-desk';
import * as templates from '../../src/domain/language/templates';
import type { BookingView, HoldView, SlotView, ToolName, ToolResult, WaitlistView } from '../../src/domain/tools';
import { familyOf, type Family } from './families';

/**
 * The scripted conversations recognise replies by template family. Every template, rendered in English and Spanish,
 * must land in its family: when a template is reworded this is the test that says which matcher to update.
 */
const business = parseBusiness(JSON.parse(fs.readFileSync('config/business.json', 'utf8')));
const zone = business.timezone;
const slot = (provider: string, start: string): SlotView => ({ service: 'haircut', provider, start, end: start.replace(/T(\d\d)/, (_, h) => `T${String(Number(h) + 1).padStart(2, '0')}`) });
const a = slot('alex', '2026-12-14T15:00:00.000Z');
const b = slot('sam', '2026-12-14T16:00:00.000Z');
const booking: BookingView = { id: 'bk_1', service: 'haircut', provider: 'alex', start: a.start, end: a.end, status: 'confirmed' };
const hold: HoldView = { bookingId: 'bk_1', service: 'haircut', provider: 'alex', start: a.start, end: a.end, expiresAt: '2026-12-01T15:01:30.000Z' };
const entry: WaitlistView = { id: 'wl_1', service: 'haircut', provider: 'alex', dateFrom: '2026-12-14', dateTo: '2026-12-14', window: { start: '10:00', end: '10:00' }, status: 'waiting' };
const error = (code: string, extra: Record<string, unknown> = {}) => ({ ok: false as const, error: code, message: code, ...extra });

const cases: [Family, ToolName, ToolResult][] = [
  ['held', 'hold_slot', { ok: true, hold }],
  ['booked', 'confirm_booking', { ok: true, booking }],
  ['released', 'release_hold', { ok: true, released: hold }],
  ['availability', 'get_availability', { ok: true, requested: { date: '2026-12-14' }, exact: null, alternatives: [a, b] }],
  ['availability', 'get_availability', { ok: true, requested: {}, exact: null, alternatives: [a, b] }],
  ['unavailable', 'get_availability', { ok: true, requested: { date: '2026-12-14', time: '09:00' }, exact: null, alternatives: [a, b] }],
  ['exact_free', 'get_availability', { ok: true, requested: { date: '2026-12-14', time: '10:00' }, exact: a, alternatives: [] }],
  ['exact_free', 'get_availability', { ok: true, requested: { date: '2026-12-14', time: '10:00' }, exact: a, alternatives: [b] }],
  ['closed_day', 'get_availability', { ok: true, requested: { date: '2026-12-13' }, exact: null, alternatives: [a, b], closed: { date: '2026-12-13', reason: { kind: 'weekly', weekday: 'sun', scope: 'service' } } }],
  ['closed_day', 'get_availability', { ok: true, requested: { date: '2026-12-13', time: '10:00' }, exact: null, alternatives: [a], closed: { date: '2026-12-13', reason: { kind: 'weekly', weekday: 'sun', scope: 'business' } } }],
  ['closed_day', 'get_availability', { ok: true, requested: { date: '2026-12-25' }, exact: null, alternatives: [], closed: { date: '2026-12-25', reason: { kind: 'holiday', name: 'Christmas Day' } } }],
  ['closed_day', 'get_availability', { ok: true, requested: { date: '2026-12-14' }, exact: null, alternatives: [a], closed: { date: '2026-12-14', reason: { kind: 'closure', reason: 'staff training' } } }],
  ['closed_day', 'get_availability', { ok: true, requested: { date: '2026-12-14' }, exact: null, alternatives: [a], closed: { date: '2026-12-14', reason: { kind: 'weekly', weekday: 'mon', scope: 'provider' } } }],
  ['none_free', 'get_availability', { ok: true, requested: { date: '2026-12-14' }, exact: null, alternatives: [] }],
  ['list', 'list_my_bookings', { ok: true, bookings: [booking] }],
  ['no_bookings', 'list_my_bookings', { ok: true, bookings: [] }],
  ['cancelled', 'cancel_booking', { ok: true, booking: { ...booking, status: 'cancelled' } }],
  ['moved', 'reschedule_booking', { ok: true, booking: { ...booking, start: b.start }, previous: booking }],
  ['cancel_read_back', 'cancel_booking', { ok: true, proposed: { change: 'cancel', booking, cancellationNoticeHours: 24 } }],
  ['move_read_back', 'reschedule_booking', { ok: true, proposed: { change: 'move', booking, hold: { ...hold, bookingId: 'bk_2', start: b.start, end: b.end } } }],
  ['move_read_back', 'reschedule_booking', { ok: true, proposed: { change: 'move', booking, hold: { ...hold, bookingId: 'bk_2', provider: 'sam', start: b.start, end: b.end } } }],
  ['cancelled', 'confirm_change', { ok: true, change: 'cancel', booking: { ...booking, status: 'cancelled' } }],
  ['moved', 'confirm_change', { ok: true, change: 'move', booking: { ...booking, id: 'bk_2', start: b.start }, previous: { ...booking, status: 'cancelled' } }],
  ['kept', 'keep_booking', { ok: true, kept: booking, released: null }],
  ['handoff', 'escalate_to_human', { ok: true }],
  ['policy_window', 'cancel_booking', error('inside_cancellation_window', { details: { cancellationNoticeHours: 24 } })],
  ['past', 'get_availability', error('in_the_past')],
  ['slot_taken', 'hold_slot', error('slot_taken', { alternatives: [b] })],
  ['not_found', 'cancel_booking', error('not_yours')],
  ['not_offered', 'hold_slot', error('not_offered')],
  ['no_hold', 'confirm_booking', error('no_hold')],
  ['too_far', 'get_availability', error('too_far', { details: { maxDaysAhead: 60 } })],
  ['too_soon', 'hold_slot', error('too_soon', { details: { minNoticeMinutes: 60 } })],
  ['outside_hours', 'hold_slot', error('outside_hours')],
  ['hold_expired', 'confirm_booking', error('hold_expired')],
  ['provider_does_not_offer', 'get_availability', error('provider_does_not_offer', { details: { service: 'massage', provider: 'alex' } })],
  ['too_many_bookings', 'hold_slot', error('too_many_active_bookings', { details: { max: 3 } })],
];

describe.each(['en', 'es'] as const)('template families (%s)', (locale) => {
  const opts = { locale, zone, business };

  it.each(cases)('%s: %s result', (family, tool, result) => {
    const text = templates.renderToolResult(tool, result, opts);
    expect(text, `${tool} rendered nothing`).not.toBeNull();
    expect(familyOf(text!), text!).toBe(family);
  });

  it('workflow and interpreter messages', () => {
    const expected: [Family, string][] = [
      ['greeting', templates.greeting(null, opts)],
      ['out_of_scope', templates.outOfScope(null, opts)],
      ['fallback', templates.fallback(null, opts)],
      ['apology', templates.apology(null, opts)],
      ['handoff', templates.handoffToHuman(null, opts)],
      ['hold_expired', templates.holdExpired(hold, opts)],
      ['move_expired', templates.moveHoldExpired({ hold: { start: b.start }, booking }, opts)],
      ['no_reminders', templates.noReminders(null, opts)],
      ['still_working', templates.stillWorking(null, opts)],
      ['ask_service', ask.askService(opts)],
      ['ask_meridiem', ask.askAboutUnresolved({ kind: 'meridiem', candidates: ['03:00', '15:00'] } as never, opts)],
      ['past', ask.askAboutUnresolved({ kind: 'past' } as never, opts)],
      ['ask_which', ask.askWhichOffered(3, opts)],
      ['ask_which', ask.askWhichBooking('cancel', opts)],
      ['ask_which', ask.askWhichBooking('reschedule', opts)],
      ['ask_which', ask.pickFromList(3, opts)],
      ['ask_new_time', ask.askNewTime('haircut', opts)],
      ['no_bookings', ask.noBookings(opts)],
      ['nothing_to_confirm', ask.nothingToConfirm(opts)],
      ['another_time', ask.anotherTime(opts)],
      ['another_time', ask.anythingElse(opts)],
      ['confirm_or_release', ask.confirmOrRelease(opts)],
      ['move_or_cancel', ask.moveOrCancel(opts)],
      ['no_list', ask.noListShown(opts)],
      ['no_list', ask.noListShown(opts, true)],
      ['assumed_meridiem', ask.assumedMeridiem('15:00', opts)],
      ['assumed_meridiem', ask.assumedMeridiem('13:30', opts)],
      ['greeting_by_name', templates.greeting({ name: 'María José' }, opts)],
      ['prices', templates.deskAnswer(deskFacts(business, 'prices'), opts)!],
      ['prices', templates.deskAnswer(deskFacts(business, 'prices', { service: 'haircut' }), opts)!],
      ['prices', templates.deskAnswer(deskFacts(business, 'prices', { service: 'color' }), opts)!],
      ['prices', templates.deskAnswer(deskFacts(business, 'prices', { service: 'consultation' }), opts)!],
      ['durations', templates.deskAnswer(deskFacts(business, 'durations'), opts)!],
      ['durations', templates.deskAnswer(deskFacts(business, 'durations', { service: 'massage' }), opts)!],
      ['hours', templates.deskAnswer(deskFacts(business, 'hours'), opts)!],
      ['hours', templates.deskAnswer(deskFacts(business, 'hours', { date: '2026-12-06' }), opts)!],
      ['hours', templates.deskAnswer(deskFacts(business, 'hours', { date: '2026-12-07' }), opts)!],
      ['address', templates.deskAnswer(deskFacts(business, 'address'), opts)!],
      ['directions', templates.deskAnswer(deskFacts(business, 'directions'), opts)!],
      ['walk_ins', templates.deskAnswer(deskFacts(business, 'walk_ins'), opts)!],
      ['running_late', templates.lateNoted({ booking, minutes: 10 }, opts)],
      ['running_late', templates.lateNoted({ booking: null }, opts)],
      ['ask_name', templates.askName(null, opts)],
      ['name_noted', templates.nameNoted({ name: 'Ana Lee' }, opts)],
      ['waitlisted', templates.joinedWaitlist(entry, opts)],
      ['waitlist_offer', templates.waitlistOffer({ slot: a, expiresAt: hold.expiresAt, ttlSeconds: 900 }, opts)],
      ['waitlist_offer_lapsed', templates.waitlistOfferLapsed({ slot: a }, opts)],
      ['waitlist_slot_gone', templates.waitlistSlotGone({ slot: a }, opts)],
      ['waitlist_expired', templates.waitlistExpired({ ...entry, status: 'expired' }, opts)],
    ];
    for (const [family, text] of expected) expect(familyOf(text), text).toBe(family);
  });
});

it('a model’s own sentence is no template', () => {
  expect(familyOf('Your appointment is booked for Friday at 3pm!')).toBeNull();
});
