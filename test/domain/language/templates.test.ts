import { readFileSync } from 'node:fs';
import { OPT_OUT_KEYWORDS } from '../../../src/domain/messaging/opt-out';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import type { Rejection } from '../../../src/domain/booking/types';
import { claimsBookingFact } from '../../../src/domain/language/claims';
import * as t from '../../../src/domain/language/templates';
import type { BookingView, SlotView, ToolError } from '../../../src/domain/tools';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const en = { locale: 'en' as const, zone: 'America/New_York', business };
const es = { locale: 'es' as const, zone: 'America/New_York', business };
const madrid = { locale: 'es' as const, zone: 'Europe/Madrid', business };

const slot = (start: string, provider = 'alex'): SlotView => ({ service: 'haircut', provider, start, end: start });
const booking: BookingView = { id: 'bk_1', service: 'massage', provider: 'jordan', start: '2020-11-27T15:00:00.000Z', end: '2020-11-27T16:00:00.000Z', status: 'confirmed' };
const hold = { bookingId: 'bk_2', service: 'haircut', provider: 'alex', start: '2020-11-26T20:00:00Z', end: '2020-11-26T20:30:00Z', expiresAt: '2020-11-26T18:31:30Z' };

describe('tool results', () => {
  it('numbers the offered slots in the order the conversation remembers them (exact first)', () => {
    const text = t.renderToolResult('get_availability', { ok: true, requested: { date: '2020-11-26', time: '15:00' }, exact: slot('2020-11-26T20:00:00Z'), alternatives: [slot('2020-11-26T20:30:00Z', 'sam')] }, en)!;
    expect(text).toContain('Thu 26 Nov, 3:00 PM with Alex is free.');
    expect(text).toContain('Thu 26 Nov: 2. 3:30 PM with Sam');
  });

  it('says when the asked time is taken, lists the nearest ones and offers the waitlist for the time asked', () => {
    const text = t.renderToolResult('get_availability', { ok: true, requested: { date: '2020-11-26', time: '15:00' }, exact: null, alternatives: [slot('2020-11-26T21:00:00Z'), slot('2020-11-26T22:00:00Z', 'sam')] }, en)!;
    expect(text).toBe(
      "Thu 26 Nov at 3:00 PM isn't available. The nearest free times for a haircut:\nThu 26 Nov: 1. 4:00 PM with Alex, 2. 5:00 PM with Sam\nReply with a number to pick one.\n" +
        'That time is full. Would you like me to put you on the waitlist for it? If it frees up, I will hold it for you and message you.',
    );
  });

  it('reads a hold back with its expiry and asks for YES', () => {
    expect(t.renderToolResult('hold_slot', { ok: true, hold }, en)).toBe('On hold for you until 1:31 PM (90 seconds): Haircut with Alex, Thu 26 Nov, 3:00 PM. Reply YES to confirm, or NO to let it go.');
    expect(t.renderToolResult('hold_slot', { ok: true, hold }, es)).toContain('Responde SÍ para confirmar');
  });

  it('reads a booking back on both clocks when the customer is not in the business zone', () => {
    expect(t.renderToolResult('confirm_booking', { ok: true, booking }, madrid)).toBe('Reserva confirmada: Masaje con Jordan, vie 27 nov, 16:00 tu hora, 10:00 en Maple Street Studio. Referencia: BK1.');
    expect(t.renderToolResult('confirm_booking', { ok: true, booking }, { ...madrid, locale: 'en' })).toBe("You're booked: Massage with Jordan, Fri 27 Nov, 4:00 PM your time, 10:00 AM at Maple Street Studio. Reference: BK1.");
    expect(t.renderToolResult('confirm_booking', { ok: true, booking }, en)).toBe("You're booked: Massage with Jordan, Fri 27 Nov, 10:00 AM. Reference: BK1.");
  });

  it('lists upcoming confirmed bookings only, earliest first', () => {
    const later = { ...booking, id: 'bk_3', start: '2020-12-01T15:00:00Z' };
    const gone = { ...booking, id: 'bk_4', status: 'cancelled' as const };
    const text = t.renderToolResult('list_my_bookings', { ok: true, bookings: [later, gone, booking] }, en)!;
    expect(text).toBe('Your upcoming appointments:\n1. Massage with Jordan, Fri 27 Nov, 10:00 AM\n2. Massage with Jordan, Tue 1 Dec, 10:00 AM');
    expect(t.renderToolResult('list_my_bookings', { ok: true, bookings: [] }, es)).toBe('No tienes citas próximas.');
  });

  it('renders release, cancel, reschedule and hand-off', () => {
    expect(t.renderToolResult('release_hold', { ok: true, released: hold }, en)).toContain("I've let Thu 26 Nov, 3:00 PM go");
    expect(t.renderToolResult('cancel_booking', { ok: true, booking: { ...booking, status: 'cancelled' } }, en)).toBe('Cancelled: Massage with Jordan, Fri 27 Nov, 10:00 AM.');
    const moved = t.renderToolResult('reschedule_booking', { ok: true, previous: booking, booking: { ...booking, start: '2020-11-28T15:00:00Z' } }, en)!;
    expect(moved).toContain('from Fri 27 Nov, 10:00 AM to Sat 28 Nov, 10:00 AM');
    expect(t.renderToolResult('escalate_to_human', { ok: true }, en)).toContain('member of our team');
  });
});

describe('refusals', () => {
  const rejections: Rejection[] = [
    { code: 'slot_taken' },
    { code: 'outside_hours' },
    { code: 'too_soon', minNoticeMinutes: 120 },
    { code: 'too_far', maxDaysAhead: 30 },
    { code: 'in_the_past' },
    { code: 'unknown_service', service: 'nails' },
    { code: 'unknown_provider', provider: 'zoe' },
    { code: 'provider_does_not_offer', service: 'massage', provider: 'alex' },
    { code: 'not_found' },
    { code: 'not_yours' },
    { code: 'hold_expired' },
    { code: 'not_confirmable', status: 'cancelled' },
    { code: 'inside_cancellation_window', cancellationNoticeHours: 24 },
    { code: 'too_many_active_bookings', max: 3 },
  ];
  const asError = (r: Rejection, alternatives?: SlotView[]): ToolError => {
    const { code, ...details } = r;
    return { ok: false, error: code, message: `engine said ${code}`, details, alternatives };
  };

  it.each(rejections.map((r) => [r.code, r] as const))('explains %s in both languages without the engine message', (_code, r) => {
    for (const opts of [en, es]) {
      const text = t.renderError(asError(r), opts);
      expect(text).toBeTruthy();
      expect(text).not.toContain('engine said');
    }
  });

  it('uses the numbers from the refusal', () => {
    expect(t.renderError(asError({ code: 'too_soon', minNoticeMinutes: 120 }), en)).toContain("2 hours' notice");
    expect(t.renderError(asError({ code: 'too_far', maxDaysAhead: 30 }), en)).toContain('30 days ahead');
    expect(t.renderError(asError({ code: 'provider_does_not_offer', service: 'massage', provider: 'alex' }), en)).toContain('Sam or Jordan can');
  });

  it('states the cancellation policy and offers a person inside the window', () => {
    const text = t.renderError(asError({ code: 'inside_cancellation_window', cancellationNoticeHours: 24 }), en)!;
    expect(text).toContain('24 hours');
    expect(text).toContain('member of our team');
  });

  it('offers the alternatives that come with a refusal', () => {
    const text = t.renderError(asError({ code: 'slot_taken' }, [slot('2020-11-26T21:00:00Z')]), en)!;
    expect(text).toContain('Thu 26 Nov: 1. 4:00 PM with Alex');
  });

  it('explains validation refusals and stays quiet on malformed calls', () => {
    expect(t.renderError({ ok: false, error: 'no_hold', message: 'x' }, en)).toContain('nothing on hold');
    expect(t.renderError({ ok: false, error: 'invalid_date', message: 'x' }, en)).toContain("doesn't exist");
    expect(t.renderError({ ok: false, error: 'invalid_arguments', message: 'x' }, en)).toBeNull();
  });
});

describe('standalone messages', () => {
  it('renders every workflow message in English and Spanish', () => {
    for (const opts of [en, es]) {
      const texts = [
        t.holdExpired(hold, opts),
        t.bookingConfirmed(booking, opts),
        t.reminder(booking, { before: 'PT24H' }, opts),
        t.noShowFollowUp(booking, [], opts),
        t.noShowFollowUp(booking, [{ service: 'massage', provider: 'jordan', start: booking.start, end: booking.end }], opts),
        t.cancelledByBusiness(booking, opts),
        t.handoffToHuman(null, opts),
        t.operatorTookOver({ operator: 'Dana' }, opts),
        t.botIsBack(null, opts),
        t.apology(null, opts),
        t.optedOut(null, opts),
        t.optedIn(null, opts),
        t.help(null, opts),
        t.outOfScope(null, opts),
        t.greeting(null, opts),
        t.fallback(null, opts),
      ];
      for (const text of texts) expect(text.length).toBeGreaterThan(10);
    }
  });

  it('never asks the customer to reply with a word carriers treat as an opt-out', () => {
    // Twilio opts a number out when the whole reply is one of these: "reply CANCEL to cancel" would unsubscribe them.
    const offers = [{ service: 'massage', provider: 'jordan', start: booking.start, end: booking.end }];
    for (const opts of [en, es]) {
      for (const text of [t.reminder(booking, { before: 'PT24H' }, opts), t.noShowFollowUp(booking, offers, opts), t.bookingConfirmed(booking, opts), t.cancelledByBusiness(booking, opts), t.noReminders(null, opts)]) {
        for (const word of OPT_OUT_KEYWORDS) expect(text, text).not.toMatch(new RegExp(`\\b(?:reply|text|send|responde|escribe|envía)\\b[^.]*\\b${word}\\b`, 'i'));
        expect(text, text).not.toMatch(/\b(?:STOP|CANCEL|END|QUIT|UNSUBSCRIBE|STOPALL)\b/);
      }
    }
  });

  it('says how long before a reminder comes', () => {
    expect(t.reminder(booking, { before: 'PT24H' }, en)).toBe('Reminder from Maple Street Studio, in 24 hours: Massage with Jordan, Fri 27 Nov, 10:00 AM. Reply here if you need to change it.');
    expect(t.reminder(booking, { before: 'PT2H' }, es)).toContain('dentro de 2 horas');
  });

  it('confirms with the cancellation notice', () => {
    expect(t.bookingConfirmed(booking, en)).toContain('at least 24 hours before');
  });
});

describe('claimsBookingFact', () => {
  it.each([
    "You're booked for Friday at 3pm!",
    'Your appointment has been cancelled.',
    "I'm holding 3pm for you.",
    'Great news, it is confirmed.',
    "I've moved your appointment to Thursday.",
    'All set!',
    'Tu cita está confirmada.',
    'Te he reservado el viernes a las 5.',
    'Hecho, cancelada.',
  ])('flags "%s"', (text) => expect(claimsBookingFact(text)).toBe(true));

  it.each([
    'Shall I book it?',
    'Would you like me to cancel it?',
    'Which service would you like?',
    'I can book that for you once you confirm.',
    "I couldn't find that booking.",
    '¿Quieres que la reserve?',
    'Reply YES to confirm.',
    'What time works for you on Friday?',
  ])('lets "%s" through', (text) => expect(claimsBookingFact(text)).toBe(false));
});
