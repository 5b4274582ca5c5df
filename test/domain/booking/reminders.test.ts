import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planReminders, type PlannedWake } from '../../../src/domain/booking/reminders';
import { testBusiness } from './fixtures';

const NY = 'America/New_York';
const policies = testBusiness().policies; // PT24H + PT2H, quiet 21:00–08:00, grace 15 min

const local = (wakes: PlannedWake[], zone: string) =>
  wakes.map((w) => `${w.kind === 'reminder' ? w.before : 'no_show'} ${DateTime.fromISO(w.at, { zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ')}`);

describe('planReminders', () => {
  it('plans each offset before the start and the no-show check after the end plus grace', () => {
    const wakes = planReminders({
      start: '2025-01-15T20:00:00Z', // 15:00 EST
      end: '2025-01-15T20:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(wakes).toEqual([
      { at: '2025-01-14T20:00:00Z', kind: 'reminder', before: 'PT24H', shifted: false },
      { at: '2025-01-15T18:00:00Z', kind: 'reminder', before: 'PT2H', shifted: false },
      { at: '2025-01-15T20:45:00Z', kind: 'no_show_check' },
    ]);
  });

  it('skips reminders whose time has passed', () => {
    const wakes = planReminders({
      start: '2025-01-15T20:00:00Z',
      end: '2025-01-15T20:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-01-15T12:00:00Z', // booked the same morning
      optedOut: false,
    });
    expect(wakes.map((w) => w.kind === 'reminder' ? w.before : w.kind)).toEqual(['PT2H', 'no_show_check']);
  });

  it('sends no reminders to a customer who opted out, but still plans the no-show check', () => {
    const wakes = planReminders({
      start: '2025-01-15T20:00:00Z',
      end: '2025-01-15T20:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: true,
    });
    expect(wakes).toEqual([{ at: '2025-01-15T20:45:00Z', kind: 'no_show_check' }]);
  });

  it('moves a reminder out of the night to the nearer edge: 07:00 becomes 08:00', () => {
    const wakes = planReminders({
      start: '2025-01-15T14:00:00Z', // 09:00 EST; PT2H would be 07:00
      end: '2025-01-15T14:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(local(wakes, NY)).toEqual([
      'PT24H 2025-01-14 09:00 EST',
      'PT2H 2025-01-15 08:00 EST',
      'no_show 2025-01-15 09:45 EST',
    ]);
    expect(wakes[1]).toMatchObject({ at: '2025-01-15T13:00:00Z', shifted: true });
  });

  it('moves earlier when the later edge would be after the appointment', () => {
    const wakes = planReminders({
      start: '2025-01-16T04:30:00Z', // 23:30 EST; PT2H would be 21:30, quiet until 08:00 the next day
      end: '2025-01-16T05:00:00Z',
      policies: { ...policies, reminderOffsets: ['PT2H'] },
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(local(wakes, NY)[0]).toBe('PT2H 2025-01-15 21:00 EST');
  });

  it('prefers the earlier edge on a tie', () => {
    // Quiet 22:00–06:00; a 24 h reminder at 02:00 is 4 h from either edge.
    const wakes = planReminders({
      start: '2025-01-16T07:00:00Z', // 02:00 EST
      end: '2025-01-16T07:30:00Z',
      policies: { ...policies, reminderOffsets: ['PT24H'], quietHours: { start: '22:00', end: '06:00' } },
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(local(wakes, NY)[0]).toBe('PT24H 2025-01-14 22:00 EST');
  });

  it('drops a reminder that has no allowed time left before the appointment', () => {
    const wakes = planReminders({
      start: '2025-01-16T04:30:00Z', // 23:30 EST
      end: '2025-01-16T05:00:00Z',
      policies: { ...policies, reminderOffsets: ['PT2H'] },
      customerZone: NY,
      now: '2025-01-16T02:10:00Z', // 21:10: the earlier edge (21:00) has passed
      optedOut: false,
    });
    expect(wakes.map((w) => w.kind)).toEqual(['no_show_check']);
  });

  it('uses the customer zone for quiet hours, not the business zone', () => {
    // 16:00 in New York is 22:00 in Madrid; the 24 h reminder at 22:00 Madrid moves to 21:00 Madrid.
    const wakes = planReminders({
      start: '2025-01-15T21:00:00Z',
      end: '2025-01-15T21:30:00Z',
      policies,
      customerZone: 'Europe/Madrid',
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(local(wakes, 'Europe/Madrid').slice(0, 2)).toEqual(['PT24H 2025-01-14 21:00 GMT+1', 'PT2H 2025-01-15 20:00 GMT+1']);
    expect(wakes[0]!.at).toBe('2025-01-14T20:00:00Z');
  });

  it('keeps one reminder when two offsets are moved to the same instant', () => {
    const wakes = planReminders({
      start: '2025-01-15T16:00:00Z', // 11:00 EST: 10 h and 11 h before are 01:00 and 00:00, both quiet
      end: '2025-01-15T16:30:00Z',
      policies: { ...policies, reminderOffsets: ['PT11H', 'PT10H'] },
      customerZone: NY,
      now: '2025-01-10T12:00:00Z',
      optedOut: false,
    });
    expect(local(wakes, NY)).toEqual(['PT11H 2025-01-14 21:00 EST', 'no_show 2025-01-15 11:45 EST']);
  });

  it('counts 24 elapsed hours across the spring-forward change (09:00 EST before a 10:00 EDT start)', () => {
    const wakes = planReminders({
      start: '2025-03-09T14:00:00Z', // Sunday 10:00 EDT
      end: '2025-03-09T14:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-03-01T12:00:00Z',
      optedOut: false,
    });
    expect(wakes.map((w) => w.at)).toEqual(['2025-03-08T14:00:00Z', '2025-03-09T12:00:00Z', '2025-03-09T14:45:00Z']);
    expect(local(wakes, NY)).toEqual([
      'PT24H 2025-03-08 09:00 EST',
      'PT2H 2025-03-09 08:00 EDT',
      'no_show 2025-03-09 10:45 EDT',
    ]);
  });

  it('moves a night reminder on the fall-back night to 08:00 EST', () => {
    const wakes = planReminders({
      start: '2025-11-02T14:00:00Z', // Sunday 09:00 EST; PT2H = 12:00Z = 07:00 EST
      end: '2025-11-02T14:30:00Z',
      policies,
      customerZone: NY,
      now: '2025-10-25T12:00:00Z',
      optedOut: false,
    });
    expect(wakes.map((w) => w.at)).toEqual(['2025-11-01T14:00:00Z', '2025-11-02T13:00:00Z', '2025-11-02T14:45:00Z']);
    // 24 elapsed hours before 09:00 EST is 10:00 EDT on Saturday.
    expect(local(wakes, NY)).toEqual([
      'PT24H 2025-11-01 10:00 EDT',
      'PT2H 2025-11-02 08:00 EST',
      'no_show 2025-11-02 09:45 EST',
    ]);
  });

  it('moves a Madrid night reminder across the European change to 08:00 CEST', () => {
    const wakes = planReminders({
      start: '2025-03-30T07:00:00Z', // Sunday 09:00 CEST; PT2H = 05:00Z = 07:00 CEST
      end: '2025-03-30T07:30:00Z',
      policies,
      customerZone: 'Europe/Madrid',
      now: '2025-03-25T12:00:00Z',
      optedOut: false,
    });
    expect(wakes.map((w) => w.at)).toEqual(['2025-03-29T07:00:00Z', '2025-03-30T06:00:00Z', '2025-03-30T07:45:00Z']);
    expect(local(wakes, 'Europe/Madrid')).toEqual([
      'PT24H 2025-03-29 08:00 GMT+1',
      'PT2H 2025-03-30 08:00 GMT+2',
      'no_show 2025-03-30 09:45 GMT+2',
    ]);
  });
});
