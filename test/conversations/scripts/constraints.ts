import { DateTime } from 'luxon';
import { say, type ScriptFactory } from '../../support/conversation-script';
import type { CalendarPlan } from '../calendar';

/**
 * Constraints and ranges (issue 13): days ruled out, a choice of weekdays, parts of the day, "after 5", spans of days,
 * closed days said as closed, and a move into the booking's own time. Each checks what the customer SAW (no Monday in
 * the list, only times after 5, one line per day) and, where it books, the ledger.
 */

/** The list line of a day, as the templates label it: "Mon 7 Dec:" / "lun 7 dic:" at the start of a line. */
const dayLine = (names: string[]) => new RegExp(`^(?:${names.join('|')}) \\d{1,2} \\S{3,4}:`, 'm');
/** At least two different days listed, one per line. */
const twoDayLines = /^\S{3} \d{1,2} \S{3,4}: .*\n\S{3} \d{1,2} \S{3,4}: /m;
/** Days listed in order from the first to the last asked for (chronological, spread over the whole span). */
const firstToLast = (first: string, last: string) => new RegExp(`^${first} \\d{1,2} \\S{3,4}: [\\s\\S]*\\n${last} \\d{1,2} \\S{3,4}: `, 'm');

/** The seven dates of next week (Monday to Sunday): booking scripts there lock them all. */
function nextWeek(plan: CalendarPlan): string[] {
  const monday = DateTime.fromISO(plan.nextWeekday('mon').date);
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate()!);
}

/** Days from today, for scripts reading "in the next two weeks" or "any day but Friday". */
function comingDays(plan: CalendarPlan, n: number): string[] {
  return Array.from({ length: n }, (_, i) => plan.plusDays(i).date);
}

export const constraintScripts: ScriptFactory[] = [
  (plan) => ({
    name: 'next week but not Monday: no Monday offered, spread over days, one booked',
    topic: 'constraints',
    goal: 'book',
    locks: nextWeek(plan),
    steps: [
      say('a haircut next week, but not Monday', { families: ['availability'], slots: { service: 'haircut' }, notFamilies: ['unavailable'], text: [/except Mondays/, twoDayLines, firstToLast('Tue', 'Sat')], notText: [dayLine(['Mon'])] }),
      say('1', { families: ['held'], hold: { service: 'haircut' } }),
      say('yes', { families: ['booked'] }),
    ],
    ledger: [{ status: 'confirmed', service: 'haircut' }],
  }),
  (plan) => ({
    name: 'la semana que viene pero no el lunes: ningún lunes, una reservada',
    topic: 'constraints',
    goal: 'book',
    locks: nextWeek(plan),
    steps: [
      say('quiero un corte la semana que viene, pero no el lunes', { families: ['availability'], slots: { service: 'haircut' }, locale: 'es', text: [/excepto los lunes/, twoDayLines, firstToLast('mar', 'sáb')], notText: [dayLine(['lun'])] }),
      say('1', { families: ['held'], hold: { service: 'haircut' } }),
      say('sí', { families: ['booked'] }),
    ],
    ledger: [{ status: 'confirmed', service: 'haircut' }],
  }),
  (plan) => ({
    name: 'any day but Friday: no Friday offered',
    topic: 'constraints',
    locks: comingDays(plan, 8),
    steps: [say("I'd like a massage, any day but Friday", { families: ['availability'], slots: { service: 'massage' }, text: [/except Fridays/], notText: [dayLine(['Fri'])] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'cualquier día menos el viernes: ningún viernes',
    topic: 'constraints',
    locks: comingDays(plan, 8),
    steps: [say('un masaje, cualquier día menos el viernes', { families: ['availability'], slots: { service: 'massage' }, locale: 'es', text: [/excepto los viernes/], notText: [dayLine(['vie'])] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'weekday mornings: only weekdays, only morning times',
    topic: 'constraints',
    locks: comingDays(plan, 15),
    steps: [say('haircut, weekday mornings', { families: ['availability'], text: [/on weekdays, in the morning/], notText: [dayLine(['Sat', 'Sun']), /\d:\d\d PM/] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'entre semana por la mañana: solo días laborables y por la mañana',
    topic: 'constraints',
    locks: comingDays(plan, 15),
    steps: [say('un corte entre semana por la mañana', { families: ['availability'], locale: 'es', text: [/entre semana, por la mañana/], notText: [dayLine(['sáb', 'dom']), /\b(?:1[2-9]|2\d):\d\d\b/] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'next week after 5: only times from 5 PM, one booked',
    topic: 'constraints',
    goal: 'book',
    locks: nextWeek(plan),
    steps: [
      say('haircut next week after 5', { families: ['availability'], slots: { service: 'haircut' }, text: [/after 5:00 PM/], notText: [/\d:\d\d AM/, /\b(?:12|[1-4]):\d\d PM/, dayLine(['Mon'])] }),
      say('the first one', { families: ['held'], hold: { service: 'haircut' } }),
      say('yes', { families: ['booked'] }),
    ],
    ledger: [{ status: 'confirmed', service: 'haircut' }],
  }),
  (plan) => ({
    name: 'la semana que viene después de las 5: solo a partir de las 17:00, una reservada',
    topic: 'constraints',
    goal: 'book',
    locks: nextWeek(plan),
    steps: [
      say('un corte la semana que viene después de las 5', { families: ['availability'], slots: { service: 'haircut' }, locale: 'es', text: [/después de las 17:00/], notText: [/\b(?:0\d|1[0-6]):\d\d\b/] }),
      say('la primera', { families: ['held'], hold: { service: 'haircut' } }),
      say('sí', { families: ['booked'] }),
    ],
    ledger: [{ status: 'confirmed', service: 'haircut' }],
  }),
  (plan) => ({
    name: 'any time Thursday or Friday: only Thursdays and Fridays, not a question about alternatives',
    topic: 'constraints',
    locks: comingDays(plan, 15),
    steps: [say('a massage any time Thursday or Friday', { families: ['availability'], slots: { service: 'massage' }, notFamilies: ['question'], text: [/on Thursdays or Fridays/], notText: [dayLine(['Mon', 'Tue', 'Wed', 'Sat', 'Sun'])] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'jueves o viernes: solo jueves y viernes',
    topic: 'constraints',
    locks: comingDays(plan, 15),
    steps: [say('un masaje el jueves o el viernes', { families: ['availability'], slots: { service: 'massage' }, locale: 'es', text: [/los jueves o viernes/], notText: [dayLine(['lun', 'mar', 'mié', 'sáb', 'dom'])] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'in the next two weeks: several days, one line each',
    topic: 'constraints',
    locks: comingDays(plan, 14),
    steps: [say('can I get a haircut in the next two weeks?', { families: ['availability'], text: [twoDayLines] })],
    ledger: [],
  }),
  (plan) => ({
    name: 'en las próximas dos semanas: varios días, uno por línea',
    topic: 'constraints',
    locks: comingDays(plan, 14),
    steps: [say('¿tenéis hueco para un corte en las próximas dos semanas?', { families: ['availability'], locale: 'es', text: [twoDayLines] })],
    ledger: [],
  }),
  (plan) => {
    // Nobody cuts hair on Sundays (only Jordan works, massage and consultation).
    const d = plan.uniqueDay('massage', { times: ['11:00'], weekdays: ['sun'] });
    return {
      name: 'a haircut on a Sunday: said as not offered on Sundays, with the next days’ times',
      topic: 'constraints',
      steps: [say(`a haircut on ${d.en}`, { families: ['closed_day'], notFamilies: ['unavailable', 'none_free', 'availability'], text: [/We don't offer a haircut on Sundays\. The next free times/], notText: [/isn't available/] })],
      ledger: [],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['12:00'], weekdays: ['sun'] });
    return {
      name: 'un corte en domingo: los domingos no hacemos cortes, con las horas siguientes',
      topic: 'constraints',
      steps: [say(`quiero un corte el ${d.es}`, { families: ['closed_day'], notFamilies: ['unavailable', 'none_free'], locale: 'es', text: [/Los domingos no hacemos corte de pelo\. Las próximas horas libres/] })],
      ledger: [],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['09:00'], weekdays: ['fri'] });
    return {
      name: 'a Friday morning is said as Friday morning, never as a span of clock times',
      topic: 'constraints',
      steps: [say(`massage in the morning on ${d.en}`, { families: ['availability'], text: [/on Friday morning \(/], notText: [/12:00 AM/, /PM/] })],
      ledger: [],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['09:30'], weekdays: ['fri'] });
    return {
      name: 'el viernes por la mañana se dice así, no como un intervalo de horas',
      topic: 'constraints',
      steps: [say(`un masaje el ${d.es} por la mañana`, { families: ['availability'], locale: 'es', text: [/el viernes \d{1,2} \S+ por la mañana/], notText: [/00:00/, /\b1[2-9]:\d\d\b/] })],
      ledger: [],
    };
  },
  (plan) => {
    // Monday and Tuesday mornings only Alex cuts hair: 11:45 is inside the booking's own time and buffer
    // (11:15–11:55), free only to it; nobody else could take it instead. (Not 10:00: ten o'clock haircut days are the
    // plan's scarcest.)
    const d = plan.uniqueDay('haircut', { times: ['11:15'], weekdays: ['mon', 'tue'], alsoOpenAt: ['11:45'] });
    return {
      name: "a move half an hour later the same day: the booking's own time does not block it",
      topic: 'constraints',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '11:15') });
      },
      // The move is read back with the new time held (C's read-back), and made on the customer's yes.
      steps: [
        say(`please move my haircut to ${d.en} at 11:45am`, { families: ['move_read_back'], notFamilies: ['moved', 'unavailable'] }),
        say('yes', { families: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: d.date, time: '11:15' },
        { status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '11:45' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['11:00'], weekdays: ['mon', 'tue'], alsoOpenAt: ['11:30'] });
    return {
      name: 'mover la cita media hora más tarde el mismo día: su propia hora no la bloquea',
      topic: 'constraints',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '11:00') });
      },
      steps: [
        say(`¿puedo cambiar mi cita al ${d.es} a las 11:30?`, { families: ['move_read_back'], notFamilies: ['moved', 'unavailable'], locale: 'es' }),
        say('sí', { families: ['moved'], confirmedBookings: 1, locale: 'es' }),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: d.date, time: '11:00' },
        { status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '11:30' },
      ],
    };
  },
  (plan) => ({
    name: 'a constraint added in a second message narrows the list already asked for',
    topic: 'constraints',
    locks: nextWeek(plan),
    steps: [
      say('do you have a haircut next week?', { families: ['availability'], slots: { service: 'haircut' } }),
      say('not Monday though, and after 5', { families: ['availability'], text: [/except Mondays, after 5:00 PM/], notText: [dayLine(['Mon']), /\d:\d\d AM/, /\b(?:12|[1-4]):\d\d PM/] }),
    ],
    ledger: [],
  }),
  (plan) => ({
    name: 'una restricción en un segundo mensaje acota la búsqueda ya pedida',
    topic: 'constraints',
    locks: nextWeek(plan),
    steps: [
      say('¿tenéis hueco para un corte la semana que viene?', { families: ['availability'], locale: 'es', slots: { service: 'haircut' } }),
      say('pero no el lunes, y después de las 5', { families: ['availability'], text: [/excepto los lunes, después de las 17:00/], notText: [dayLine(['lun']), /\b(?:0\d|1[0-6]):\d\d\b/] }),
    ],
    ledger: [],
  }),
];
