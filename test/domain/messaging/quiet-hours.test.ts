import { describe, expect, it } from 'vitest';
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
});
