import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { demoBusiness } from '../support/time-skipping';
import { CalendarPlan, enTime } from './calendar';
import { buildScripts } from './scripts';

/**
 * The conversations run on the real clock, so the plan they are built on must work whatever day and hour the suite
 * runs: every script must find its days, and the relative phrases must follow the documented conventions.
 */
const business = demoBusiness();
const zone = business.timezone;
const at = (local: string) => new CalendarPlan(business, DateTime.fromISO(local, { zone }));

describe('the calendar plan', () => {
  // Building all the scripts takes tens of milliseconds (a few hundred on a busy machine): a sample of run days.
  it('builds every script whatever the day: two weeks over a daylight-saving change, the year end, early and late', { timeout: 180_000 }, () => {
    const runs: DateTime[] = [];
    const days = (iso: string, n: number) => Array.from({ length: n }, (_, d) => DateTime.fromISO(iso, { zone }).plus({ days: d }));
    runs.push(...days('2027-03-06T12:30', 14), ...days('2027-12-26T12:30', 7));
    for (const day of days('2027-06-04T00:00', 3)) runs.push(day.set({ hour: 0, minute: 30 }), day.set({ hour: 23, minute: 30 }));
    for (const now of runs) expect(() => buildScripts(new CalendarPlan(business, now)), now.toISO()!).not.toThrow();
  });

  it('never gives two scripts overlapping time of one provider on a unique day', () => {
    const plan = at('2027-03-10T09:00');
    const a = plan.uniqueDay('haircut', { times: ['10:00'] });
    // Alex cuts hair at 10 on a's day: a second 10 o'clock haircut goes elsewhere, a 3 o'clock one can share the day.
    const b = plan.uniqueDay('haircut', { times: ['10:00'] });
    const dayBefore = DateTime.fromISO(a.date, { zone }).minus({ days: 1 }).toISODate()!;
    const c = plan.uniqueDay('haircut', { times: ['15:00'], after: dayBefore });
    expect(b.date).not.toBe(a.date);
    expect(c.date).toBe(a.date);
    // A list pick may land anywhere that day: it takes the whole day of everyone who offers the service.
    const everyone = plan.uniqueDay('haircut', { times: ['10:00'], claim: 'all' });
    expect([a.date, b.date]).not.toContain(everyone.date);
    expect(plan.uniqueDay('haircut', { times: ['17:00'], provider: 'sam' }).date).not.toBe(everyone.date);
  });

  it('follows the documented relative-date conventions', () => {
    // Wednesday 10 March 2027.
    const plan = at('2027-03-10T09:00');
    expect(plan.tomorrow().date).toBe('2027-03-11');
    expect(plan.thisWeekday('fri').date).toBe('2027-03-12');
    expect(plan.thisWeekday('wed').date).toBe('2027-03-17');
    expect(plan.nextWeekday('fri').date).toBe('2027-03-19');
    expect(plan.nextWeekday('mon').date).toBe('2027-03-15');
    expect(plan.lastWeekday('mon').date).toBe('2027-03-08');
    expect(plan.dayOfMonth(8).date).toBe('2027-04-08');
    expect(plan.dayOfMonth(10).date).toBe('2027-03-10');
    expect(plan.ordinal()).toMatchObject({ n: 8, day: { date: '2027-04-08' } });
    expect(at('2027-03-07T09:00').ordinal()).toMatchObject({ n: 18, day: { date: '2027-03-18' } });
    // On a Sunday, "next Friday" is five days away: the following ISO week starts tomorrow.
    expect(at('2027-03-14T09:00').nextWeekday('fri').date).toBe('2027-03-19');
  });

  it('says days and times the way customers do', () => {
    const day = at('2027-03-10T09:00').plusDays(5);
    expect(day).toEqual({ date: '2027-03-15', en: 'March 15', es: '15 de marzo', weekday: 'mon' });
    expect(['09:00', '10:30', '12:00', '15:00', '00:00'].map(enTime)).toEqual(['9am', '10:30am', '12pm', '3pm', '12am']);
  });
});
