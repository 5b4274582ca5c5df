import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { providersFor } from '../../src/domain/booking/hours';
import { checkSlot } from '../../src/domain/booking/rules';
import { understand } from '../../src/domain/language/understand';
import { readReferences, refersBack } from '../../src/domain/language/references';
import type { Script } from '../support/conversation-script';
import { demoBusiness } from '../support/time-skipping';
import { CalendarPlan, enTime, PLAN_MARGIN_MINUTES, WEEKDAY, type WeekdayName } from './calendar';
import { allScripts } from './scripts';

/**
 * The conversations run on the real clock, so the plan they are built on must work whatever day and hour the suite
 * runs: every script must find its days, the relative phrases must follow the documented conventions, and what a
 * script expects must be what the booking rules and the date resolver give at any instant its build is valid for.
 * These checks are pure (no Temporal): they sample many run instants cheaply, where the real conversations see one.
 */
const business = demoBusiness();
const zone = business.timezone;
const at = (local: string) => new CalendarPlan(business, DateTime.fromISO(local, { zone }));
const WEEKDAYS = Object.keys(WEEKDAY) as WeekdayName[];

/**
 * What is wrong with `script` (built at `t`) at instant `t`, by the product's own rules: a hold or booking it expects at
 * a date and time must pass checkSlot; a slot refused as unavailable must be refused for the hours, not for being
 * past or too soon; a day whose times are listed must have at least two bookable ones; a "past" answer must be what
 * the resolver says of the words; and the date and time the first message should fill must be the resolver's.
 */
function problemsAt(script: Script, t: DateTime, plan: CalendarPlan): string[] {
  const problems: string[] = [];
  const steps = typeof script.steps === 'function' ? [] : script.steps;
  const bookable = (service: string, provider: string | undefined, date: string, time: string) =>
    providersFor(business, service, provider).some((p) => checkSlot({ business, serviceId: service, providerId: p.id, start: DateTime.fromISO(`${date}T${time}`, { zone }).toISO()!, now: t.toJSDate() }) === null);
  const understood = (text: string) => understand(text, { business, zone: script.timezone ?? zone, now: t.toUTC().toISO()! });
  steps.forEach((step, i) => {
    const where = `${script.name}, turn ${i + 1} at ${t.toISO()}`;
    const want = step.expect ?? {};
    const hold = { ...want.slots, ...want.hold };
    if (want.families?.includes('held') && hold.service && hold.date && hold.time && !bookable(hold.service, hold.provider, hold.date, hold.time)) {
      problems.push(`${where}: expects a hold the rules refuse (${hold.service} ${hold.date} ${hold.time})`);
    }
    if (want.families?.includes('unavailable') && want.slots?.service && want.slots.date && want.slots.time) {
      for (const p of providersFor(business, want.slots.service)) {
        const start = DateTime.fromISO(`${want.slots.date}T${want.slots.time}`, { zone }).toISO()!;
        const refused = checkSlot({ business, serviceId: want.slots.service, providerId: p.id, start, now: t.toJSDate() });
        if (refused && refused.code !== 'outside_hours') problems.push(`${where}: the asked time is refused as ${refused.code}, not unavailable`);
      }
    }
    if (want.families?.includes('availability') && want.slots?.service && want.slots.date) {
      const { service, date, provider } = want.slots;
      let found = 0;
      for (const time of plan.openTimes(date, service, provider)) if (bookable(service, provider, date, time) && ++found === 2) break;
      if (found < 2) problems.push(`${where}: lists ${service} times on ${date}, but ${found} are bookable`);
    }
    if (step.say !== undefined && want.families?.includes('past') && !understood(step.say).unresolved?.some((u) => u.kind === 'past')) {
      problems.push(`${where}: expects "past", but the resolver does not find ${JSON.stringify(step.say)} past`);
    }
  });
  const first = steps[0];
  // "11am the same day" is read against the booking it is about (test/domain/language/references.test.ts), not alone.
  if (first?.say !== undefined && (first.expect?.slots?.date || first.expect?.slots?.time) && !refersBack(readReferences(first.say))) {
    const u = understood(first.say);
    for (const field of ['date', 'time'] as const) {
      const wanted = first.expect?.slots?.[field];
      if (wanted !== undefined && u[field] !== wanted) problems.push(`${script.name} at ${t.toISO()}: the plan says ${field} ${wanted}, the resolver ${u[field] ?? 'nothing'} for ${JSON.stringify(first.say)}`);
    }
  }
  return problems;
}

/**
 * The problems of every given script built at `t` (all of them: a build that throws is one), checked at `t` and, for
 * those that read the instant, at the last instant their build is valid for.
 */
function problemsOfRunAt(t: DateTime, factories = allScripts, run?: CalendarPlan): string[] {
  const plan = run ?? new CalendarPlan(business, t);
  const last = DateTime.min(t.plus({ minutes: PLAN_MARGIN_MINUTES }), t.endOf('day')).minus({ seconds: 1 });
  return factories.flatMap((make, i) => {
    const view = plan.at(t);
    let script: Script;
    try {
      script = make(view);
    } catch (error) {
      return [`script ${i + 1} does not build at ${t.toISO()}: ${(error as Error).message}`];
    } finally {
      if (run) view.releaseClaims(); // many instants on one run: each build gives its unique days back
    }
    return view.dependsOnInstant ? [...problemsAt(script, t, plan), ...problemsAt(script, last, plan)] : problemsAt(script, t, plan);
  });
}

describe('the calendar plan', () => {
  // Building all the scripts takes tens of milliseconds (a few hundred on a busy machine): a sample of run days.
  it('builds every script whatever the day, each as the rules and the resolver have it: two weeks over a daylight-saving change, the year end, early and late', () => {
    const runs: DateTime[] = [];
    const days = (iso: string, n: number) => Array.from({ length: n }, (_, d) => DateTime.fromISO(iso, { zone }).plus({ days: d }));
    runs.push(...days('2027-03-06T12:30', 14), ...days('2027-12-26T12:30', 7));
    for (const day of days('2027-06-04T00:00', 3)) runs.push(day.set({ hour: 0, minute: 30 }), day.set({ hour: 23, minute: 30 }));
    for (const now of runs) expect(problemsOfRunAt(now), now.toISO()!).toEqual([]);
  });

  // Only the scripts that read the instant can depend on the hour; those are rebuilt at each instant.
  it('holds at every hour of every weekday: the scripts that read the clock, early, midday and late', () => {
    const base = new CalendarPlan(business, DateTime.fromISO('2027-06-07T09:00', { zone }));
    const clockBound = allScripts.filter((make) => {
      const view = base.at();
      make(view);
      return view.dependsOnInstant;
    });
    expect(clockBound.length).toBeGreaterThan(5);
    // Early, around the morning's boundaries (11am or 1pm massages "this Sunday" stop being bookable at 9:30 and 11:30
    // with notice and margin), midday, afternoon and late.
    const hours = ['00:20', '08:59', '09:31', '10:50', '11:29', '11:31', '13:55', '18:40', '21:10', '23:59'];
    // Monday 7 June to Sunday 13 June 2027, and the Sunday clocks go back (a 25-hour day).
    const days = [...Array.from({ length: 7 }, (_, d) => DateTime.fromISO('2027-06-07', { zone }).plus({ days: d })), DateTime.fromISO('2027-11-07', { zone })];
    const problems: string[] = [];
    for (const day of days) {
      // One run per day, as if the suite had started that midnight: its unique days (and their caches) are shared.
      const run = new CalendarPlan(business, day);
      for (const hhmm of hours) problems.push(...problemsOfRunAt(DateTime.fromISO(`${day.toISODate()}T${hhmm}`, { zone }), clockBound, run));
    }
    expect(problems).toEqual([]);
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

  it('shares unique days between the views of one run, even across midnight, and takes back those of a build that never ran', () => {
    const plan = at('2027-03-10T23:50');
    const first = plan.at().uniqueDay('haircut', { times: ['10:00'], provider: 'alex' });
    const later = plan.at(DateTime.fromISO('2027-03-11T00:10', { zone }));
    expect(later.uniqueDay('haircut', { times: ['10:00'], provider: 'alex' }).date).not.toBe(first.date);
    const unused = plan.at();
    const taken = unused.uniqueDay('color', { times: ['10:00'], provider: 'alex', claim: ['alex'] });
    unused.releaseClaims();
    expect(plan.at().uniqueDay('color', { times: ['10:00'], provider: 'alex', claim: ['alex'] }).date).toBe(taken.date);
  });

  it('says when a build no longer holds: on another business day, or past its margin', () => {
    const plan = at('2027-03-13T23:40');
    const local = (iso: string) => DateTime.fromISO(iso, { zone });
    expect(plan.validAt(local('2027-03-13T23:59'))).toBe(true);
    expect(plan.validAt(local('2027-03-14T00:01'))).toBe(false);
    const morning = at('2027-03-13T09:00');
    expect(morning.validAt(local('2027-03-13T09:00').plus({ minutes: PLAN_MARGIN_MINUTES - 1 }))).toBe(true);
    expect(morning.validAt(local('2027-03-13T09:00').plus({ minutes: PLAN_MARGIN_MINUTES }))).toBe(false);
    // Reading the instant is what makes a build depend on it; unique days do not.
    const view = morning.at();
    view.uniqueDay('haircut', { times: ['10:00'] });
    expect(view.dependsOnInstant).toBe(false);
    view.tomorrow();
    expect(view.dependsOnInstant).toBe(true);
  });

  it('follows the documented relative-date conventions', () => {
    // Wednesday 10 March 2027.
    const plan = at('2027-03-10T09:00');
    expect(plan.tomorrow().date).toBe('2027-03-11');
    expect(plan.thisWeekday('fri').date).toBe('2027-03-12');
    expect(plan.bareWeekday('fri').date).toBe('2027-03-12');
    // "this Wednesday" on a Wednesday is today; a bare "Wednesday" is next week's.
    expect(plan.thisWeekday('wed').date).toBe('2027-03-10');
    expect(plan.bareWeekday('wed').date).toBe('2027-03-17');
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

  it('"this Sunday" on a Sunday is today — early, at noon and late — and the resolver agrees', () => {
    for (const hhmm of ['00:05', '04:00', '12:00', '23:55']) {
      const now = DateTime.fromISO(`2026-11-29T${hhmm}`, { zone }); // a Sunday
      const plan = new CalendarPlan(business, now);
      expect(plan.thisWeekday('sun').date, hhmm).toBe('2026-11-29');
      expect(plan.bareWeekday('sun').date, hhmm).toBe('2026-12-06');
      const resolved = (text: string) => understand(text, { business, zone, now: now.toUTC().toISO()! }).date;
      expect(resolved('a massage this Sunday'), hhmm).toBe('2026-11-29');
      expect(resolved('una consulta este domingo'), hhmm).toBe('2026-11-29');
    }
  });

  it('agrees with the resolver on every weekday phrase, from every weekday', () => {
    const phrases: [string, (p: CalendarPlan, w: WeekdayName) => string][] = [
      ['this %s', (p, w) => p.thisWeekday(w).date],
      ['on %s', (p, w) => p.bareWeekday(w).date],
      ['next %s', (p, w) => p.nextWeekday(w).date],
      ['the %s after next', (p, w) => p.weekdayAfterNext(w).date],
      ['last %s', (p, w) => p.lastWeekday(w).date],
    ];
    const spanish: Record<WeekdayName, string> = { mon: 'lunes', tue: 'martes', wed: 'miércoles', thu: 'jueves', fri: 'viernes', sat: 'sábado', sun: 'domingo' };
    const english: Record<WeekdayName, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
    const mismatches: string[] = [];
    for (let d = 0; d < 7; d++) {
      const now = DateTime.fromISO('2027-06-07T10:00', { zone }).plus({ days: d });
      const plan = new CalendarPlan(business, now);
      const resolved = (text: string) => understand(`a haircut ${text}`, { business, zone, now: now.toUTC().toISO()! }).date;
      for (const w of WEEKDAYS) {
        const cases: [string, string][] = [
          ...phrases.map(([pattern, day]) => [pattern.replace('%s', english[w]), day(plan, w)] as [string, string]),
          [`el próximo ${spanish[w]}`, plan.bareWeekday(w).date],
          [`este ${spanish[w]}`, plan.thisWeekday(w).date],
        ];
        for (const [text, want] of cases) {
          const got = resolved(text);
          if (got !== want) mismatches.push(`${now.toFormat('ccc')}: "${text}" plan ${want}, resolver ${got}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('puts a booking made straight in the ledger where its provider is off work, inside the next day', () => {
    for (const hhmm of ['00:10', '07:00', '10:30', '13:00', '17:45', '22:00']) {
      const now = DateTime.fromISO(`2027-06-13T${hhmm}`, { zone }); // a Sunday: Jordan works 10 to 2
      const start = DateTime.fromISO(new CalendarPlan(business, now).offHoursStart('jordan', 'consultation', 3)).setZone(zone);
      expect(start >= now.plus({ hours: 3 }), hhmm).toBe(true);
      expect(start < now.plus({ hours: 24 - 1 }), hhmm).toBe(true);
      const jordan = business.providers.find((p) => p.id === 'jordan')!;
      const hours = jordan.hours[WEEKDAYS[start.weekday - 1]!] ?? [];
      const clock = start.toFormat('HH:mm');
      const end = start.plus({ minutes: 15 + 15 }).toFormat('HH:mm');
      for (const [open, close] of hours) expect(end <= open || clock >= close, `${hhmm}: ${clock}–${end} in ${open}–${close}`).toBe(true);
    }
  });

  it('says days and times the way customers do', () => {
    const day = at('2027-03-10T09:00').plusDays(5);
    expect(day).toEqual({ date: '2027-03-15', en: 'March 15', es: '15 de marzo', weekday: 'mon' });
    expect(['09:00', '10:30', '12:00', '15:00', '00:00'].map(enTime)).toEqual(['9am', '10:30am', '12pm', '3pm', '12am']);
  });
});
