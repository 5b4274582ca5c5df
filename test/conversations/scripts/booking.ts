import { say, type ScriptFactory } from '../../support/conversation-script';

/** Happy paths: every service of config/business.json, named providers, slot filling over several messages. */
export const bookingScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'] });
    return {
      name: 'haircut on a named day and time, confirmed with yes',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`I'd like a haircut on ${d.en} at ${d.enTime}`, { families: ['held'], status: 'holding', hold: { service: 'haircut', date: d.date, time: d.time }, slots: { service: 'haircut', date: d.date, time: d.time } }),
        say('yes', { families: ['booked'], status: 'booked', hold: null, confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00', '11:00'] });
    return {
      name: 'hair colour with Alex',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`Can I book a colour with Alex on ${d.en} at ${d.enTime}?`, { families: ['held'], hold: { service: 'color', provider: 'alex', date: d.date, time: d.time }, slots: { service: 'color', date: d.date, time: d.time, provider: 'alex' } }),
        say('yes please', { families: ['booked'], status: 'booked' }),
      ],
      ledger: [{ status: 'confirmed', service: 'color', provider: 'alex', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('beard-trim', { times: ['11:00', '14:00'] });
    return {
      name: 'beard trim',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`beard trim on ${d.en} at ${d.enTime} please`, { families: ['held'], slots: { service: 'beard-trim', date: d.date, time: d.time } }),
        say('Yes', { families: ['booked'], status: 'booked' }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { times: ['14:00', '13:00'] });
    return {
      name: 'consultation confirmed with "confirm"',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`I need a consultation on ${d.en} at ${d.enTime}`, { families: ['held'], slots: { service: 'consultation', date: d.date, time: d.time } }),
        say('confirm', { families: ['booked'], status: 'booked' }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['11:00', '13:00'] });
    return {
      name: 'massage',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`Do you have a massage on ${d.en} at ${d.enTime}?`, { families: ['held'], slots: { service: 'massage', date: d.date, time: d.time } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { provider: 'sam', times: ['16:00', '14:00'] });
    return {
      name: 'massage with Sam',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`massage with Sam on ${d.en} at ${d.enTime}`, { families: ['held'], hold: { provider: 'sam' }, slots: { service: 'massage', date: d.date, time: d.time, provider: 'sam' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', provider: 'sam', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'sam', times: ['13:00', '15:00'] });
    return {
      name: 'haircut with Sam',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`Could Sam do my haircut on ${d.en} at ${d.enTime}?`, { families: ['held'], hold: { provider: 'sam' }, slots: { service: 'haircut', date: d.date, time: d.time, provider: 'sam' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'sam', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('beard-trim', { times: ['11:00'] });
    return {
      name: 'day and time first, the service asked for and then remembered',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`Can I come in on ${d.en} at ${d.enTime}?`, { families: ['ask_service'], hold: null }),
        say('a beard trim', { families: ['held'], slots: { service: 'beard-trim', date: d.date, time: d.time } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: d.time }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'], claim: 'all' });
    return {
      name: 'a day without a time lists free times; the third is picked by number',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`What haircut times do you have on ${d.en}?`, { families: ['availability'], hold: null, slots: { service: 'haircut', date: d.date } }),
        say('3', { families: ['held'], hold: { service: 'haircut', date: d.date } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { times: ['10:00'], claim: 'all' });
    return {
      name: 'the service alone, then the day: slots gathered over three messages',
      topic: 'booking',
      goal: 'book',
      steps: [
        say("I'd like to book an appointment", { families: ['ask_service'] }),
        say(`a consultation on ${d.en}`, { families: ['availability'], slots: { service: 'consultation', date: d.date } }),
        say('the first one', { families: ['held'], hold: { service: 'consultation', date: d.date } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', date: d.date }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { provider: 'alex', times: ['10:00'], alsoOpenAt: ['11:00'] });
    return {
      name: 'a hold declined, then another time on the same day',
      topic: 'booking',
      goal: 'book',
      steps: [
        say(`consultation on ${d.en} at 10am`, { families: ['held'], hold: { time: '10:00' } }),
        say('no', { families: ['released'], hold: null, status: 'open' }),
        say('what about 11am instead?', { families: ['held'], hold: { service: 'consultation', date: d.date, time: '11:00' }, slots: { service: 'consultation', date: d.date, time: '11:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    // 10am in Los Angeles is 1pm at the (New York) business.
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['13:00'] });
    return {
      name: 'a customer in another zone: times read in their zone, booked in the business zone',
      topic: 'booking',
      goal: 'book',
      timezone: 'America/Los_Angeles',
      steps: [
        say(`haircut with Alex on ${d.en} at 10am`, { families: ['held'], hold: { date: d.date, time: '13:00' }, slots: { service: 'haircut', date: d.date, time: '10:00', provider: 'alex' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'alex', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['09:00', '10:00'] });
    return {
      name: 'a greeting first, then a booking',
      topic: 'booking',
      goal: 'book',
      steps: [
        say('Hi there!', { families: ['greeting'] }),
        say(`haircut on ${d.en} at ${d.enTime}`, { families: ['held'], slots: { service: 'haircut', date: d.date, time: d.time } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: d.time }],
    };
  },
];
