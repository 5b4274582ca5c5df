import { DateTime } from 'luxon';
import { say, type ScriptFactory } from '../../support/conversation-script';
import type { CalendarPlan, PlannedSlot } from '../calendar';

/**
 * References to the conversation so far: "the same day", "an hour later", "same time next week", "with Sam instead",
 * "the earlier one", "move it to …" with two bookings, corrections ("no, I said …"); a pick ("the second one") only
 * from a list the customer was shown; a bare "3" taken as 3 PM and said so; and both clocks when the customer is in
 * another zone. English and Spanish, half each.
 *
 * A move or a cancellation ends with a "yes": today the change is made at once and the "yes" finds nothing to
 * confirm; where changes are read back first, the "yes" makes it. Either way the ledger at the end is the same.
 */

/** Two days a week apart, each free at `times` for the service (the first day unique to this script, and the next). */
function weekApart(plan: CalendarPlan, service: string, options: { times: string[]; provider?: string }): [PlannedSlot, PlannedSlot] {
  let after: string | undefined;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const first = plan.uniqueDay(service, { ...options, ...(after ? { after } : {}) });
    const next = plan.uniqueDay(service, { ...options, times: [first.time], weekdays: [first.weekday], after: first.date });
    if (next.date === DateTime.fromISO(first.date).plus({ days: 7 }).toISODate()) return [first, next];
    after = first.date;
  }
  throw new Error(`no two free days a week apart for ${service} at ${options.times.join('/')}`);
}

const yesAfterChange = (confirmed: number) => say('yes', { notFamilies: ['fallback', 'unavailable'], confirmedBookings: confirmed });
const siAfterChange = (confirmed: number) => say('sí', { notFamilies: ['fallback', 'unavailable'], confirmedBookings: confirmed });

export const referenceScripts: ScriptFactory[] = [
  // --- English -------------------------------------------------------------------------------------------------
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['09:30'], alsoOpenAt: ['11:00'] });
    return {
      name: 'references: "move it to 11am the same day" moves on the booking’s own day',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '09:30') });
      },
      steps: [
        say('Can we move my haircut to 11am the same day instead?', { notFamilies: ['unavailable', 'availability', 'ask_new_time'], slots: { date: d.date, time: '11:00' } }),
        yesAfterChange(1),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: d.date, time: '09:30' },
        { status: 'confirmed', service: 'haircut', date: d.date, time: '11:00' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['14:00'], alsoOpenAt: ['15:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references: "an hour later" moves the hold an hour on',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`haircut with Alex on ${d.en} at 2pm`, { families: ['held'], hold: { date: d.date, time: '14:00' }, slots: { service: 'haircut', date: d.date, time: '14:00' } }),
        say('can you make it an hour later?', { families: ['released', 'held'], hold: { date: d.date, time: '15:00', provider: 'alex' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { provider: 'jordan', times: ['08:15'], claim: ['jordan'] });
    return {
      name: 'references: "later the same day" offers times after the booking, on its day',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(d.date, '08:15') });
      },
      steps: [
        say('Could you move my massage with Jordan to later the same day?', { families: ['availability'], slots: { date: d.date, provider: 'jordan' } }),
        say('1', { notFamilies: ['fallback', 'no_list'] }),
        yesAfterChange(1),
      ],
      ledger: [
        { status: 'cancelled', service: 'massage', date: d.date, time: '08:15' },
        { status: 'confirmed', service: 'massage', provider: 'jordan', date: d.date },
      ],
    };
  },
  (plan) => {
    const [d, week] = weekApart(plan, 'consultation', { provider: 'alex', times: ['15:45'] });
    return {
      name: 'references: "same time next week" after a booking books a week on',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`a consultation with Alex on ${d.en} at 3:45pm`, { families: ['held'], slots: { date: d.date, time: '15:45' } }),
        say('yes', { families: ['booked'], confirmedBookings: 1 }),
        say('please book me another consultation, same time next week', { families: ['held'], hold: { date: week.date, time: '15:45' }, slots: { date: week.date, time: '15:45' } }),
        say('yes', { families: ['booked'], confirmedBookings: 2 }),
      ],
      ledger: [
        { status: 'confirmed', service: 'consultation', date: d.date, time: '15:45' },
        { status: 'confirmed', service: 'consultation', date: week.date, time: '15:45' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['13:00'], claim: ['alex', 'sam'], weekdays: ['tue', 'wed', 'thu'] });
    return {
      name: 'references: "with Sam instead" keeps the day and time',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`haircut with Alex on ${d.en} at 1pm`, { families: ['held'], hold: { provider: 'alex', date: d.date, time: '13:00' } }),
        say('with Sam instead', { families: ['held'], hold: { provider: 'sam', date: d.date, time: '13:00' }, slots: { date: d.date, time: '13:00', provider: 'sam' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'sam', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const early = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:15'] });
    const late = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:15'], after: early.date });
    return {
      name: 'references: "cancel the earlier one" of two bookings',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(late.date, '16:15') });
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(early.date, '16:15') });
      },
      steps: [say('I need to cancel the earlier one', { notFamilies: ['ask_which', 'fallback'] }), yesAfterChange(1)],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: early.date, time: '16:15' },
        { status: 'confirmed', service: 'haircut', date: late.date, time: '16:15' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['11:30'] });
    return {
      name: 'references: "the second one" with a hold and no list shown asks, and keeps the hold',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`haircut on ${d.en} at 11:30am`, { families: ['held'], hold: { date: d.date, time: '11:30' } }),
        say('The second one, please.', { families: ['no_list'], notFamilies: ['released', 'held'], hold: { date: d.date, time: '11:30' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '11:30' }],
    };
  },
  (plan) => {
    const a = plan.uniqueDay('consultation', { provider: 'jordan', times: ['08:30'] });
    const b = plan.uniqueDay('massage', { provider: 'jordan', times: ['12:15'], after: a.date });
    const to = plan.uniqueDay('consultation', { provider: 'jordan', times: ['14:45'], after: b.date });
    return {
      name: 'references: "move it to …" with two bookings asks which, then moves the one picked',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'consultation', provider: 'jordan', start: plan.instant(a.date, '08:30') });
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(b.date, '12:15') });
      },
      steps: [
        say(`can you move it to ${to.en} at 2:45pm?`, { families: ['list', 'ask_which'], notFamilies: ['moved'], confirmedBookings: 2 }),
        say('the first one', { notFamilies: ['fallback', 'unavailable'], slots: { date: to.date, time: '14:45' } }),
        yesAfterChange(2),
      ],
      ledger: [
        { status: 'cancelled', service: 'consultation', date: a.date, time: '08:30' },
        { status: 'confirmed', service: 'consultation', date: to.date, time: '14:45' },
        { status: 'confirmed', service: 'massage', date: b.date, time: '12:15' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['15:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references: a bare "3" for a business open 9 to 5 is taken as 3 PM, and said so',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`haircut with Alex on ${d.en} at 3`, { families: ['held', 'assumed_meridiem'], notFamilies: ['ask_meridiem'], hold: { date: d.date, time: '15:00' }, slots: { date: d.date, time: '15:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    // 10am in Los Angeles is 1pm at the (New York) studio.
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['13:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references: a customer in another zone sees both clocks on the hold and the booking',
      topic: 'references',
      goal: 'book',
      timezone: 'America/Los_Angeles',
      steps: [
        say(`haircut with Alex on ${d.en} at 10am`, { families: ['held'], hold: { date: d.date, time: '13:00' }, slots: { date: d.date, time: '10:00' }, text: [/10:00 AM your time, 1:00 PM at Maple Street Studio/] }),
        say('yes', { families: ['booked'], text: [/^You're booked: .*10:00 AM your time, 1:00 PM at Maple Street Studio/] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const first = plan.uniqueDay('haircut', { times: ['09:45'] });
    const meant = plan.uniqueDay('haircut', { times: ['09:45'], after: first.date });
    return {
      name: 'references: "no, I said …" replaces the day and keeps the time',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`haircut on ${first.en} at 9:45am`, { families: ['held'], hold: { date: first.date, time: '09:45' } }),
        say(`no, I said ${meant.en}`, { families: ['released', 'held'], hold: { date: meant.date, time: '09:45' }, slots: { date: meant.date, time: '09:45' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: meant.date, time: '09:45' }],
    };
  },

  (plan) => {
    const first = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:15'] });
    const meant = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:15'], after: first.date });
    return {
      name: 'references: "no, I said …" right after the booking moves it, keeping the time',
      topic: 'references',
      steps: [
        say(`haircut with Alex on ${first.en} at 4:15pm`, { families: ['held'], hold: { date: first.date, time: '16:15' } }),
        say('yes', { families: ['booked'], confirmedBookings: 1 }),
        say(`no, I said ${meant.en}`, { notFamilies: ['ask_service', 'fallback', 'unavailable'], slots: { date: meant.date, time: '16:15' } }),
        yesAfterChange(1),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: first.date, time: '16:15' },
        { status: 'confirmed', service: 'haircut', date: meant.date, time: '16:15' },
      ],
    };
  },

  // --- Spanish -------------------------------------------------------------------------------------------------
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:00'], alsoOpenAt: ['12:30'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references (es): "¿podemos pasarla a las 12:30 el mismo día?"',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '16:00') });
      },
      steps: [
        say('¿Podemos cambiar mi cita a las 12:30 el mismo día?', { notFamilies: ['unavailable', 'availability', 'ask_new_time'], locale: 'es', slots: { date: d.date, time: '12:30' } }),
        siAfterChange(1),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: d.date, time: '16:00' },
        { status: 'confirmed', service: 'haircut', date: d.date, time: '12:30' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['14:00'], alsoOpenAt: ['15:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references (es): "una hora más tarde" mueve la reserva provisional',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`un corte de pelo con Alex el ${d.es} a las 2 de la tarde`, { families: ['held'], locale: 'es', hold: { date: d.date, time: '14:00' }, slots: { date: d.date, time: '14:00' } }),
        say('¿puede ser una hora más tarde?', { families: ['released', 'held'], locale: 'es', hold: { date: d.date, time: '15:00', provider: 'alex' } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    const [d, week] = weekApart(plan, 'consultation', { provider: 'alex', times: ['15:15'] });
    return {
      name: 'references (es): "a la misma hora la semana que viene" reserva una semana después',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`una consulta con Alex el ${d.es} a las 15:15`, { families: ['held'], locale: 'es', slots: { date: d.date, time: '15:15' } }),
        say('sí', { families: ['booked'], confirmedBookings: 1 }),
        say('quiero otra consulta a la misma hora la semana que viene', { families: ['held'], hold: { date: week.date, time: '15:15' }, slots: { date: week.date, time: '15:15' } }),
        say('sí', { families: ['booked'], confirmedBookings: 2 }),
      ],
      ledger: [
        { status: 'confirmed', service: 'consultation', date: d.date, time: '15:15' },
        { status: 'confirmed', service: 'consultation', date: week.date, time: '15:15' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['13:00'], claim: ['alex', 'sam'], weekdays: ['tue', 'wed', 'thu'] });
    return {
      name: 'references (es): "mejor con Sam" mantiene el día y la hora',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`un corte de pelo con Alex el ${d.es} a las 13:00`, { families: ['held'], locale: 'es', hold: { provider: 'alex', date: d.date, time: '13:00' } }),
        say('mejor con Sam', { families: ['held'], hold: { provider: 'sam', date: d.date, time: '13:00' }, slots: { date: d.date, time: '13:00', provider: 'sam' } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'sam', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const early = plan.uniqueDay('massage', { provider: 'jordan', times: ['11:00'] });
    const late = plan.uniqueDay('massage', { provider: 'jordan', times: ['11:00'], after: early.date });
    return {
      name: 'references (es): "cancelar la más temprana" de dos citas',
      topic: 'references',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(early.date, '11:00') });
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(late.date, '11:00') });
      },
      steps: [say('quiero cancelar la más temprana', { notFamilies: ['ask_which', 'fallback'], locale: 'es' }), siAfterChange(1)],
      ledger: [
        { status: 'cancelled', service: 'massage', date: early.date, time: '11:00' },
        { status: 'confirmed', service: 'massage', date: late.date, time: '11:00' },
      ],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['11:30'] });
    return {
      name: 'references (es): "la segunda" sin lista a la vista pregunta y mantiene la reserva provisional',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`un corte de pelo el ${d.es} a las 11:30 de la mañana`, { families: ['held'], locale: 'es', hold: { date: d.date, time: '11:30' } }),
        say('la segunda, por favor', { families: ['no_list'], notFamilies: ['released', 'held'], hold: { date: d.date, time: '11:30' } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '11:30' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['15:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references (es): "a las 3" se entiende a las 3 de la tarde, y se dice',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`un corte de pelo con Alex el ${d.es} a las 3`, { families: ['held', 'assumed_meridiem'], notFamilies: ['ask_meridiem'], locale: 'es', hold: { date: d.date, time: '15:00' }, slots: { date: d.date, time: '15:00' } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['13:00'], weekdays: ['mon', 'tue', 'fri'] });
    return {
      name: 'references (es): un cliente en otra zona ve las dos horas',
      topic: 'references',
      goal: 'book',
      timezone: 'America/Los_Angeles',
      steps: [
        say(`un corte de pelo con Alex el ${d.es} a las 10 de la mañana`, { families: ['held'], locale: 'es', hold: { date: d.date, time: '13:00' }, slots: { date: d.date, time: '10:00' }, text: [/10:00 tu hora, 13:00 en Maple Street Studio/] }),
        say('sí', { families: ['booked'], text: [/^Reserva confirmada: .*10:00 tu hora, 13:00 en Maple Street Studio/] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const first = plan.uniqueDay('haircut', { times: ['09:45'] });
    const meant = plan.uniqueDay('haircut', { times: ['09:45'], after: first.date });
    return {
      name: 'references (es): "no, dije el …" cambia el día y mantiene la hora',
      topic: 'references',
      goal: 'book',
      steps: [
        say(`un corte de pelo el ${first.es} a las 9:45 de la mañana`, { families: ['held'], locale: 'es', hold: { date: first.date, time: '09:45' } }),
        say(`no, dije el ${meant.es}`, { families: ['released', 'held'], hold: { date: meant.date, time: '09:45' }, slots: { date: meant.date, time: '09:45' } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: meant.date, time: '09:45' }],
    };
  },
  (plan) => {
    const first = plan.uniqueDay('consultation', { provider: 'jordan', times: ['13:45'] });
    const meant = plan.uniqueDay('consultation', { provider: 'jordan', times: ['13:45'], after: first.date });
    return {
      name: 'references (es): "no, dije el …" justo después de confirmar mueve la cita',
      topic: 'references',
      steps: [
        say(`una consulta con Jordan el ${first.es} a las 13:45`, { families: ['held'], locale: 'es', hold: { date: first.date, time: '13:45' } }),
        say('sí', { families: ['booked'], confirmedBookings: 1 }),
        say(`no, dije el ${meant.es}`, { notFamilies: ['ask_service', 'fallback', 'unavailable'], locale: 'es', slots: { date: meant.date, time: '13:45' } }),
        siAfterChange(1),
      ],
      ledger: [
        { status: 'cancelled', service: 'consultation', date: first.date, time: '13:45' },
        { status: 'confirmed', service: 'consultation', date: meant.date, time: '13:45' },
      ],
    };
  },
];
