import { say, type ScriptFactory } from '../../support/conversation-script';

/** The ways people actually say a service, a person and a time: synonyms, "noon", "half past two", corrections. */
export const phrasingScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'sam', times: ['14:30'] });
    return {
      name: '"a trim with Sam around half past two"',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`Could I get a trim with Sam on ${d.en} around half past two?`, { families: ['held'], hold: { provider: 'sam', time: '14:30' }, slots: { service: 'haircut', date: d.date, time: '14:30', provider: 'sam' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', provider: 'sam', date: d.date, time: '14:30' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['12:00'] });
    return {
      name: '"a cut at noon"',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`I'd like a cut at noon on ${d.en}`, { families: ['held'], slots: { service: 'haircut', date: d.date, time: '12:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '12:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('beard-trim', { times: ['10:45'] });
    return {
      name: '"something for my beard at quarter to eleven"',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`something for my beard on ${d.en} at quarter to eleven`, { families: ['held'], slots: { service: 'beard-trim', date: d.date, time: '10:45' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: '10:45' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('massage', { times: ['10:00'], claim: 'all' });
    return {
      name: '"in the morning": morning times listed, one picked',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`massage in the morning on ${d.en}`, { families: ['availability'], slots: { service: 'massage', date: d.date } }),
        say('the first one', { families: ['held'], hold: { service: 'massage', date: d.date } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('consultation', { provider: 'jordan', times: ['09:30'] });
    return {
      name: 'a provider named as the subject: "Can Jordan do a consultation at 9:30am?"',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`Can Jordan do a consultation on ${d.en} at 9:30am?`, { families: ['held'], hold: { provider: 'jordan' }, slots: { service: 'consultation', date: d.date, time: '09:30', provider: 'jordan' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', provider: 'jordan', date: d.date, time: '09:30' }],
    };
  },
  (plan) => {
    const d = plan.weekdayAfterNext('fri');
    return {
      name: '"the Friday after next"',
      topic: 'phrasing',
      goal: 'book',
      locks: [d.date],
      steps: [
        say('beard trim the Friday after next at 11am', { families: ['held'], hold: { date: d.date, time: '11:00' }, slots: { service: 'beard-trim', date: d.date, time: '11:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: '11:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'], alsoOpenAt: ['14:00'] });
    return {
      name: 'a hold changed to another time before confirming ("actually make it 2pm")',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`haircut on ${d.en} at 10am`, { families: ['held'], hold: { time: '10:00' } }),
        say('actually make it 2pm', { families: ['held'], hold: { service: 'haircut', date: d.date, time: '14:00' }, slots: { service: 'haircut', date: d.date, time: '14:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '14:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('color', { provider: 'alex', times: ['10:00'] });
    return {
      name: '"get my hair coloured at 10 in the morning"',
      topic: 'phrasing',
      goal: 'book',
      steps: [
        say(`I'd like to get my hair coloured on ${d.en} at 10 in the morning`, { families: ['held'], slots: { service: 'color', date: d.date, time: '10:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'color', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    const d = plan.tomorrow();
    return {
      name: 'Spanish: "mañana por la tarde" lists tomorrow afternoon',
      topic: 'phrasing',
      goal: 'book',
      locks: [d.date],
      steps: [
        say('¿tenéis hueco para un masaje mañana por la tarde?', { families: ['availability'], locale: 'es', slots: { service: 'massage', date: d.date } }),
        say('la segunda', { families: ['held'], hold: { service: 'massage', date: d.date } }),
        say('sí', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date }],
    };
  },
];
