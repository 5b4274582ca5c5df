import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots } from '../../../src/domain/booking/availability';
import { closedDay } from '../../../src/domain/booking/closed-day';
import { offerSlots, spreadOverDays } from '../../../src/domain/booking/offers';
import { testBusiness } from './fixtures';

/** The engine's side of constraints: weekdays and excluded dates, offers that read well, closed days. */

const business = testBusiness();
const now = '2025-01-12T17:00:00Z'; // Sunday noon in New York
const NY = 'America/New_York';
const local = (iso: string) => DateTime.fromISO(iso, { zone: NY });

describe('findSlots with day restrictions', () => {
  it('keeps only the weekdays asked for and drops excluded dates (read in the customer zone)', () => {
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-13', toDate: '2025-01-26', weekdays: ['mon', 'wed'], excludeDates: ['2025-01-15'] });
    const days = new Set(slots.map((s) => local(s.start).toISODate()));
    expect([...days]).toEqual(['2025-01-13', '2025-01-20', '2025-01-22']);
  });

  it('reads the weekday in the customer zone, not the business zone', () => {
    // Tokyo is 14 hours ahead: Alex's Monday 9:00–17:00 New York is Monday 23:00 to Tuesday 07:00 in Tokyo.
    const slots = findSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: 'Asia/Tokyo', now, busy: [], date: '2025-01-14', weekdays: ['tue'] });
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => DateTime.fromISO(s.start, { zone: 'Asia/Tokyo' }).weekday === 2)).toBe(true);
  });
});

describe('offers that read well', () => {
  it('lists the nearest times to a named time chronologically, not nearest-first', () => {
    const offer = offerSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy: [{ providerId: 'alex', start: '2025-01-14T15:00:00Z', end: '2025-01-14T16:40:00Z' }], date: '2025-01-14', time: '10:30' });
    const starts = offer.alternatives.map((s) => Date.parse(s.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(offer.alternatives.length).toBe(6);
  });

  it('never offers more than the limit, the exact slot included', () => {
    const offer = offerSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-14', time: '10:00', limit: 3 });
    expect(offer.exact).not.toBeNull();
    expect(offer.alternatives.length).toBe(2);
  });

  it('spreads a span of days over several days, two a day, and a single day through the day', () => {
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-13', toDate: '2025-01-24' });
    const spread = spreadOverDays(slots, NY, 6, 'spread');
    const days = spread.map((s) => local(s.start).toISODate());
    expect(new Set(days).size).toBe(3);
    expect(days[0]).toBe('2025-01-13');
    expect(days[days.length - 1]).toBe('2025-01-24');
    const single = spreadOverDays(slots.filter((s) => local(s.start).toISODate() === '2025-01-14'), NY, 3, 'single');
    expect(single.map((s) => local(s.start).toFormat('HH:mm'))).toEqual(['09:00', '14:15', '19:30']);
  });

  it('with no day named, takes the soonest days with room, not all on the first morning', () => {
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy: [] });
    const soonest = spreadOverDays(slots, NY, 6, 'soonest');
    expect(soonest.map((s) => local(s.start).toISODate())).toEqual(['2025-01-13', '2025-01-13', '2025-01-14', '2025-01-14', '2025-01-15', '2025-01-15']);
    expect(soonest.filter((s) => local(s.start).hour < 12).length).toBeLessThan(6);
  });

  it('passes a short day’s share on to the other days', () => {
    // Only one haircut fits on Monday the 13th after a long busy stretch.
    const busy = [{ providerId: 'alex', start: '2025-01-13T14:00:00Z', end: '2025-01-13T21:20:00Z' }];
    const slots = findSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy, date: '2025-01-13', toDate: '2025-01-15' });
    const spread = spreadOverDays(slots, NY, 6, 'spread');
    expect(spread.length).toBe(6);
    expect(new Set(spread.map((s) => s.start)).size).toBe(6);
  });
});

describe('closedDay', () => {
  const base = { business, customerZone: NY, fileClosures: [], staffClosures: [] };
  it('a weekday nobody works is closed for the business; one nobody offering the service works, for the service', () => {
    expect(closedDay({ ...base, serviceId: 'haircut', date: '2025-01-19' })?.reason).toEqual({ kind: 'weekly', weekday: 'sun', scope: 'business' });
    expect(closedDay({ ...base, serviceId: 'color', date: '2025-01-18' })?.reason).toEqual({ kind: 'weekly', weekday: 'sat', scope: 'service' });
    expect(closedDay({ ...base, serviceId: 'haircut', providerId: 'sam', date: '2025-01-13' })?.reason).toEqual({ kind: 'weekly', weekday: 'mon', scope: 'provider' });
    expect(closedDay({ ...base, serviceId: 'haircut', date: '2025-01-18' })).toBeNull();
  });

  it('names a holiday from the business file, and a staff closure only when it covers the opening hours', () => {
    const fileClosures = [{ date: '2025-01-20', reason: 'Martin Luther King Jr. Day', start: '2025-01-20T05:00:00Z', end: '2025-01-21T05:00:00Z' }];
    expect(closedDay({ ...base, fileClosures, serviceId: 'haircut', date: '2025-01-20' })?.reason).toEqual({ kind: 'holiday', name: 'Martin Luther King Jr. Day' });
    const wholeDay = [{ start: '2025-01-21T05:00:00Z', end: '2025-01-22T05:00:00Z', reason: 'Training' }];
    expect(closedDay({ ...base, staffClosures: wholeDay, serviceId: 'haircut', date: '2025-01-21' })?.reason).toEqual({ kind: 'closure', reason: 'Training' });
    const morningOnly = [{ start: '2025-01-21T14:00:00Z', end: '2025-01-21T17:00:00Z', reason: 'Training' }];
    expect(closedDay({ ...base, staffClosures: morningOnly, serviceId: 'haircut', date: '2025-01-21' })).toBeNull();
  });
});
