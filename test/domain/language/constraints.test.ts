import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { readDayConstraints } from '../../../src/domain/language/constraints';
import * as t from '../../../src/domain/language/templates';
import type { RenderOptions } from '../../../src/domain/language/templates/format';
import { understand } from '../../../src/domain/language/understand';
import type { SlotView } from '../../../src/domain/tools';

/** The language side of constraints: what is ruled out, what is chosen, and how a request and a closed day read back. */

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const now = '2026-11-29T10:00'; // a Sunday, in New York
const zone = 'America/New_York';
const read = (text: string, locale: 'en' | 'es' = 'en') => readDayConstraints(text, { now, zone, locale });
const u = (text: string) => understand(text, { now, zone, business });

describe('readDayConstraints', () => {
  it.each([
    ['a haircut any day but Friday', { excludeWeekdays: ['fri'] }],
    ['not Monday', { excludeWeekdays: ['mon'] }],
    ["I can't do Mondays or Fridays", { excludeWeekdays: ['mon', 'fri'] }],
    ['not weekends', { excludeWeekdays: ['sat', 'sun'] }],
    ['no el lunes', { excludeWeekdays: ['mon'] }],
    ['cualquier día menos el viernes', { excludeWeekdays: ['fri'] }],
    ['except the 24th', { excludeDates: ['2026-12-24'] }],
    ['not the 3rd or the 4th', { excludeDates: ['2026-12-03', '2026-12-04'] }],
    ['excepto el 24 de diciembre', { excludeDates: ['2026-12-24'] }],
    ['any time Thursday or Friday', { weekdays: ['thu', 'fri'] }],
    ['jueves o viernes', { weekdays: ['thu', 'fri'] }],
    ['weekday mornings', { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    ['entre semana por la mañana', { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    ['in the next two weeks', { range: { start: '2026-11-29', end: '2026-12-12' } }],
    ['en las próximas dos semanas', { range: { start: '2026-11-29', end: '2026-12-12' } }],
  ])('%s', (text, expected) => {
    const { rest: _rest, ...found } = read(text);
    expect(found).toEqual(expected);
  });

  it('leaves what it did not read for the resolver, and ignores what is not a day', () => {
    expect(read('haircut weekday mornings').rest).toBe('haircut mornings');
    expect(read('not at 3pm')).toEqual({ rest: 'not at 3pm' });
    expect(read('no, Tuesday')).toEqual({ rest: 'no, tuesday' });
  });
});

describe('understand with constraints', () => {
  it('does not take the day ruled out for the day wanted', () => {
    const said = u('a haircut any day but Friday');
    expect(said.date).toBeUndefined();
    expect(said.excludeWeekdays).toEqual(['fri']);
    expect(said.intent).toBe('book');
  });

  it('reads "Thursday or Friday" as a choice of days, not alternatives to ask about', () => {
    const said = u('massage any time Thursday or Friday');
    expect(said.weekdays).toEqual(['thu', 'fri']);
    expect(said.unresolved?.some((x) => x.kind === 'alternatives') ?? false).toBe(false);
  });

  it('keeps parts of the day and "after 5" with the days', () => {
    expect(u('haircut weekday mornings')).toMatchObject({ weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], window: { start: '00:00', end: '12:00' } });
    expect(u('un corte entre semana por la mañana')).toMatchObject({ weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], window: { start: '00:00', end: '12:00' } });
    expect(u('haircut next week after 5')).toMatchObject({ range: { start: '2026-11-30', end: '2026-12-06' }, window: { start: '17:00', end: '23:59' } });
    expect(u('corte después de las 5')).toMatchObject({ window: { start: '17:00', end: '23:59' } });
  });

  it('reads "before work" as the start of the working day (starting before 10:00)', () => {
    expect(u('a haircut before work on Tuesday')).toMatchObject({ window: { start: '00:00', end: '10:00' } });
  });
});

describe('requests and closed days read back', () => {
  const en: RenderOptions = { locale: 'en', zone, business };
  const es: RenderOptions = { locale: 'es', zone, business };
  const slot = (start: string, provider = 'alex'): SlotView => ({ service: 'haircut', provider, start, end: start });
  const a = slot('2026-12-04T14:00:00Z');
  const b = slot('2026-12-05T19:00:00Z', 'sam');
  const render = (result: object, opts = en) => t.renderToolResult('get_availability', { ok: true, exact: null, alternatives: [a, b], ...result } as never, opts)!;

  it('says a part of the day as the part of the day', () => {
    const morning = { requested: { date: '2026-12-04', window: { start: '00:00', end: '12:00' } } };
    expect(render(morning)).toContain('on Friday morning (4 Dec)');
    expect(render(morning)).not.toContain('12:00 AM');
    expect(render(morning, es)).toContain('el viernes 4 dic por la mañana');
  });

  it('groups the list by day, numbered in order, on one line for texts and speech', () => {
    const text = render({ requested: { date: '2026-12-04', dateTo: '2026-12-10', weekdays: ['fri', 'sat'] } });
    expect(text).toContain('between Fri 4 Dec and Thu 10 Dec, on Fridays or Saturdays:\nFri 4 Dec: 1. 9:00 AM with Alex\nSat 5 Dec: 2. 2:00 PM with Sam');
    const sms = t.renderToolResult('get_availability', { ok: true, requested: {}, exact: null, alternatives: [a, b] }, { ...en, channel: 'sms' })!;
    expect(sms).toContain('Fri 4 Dec: 1. 9:00 AM with Alex · Sat 5 Dec: 2. 2:00 PM with Sam');
  });

  it('reads ruled-out days and "after 5" back', () => {
    const text = render({ requested: { date: '2026-11-30', dateTo: '2026-12-06', weekdays: ['tue', 'wed', 'thu', 'fri', 'sat', 'sun'], window: { start: '17:00', end: '23:59' }, excludeDates: ['2026-12-03'] } });
    expect(text).toContain('except Mondays, after 5:00 PM, except Thu 3 Dec');
    const es2 = render({ requested: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], window: { start: '17:00', end: '23:59' } } }, es);
    expect(es2).toContain('entre semana, después de las 17:00');
  });

  it('says a closed day truthfully, with the next open days, and never offers the waitlist for it', () => {
    const sunday = render({ requested: { date: '2026-12-06' }, closed: { date: '2026-12-06', reason: { kind: 'weekly', weekday: 'sun', scope: 'business' } } });
    expect(sunday).toMatch(/^We're closed on Sundays\. The next free times for a haircut:\n/);
    expect(sunday).not.toMatch(/isn't available|waitlist/);
    const holiday = render({ requested: { date: '2026-12-25' }, closed: { date: '2026-12-25', reason: { kind: 'holiday', name: 'Christmas Day' } } }, es);
    expect(holiday).toMatch(/^El vie 25 dic cerramos \(Christmas Day\)\. Las próximas horas libres/);
  });
});
