import { say, type ScriptFactory } from '../../support/conversation-script';
import type { CalendarPlan } from '../calendar';

/**
 * A start `hours` from now, for a booking of `service` with `provider` inside the 24-hour cancellation window. Made
 * straight in the ledger (a booking taken earlier, e.g. by phone): the ledger does not check opening hours, so the
 * plan puts it where the provider is off work, clear of anything another script books through the assistant today
 * or tomorrow.
 */
export function soon(plan: CalendarPlan, hours: number, service: string, provider: string): string {
  return plan.offHoursStart(provider, service, hours);
}

const local = (plan: CalendarPlan, iso: string) => plan.local(iso);

/** Cancellation inside and outside the policy window (24 h), by the customer's own words. */
export const cancelScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['11:00'] });
    return {
      name: 'book, then cancel well ahead of the policy window',
      topic: 'cancel',
      steps: [
        say(`haircut on ${d.en} at 11am`, { families: ['held'] }),
        say('yes', { families: ['booked'], confirmedBookings: 1 }),
        // Read back first; cancelled only on the customer's yes in their next message.
        say('Actually I need to cancel my appointment', { families: ['cancel_read_back'], notFamilies: ['cancelled'], confirmedBookings: 1, needsHuman: false }),
        say('yes', { families: ['cancelled'], confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'haircut', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['11:00', '13:00'] });
    return {
      name: 'cancel a booking made earlier, named by service and day',
      topic: 'cancel',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'massage', provider: plan.isOpen(d.date, d.time, 'massage', 'sam') ? 'sam' : 'jordan', start: plan.instant(d.date, d.time) });
      },
      steps: [
        say(`I need to cancel my massage on ${d.en}`, { families: ['cancel_read_back'], notFamilies: ['policy_window', 'cancelled'], confirmedBookings: 1 }),
        say('yes please', { families: ['cancelled'], confirmedBookings: 0 }),
      ],
      ledger: [{ status: 'cancelled', service: 'massage', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const start = soon(plan, 3, 'consultation', 'jordan');
    return {
      name: 'cancel inside the 24-hour window: refused, the policy explained, a person offered and accepted',
      topic: 'cancel',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'consultation', provider: 'jordan', start });
      },
      steps: [
        say('please cancel my appointment', { families: ['policy_window'], notFamilies: ['cancelled'], confirmedBookings: 1, needsHuman: false }),
        say('yes please', { families: ['handoff'], needsHuman: true }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', ...local(plan, start) }],
    };
  },
  (plan) => {
    const start = soon(plan, 5, 'haircut', 'sam');
    return {
      name: 'Spanish: cancel inside the window is refused in Spanish',
      topic: 'cancel',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'sam', start });
      },
      steps: [say('quiero cancelar mi cita', { families: ['policy_window'], notFamilies: ['cancelled'], locale: 'es' })],
      ledger: [{ status: 'confirmed', service: 'haircut', ...local(plan, start) }],
    };
  },
  (plan) => {
    const first = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const second = plan.uniqueDay('beard-trim', { provider: 'alex', times: ['10:00'], after: first.date });
    return {
      name: 'two bookings: asked which one, the second cancelled by number',
      topic: 'cancel',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(first.date, '10:00') });
        await world.seed({ who: 'self', service: 'beard-trim', provider: 'alex', start: plan.instant(second.date, '10:00') });
      },
      steps: [
        say('I want to cancel an appointment', { families: ['list', 'ask_which'], notFamilies: ['cancelled'] }),
        say('the second one', { families: ['cancel_read_back'], notFamilies: ['cancelled'], confirmedBookings: 2 }),
        say('yes', { families: ['cancelled'], confirmedBookings: 1 }),
      ],
      ledger: [
        { status: 'confirmed', service: 'haircut', date: first.date },
        { status: 'cancelled', service: 'beard-trim', date: second.date },
      ],
    };
  },
  () => ({
    name: 'cancel with no bookings: told there are none',
    topic: 'cancel',
    // Nothing to pick from: no "which one?" after "you have none".
    steps: [say('cancel my booking please', { families: ['no_bookings'], notFamilies: ['cancelled', 'ask_which'] })],
    ledger: [],
  }),
  (plan) => {
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00'] });
    let otherId = '';
    return {
      name: "another customer's booking id typed in: nothing of theirs is touched",
      topic: 'cancel',
      setup: async (world) => {
        otherId = (await world.seed({ who: 'other', service: 'color', provider: 'alex', start: plan.instant(d.date, '10:00') })).id;
      },
      steps: () => [say(`cancel booking ${otherId}`, { notFamilies: ['cancelled', 'ask_which'], confirmedBookings: 0 })],
      ledger: [],
    };
  },
];
