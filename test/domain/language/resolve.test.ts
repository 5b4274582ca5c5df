import { describe, expect, it } from 'vitest';
import { resolveWhen, type WhenResult } from '../../../src/domain/language/resolve';

/** SGD's reference: Friday 2019-03-01 09:00 in Los Angeles. */
const sgd = (text: string) => resolveWhen(text, { now: '2019-03-01T09:00', zone: 'America/Los_Angeles' });
/** Duckling's reference: Tuesday 2013-02-12 04:30 at UTC-2. */
const duck = (text: string) => resolveWhen(text, { now: '2013-02-12T04:30:00-02:00', zone: 'UTC-2' });
const kinds = (r: WhenResult) => r.unresolved.map((u) => u.kind);

describe('weekdays: both corpora agree that "next Friday" is the Friday of the following week', () => {
  it.each([
    ['next Friday', '2019-03-08'],
    ['Friday next week', '2019-03-08'],
    ['next Monday', '2019-03-04'],
    ['Thursday next week', '2019-03-07'],
    ['this Sunday', '2019-03-03'],
    ['Sunday this week', '2019-03-03'],
    ['Saturday this week', '2019-03-02'],
    ['tomorrow', '2019-03-02'],
    ['the day after tomorrow', '2019-03-03'],
    ['day after tomorrow', '2019-03-03'],
  ])('SGD %s → %s', (text, date) => expect(sgd(text).date).toBe(date));

  it.each([
    ['next tuesday', '2013-02-19'],
    ['next wednesday', '2013-02-20'],
    ['wednesday', '2013-02-13'],
    ['tuesday', '2013-02-19'],
    ['this monday', '2013-02-18'],
    ['monday of this week', '2013-02-11'],
    ['last sunday', '2013-02-10'],
    ['friday after next', '2013-02-22'],
    ['3 fridays from now', '2013-03-01'],
    ['2 thursdays ago', '2013-01-31'],
  ])('Duckling %s → %s', (text, date) => expect(duck(text).date).toBe(date));
});

describe('days of the month, month names and numeric dates', () => {
  it('reads ordinals in this month, or the next when they have passed', () => {
    expect(sgd('the 8th').date).toBe('2019-03-08');
    expect(sgd('the 1st').date).toBe('2019-03-01');
    expect(duck('the 1st').date).toBe('2013-03-01');
    expect(sgd('12th of this month').date).toBe('2019-03-12');
    expect(duck('20 of next month').date).toBe('2013-03-20');
  });

  it('rolls month names and numeric dates over into next year', () => {
    const december = (text: string) => resolveWhen(text, { now: '2019-12-20T10:00', zone: 'America/New_York' });
    expect(december('January 5').date).toBe('2020-01-05');
    expect(december('1/2').date).toBe('2020-01-02');
    expect(december('the 3rd').date).toBe('2020-01-03');
    expect(december('12/31').date).toBe('2019-12-31');
    expect(december('next Friday').date).toBe('2019-12-27');
    expect(december('in two weeks').date).toBe('2020-01-03');
  });

  it.each([
    ['2/15', '2013-02-15'],
    ['10/31/1974', '1974-10-31'],
    ['10-31-74', '1974-10-31'],
    ['31st Oct 1974', '1974-10-31'],
    ['March 7th', '2013-03-07'],
    ['the first of march', '2013-03-01'],
    ['february the 15th', '2013-02-15'],
    ['Fri, Jul 18', '2014-07-18'],
    ['2015-03-03', '2015-03-03'],
    ['in a week', '2013-02-19'],
    ['3 years from today', '2016-02-12'],
    ['the first Monday of this month', '2013-02-04'],
    ['last friday of october', '2013-10-25'],
  ])('%s → %s', (text, date) => expect(duck(text).date).toBe(date));

  it('reads Spanish numeric dates day first', () => {
    expect(resolveWhen('el 3/4', { now: '2019-03-01T09:00', zone: 'Europe/Madrid', locale: 'es' }).date).toBe('2019-04-03');
    expect(resolveWhen('3/4', { now: '2019-03-01T09:00', zone: 'America/New_York', locale: 'en' }).date).toBe('2019-03-04');
  });

  it('reports a day that is not on the calendar', () => {
    expect(kinds(sgd('February 30th at 3pm'))).toContain('invalid_date');
  });
});

describe('times of day', () => {
  it.each([
    ['half past 3 in the afternoon', '15:30'],
    ['evening 4', '16:00'],
    ['4 in the evening', '16:00'],
    ['quarter to 5', '16:45'],
    ['quarter to 4 in the afternoon', '15:45'],
    ['quarter to 13 in the afternoon', '12:45'],
    ['quarter to 12 in the morning', '11:45'],
    ['twelve in the afternoon', '12:00'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
    ['14:30', '14:30'],
    ['3pm', '15:00'],
    ['three pm', '15:00'],
    ['at 5 o"clock in the evening', '17:00'],
    ['morning 10:15', '10:15'],
    ['afternoon 2:30', '14:30'],
    ['09:30', '09:30'],
  ])('SGD %s → %s', (text, time) => expect(sgd(text).time).toBe(time));

  it.each([
    ['ten thirty', '10:30'],
    ['twelve oh three', '12:03'],
    ['20 minutes to 2pm tomorrow', '13:40'],
    ['a quarter past noon', '12:15'],
    ['330 p.m.', '15:30'],
    ['at 730 in the evening', '19:30'],
    ['8 tonight', '20:00'],
    ['15h30', '15:30'],
    ['nine fifty nine a m', '09:59'],
  ])('Duckling %s → %s', (text, time) => expect(duck(text).time).toBe(time));

  it('joins the day and the time into one instant in the zone', () => {
    const r = sgd('next Friday at half past 3 in the afternoon');
    expect(r).toMatchObject({ date: '2019-03-08', time: '15:30', instant: '2019-03-08T15:30:00-08:00' });
    expect(r.unresolved).toEqual([]);
  });

  it('reports a bare hour without am or pm and guesses business hours', () => {
    const r = sgd('tomorrow at 3');
    expect(r.time).toBe('15:00');
    expect(r.unresolved.find((u) => u.kind === 'meridiem')?.candidates).toEqual(['03:00', '15:00']);
  });

  it('lets the caller settle am/pm, e.g. by opening hours', () => {
    const r = resolveWhen('tomorrow at 7', { now: '2019-03-01T09:00', zone: 'America/New_York', disambiguate: (c) => c[1] });
    expect(r.time).toBe('19:00');
    expect(kinds(r)).not.toContain('meridiem');
  });

  it('reports a weekday without a time and a time without a day', () => {
    expect(kinds(sgd('next Tuesday'))).toContain('no_time');
    expect(kinds(sgd('at 3pm'))).toContain('no_date');
  });

  it('converts a time said in another zone', () => {
    expect(duck('4pm CET').time).toBe('13:00');
    expect(duck('Thursday 8:00 GMT')).toMatchObject({ date: '2013-02-14', time: '06:00' });
  });
});

describe('windows', () => {
  it.each([
    ['mornings', { start: '00:00', end: '12:00' }],
    ['in the afternoon', { start: '12:00', end: '19:00' }],
    ['evening', { start: '18:00', end: '23:59' }],
    ['after 3', { start: '15:00', end: '23:59' }],
    ['after 3pm', { start: '15:00', end: '23:59' }],
    ['before noon', { start: '00:00', end: '12:00' }],
    ['around noon', { start: '11:00', end: '13:00' }],
    ['between 2 and 4', { start: '14:00', end: '16:00' }],
    ['3-4pm', { start: '15:00', end: '16:00' }],
    ['9:30 - 11:00', { start: '09:30', end: '11:00' }],
    ['8am until 6', { start: '08:00', end: '18:00' }],
    ['entre las 4 y las 6', { start: '16:00', end: '18:00' }],
  ])('%s', (text, window) => expect(sgd(text).window).toEqual(window));

  it('keeps "around noon" as a preferred time inside its window', () => {
    expect(sgd('around noon')).toMatchObject({ time: '12:00', approximate: true });
  });

  it('reads weekday restrictions', () => {
    expect(sgd('only Tuesdays').weekdays).toEqual(['tue']);
    expect(sgd('Mondays and Wednesdays after 5').weekdays).toEqual(['mon', 'wed']);
    expect(sgd('weekdays').weekdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(sgd('Tuesday').weekdays).toBeUndefined();
  });

  it('reports "next weekend" as ambiguous with both candidates', () => {
    const r = sgd('next weekend');
    expect(r.range).toEqual({ start: '2019-03-09', end: '2019-03-10' });
    expect(r.unresolved.find((u) => u.kind === 'ambiguous_weekend')?.candidates).toEqual(['2019-03-02', '2019-03-09']);
    expect(sgd('this weekend').range).toEqual({ start: '2019-03-02', end: '2019-03-03' });
  });

  it('reads ranges of days', () => {
    expect(duck('next week').range).toEqual({ start: '2013-02-18', end: '2013-02-24' });
    expect(duck('July 13-15').range).toEqual({ start: '2013-07-13', end: '2013-07-15' });
    expect(duck('from 13th to 15th July').range).toEqual({ start: '2013-07-13', end: '2013-07-15' });
  });
});

describe('daylight saving', () => {
  it('reports a time in the spring-forward gap in New York instead of shifting it', () => {
    const r = resolveWhen('Sunday at 2:30am', { now: '2019-03-08T09:00', zone: 'America/New_York' });
    expect(r).toMatchObject({ date: '2019-03-10', time: '02:30' });
    expect(r.instant).toBeUndefined();
    expect(r.unresolved.find((u) => u.kind === 'nonexistent_time')?.candidates).toEqual(['2019-03-10T03:30:00-04:00']);
  });

  it('reports the spring-forward gap in Madrid', () => {
    const r = resolveWhen('el domingo a las 2:30 de la mañana', { now: '2019-03-29T09:00', zone: 'Europe/Madrid' });
    expect(r.date).toBe('2019-03-31');
    expect(kinds(r)).toContain('nonexistent_time');
    expect(r.instant).toBeUndefined();
  });

  it('gives the right offsets on both sides of the change', () => {
    expect(resolveWhen('Sunday at 3:30pm', { now: '2019-03-08T09:00', zone: 'America/New_York' }).instant).toBe('2019-03-10T15:30:00-04:00');
    expect(resolveWhen('Saturday at 3:30pm', { now: '2019-03-08T09:00', zone: 'America/New_York' }).instant).toBe('2019-03-09T15:30:00-05:00');
    expect(resolveWhen('el domingo a las 10 de la mañana', { now: '2019-03-29T09:00', zone: 'Europe/Madrid' }).instant).toBe('2019-03-31T10:00:00+02:00');
  });

  it('reports the repeated hour when clocks fall back', () => {
    const ny = resolveWhen('Sunday at 1:30am', { now: '2019-11-01T09:00', zone: 'America/New_York' });
    expect(ny.unresolved.find((u) => u.kind === 'repeated_time')?.candidates).toEqual(['2019-11-03T01:30:00-04:00', '2019-11-03T01:30:00-05:00']);
    const madrid = resolveWhen('el domingo a las 2:30 de la mañana', { now: '2019-10-25T09:00', zone: 'Europe/Madrid' });
    expect(kinds(madrid)).toContain('repeated_time');
  });

  it('accepts now as an instant and reads it in the customer zone', () => {
    // 02:00 UTC on 2 March is still 1 March in Los Angeles.
    expect(resolveWhen('tomorrow', { now: '2019-03-02T02:00:00Z', zone: 'America/Los_Angeles' }).date).toBe('2019-03-02');
  });
});

describe('Spanish', () => {
  const es = (text: string) => resolveWhen(text, { now: '2019-03-01T09:00', zone: 'Europe/Madrid', locale: 'es' });
  it.each([
    ['mañana', { date: '2019-03-02' }],
    ['pasado mañana', { date: '2019-03-03' }],
    ['hoy', { date: '2019-03-01' }],
    ['el lunes', { date: '2019-03-04' }],
    ['el próximo martes a las 3', { date: '2019-03-05', time: '15:00' }],
    ['a las 3 de la tarde', { time: '15:00' }],
    ['mañana a las 10 de la mañana', { date: '2019-03-02', time: '10:00' }],
    ['el sábado a las 11 y media', { date: '2019-03-02', time: '11:30' }],
    ['a las 5 menos cuarto', { time: '16:45' }],
    ['a mediodía', { time: '12:00' }],
    ['el 8 de marzo', { date: '2019-03-08' }],
    ['el martes de la semana que viene', { date: '2019-03-05' }],
  ])('%s', (text, expected) => expect(es(text)).toMatchObject(expected));

  it('reads "por la mañana" as a window, not as tomorrow', () => {
    const r = es('el jueves por la mañana');
    expect(r.date).toBe('2019-03-07');
    expect(r.window).toEqual({ start: '00:00', end: '12:00' });
  });
});

describe('phrases that are not dates (Duckling negative vectors and friends)', () => {
  it.each(['laughing out loud', '1 adult', 'we are separated', '25', 'this is the one', 'this one', 'at single', 'at a couple of', 'single o\'clock', 'Rat 6', '3 30', 'three twenty', 'at 650.650.6500', 'two sixty a m', 'Pay ABC 2000', '4a', 'A4 A5', 'palm', 'two three', 'I need 2 haircuts', 'I have a question'])(
    '%s',
    (text) => {
      const r = duck(text);
      expect({ date: r.date, time: r.time, window: r.window, range: r.range }).toEqual({ date: undefined, time: undefined, window: undefined, range: undefined });
    },
  );
});

describe('holidays', () => {
  it.each([
    ['thanksgiving', '2013-11-28'],
    ['black friday', '2013-11-29'],
    ['MLK day', '2014-01-20'],
    ['easter', '2013-03-31'],
    ['last easter', '2012-04-08'],
    ['christmas', '2013-12-25'],
    ['the day after christmas', '2013-12-26'],
    ['three days after Easter', '2013-04-03'],
    ['chinese new year', '2014-01-31'],
    ['Eid al-Fitr 2018', '2018-06-15'],
    ['orthodox easter 2018', '2018-04-08'],
    ['yom kippur 2018', '2018-09-19'],
  ])('%s → %s', (text, date) => expect(duck(text).date).toBe(date));
});

describe('numbers that are not times or dates in chat', () => {
  it.each(['call me at 555 1234', 'can we do 1-2 people', 'it takes 2-3 days', 'room for 3 people', 'order #1234'])('%s', (text) => {
    const r = sgd(text);
    expect({ date: r.date, time: r.time, window: r.window }).toEqual({ date: undefined, time: undefined, window: undefined });
  });

  it('reads "2 to 4" as a window and "ten to five" as a time', () => {
    expect(sgd('2 to 4').window).toEqual({ start: '14:00', end: '16:00' });
    expect(sgd('ten to five').time).toBe('16:50');
  });
});
