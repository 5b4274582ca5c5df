import { say, type ScriptFactory } from '../../support/conversation-script';
import { soon } from './cancel';

/** Moving a booking: the ledger cancels the old row and confirms the new one in one transaction. */
export const rescheduleScripts: ScriptFactory[] = [
  (plan) => {
    const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const to = plan.uniqueDay('haircut', { times: ['14:00'], after: from.date });
    return {
      name: 'book, then move it to another day and time',
      topic: 'reschedule',
      steps: [
        say(`haircut with Alex on ${from.en} at 10am`, { families: ['held'] }),
        say('yes', { families: ['booked'] }),
        // The move says what happened; the list of other times it was checked against is no longer news.
        // The new time is held and read back; the booking moves on the customer's yes.
        say(`can you move it to ${to.en} at 2pm?`, { families: ['move_read_back'], notFamilies: ['exact_free', 'moved'], confirmedBookings: 1, slots: { date: to.date, time: '14:00' } }),
        say('yes', { families: ['moved'], confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: from.date, time: '10:00' },
        { status: 'confirmed', service: 'haircut', date: to.date, time: '14:00' },
      ],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const to = plan.uniqueDay('haircut', { times: ['11:00'], after: from.date });
    return {
      name: 'reschedule a booking made earlier: asked when, then moved',
      topic: 'reschedule',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(from.date, '10:00') });
      },
      steps: [
        say('I need to reschedule my haircut', { families: ['ask_new_time'], notFamilies: ['moved'] }),
        say(`${to.en} at 11am`, { families: ['move_read_back'], notFamilies: ['exact_free', 'moved'], slots: { date: to.date, time: '11:00' } }),
        say('yes', { families: ['moved'] }),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: from.date, time: '10:00' },
        { status: 'confirmed', service: 'haircut', date: to.date, time: '11:00' },
      ],
    };
  },
  (plan) => {
    const start = soon(plan, 4, 'consultation', 'alex');
    const to = plan.uniqueDay('consultation', { times: ['10:00'] });
    return {
      name: 'moving a booking inside the 24-hour window is refused',
      topic: 'reschedule',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'consultation', provider: 'alex', start });
      },
      steps: [say(`can I move my appointment to ${to.en} at 10am?`, { families: ['policy_window'], notFamilies: ['moved'] })],
      ledger: [{ status: 'confirmed', service: 'consultation', ...plan.local(start) }],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('haircut', { provider: 'alex', times: ['15:00'] });
    // Mondays only Alex cuts hair: once another customer has Alex at 10, 10 is gone.
    const to = plan.uniqueDay('haircut', { times: ['10:00'], weekdays: ['mon'], after: from.date, claim: ['alex'] });
    return {
      name: 'moving to a time another customer has: nearest times offered, one picked',
      topic: 'reschedule',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(from.date, '15:00') });
        await world.otherCustomerBooks([`haircut on ${to.en} at 10am`, 'yes']);
      },
      steps: [
        say(`please move my haircut to ${to.en} at 10am`, { families: ['unavailable'], notFamilies: ['moved'] }),
        say('1', { families: ['move_read_back'], notFamilies: ['moved'] }),
        say('yes', { families: ['moved'] }),
      ],
      ledger: [
        { status: 'cancelled', service: 'haircut', date: from.date, time: '15:00' },
        { status: 'confirmed', service: 'haircut' },
      ],
    };
  },
  (plan) => {
    const from = plan.uniqueDay('massage', { provider: 'jordan', times: ['10:00'] });
    const to = plan.uniqueDay('massage', { times: ['11:00'], after: from.date });
    return {
      name: 'Spanish: move a booking',
      topic: 'reschedule',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(from.date, '10:00') });
      },
      steps: [
        say(`quiero cambiar mi cita de masaje al ${to.es} a las 11 de la mañana`, { families: ['move_read_back'], notFamilies: ['exact_free', 'moved'], locale: 'es', slots: { date: to.date, time: '11:00' } }),
        say('sí', { families: ['moved'], locale: 'es' }),
      ],
      ledger: [
        { status: 'cancelled', service: 'massage', date: from.date, time: '10:00' },
        { status: 'confirmed', service: 'massage', date: to.date, time: '11:00' },
      ],
    };
  },
];
