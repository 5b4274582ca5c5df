import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots, nearestAlternatives, type BusyInterval } from '../../../src/domain/booking/availability';
import type { Slot } from '../../../src/domain/booking/types';
import { everyDay, testBusiness } from './fixtures';

const NY = 'America/New_York';
const MADRID = 'Europe/Madrid';

/** Local wall-clock "HH:mm" of slot starts in a zone. */
const localStarts = (slots: Slot[], zone: string) =>
  slots.map((s) => DateTime.fromISO(s.start, { zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ'));

describe('findSlots', () => {
  const business = testBusiness();
  // Sunday 2025-01-12 noon in New York: Monday 13th is well ahead of the notice.
  const now = '2025-01-12T17:00:00Z';

  it('lists every 15-minute start inside the provider hours, in the business zone, as UTC instants', () => {
    const slots = findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy: [], date: '2025-01-13' });
    // 09:00 EST is 14:00Z; the last 30-minute haircut starts 16:30 and ends at closing (the buffer may run past it).
    expect(slots[0]).toEqual({ serviceId: 'haircut', providerId: 'alex', start: '2025-01-13T14:00:00Z', end: '2025-01-13T14:30:00Z' });
    expect(slots.at(-1)).toEqual({ serviceId: 'haircut', providerId: 'alex', start: '2025-01-13T21:30:00Z', end: '2025-01-13T22:00:00Z' });
    expect(slots).toHaveLength(31);
  });

  it('respects split hours: no appointment runs through the lunch break', () => {
    // Wednesday: 09:00–12:00 and 13:00–17:00.
    const slots = findSlots({ business, serviceId: 'color', providerId: 'alex', customerZone: NY, now, busy: [], date: '2025-01-15' });
    const starts = localStarts(slots, NY).map((s) => s.slice(11, 16));
    expect(starts).toContain('10:30'); // 10:30–12:00 fits
    expect(starts).not.toContain('10:45'); // would end 12:15
    expect(starts).not.toContain('12:00');
    expect(starts[starts.indexOf('10:30') + 1]).toBe('13:00');
    expect(starts.at(-1)).toBe('15:30');
  });

  it('keeps [start, end + buffer) clear of every busy interval', () => {
    const busy: BusyInterval[] = [{ providerId: 'alex', start: '2025-01-13T15:00:00Z', end: '2025-01-13T15:40:00Z' }]; // 10:00–10:40
    const starts = localStarts(
      findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy, date: '2025-01-13' }),
      NY,
    ).map((s) => s.slice(11, 16));
    expect(starts).toContain('09:15'); // blocks 09:15–09:55
    expect(starts).not.toContain('09:30'); // its buffer would run to 10:10
    expect(starts).not.toContain('10:15');
    expect(starts).toContain('10:45');
    expect(starts).not.toContain('10:30');
  });

  it('ignores busy intervals of other providers', () => {
    const busy: BusyInterval[] = [{ providerId: 'sam', start: '2025-01-13T14:00:00Z', end: '2025-01-13T22:00:00Z' }];
    const slots = findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy, date: '2025-01-13' });
    expect(slots).toHaveLength(31);
  });

  it('starts no earlier than now + minNoticeMinutes', () => {
    const slots = findSlots({
      business,
      serviceId: 'haircut',
      providerId: 'alex',
      customerZone: NY,
      now: '2025-01-13T14:20:00Z', // 09:20 local; notice 60 min → 10:20 → next grid start 10:30
      busy: [],
      date: '2025-01-13',
    });
    expect(slots[0]!.start).toBe('2025-01-13T15:30:00Z');
  });

  it('offers nothing past maxDaysAhead business days, and everything on the last allowed day', () => {
    const short = testBusiness({ policies: { ...business.policies, maxDaysAhead: 3 } });
    const onLastDay = findSlots({ business: short, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-15' });
    const beyond = findSlots({ business: short, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-16' });
    expect(onLastDay.length).toBeGreaterThan(0);
    expect(beyond).toEqual([]);
  });

  it('reads the customer date and window in the customer zone and merges providers in order', () => {
    // Madrid is 6 h ahead in January: 15:00–19:00 Madrid is 09:00–13:00 in New York on Tuesday (alex from 09:00,
    // sam from 12:00).
    const slots = findSlots({
      business,
      serviceId: 'haircut',
      customerZone: MADRID,
      now,
      busy: [],
      date: '2025-01-14',
      window: { start: '15:00', end: '19:00' },
    });
    expect(slots[0]!.start).toBe('2025-01-14T14:00:00Z');
    expect(new Set(slots.map((s) => s.providerId))).toEqual(new Set(['alex', 'sam']));
    const atNoon = slots.filter((s) => s.start === '2025-01-14T17:00:00Z').map((s) => s.providerId);
    expect(atNoon).toEqual(['alex', 'sam']);
    expect(slots.at(-1)!.start).toBe('2025-01-14T17:45:00Z'); // 18:45 Madrid, last start inside the window
  });

  it('covers two business days when the customer day straddles them', () => {
    // Tokyo is 14 h ahead: Tokyo's Wednesday 15th runs from Tuesday 10:00 to Wednesday 10:00 in New York.
    const slots = findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: 'Asia/Tokyo', now, busy: [], date: '2025-01-15' });
    const nyDays = new Set(localStarts(slots, NY).map((s) => s.slice(0, 10)));
    expect(nyDays).toEqual(new Set(['2025-01-14', '2025-01-15']));
    expect(slots[0]!.start).toBe('2025-01-14T15:00:00Z'); // Tuesday 10:00 New York = Wednesday 00:00 Tokyo
    expect(slots.at(-1)!.start).toBe('2025-01-15T14:45:00Z'); // Wednesday 09:45 New York = 23:45 Tokyo
  });

  it('defaults to a week from today when no date is given', () => {
    const slots = findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy: [] });
    const days = new Set(localStarts(slots, NY).map((s) => s.slice(0, 10)));
    // Sunday 12th through Saturday 18th: alex works Monday–Friday.
    expect([...days]).toEqual(['2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17']);
  });

  it('rejects an unknown service loudly', () => {
    expect(() => findSlots({ business, serviceId: 'nails', customerZone: NY, now, busy: [] })).toThrow(/unknown service "nails"/);
  });
});

describe('findSlots across daylight-saving changes', () => {
  it('America/New_York spring forward: 09:00 local is 14:00Z before and 13:00Z after', () => {
    const business = testBusiness({
      providers: [{ id: 'alex', name: 'Alex', serviceIds: ['haircut'], hours: everyDay([['09:00', '10:00']]) }],
    });
    const slots = findSlots({
      business,
      serviceId: 'haircut',
      customerZone: 'America/New_York',
      now: '2025-03-07T12:00:00Z',
      busy: [],
      date: '2025-03-08',
      toDate: '2025-03-10',
    });
    const firsts = ['2025-03-08', '2025-03-09', '2025-03-10'].map((d) =>
      slots.find((s) => DateTime.fromISO(s.start, { zone: NY }).toISODate() === d),
    );
    expect(firsts.map((s) => s!.start)).toEqual(['2025-03-08T14:00:00Z', '2025-03-09T13:00:00Z', '2025-03-10T13:00:00Z']);
    expect(localStarts(firsts as Slot[], NY)).toEqual([
      '2025-03-08 09:00 EST',
      '2025-03-09 09:00 EDT',
      '2025-03-10 09:00 EDT',
    ]);
  });

  it('America/New_York spring forward: an interval spanning 02:00 is one hour shorter and skips the missing hour', () => {
    const business = testBusiness({
      providers: [{ id: 'alex', name: 'Alex', serviceIds: ['consult'], hours: everyDay([['01:00', '04:00']]) }],
      policies: { ...testBusiness().policies, minNoticeMinutes: 0 },
    });
    const slots = findSlots({ business, serviceId: 'consult', customerZone: NY, now: '2025-03-08T12:00:00Z', busy: [], date: '2025-03-09' });
    expect(localStarts(slots, NY)).toEqual([
      '2025-03-09 01:00 EST',
      '2025-03-09 01:15 EST',
      '2025-03-09 01:30 EST',
      '2025-03-09 01:45 EST',
      '2025-03-09 03:00 EDT',
    ]);
    expect(slots.map((s) => s.start)).toEqual([
      '2025-03-09T06:00:00Z',
      '2025-03-09T06:15:00Z',
      '2025-03-09T06:30:00Z',
      '2025-03-09T06:45:00Z',
      '2025-03-09T07:00:00Z',
    ]);
    expect(slots.at(-1)!.end).toBe('2025-03-09T08:00:00Z'); // 04:00 EDT: an hour of service is an hour
  });

  it('America/New_York fall back: an interval spanning 01:00–02:00 is one hour longer and repeats its local times', () => {
    const business = testBusiness({
      providers: [{ id: 'alex', name: 'Alex', serviceIds: ['consult'], hours: everyDay([['01:00', '03:00']]) }],
      policies: { ...testBusiness().policies, minNoticeMinutes: 0 },
    });
    const slots = findSlots({ business, serviceId: 'consult', customerZone: NY, now: '2025-11-01T12:00:00Z', busy: [], date: '2025-11-02' });
    // 01:00 EDT (05:00Z) to 03:00 EST (08:00Z) is three real hours: 60-minute starts from 05:00Z to 07:00Z.
    expect(slots.map((s) => s.start)).toEqual([
      '2025-11-02T05:00:00Z',
      '2025-11-02T05:15:00Z',
      '2025-11-02T05:30:00Z',
      '2025-11-02T05:45:00Z',
      '2025-11-02T06:00:00Z',
      '2025-11-02T06:15:00Z',
      '2025-11-02T06:30:00Z',
      '2025-11-02T06:45:00Z',
      '2025-11-02T07:00:00Z',
    ]);
    expect(localStarts(slots, NY).slice(3, 6)).toEqual(['2025-11-02 01:45 EDT', '2025-11-02 01:00 EST', '2025-11-02 01:15 EST']);
    expect(localStarts(slots, NY).at(-1)).toBe('2025-11-02 02:00 EST');
  });

  it('America/New_York fall back: 09:00 local is 13:00Z on Saturday and 14:00Z on Sunday', () => {
    const business = testBusiness({
      providers: [{ id: 'alex', name: 'Alex', serviceIds: ['haircut'], hours: everyDay([['09:00', '09:30']]) }],
    });
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: NY, now: '2025-10-31T12:00:00Z', busy: [], date: '2025-11-01', toDate: '2025-11-02' });
    expect(slots.map((s) => s.start)).toEqual(['2025-11-01T13:00:00Z', '2025-11-02T14:00:00Z']);
    expect(localStarts(slots, NY)).toEqual(['2025-11-01 09:00 EDT', '2025-11-02 09:00 EST']);
  });

  it('Europe/Madrid spring forward: 09:00 local is 08:00Z before and 07:00Z after', () => {
    const business = testBusiness({
      timezone: MADRID,
      providers: [{ id: 'alex', name: 'Alex', serviceIds: ['haircut'], hours: everyDay([['09:00', '09:30']]) }],
    });
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: MADRID, now: '2025-03-28T12:00:00Z', busy: [], date: '2025-03-29', toDate: '2025-03-31' });
    expect(slots.map((s) => s.start)).toEqual(['2025-03-29T08:00:00Z', '2025-03-30T07:00:00Z', '2025-03-31T07:00:00Z']);
    expect(localStarts(slots, MADRID)).toEqual(['2025-03-29 09:00 GMT+1', '2025-03-30 09:00 GMT+2', '2025-03-31 09:00 GMT+2']);
  });

  it('a Madrid customer booking New York between the two changes gets the 5-hour difference, not 6', () => {
    // 2025-03-17: New York is on EDT (since 9 March), Madrid still on CET (until 30 March).
    const business = testBusiness();
    const slots = findSlots({
      business,
      serviceId: 'haircut',
      providerId: 'alex',
      customerZone: MADRID,
      now: '2025-03-16T12:00:00Z',
      busy: [],
      date: '2025-03-17',
      window: { start: '14:00', end: '14:30' },
    });
    // 14:00 Madrid (CET) = 13:00Z = 09:00 EDT: alex's first slot.
    expect(slots.map((s) => s.start)).toEqual(['2025-03-17T13:00:00Z', '2025-03-17T13:15:00Z']);
    expect(localStarts(slots, NY)).toEqual(['2025-03-17 09:00 EDT', '2025-03-17 09:15 EDT']);
  });
});

describe('nearestAlternatives', () => {
  const business = testBusiness();
  const now = '2025-01-12T17:00:00Z';

  it('offers the same day first, closest to the requested time, earlier on a tie', () => {
    // Monday: only alex. 11:00 (16:00Z) requested, 10:30–11:40 taken.
    const busy: BusyInterval[] = [{ providerId: 'alex', start: '2025-01-13T15:30:00Z', end: '2025-01-13T16:40:00Z' }];
    const alternatives = nearestAlternatives('2025-01-13T16:00:00Z', { business, serviceId: 'haircut', customerZone: NY, now, busy }, { limit: 4 });
    // A 10:00 start would block to 10:40 (taken from 10:30), so the latest before is 09:45 (75 min away); after the
    // busy stretch: 11:45 (45), 12:00 (60), 12:15 (75, ties with 09:45 and loses as the later one).
    expect(localStarts(alternatives, NY).map((s) => s.slice(11, 16))).toEqual(['11:45', '12:00', '09:45', '12:15']);
    expect(alternatives.every((s) => s.providerId === 'alex')).toBe(true);
  });

  it('moves to the following days, nearest to the same time of day, when the day is full', () => {
    const busy: BusyInterval[] = [{ providerId: 'alex', start: '2025-01-13T14:00:00Z', end: '2025-01-13T22:00:00Z' }];
    const alternatives = nearestAlternatives(
      '2025-01-13T19:00:00Z', // Monday 14:00
      { business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy },
      { limit: 3 },
    );
    expect(localStarts(alternatives, NY)).toEqual(['2025-01-14 14:00 EST', '2025-01-14 13:45 EST', '2025-01-14 14:15 EST']);
  });

  it('spreads across providers and does not offer the same time twice while other times exist', () => {
    // Tuesday 14:00 requested, alex and sam both free all afternoon.
    const alternatives = nearestAlternatives('2025-01-14T19:00:00Z', { business, serviceId: 'haircut', customerZone: NY, now, busy: [] }, { limit: 4 });
    expect(new Set(alternatives.map((s) => s.start)).size).toBe(4);
    expect(alternatives[0]!.start).toBe('2025-01-14T19:00:00Z');
    const providers = alternatives.map((s) => s.providerId);
    expect(providers.filter((p) => p === 'alex')).toHaveLength(2);
    expect(providers.filter((p) => p === 'sam')).toHaveLength(2);
  });

  it('skips slots already past or inside the notice period on the requested day', () => {
    const alternatives = nearestAlternatives(
      '2025-01-13T14:00:00Z', // Monday 09:00
      { business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now: '2025-01-13T15:00:00Z', busy: [] },
      { limit: 2 },
    );
    // Now is 10:00; with an hour's notice the first start is 11:00.
    expect(localStarts(alternatives, NY).map((s) => s.slice(11, 16))).toEqual(['11:00', '11:15']);
  });

  it('returns nothing when nothing is free in the search horizon', () => {
    const busy: BusyInterval[] = [{ providerId: 'alex', start: '2025-01-01T00:00:00Z', end: '2025-12-31T00:00:00Z' }];
    expect(
      nearestAlternatives('2025-01-13T16:00:00Z', { business, serviceId: 'color', customerZone: NY, now, busy }),
    ).toEqual([]);
  });
});
