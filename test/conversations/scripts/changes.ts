import { say, wait, type ScriptFactory } from '../../support/conversation-script';

/**
 * Changes are confirmed like bookings: a cancellation is read back (service, day, time, provider, the policy) and
 * done only on the customer's yes in a later message; a move holds the new time, reads it back and swaps on yes.
 * "No" keeps the booking; an unanswered move's held time runs out and the booking stays.
 */
export const changeScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('massage', { provider: 'jordan', times: ['10:00'] });
    return {
      name: 'changes: a cancellation read back, then "yes" cancels it',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(d.date, '10:00') });
      },
      steps: [
        say('please cancel my massage', { families: ['cancel_read_back'], notFamilies: ['cancelled'], confirmedBookings: 1, text: [/Jordan/, /24/] }),
        say('yes', { families: ['cancelled'], confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'massage', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['11:00'] });
    return {
      name: 'changes: a cancellation read back, then "no" keeps the booking',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '11:00') });
      },
      steps: [
        say('I want to cancel my haircut', { families: ['cancel_read_back'], notFamilies: ['cancelled'], confirmedBookings: 1 }),
        say('no', { families: ['kept'], notFamilies: ['cancelled'], confirmedBookings: 1 }),
        // Nothing waits for an answer any more: a later "yes" cancels nothing.
        say('yes', { notFamilies: ['cancelled'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { provider: 'alex', times: ['10:00'] });
    return {
      name: 'changes: "yes, cancel" in the very message that asks only reads it back; the yes after it cancels',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'consultation', provider: 'alex', start: plan.instant(d.date, '10:00') });
      },
      steps: [
        say('Yes, cancel my consultation please, I am sure', { families: ['cancel_read_back'], notFamilies: ['cancelled'], confirmedBookings: 1 }),
        say('yes', { families: ['cancelled'], confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'consultation', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('beard-trim', { provider: 'alex', times: ['09:00'] });
    const to = plan.uniqueDay('beard-trim', { times: ['14:00'], after: from.date });
    return {
      name: 'changes: a move read back with the new time held, then "yes" swaps it',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'beard-trim', provider: 'alex', start: plan.instant(from.date, '09:00') });
      },
      steps: [
        say(`please move my beard trim to ${to.en} at 2pm`, { families: ['move_read_back'], notFamilies: ['moved'], confirmedBookings: 1 }),
        say('yes', { families: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'cancelled', service: 'beard-trim', date: from.date, time: '09:00' },
        { status: 'confirmed', service: 'beard-trim', date: to.date, time: '14:00' },
      ],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['15:00'] });
    const to = plan.uniqueDay('haircut', { times: ['11:00'], after: from.date });
    return {
      name: 'changes: a move read back, then "no" lets the new time go and keeps the booking',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(from.date, '15:00') });
      },
      steps: [
        say(`can I move my haircut to ${to.en} at 11am?`, { families: ['move_read_back'], notFamilies: ['moved'] }),
        say('no thanks', { families: ['kept'], notFamilies: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: from.date, time: '15:00' }],
    };
  },
  (plan) => {
    // Only Alex does colour: the 11:00 overlaps the booking's own 10:00–11:45, which must not count against it.
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00'], alsoOpenAt: ['11:00'] });
    return {
      name: 'changes: a same-day move an hour later, over the booking\'s own time, is held and swapped',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'color', provider: 'alex', start: plan.instant(d.date, '10:00') });
      },
      steps: [
        say(`can you move my colour to ${d.en} at 11am?`, { families: ['move_read_back'], notFamilies: ['moved', 'unavailable'] }),
        say('yes', { families: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'cancelled', service: 'color', date: d.date, time: '10:00' },
        { status: 'confirmed', service: 'color', provider: 'alex', date: d.date, time: '11:00' },
      ],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('massage', { provider: 'jordan', times: ['13:00'] });
    const to = plan.uniqueDay('massage', { times: ['10:00'], after: from.date });
    const ttl = plan.business.policies.holdTtlSeconds * 1000;
    return {
      name: 'changes: a move left unanswered: its held time runs out, the booking stays, a late "yes" moves nothing',
      topic: 'changes',
      needs: 'time-skipping',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(from.date, '13:00') });
      },
      steps: [
        say(`move my massage to ${to.en} at 10am`, { families: ['move_read_back'], notFamilies: ['moved'] }),
        wait(ttl + 5_000, { families: ['move_expired'], confirmedBookings: 1 }),
        say('yes', { families: ['nothing_to_confirm'], notFamilies: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: from.date, time: '13:00' }],
    };
  },
  // Spanish
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['12:00'] });
    return {
      name: 'changes (es): una cancelación leída y confirmada con "sí"',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(d.date, '12:00') });
      },
      steps: [
        say('quiero cancelar mi cita de corte', { families: ['cancel_read_back'], notFamilies: ['cancelled'], locale: 'es', confirmedBookings: 1 }),
        say('sí', { families: ['cancelled'], locale: 'es', confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'haircut', date: d.date, time: '12:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { provider: 'jordan', times: ['11:00'] });
    return {
      name: 'changes (es): una cancelación leída y rechazada con "no": la cita se mantiene',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(d.date, '11:00') });
      },
      steps: [
        say('cancela mi cita, por favor', { families: ['cancel_read_back'], notFamilies: ['cancelled'], locale: 'es' }),
        say('no, gracias', { families: ['kept'], notFamilies: ['cancelled'], locale: 'es', confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { provider: 'jordan', times: ['09:00'] });
    return {
      name: 'changes (es): "sí, cancélala" en el mismo mensaje solo la lee; el "sí" siguiente la cancela',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'consultation', provider: 'jordan', start: plan.instant(d.date, '09:00') });
      },
      steps: [
        say('Sí, cancela mi consulta, estoy seguro', { families: ['cancel_read_back'], notFamilies: ['cancelled'], locale: 'es', confirmedBookings: 1 }),
        say('sí', { families: ['cancelled'], locale: 'es', confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'consultation', date: d.date, time: '09:00' }],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('massage', { provider: 'jordan', times: ['09:00'] });
    const to = plan.uniqueDay('massage', { times: ['11:00'], after: from.date });
    return {
      name: 'changes (es): un cambio con la nueva hora guardada, confirmado con "sí"',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(from.date, '09:00') });
      },
      steps: [
        say(`quiero cambiar mi cita de masaje al ${to.es} a las 11 de la mañana`, { families: ['move_read_back'], notFamilies: ['moved'], locale: 'es' }),
        say('sí, perfecto', { families: ['moved'], locale: 'es', confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'cancelled', service: 'massage', date: from.date, time: '09:00' },
        { status: 'confirmed', service: 'massage', date: to.date, time: '11:00' },
      ],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['16:00'] });
    const to = plan.uniqueDay('haircut', { times: ['13:00'], after: from.date });
    return {
      name: 'changes (es): un cambio leído y rechazado con "no": la nueva hora se libera y la cita sigue',
      topic: 'changes',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(from.date, '16:00') });
      },
      steps: [
        say(`¿puedo cambiar mi cita de corte al ${to.es} a la 1 de la tarde?`, { families: ['move_read_back'], notFamilies: ['moved'], locale: 'es' }),
        say('no, gracias', { families: ['kept'], notFamilies: ['moved'], locale: 'es', confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: from.date, time: '16:00' }],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('massage', { provider: 'jordan', times: ['14:00'] });
    const to = plan.uniqueDay('massage', { times: ['12:00'], after: from.date });
    const ttl = plan.business.policies.holdTtlSeconds * 1000;
    return {
      name: 'changes (es): un cambio sin respuesta: la hora guardada caduca y la cita se queda como estaba',
      topic: 'changes',
      needs: 'time-skipping',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(from.date, '14:00') });
      },
      steps: [
        say(`quiero cambiar mi cita de masaje al ${to.es} a las 12`, { families: ['move_read_back'], notFamilies: ['moved'], locale: 'es' }),
        wait(ttl + 5_000, { families: ['move_expired'], locale: 'es', confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: from.date, time: '14:00' }],
    };
  },
];
