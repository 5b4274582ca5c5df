import { parseBusiness, type Business } from '../../../src/domain/booking/business';

const weekdays9to5 = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '12:00'], ['13:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
  sat: [],
  sun: [],
};

/**
 * A small business for the engine's tests: New York by default, two providers with different hours, services of
 * different lengths and buffers. `overrides` replaces top-level fields (e.g. timezone, providers, policies).
 */
export function testBusiness(overrides: Record<string, unknown> = {}): Business {
  return parseBusiness({
    name: 'Test Studio',
    timezone: 'America/New_York',
    services: [
      { id: 'haircut', name: 'Haircut', durationMinutes: 30, bufferMinutes: 10 },
      { id: 'color', name: 'Colour', durationMinutes: 90, bufferMinutes: 15 },
      { id: 'consult', name: 'Consultation', durationMinutes: 60, bufferMinutes: 0 },
    ],
    providers: [
      { id: 'alex', name: 'Alex', serviceIds: ['haircut', 'color', 'consult'], hours: weekdays9to5 },
      {
        id: 'sam',
        name: 'Sam',
        serviceIds: ['haircut', 'consult'],
        hours: { tue: [['12:00', '20:00']], wed: [['12:00', '20:00']], thu: [['12:00', '20:00']], sat: [['09:00', '15:00']] },
      },
    ],
    policies: {
      minNoticeMinutes: 60,
      maxDaysAhead: 60,
      cancellationNoticeHours: 24,
      holdTtlSeconds: 90,
      reminderOffsets: ['PT24H', 'PT2H'],
      noShowGraceMinutes: 15,
      quietHours: { start: '21:00', end: '08:00' },
      maxActiveBookingsPerCustomer: 3,
    },
    ...overrides,
  });
}

/** Every day of the week with the same hours. */
export function everyDay(intervals: [string, string][]) {
  return { mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals };
}
