import { say, type ScriptFactory } from '../../support/conversation-script';

/** Dates that have passed: refused with a question, nothing held, nothing written. */
export const pastScripts: ScriptFactory[] = [
  () => ({
    name: '"yesterday" is refused',
    topic: 'past',
    steps: [say('haircut yesterday at 3pm', { families: ['past'], notFamilies: ['held', 'booked'], hold: null })],
    ledger: [],
  }),
  () => ({
    name: '"last Monday" is refused',
    topic: 'past',
    steps: [say('I want to book a massage last Monday at 10am', { families: ['past'], notFamilies: ['held'], hold: null })],
    ledger: [],
  }),
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['15:00'] });
    return {
      name: 'a past day corrected to a future one, then booked',
      topic: 'past',
      goal: 'book',
      steps: [
        say('haircut yesterday at 3pm', { families: ['past'], hold: null }),
        say(`sorry, I meant ${d.en} at 3pm`, { families: ['held'], hold: { service: 'haircut', date: d.date, time: '15:00' }, slots: { service: 'haircut', date: d.date, time: '15:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    // A month and day earlier this year, said without a year, means next year's: too far ahead to book.
    const d = plan.plusDays(-20);
    return {
      name: 'a month and day already passed this year rolls over to next year, beyond the horizon',
      topic: 'past',
      steps: [say(`beard trim on ${d.en} at 11am`, { families: ['too_far'], notFamilies: ['held'], hold: null })],
      ledger: [],
    };
  },
  () => ({
    name: 'today at a time that has passed is refused',
    topic: 'past',
    steps: [say('a consultation today at 12:01am', { notFamilies: ['held', 'booked'], hold: null })],
    ledger: [],
  }),
];
