import { describe, expect, it } from 'vitest';
import type { BusyInterval } from '../../../src/domain/booking/availability';
import { offerSlots } from '../../../src/domain/booking/offers';
import { testBusiness } from './fixtures';

const business = testBusiness();
const now = '2025-01-12T17:00:00Z';
const NY = 'America/New_York';

describe('offerSlots', () => {
  it('accepts an exact time off the 15-minute grid when it fits the rules and is free', () => {
    const offer = offerSlots({ business, serviceId: 'haircut', providerId: 'alex', customerZone: NY, now, busy: [], date: '2025-01-13', time: '10:10' });
    expect(offer.requestedStart).toBe('2025-01-13T15:10:00Z');
    expect(offer.exact).toEqual({ serviceId: 'haircut', providerId: 'alex', start: '2025-01-13T15:10:00Z', end: '2025-01-13T15:40:00Z' });
    expect(offer.alternatives).toHaveLength(5);
  });

  it('gives the exact time to the next provider in business order when the first is busy', () => {
    const busy: BusyInterval[] = [{ providerId: 'alex', start: '2025-01-14T17:00:00Z', end: '2025-01-14T17:40:00Z' }];
    const offer = offerSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy, date: '2025-01-14', time: '12:00' });
    expect(offer.exact?.providerId).toBe('sam');
    expect(offer.alternatives.every((s) => s.start !== offer.exact!.start)).toBe(true);
  });

  it('reads "today" in the customer zone when only a time is given', () => {
    // 17:00Z on the 12th is already the 13th in Tokyo, so "09:00" means Monday 09:00 Tokyo = Sunday 19:00 New York,
    // when nobody works: no exact slot, but alternatives.
    const offer = offerSlots({ business, serviceId: 'haircut', customerZone: 'Asia/Tokyo', now, busy: [], time: '09:00' });
    expect(offer.requestedStart).toBe('2025-01-13T00:00:00Z');
    expect(offer.exact).toBeNull();
    expect(offer.alternatives[0]!.start).toBe('2025-01-13T14:00:00Z'); // Monday 09:00 New York, the nearest
  });

  it('without a time, spreads distinct starts over the first day with room and rotates providers', () => {
    const offer = offerSlots({ business, serviceId: 'haircut', customerZone: NY, now, busy: [], date: '2025-01-14', limit: 4 });
    expect(offer.exact).toBeNull();
    expect(new Set(offer.alternatives.map((s) => s.start)).size).toBe(4);
    expect(new Set(offer.alternatives.map((s) => s.providerId))).toEqual(new Set(['alex', 'sam']));
    expect(offer.alternatives[0]!.start).toBe('2025-01-14T14:00:00Z');
    expect(offer.alternatives.at(-1)!.start).toBe('2025-01-15T00:30:00Z'); // Tuesday 19:30, sam's last start
  });
});
