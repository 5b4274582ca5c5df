import type { Booking } from '../../../src/domain/booking/types';
import { elsewhere, say, type ScriptFactory } from '../../support/conversation-script';

/**
 * The waitlist (issue 17): the asked time is taken by another customer, this customer joins the waitlist for it, the
 * other customer cancels (through their own chat and the appointment workflow), the freed slot is held for this
 * customer and offered, and "yes" books it. On the time-skipping server, where the offer rounds run; the offer reaches
 * the web chat as a notice, which the `elsewhere` step waits for.
 */
export const waitlistScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    let taken: Booking | undefined;
    return {
      name: 'waitlist: the asked time is taken, the customer joins the waitlist, a cancellation is offered and "yes" books it',
      topic: 'waitlist',
      needs: 'time-skipping',
      goal: 'book',
      locks: [d.date],
      setup: async (world) => {
        taken = await world.otherCustomerBooks([`haircut with Alex on ${d.en} at 10am`, 'yes']);
      },
      steps: [
        say(`haircut with Alex on ${d.en} at 10am`, { families: ['unavailable'], notFamilies: ['held'], hold: null, text: [/put you on the waitlist/] }),
        say('put me on the waitlist', { families: ['waitlisted'], hold: null, confirmedBookings: 0 }),
        elsewhere('the customer who has 10:00 cancels it', (world) => world.otherCustomerCancels(taken!), { families: ['waitlist_offer'], confirmedBookings: 0 }),
        say('yes', { families: ['booked'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    let taken: Booking | undefined;
    return {
      name: 'waitlist (Spanish): "apúntame en la lista de espera", the freed time offered and booked with "sí"',
      topic: 'waitlist',
      needs: 'time-skipping',
      goal: 'book',
      locks: [d.date],
      setup: async (world) => {
        taken = await world.otherCustomerBooks([`haircut with Alex on ${d.en} at 10am`, 'yes']);
      },
      steps: [
        say(`quiero un corte con Alex el ${d.es} a las 10`, { families: ['unavailable'], notFamilies: ['held'], hold: null, locale: 'es', text: [/apunte en la lista de espera/] }),
        say('sí, apúntame en la lista de espera', { families: ['waitlisted'], locale: 'es', confirmedBookings: 0 }),
        elsewhere('the customer who has 10:00 cancels it', (world) => world.otherCustomerCancels(taken!), { families: ['waitlist_offer'], locale: 'es', confirmedBookings: 0 }),
        say('sí', { families: ['booked'], locale: 'es', confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '10:00' }],
    };
  },
];
