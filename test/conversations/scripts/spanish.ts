import { say, wait, type ScriptFactory } from '../../support/conversation-script';

/** Spanish customers get Spanish replies; dates and times are read the Spanish way. */
export const spanishScripts: ScriptFactory[] = [
  (plan) => {
    // "el próximo martes" is the coming Tuesday, never today (unlike "este martes"); "a las 3" is 3pm (3am is
    // closed). Alex works Tuesdays 9 to 5.
    const d = plan.bareWeekday('tue');
    return {
      name: '"quiero reservar un corte de pelo el próximo martes a las 3"',
      topic: 'spanish',
      goal: 'book',
      locks: [d.date],
      steps: [
        say('quiero reservar un corte de pelo el próximo martes a las 3', { families: ['held'], locale: 'es', hold: { service: 'haircut', date: d.date, time: '15:00' }, slots: { service: 'haircut', date: d.date, time: '15:00' } }),
        say('sí', { families: ['booked'], locale: 'es' }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['11:00'] });
    return {
      name: 'Spanish: a massage on a named day, confirmed with "sí, confirmo"',
      topic: 'spanish',
      goal: 'book',
      steps: [
        say(`una cita de masaje el ${d.es} a las 11 de la mañana`, { families: ['held'], locale: 'es', slots: { service: 'massage', date: d.date, time: '11:00' } }),
        say('sí, confirmo', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('beard-trim', { times: ['10:00'], claim: 'all' });
    return {
      name: 'Spanish: free times for a beard trim, the first one picked',
      topic: 'spanish',
      goal: 'book',
      steps: [
        say(`¿qué horas tenéis para arreglar la barba el ${d.es}?`, { families: ['availability'], locale: 'es', slots: { service: 'beard-trim', date: d.date } }),
        say('la primera', { families: ['held'] }),
        say('sí', { families: ['booked'], locale: 'es' }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00'] });
    return {
      name: 'Spanish: a colour ("tinte") with Alex',
      topic: 'spanish',
      goal: 'book',
      steps: [
        say(`Hola, quería un tinte con Alex el ${d.es} a las 10`, { families: ['held'], locale: 'es', hold: { provider: 'alex' }, slots: { service: 'color', date: d.date, time: '10:00', provider: 'alex' } }),
        say('vale, sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'color', provider: 'alex', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['12:00', '11:00'] });
    return {
      name: 'Spanish: cancel a booking made earlier',
      topic: 'spanish',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, d.time) });
      },
      steps: [
        say('cancela mi cita, por favor', { families: ['cancel_read_back'], notFamilies: ['cancelled'], locale: 'es', confirmedBookings: 1 }),
        say('sí', { families: ['cancelled'], locale: 'es', confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'haircut', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { times: ['10:00'] });
    return {
      name: 'Spanish: a hold declined with "no"',
      topic: 'spanish',
      steps: [
        say(`una consulta el ${d.es} a las 10`, { families: ['held'], locale: 'es' }),
        say('no, gracias', { families: ['released'], hold: null, locale: 'es' }),
      ],
      ledger: [],
    };
  },
];

/** Timers: a hold runs out on the time-skipping server. */
export const timerScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'] });
    const ttl = plan.business.policies.holdTtlSeconds * 1000;
    return {
      name: 'a hold not confirmed in time is released, and a late "yes" books nothing',
      topic: 'timers',
      needs: 'time-skipping',
      steps: [
        say(`haircut on ${d.en} at 10am`, { families: ['held'], status: 'holding' }),
        wait(ttl + 5_000, { families: ['hold_expired'], hold: null, status: 'open' }),
        // The times found with the hold were never shown (the hold replaced them): nothing to pick from, nothing to confirm.
        say('yes', { families: ['nothing_to_confirm'], notFamilies: ['booked', 'ask_which'], confirmedBookings: 0 }),
      ],
      ledger: [],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['11:00'] });
    const ttl = plan.business.policies.holdTtlSeconds * 1000;
    return {
      name: 'a hold runs out, the customer asks again and confirms in time',
      topic: 'timers',
      needs: 'time-skipping',
      goal: 'book',
      steps: [
        say(`massage on ${d.en} at 11am`, { families: ['held'] }),
        wait(ttl + 5_000, { families: ['hold_expired'], hold: null }),
        say(`massage on ${d.en} at 11am please`, { families: ['held'], hold: { service: 'massage', date: d.date, time: '11:00' }, slots: { service: 'massage', date: d.date, time: '11:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: '11:00' }],
    };
  },
];
