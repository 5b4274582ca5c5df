import { say, type ScriptFactory } from '../../support/conversation-script';

/** Listing bookings, questions outside booking, and asking for a person. */
export const listScripts: ScriptFactory[] = [
  (plan) => {
    const a = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const b = plan.uniqueDay('massage', { provider: 'jordan', times: ['10:00'] });
    const c = plan.uniqueDay('consultation', { provider: 'sam', times: ['13:00'] });
    return {
      name: "list my bookings: only this customer's, none of another's",
      topic: 'list',
      setup: async (world) => {
        await world.seed({ who: 'self', service: 'haircut', provider: 'alex', start: plan.instant(a.date, '10:00') });
        await world.seed({ who: 'self', service: 'massage', provider: 'jordan', start: plan.instant(b.date, '10:00') });
        await world.seed({ who: 'other', service: 'consultation', provider: 'sam', start: plan.instant(c.date, '13:00') });
      },
      steps: [say('what appointments do I have?', { families: ['list'], confirmedBookings: 2, notText: [/Consultation with Sam/] })],
      ledger: [
        { status: 'confirmed', service: 'haircut', date: a.date },
        { status: 'confirmed', service: 'massage', date: b.date },
      ],
    };
  },
  () => ({
    name: 'list with no bookings',
    topic: 'list',
    steps: [say('do I have any bookings?', { families: ['no_bookings'], confirmedBookings: 0 })],
    ledger: [],
  }),
  (plan) => {
    const d = plan.uniqueDay('beard-trim', { times: ['14:00', '11:00'] });
    return {
      name: 'book, then list: the new booking is there',
      topic: 'list',
      goal: 'book',
      steps: [
        say(`beard trim on ${d.en} at ${d.enTime}`, { families: ['held'] }),
        say('yes', { families: ['booked'] }),
        say('show me my bookings', { families: ['list'], confirmedBookings: 1 }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: d.time }],
    };
  },
];

export const outOfScopeScripts: ScriptFactory[] = [
  () => ({
    // Prices are the front desk's now (scripts/front-desk.ts); gift cards are still for staff.
    name: 'gift cards: a polite out-of-scope answer, no booking',
    topic: 'out_of_scope',
    steps: [say('Can I buy a gift card?', { families: ['out_of_scope'], notFamilies: ['held'], needsHuman: false, hold: null })],
    ledger: [],
  }),
  () => ({
    name: 'billing: a refund request',
    topic: 'out_of_scope',
    steps: [say('I was overcharged last time, I want a refund', { families: ['out_of_scope'], needsHuman: false })],
    ledger: [],
  }),
  () => ({
    name: 'a complaint, then a person on request',
    topic: 'out_of_scope',
    steps: [
      say('your stylist was rude to me, I want to make a complaint', { families: ['out_of_scope'], needsHuman: false }),
      say('agent', { families: ['handoff'], needsHuman: true, status: 'human' }),
    ],
    ledger: [],
  }),
  () => ({
    name: 'the weather',
    topic: 'out_of_scope',
    steps: [say('Is it going to rain tomorrow?', { families: ['out_of_scope'], notFamilies: ['held'], hold: null })],
    ledger: [],
  }),
  () => ({
    name: 'something else entirely',
    topic: 'out_of_scope',
    steps: [say("What's your wifi password?", { families: ['out_of_scope'], hold: null })],
    ledger: [],
  }),
  () => ({
    // Prices are answered from the business file now (scripts/front-desk.ts); an invoice is still for staff.
    name: 'Spanish: an invoice request',
    topic: 'out_of_scope',
    steps: [say('necesito una factura de mi última visita', { families: ['out_of_scope'], locale: 'es', hold: null })],
    ledger: [],
  }),
];

export const handoffScripts: ScriptFactory[] = [
  () => ({
    name: '"let me talk to a person": handed over, then the assistant stays quiet',
    topic: 'handoff',
    steps: [
      say('let me talk to a person', { families: ['handoff'], needsHuman: true, status: 'human' }),
      say('hello?', { silent: true, needsHuman: true }),
    ],
    ledger: [],
  }),
  () => ({
    name: 'Spanish: "quiero hablar con una persona"',
    topic: 'handoff',
    steps: [say('quiero hablar con una persona', { families: ['handoff'], needsHuman: true, locale: 'es' })],
    ledger: [],
  }),
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'] });
    return {
      name: 'a person asked for in the middle of a booking',
      topic: 'handoff',
      steps: [
        say(`haircut on ${d.en} at 10am`, { families: ['held'] }),
        say('actually can I speak to a human', { families: ['handoff'], notFamilies: ['booked'], needsHuman: true }),
      ],
      // The hold stays until its timer releases it; nothing was confirmed.
      ledger: [{ status: 'held', service: 'haircut', date: d.date, time: '10:00' }],
    };
  },
  () => ({
    name: 'a single word: "agent"',
    topic: 'handoff',
    steps: [say('agent', { families: ['handoff'], needsHuman: true })],
    ledger: [],
  }),
  () => ({
    name: 'a real human, with feeling',
    topic: 'handoff',
    steps: [say('can I speak to a real human please', { families: ['handoff'], needsHuman: true })],
    ledger: [],
  }),
];
