import { describe, expect, it } from 'vitest';
import {
  activeBookings,
  checkActiveBookingLimit,
  checkCancellation,
  checkRequest,
  checkSlot,
} from '../../../src/domain/booking/rules';
import type { Booking } from '../../../src/domain/booking/types';
import { testBusiness } from './fixtures';

const business = testBusiness();
const now = '2025-01-12T17:00:00Z'; // Sunday noon, New York

describe('checkRequest', () => {
  it('names the unknown service or provider, and the provider that does not offer the service', () => {
    expect(checkRequest(business, 'nails')).toEqual({ code: 'unknown_service', service: 'nails' });
    expect(checkRequest(business, 'haircut', 'kim')).toEqual({ code: 'unknown_provider', provider: 'kim' });
    expect(checkRequest(business, 'color', 'sam')).toEqual({ code: 'provider_does_not_offer', service: 'color', provider: 'sam' });
    expect(checkRequest(business, 'color', 'alex')).toBeNull();
    expect(checkRequest(business, 'haircut')).toBeNull();
  });
});

describe('checkSlot', () => {
  const slot = (start: string, providerId = 'alex', serviceId = 'haircut', at = now) =>
    checkSlot({ business, serviceId, providerId, start, now: at });

  it('accepts a slot inside the hours, with notice, within range', () => {
    expect(slot('2025-01-13T14:00:00Z')).toBeNull(); // Monday 09:00
    expect(slot('2025-01-13T21:30:00Z')).toBeNull(); // 16:30: ends at closing
  });

  it('refuses appointments outside the provider hours, judged in the business zone', () => {
    expect(slot('2025-01-13T13:45:00Z')).toEqual({ code: 'outside_hours' }); // 08:45
    expect(slot('2025-01-13T21:45:00Z')).toEqual({ code: 'outside_hours' }); // 16:45 ends 17:15
    expect(slot('2025-01-15T16:45:00Z')).toEqual({ code: 'outside_hours' }); // Wednesday 11:45 runs into lunch
    expect(slot('2025-01-13T17:00:00Z', 'sam')).toEqual({ code: 'outside_hours' }); // sam does not work Mondays
  });

  it('refuses the past, short notice and too far ahead, with the policy figures', () => {
    expect(slot('2025-01-12T16:00:00Z')).toEqual({ code: 'in_the_past' });
    expect(slot('2025-01-13T14:00:00Z', 'alex', 'haircut', '2025-01-13T13:30:00Z')).toEqual({ code: 'too_soon', minNoticeMinutes: 60 });
    // maxDaysAhead 60 from Sunday 12 January: Thursday 13 March is the last day (60 days on).
    expect(slot('2025-03-13T13:00:00Z')).toBeNull();
    expect(slot('2025-03-14T13:00:00Z')).toEqual({ code: 'too_far', maxDaysAhead: 60 });
  });

  it('refuses a provider who does not offer the service before looking at time', () => {
    expect(slot('2025-01-14T18:00:00Z', 'sam', 'color')).toEqual({ code: 'provider_does_not_offer', service: 'color', provider: 'sam' });
  });

  it('judges hours on the local day across the spring-forward change', () => {
    // Monday 10 March 2025 is on EDT: 09:00 local is 13:00Z, and 08:30 EDT (12:30Z) is before opening.
    const at = '2025-03-07T12:00:00Z';
    expect(slot('2025-03-10T13:00:00Z', 'alex', 'haircut', at)).toBeNull();
    expect(slot('2025-03-10T12:30:00Z', 'alex', 'haircut', at)).toEqual({ code: 'outside_hours' });
    // The Friday before, still EST: 09:00 is 14:00Z and 13:00Z is 08:00.
    expect(slot('2025-03-07T14:00:00Z', 'alex', 'haircut', '2025-03-06T12:00:00Z')).toBeNull();
    expect(slot('2025-03-07T13:00:00Z', 'alex', 'haircut', '2025-03-06T12:00:00Z')).toEqual({ code: 'outside_hours' });
  });
});

describe('checkCancellation', () => {
  const policies = business.policies; // 24 hours' notice

  it('allows cancelling with enough notice and refuses inside the window, naming the policy', () => {
    expect(checkCancellation({ start: '2025-01-14T18:00:00Z' }, policies, '2025-01-13T17:59:00Z')).toBeNull();
    expect(checkCancellation({ start: '2025-01-14T18:00:00Z' }, policies, '2025-01-13T18:00:00Z')).toBeNull();
    expect(checkCancellation({ start: '2025-01-14T18:00:00Z' }, policies, '2025-01-13T18:01:00Z')).toEqual({
      code: 'inside_cancellation_window',
      cancellationNoticeHours: 24,
    });
    expect(checkCancellation({ start: '2025-01-14T18:00:00Z' }, policies, '2025-01-14T18:00:00Z')).toEqual({ code: 'in_the_past' });
  });

  it('counts elapsed hours, not wall-clock hours, across the spring-forward change', () => {
    // Sunday 9 March 09:00 EDT (13:00Z). Saturday 09:30 EST (14:30Z) looks like 23.5 h on the wall but is 22.5 h.
    expect(checkCancellation({ start: '2025-03-09T13:00:00Z' }, policies, '2025-03-08T14:30:00Z')).toEqual({
      code: 'inside_cancellation_window',
      cancellationNoticeHours: 24,
    });
    // Saturday 08:00 EST (13:00Z) is exactly 24 elapsed hours before, though the wall clock says 25.
    expect(checkCancellation({ start: '2025-03-09T13:00:00Z' }, policies, '2025-03-08T13:00:00Z')).toBeNull();
  });
});

describe('active bookings limit', () => {
  const booking = (id: string, status: Booking['status'], end: string): Booking => ({
    id,
    customerKey: 'c1',
    serviceId: 'haircut',
    providerId: 'alex',
    start: end.replace(':30:', ':00:'),
    end,
    status,
    expiresAt: null,
  });

  it('counts confirmed bookings that have not ended, and refuses a new hold at the limit', () => {
    const bookings = [
      booking('a', 'confirmed', '2025-01-13T14:30:00Z'),
      booking('b', 'confirmed', '2025-01-14T14:30:00Z'),
      booking('c', 'cancelled', '2025-01-15T14:30:00Z'),
      booking('d', 'confirmed', '2025-01-10T14:30:00Z'), // already over
      booking('e', 'held', '2025-01-16T14:30:00Z'),
    ];
    expect(activeBookings(bookings, now).map((b) => b.id)).toEqual(['a', 'b']);
    expect(checkActiveBookingLimit(bookings, business.policies, now)).toBeNull();
    const third = [...bookings, booking('f', 'confirmed', '2025-01-17T14:30:00Z')];
    expect(checkActiveBookingLimit(third, business.policies, now)).toEqual({ code: 'too_many_active_bookings', max: 3 });
  });
});
