import { say, type ScriptFactory } from '../../support/conversation-script';

/** The first choice is taken (another customer booked it first) or impossible: alternatives, then a booking. */
export const alternativeScripts: ScriptFactory[] = [
  (plan) => {
    // The alternatives may fall anywhere in Alex's day: the script has all of it.
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00'], claim: ['alex'] });
    return {
      name: 'colour with Alex already taken by another customer: nearest times offered, one picked',
      topic: 'alternatives',
      goal: 'book',
      setup: async (world) => {
        await world.otherCustomerBooks([`colour with Alex on ${d.en} at 10am`, 'yes']);
      },
      steps: [
        say(`colour with Alex on ${d.en} at 10am please`, { families: ['unavailable'], notFamilies: ['held'], hold: null, slots: { service: 'color', date: d.date, time: '10:00', provider: 'alex' } }),
        say('1', { families: ['held'], hold: { service: 'color', provider: 'alex' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'color', provider: 'alex' }],
    };
  },
  (plan) => {
    // A day on which Alex and Sam both cut hair at 1pm.
    const d = plan.uniqueDay('haircut', { provider: 'sam', claim: ['alex', 'sam'], times: ['13:00'], weekdays: ['tue', 'wed', 'thu', 'fri'] });
    return {
      name: 'Alex taken at the asked time: the same time with Sam is held instead',
      topic: 'alternatives',
      goal: 'book',
      setup: async (world) => {
        await world.otherCustomerBooks([`haircut with Alex on ${d.en} at 1pm`, 'yes']);
      },
      steps: [
        say(`haircut on ${d.en} at 1pm`, { families: ['held'], hold: { service: 'haircut', provider: 'sam', date: d.date, time: '13:00' }, slots: { service: 'haircut', date: d.date, time: '13:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'sam', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    // Sundays only Jordan works (massage, consultation): once 11am is gone, there is no one else at 11.
    const d = plan.uniqueDay('massage', { provider: 'jordan', times: ['11:00'], weekdays: ['sun'], claim: ['jordan'] });
    return {
      name: 'Sunday massage taken: the second alternative picked',
      topic: 'alternatives',
      goal: 'book',
      setup: async (world) => {
        await world.otherCustomerBooks([`massage on ${d.en} at 11am`, 'yes']);
      },
      steps: [
        say(`I want a massage on ${d.en} at 11am`, { families: ['unavailable'], hold: null, slots: { service: 'massage', date: d.date, time: '11:00' } }),
        say('the second one', { families: ['held'], hold: { service: 'massage' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { provider: 'sam', times: ['11:00'] });
    return {
      name: 'a provider who does not offer the service, then the one who does',
      topic: 'alternatives',
      goal: 'book',
      steps: [
        say(`massage with Alex on ${d.en} at 11am`, { families: ['provider_does_not_offer'], hold: null }),
        say('ok, with Sam then', { families: ['held'], hold: { service: 'massage', provider: 'sam', date: d.date, time: '11:00' }, slots: { service: 'massage', date: d.date, time: '11:00', provider: 'sam' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', provider: 'sam', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    // Mondays only Alex cuts hair, 9 to 5: 7pm is outside everyone's hours.
    const d = plan.uniqueDay('haircut', { times: ['16:00'], weekdays: ['mon'], claim: ['alex'] });
    return {
      name: 'a time outside opening hours: the nearest open times offered',
      topic: 'alternatives',
      goal: 'book',
      steps: [
        say(`haircut on ${d.en} at 7pm`, { families: ['unavailable'], hold: null, slots: { service: 'haircut', date: d.date, time: '19:00' } }),
        say('1', { families: ['held'] }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut' }],
    };
  },
  (plan) => {
    const days = [0, 1, 2].map(() => plan.uniqueDay('consultation', { provider: 'jordan', times: ['10:00', '11:00'] }));
    const d = plan.uniqueDay('consultation', { times: ['10:00'] });
    return {
      name: 'a fourth booking over the limit of three is refused',
      topic: 'alternatives',
      setup: async (world) => {
        for (const day of days) await world.seed({ who: 'self', service: 'consultation', provider: 'jordan', start: plan.instant(day.date, day.time) });
      },
      steps: [say(`consultation on ${d.en} at 10am`, { families: ['too_many_bookings'], notFamilies: ['booked'], hold: null })],
      ledger: days.map((day) => ({ status: 'confirmed' as const, service: 'consultation', date: day.date, time: day.time })),
    };
  },
];
