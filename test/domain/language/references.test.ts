import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { readReferences, resolveReferences, positionByTime, anchorOf } from '../../../src/domain/language/references';
import { whenBoth } from '../../../src/domain/language/templates/format';
import { renderToolResult } from '../../../src/domain/language/templates';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const anchor = { date: '2026-01-18', time: '10:00', endTime: '11:30', provider: 'alex', service: 'color' };

describe('reading references', () => {
  it.each([
    ['Can we move it to 11am the same day instead?', { sameDay: true, instead: true }],
    ['that day but later', { sameDay: true, direction: 1 }],
    ['later that day', { sameDay: true, direction: 1 }],
    ['an hour earlier', { shiftMinutes: -60 }],
    ['two hours later please', { shiftMinutes: 120 }],
    ['half an hour later', { shiftMinutes: 30 }],
    ['same time next week', { sameTime: true, weeksAhead: 1 }],
    ['with Sam instead', { instead: true }],
    ['the earlier one', { pick: 'earliest' }],
    ['no, I said Tuesday', { correction: true }],
    ['el mismo día pero más tarde', { sameDay: true, direction: 1 }],
    ['una hora antes', { shiftMinutes: -60 }],
    ['media hora más tarde', { shiftMinutes: 30 }],
    ['a la misma hora la semana que viene', { sameTime: true, weeksAhead: 1 }],
    ['no, dije el martes', { correction: true }],
    ['la más temprana', { pick: 'earliest' }],
  ])('%s', (text, words) => {
    expect(readReferences(text)).toEqual(words);
  });

  it('finds nothing in a message that names its own day and time', () => {
    expect(readReferences('a haircut on Friday at 3pm')).toEqual({});
  });
});

describe('resolving against what is discussed', () => {
  it('"11am the same day" takes the booking’s day', () => {
    expect(resolveReferences({ intent: 'reschedule', time: '11:00' }, readReferences('11am the same day'), anchor)).toMatchObject({ date: '2026-01-18', time: '11:00' });
  });
  it('"that day but later" is a window from the end of the appointment', () => {
    expect(resolveReferences({ intent: 'other' }, readReferences('that day but later'), anchor)).toMatchObject({ date: '2026-01-18', window: { start: '11:30', end: '23:59' } });
  });
  it('"an hour earlier" is the anchor’s time less an hour, on its day', () => {
    expect(resolveReferences({ intent: 'other' }, readReferences('an hour earlier'), anchor)).toMatchObject({ date: '2026-01-18', time: '09:00' });
  });
  it('"same time next week" is a week on at the same time', () => {
    expect(resolveReferences({ intent: 'book' }, readReferences('same time next week'), anchor)).toMatchObject({ date: '2026-01-25', time: '10:00' });
  });
  it('a correction keeps the time and replaces the day', () => {
    expect(resolveReferences({ intent: 'book', date: '2026-01-20' }, readReferences('no, I said Tuesday'), anchor)).toMatchObject({ date: '2026-01-20', time: '10:00' });
  });
  it('without an anchor nothing is made up', () => {
    expect(resolveReferences({ intent: 'other' }, readReferences('an hour earlier'), null)).toEqual({ intent: 'other' });
  });
  it('"the earlier one" is the position of the earliest item as shown', () => {
    expect(positionByTime([{ start: '2026-01-19T15:00:00Z' }, { start: '2026-01-18T15:00:00Z' }], 'earliest')).toBe(2);
    expect(positionByTime([{ start: '2026-01-19T15:00:00Z' }], 'earliest')).toBeUndefined();
  });
  it('anchors a booking in the customer’s zone', () => {
    expect(anchorOf({ start: '2026-01-18T15:00:00Z', end: '2026-01-18T16:30:00Z' }, 'America/New_York')).toEqual({ date: '2026-01-18', time: '10:00', endTime: '11:30' });
  });
});

describe('both clocks when the customer is elsewhere', () => {
  const start = '2026-01-18T22:00:00Z'; // 5:00 PM in New York
  it('shows the customer’s time and the business’s', () => {
    expect(whenBoth(start, { locale: 'en', zone: 'America/Los_Angeles', business })).toBe('Sun 18 Jan, 2:00 PM your time, 5:00 PM at Maple Street Studio');
    expect(whenBoth(start, { locale: 'es', zone: 'America/Los_Angeles', business })).toBe('dom 18 ene, 14:00 tu hora, 17:00 en Maple Street Studio');
  });
  it('adds the business’s day when it differs', () => {
    expect(whenBoth(start, { locale: 'en', zone: 'Asia/Tokyo', business })).toBe('Mon 19 Jan, 7:00 AM your time, Sun 18 Jan, 5:00 PM at Maple Street Studio');
  });
  it('reads a hold and a move back on both clocks', () => {
    const la = { locale: 'en' as const, zone: 'America/Los_Angeles', business };
    const hold = { bookingId: 'bk_1', service: 'haircut', provider: 'alex', start, end: '2026-01-18T22:30:00Z', expiresAt: '2026-01-18T21:00:00Z' };
    expect(renderToolResult('hold_slot', { ok: true, hold }, la)).toContain('Haircut with Alex, Sun 18 Jan, 2:00 PM your time, 5:00 PM at Maple Street Studio.');
    const booking = { id: 'bk_1', service: 'haircut', provider: 'alex', start, end: hold.end, status: 'confirmed' as const };
    const moved = renderToolResult('reschedule_booking', { ok: true, booking, previous: { ...booking, start: '2026-01-17T22:00:00Z' } }, { ...la, locale: 'es' });
    expect(moved).toContain('al dom 18 ene, 14:00 tu hora, 17:00 en Maple Street Studio con Alex');
  });
  it('is the plain time in the business’s own zone', () => {
    expect(whenBoth(start, { locale: 'en', zone: business.timezone, business })).toBe('Sun 18 Jan, 5:00 PM');
  });
});
