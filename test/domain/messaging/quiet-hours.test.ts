import { describe, expect, it } from 'vitest';
import { planReminders } from '../../../src/domain/booking/reminders';
import { isQuietTime, nextSendableTime } from '../../../src/domain/messaging/quiet-hours';

const overnight = { start: '21:00', end: '08:00' };
const zone = 'America/New_York';

describe('quiet hours', () => {
  it('covers an overnight window in the customer zone', () => {
    expect(isQuietTime('2030-06-10T01:30:00Z', zone, overnight)).toBe(true); // 21:30 local
    expect(isQuietTime('2030-06-10T11:00:00Z', zone, overnight)).toBe(true); // 07:00 local
    expect(isQuietTime('2030-06-10T12:00:00Z', zone, overnight)).toBe(false); // 08:00 local
    expect(isQuietTime('2030-06-10T00:59:00Z', zone, overnight)).toBe(false); // 20:59 local
  });

  it('handles a same-day window and an empty one', () => {
    expect(isQuietTime('2030-06-10T17:30:00Z', zone, { start: '13:00', end: '14:00' })).toBe(true);
    expect(isQuietTime('2030-06-10T17:30:00Z', zone, { start: '13:00', end: '13:00' })).toBe(false);
  });

  it('moves a quiet instant to the end of quiet hours, across midnight and daylight-saving changes', () => {
    expect(nextSendableTime('2030-06-10T01:30:00Z', zone, overnight)).toBe('2030-06-10T12:00:00.000Z');
    expect(nextSendableTime('2030-06-10T11:00:00Z', zone, overnight)).toBe('2030-06-10T12:00:00.000Z');
    expect(nextSendableTime('2030-06-10T15:00:00Z', zone, overnight)).toBe('2030-06-10T15:00:00.000Z');
    // 2030-03-10 is the US spring-forward day: 08:00 EDT is 12:00Z, where the evening before was EST.
    expect(nextSendableTime('2030-03-10T03:00:00Z', zone, overnight)).toBe('2030-03-10T12:00:00.000Z');
  });

  it('has one boundary rule, the reminder plan’s: exactly 21:00 and exactly 08:00 are allowed, a second past 21:00 is not', () => {
    expect(isQuietTime('2030-06-11T01:00:00Z', zone, overnight)).toBe(false); // 21:00:00 local
    expect(isQuietTime('2030-06-11T01:00:01Z', zone, overnight)).toBe(true); // 21:00:01 local
    expect(isQuietTime('2030-06-10T11:59:59Z', zone, overnight)).toBe(true); // 07:59:59 local
    expect(nextSendableTime('2030-06-11T01:00:00Z', zone, overnight)).toBe('2030-06-11T01:00:00.000Z');
    // A reminder ideally at 21:30 is moved to 21:00, which the messaging activity must then let through.
    const [reminder] = planReminders({
      start: '2030-06-12T01:30:00Z', // 21:30 local, so its 24 h reminder falls at 21:30 the day before
      end: '2030-06-12T02:30:00Z',
      policies: { reminderOffsets: ['PT24H'], quietHours: overnight, noShowGraceMinutes: 15 },
      customerZone: zone,
      now: '2030-06-01T00:00:00Z',
      optedOut: false,
    });
    expect(reminder).toMatchObject({ kind: 'reminder', at: '2030-06-11T01:00:00Z', shifted: true });
    expect(isQuietTime(reminder!.at, zone, overnight)).toBe(false);
  });
});
