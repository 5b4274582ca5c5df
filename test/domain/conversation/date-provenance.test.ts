import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { Conversation } from '../../../src/domain/conversation/conversation';
import { checkDateProvenance, keepReadings, MAX_READINGS, readWhen, type DateRecord, type WhenReading } from '../../../src/domain/conversation/date-provenance';
import { guardToolCall } from '../../../src/domain/conversation/guard';
import { parseToolCall, type ParsedToolCall } from '../../../src/domain/tools';

/**
 * The model path's date rule: a date in get_availability or join_waitlist must be one our code read from the
 * customer's words (the interpreter's own understanding, in the customer's zone), an offered slot, the hold or a
 * booking. The expected dates below follow the project's conventions (test/conversations/calendar.ts): "next Friday"
 * is the Friday of the following ISO week, "this Sunday" on a Sunday is today, Spanish "el próximo viernes" is the
 * first one strictly after today.
 */
const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const NY = 'America/New_York';

function call(name: string, args: Record<string, unknown>): ParsedToolCall {
  const parsed = parseToolCall({ id: 'c1', name, arguments: JSON.stringify(args) });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.call;
}
const availability = (args: Record<string, unknown>) => call('get_availability', { service: 'haircut', ...args });
const record = (readings: WhenReading[], more: Partial<DateRecord> = {}): DateRecord => ({ readings, offered: [], bookings: [], hold: null, ...more });
const read = (text: string, now: string, zone = NY, locale?: 'en' | 'es') => readWhen(text, 1, { now, zone, business, ...(locale ? { locale } : {}) });

describe('readWhen and checkDateProvenance', () => {
  // Sunday 29 November 2026, 10:00 in New York.
  const sunday = '2026-11-29T15:00:00.000Z';

  it('"next Friday": the wrong Friday is refused and the refusal names the right one, which passes', () => {
    const r = read('a haircut next Friday at 10am', sunday);
    expect(r.dates).toEqual(['2026-12-04']);
    expect(r.time).toBe('10:00');
    const wrong = checkDateProvenance(availability({ date: '2026-12-11', time: '10:00' }), record([r]), NY);
    expect(wrong).toMatchObject({ ok: false, error: 'date_not_resolved', details: { allowedDates: ['2026-12-04'] } });
    expect(!wrong.ok && wrong.message).toContain('2026-12-04 (Fri, the customer said "a haircut next Friday at 10am")');
    expect(checkDateProvenance(availability({ date: '2026-12-04', time: '10:00' }), record([r]), NY)).toEqual({ ok: true });
  });

  it('a date the customer never said is refused, and the model is told to ask or leave the date out', () => {
    const r = read('can I get a haircut?', sunday);
    expect(r.dates).toEqual([]);
    const verdict = checkDateProvenance(availability({ date: '2026-12-02' }), record([r]), NY);
    expect(verdict).toMatchObject({ ok: false, error: 'date_not_resolved', details: { allowedDates: [] } });
    expect(!verdict.ok && verdict.message).toMatch(/has not named a day.*leave the date out.*ask the customer/);
    // No date at all is always fine: the engine searches the next days.
    expect(checkDateProvenance(availability({}), record([r]), NY)).toEqual({ ok: true });
  });

  it('dates of offered slots, the hold and bookings on record are allowed; the conversation’s date slot too', () => {
    const slot = { service: 'haircut', provider: 'alex', start: '2026-12-09T15:00:00.000Z', end: '2026-12-09T15:30:00.000Z' };
    const booking = { id: 'bk_1', service: 'haircut', provider: 'alex', start: '2026-12-15T03:30:00.000Z', end: '2026-12-15T04:00:00.000Z', status: 'confirmed' as const };
    const hold = { bookingId: 'bk_h', ...slot, start: '2026-12-10T15:00:00.000Z', end: '2026-12-10T15:30:00.000Z', expiresAt: sunday };
    const rec = record([read('hi', sunday)], { offered: [slot], bookings: [booking], hold, slotDate: '2026-12-20' });
    for (const date of ['2026-12-09', '2026-12-10', '2026-12-20']) expect(checkDateProvenance(availability({ date }), rec, NY)).toEqual({ ok: true });
    // 03:30 UTC on the 15th is the evening of the 14th in New York: the booking's day is its local day.
    expect(checkDateProvenance(availability({ date: '2026-12-14' }), rec, NY)).toEqual({ ok: true });
    expect(checkDateProvenance(availability({ date: '2026-12-15' }), rec, NY)).toMatchObject({ ok: false });
  });

  it('a range, its end (dateTo) and excluded days inside it pass; a dateTo or excluded day outside it is refused', () => {
    const r = read('any day in the next two weeks except Monday', sunday);
    // The interpreter reads "in the next two weeks" from today (constraints.ts): the range is the same for the guard (fourteen days, today included).
    expect(r.ranges).toEqual([{ start: '2026-11-29', end: '2026-12-12' }]);
    const rec = record([r]);
    expect(checkDateProvenance(availability({ date: '2026-11-30', dateTo: '2026-12-12', excludeDates: ['2026-11-30', '2026-12-07'] }), rec, NY)).toEqual({ ok: true });
    expect(checkDateProvenance(availability({ date: '2026-11-30', dateTo: '2026-12-20' }), rec, NY)).toMatchObject({ ok: false, message: expect.stringMatching(/^dateTo 2026-12-20:/) });
    expect(checkDateProvenance(availability({ date: '2026-11-30', dateTo: '2026-12-12', excludeDates: ['2026-12-14'] }), rec, NY)).toMatchObject({
      ok: false,
      message: expect.stringContaining('a day within: 2026-11-29 to 2026-12-12'),
    });
  });

  it('"Monday or Tuesday" allows both days; "Thursdays" allows the coming Thursdays', () => {
    // Read as a choice of weekdays, so the coming Mondays and Tuesdays are all allowed.
    expect(read('Monday or Tuesday', sunday).dates).toEqual(['2026-11-30', '2026-12-01', '2026-12-07', '2026-12-08']);
    const thursdays = read('Thursdays after 5', sunday);
    expect(thursdays.weekdays).toEqual(['thu']);
    expect(thursdays.dates).toEqual(['2026-12-03', '2026-12-10']);
    expect(thursdays.window).toEqual({ start: '17:00', end: '23:59' });
  });

  it('Spanish: "el próximo viernes" is the code’s Friday; another Friday is refused', () => {
    const r = read('quiero un corte el próximo viernes a las 10', sunday, NY, 'es');
    expect(r.dates).toEqual(['2026-12-04']);
    expect(checkDateProvenance(availability({ date: '2026-12-04' }), record([r]), NY)).toEqual({ ok: true });
    expect(checkDateProvenance(availability({ date: '2026-12-11' }), record([r]), NY)).toMatchObject({ ok: false, details: { allowedDates: ['2026-12-04'] } });
  });

  it('"this Sunday" on a Sunday is today, in the customer’s zone, even when UTC is already Monday', () => {
    // 23:30 on Sunday in New York is 04:30 on Monday in UTC.
    const late = '2026-11-30T04:30:00.000Z';
    const r = read('this Sunday', late);
    expect(r.dates).toEqual(['2026-11-29']);
    expect(checkDateProvenance(availability({ date: '2026-12-06' }), record([r]), NY)).toMatchObject({ ok: false, details: { allowedDates: ['2026-11-29'] } });
  });

  it('DST weeks: the day is read in local time across the spring-forward and fall-back nights', () => {
    // Madrid, Sunday 29 March 2026 at 01:30 CET, half an hour before clocks go forward: "this Sunday" is today.
    expect(read('this Sunday', '2026-03-29T00:30:00.000Z', 'Europe/Madrid').dates).toEqual(['2026-03-29']);
    // New York, Saturday 7 March 2026 at 23:30 EST (04:30 UTC on the 8th, the spring-forward day).
    const saturdayNight = '2026-03-08T04:30:00.000Z';
    expect(read('tomorrow', saturdayNight).dates).toEqual(['2026-03-08']);
    expect(read('next Friday', saturdayNight).dates).toEqual(['2026-03-13']);
    // New York, Saturday 31 October 2026 at 22:00 EDT (Sunday 02:00 in UTC), the night before clocks go back:
    // "next Monday" is the Monday of the following week, the 2nd; "next Sunday" is the 8th.
    const beforeFallBack = '2026-11-01T02:00:00.000Z';
    const r = read('next Monday please', beforeFallBack);
    expect(r.dates).toEqual(['2026-11-02']);
    expect(read('next Sunday', beforeFallBack).dates).toEqual(['2026-11-08']);
    // A model that takes "next" as "the one after" or counts from the UTC day lands on another Monday: refused.
    expect(checkDateProvenance(availability({ date: '2026-11-09' }), record([r]), NY)).toMatchObject({ ok: false, details: { allowedDates: ['2026-11-02'] } });
  });

  it('join_waitlist: dateFrom and dateTo both need the code’s dates', () => {
    const r = read('put me on the waitlist for next week', sunday);
    const waitlist = (dateFrom: string, dateTo: string) => call('join_waitlist', { service: 'haircut', dateFrom, dateTo });
    expect(r.ranges).toEqual([{ start: '2026-11-30', end: '2026-12-06' }]);
    expect(checkDateProvenance(waitlist('2026-11-30', '2026-12-06'), record([r]), NY)).toEqual({ ok: true });
    expect(checkDateProvenance(waitlist('2026-11-30', '2026-12-12'), record([r]), NY)).toMatchObject({ ok: false });
  });

  it('keeps only the newest readings, so the state stays bounded', () => {
    let readings: WhenReading[] = [];
    for (let turn = 1; turn <= 10; turn++) readings = keepReadings(readings, { turn, words: `${turn}`, dates: [], ranges: [] });
    expect(readings.map((r) => r.turn)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(readings).toHaveLength(MAX_READINGS);
  });

  it('carries readings across continue-as-new, but not into a later visit, when "next Friday" meant another day', () => {
    const conversation = new Conversation();
    conversation.rememberWhen(read('next Friday', sunday));
    expect(new Conversation(conversation.snapshot()).whenReadings).toHaveLength(1);
    const later = new Conversation();
    later.resumeFrom(conversation.snapshot());
    expect(later.whenReadings).toEqual([]);
  });

  it('the guard applies the rule only when given the record (the model path)', () => {
    const conversation = new Conversation();
    const wrong = availability({ date: '2026-12-11' });
    expect(guardToolCall(wrong, conversation, business, sunday, NY)).toEqual({ ok: true });
    expect(guardToolCall(wrong, conversation, business, sunday, NY, record([read('next Friday', sunday)]))).toMatchObject({ ok: false, error: 'date_not_resolved' });
    expect(guardToolCall(availability({ date: '2026-12-04' }), conversation, business, sunday, NY, record([read('next Friday', sunday)]))).toEqual({ ok: true });
  });
});
