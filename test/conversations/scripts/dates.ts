import { say, type ScriptFactory } from '../../support/conversation-script';
import { enTime } from '../calendar';

/**
 * Relative and ambiguous dates, resolved by our code in the customer's zone (the conventions are in calendar.ts).
 * These days are not unique to one script, so each script locks the days it books on. A phrase that can mean today
 * ("this Sunday" on a Sunday) asks for a time chosen from the plan's instant, so the script holds at any hour.
 */
export const dateScripts: ScriptFactory[] = [
  (plan) => {
    const d = plan.nextWeekday('fri');
    return {
      name: '"next Friday at 3pm" is the Friday of next week',
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say("I'd like a haircut next Friday at 3pm", { families: ['held'], hold: { service: 'haircut', date: d.date, time: '15:00' }, slots: { service: 'haircut', date: d.date, time: '15:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    // "this Sunday" is today on a Sunday. Jordan gives massages from 10 to 2: ask for 11 or, later in the morning, 1
    // while one of them is still bookable; once neither is, 11 has passed, and that is what the customer hears.
    const d = plan.thisWeekday('sun');
    const name = '"this Sunday" for a massage (only Jordan works Sundays)';
    const time = ['11:00', '13:00'].find((t) => plan.bookable(d.date, t, 'massage', 'jordan'));
    if (!time) {
      if (!plan.hasPassed(d.date, '11:00')) throw new Error('"this Sunday" massage: neither bookable nor past; the plan has a gap');
      return {
        name,
        topic: 'dates',
        locks: [d.date],
        steps: [say('massage this Sunday at 11am?', { families: ['past'], notFamilies: ['held'], hold: null })],
        ledger: [],
      };
    }
    return {
      name,
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say(`massage this Sunday at ${enTime(time)}?`, { families: ['held'], hold: { service: 'massage', provider: 'jordan', date: d.date, time }, slots: { service: 'massage', date: d.date, time } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', provider: 'jordan', date: d.date, time }],
    };
  },
  (plan) => {
    // Nobody cuts hair on Sundays, at any hour: any time still clear of the booking notice gets the nearest free
    // times (on a Sunday, "this Sunday" is today, so a later hour); late on a Sunday every hour is too soon, and a
    // morning hour has passed. Never 2pm: the nearest free time would be Monday's 2pm, which "tmrw at 2pm" books
    // when tomorrow is Monday.
    const d = plan.thisWeekday('sun');
    const name = 'a haircut "this Sunday" when nobody cuts hair on Sundays: nearest times offered';
    const time = ['10:00', '12:00', '16:00', '18:00', '20:00', '22:00'].find((t) => plan.farEnough(d.date, t));
    if (!time) {
      if (!plan.hasPassed(d.date, '10:00')) throw new Error('"this Sunday" haircut: no hour ahead and 10am not past; the plan has a gap');
      return {
        name,
        topic: 'dates',
        locks: [d.date],
        steps: [say('can I get a haircut this Sunday at 10am', { families: ['past'], notFamilies: ['held', 'unavailable'], hold: null })],
        ledger: [],
      };
    }
    return {
      name,
      topic: 'dates',
      goal: 'book',
      // The nearest times are on Saturday or Monday.
      locks: plan.around(d),
      steps: [
        // Said as it is (issue 13): nobody cuts hair on Sundays, not "4:00 PM isn't available".
        say(`can I get a haircut this Sunday at ${enTime(time)}`, { families: ['closed_day'], notFamilies: ['unavailable'], hold: null, slots: { service: 'haircut', date: d.date, time } }),
        say('1', { families: ['held'] }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut' }],
    };
  },
  (plan) => {
    const { phrase, day } = plan.ordinal();
    // The service follows the day: nobody trims beards on Sundays, when Jordan (10 to 2) is the only one in, and
    // the "this Sunday" scripts have Jordan at 11 and 1.
    const [service, word, time, said] = plan.isOpen(day.date, '11:00', 'beard-trim')
      ? ['beard-trim', 'beard trim', '11:00', '11am']
      : ['consultation', 'consultation', '10:00', '10am'];
    return {
      name: `"${phrase}" is this month's unless it has passed`,
      topic: 'dates',
      goal: 'book',
      locks: [day.date],
      steps: [
        say(`${word} on ${phrase} at ${said}`, { families: ['held'], hold: { service, date: day.date, time }, slots: { service, date: day.date, time } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service, date: day.date, time }],
    };
  },
  (plan) => {
    const d = plan.tomorrow();
    const afternoon = (service: string) => plan.openTimes(d.date, service).some((t) => t >= '12:00' && t < '19:00');
    const [service, word] = afternoon('haircut') ? ['haircut', 'haircut'] : ['consultation', 'consultation'];
    return {
      name: '"tomorrow afternoon": free afternoon times listed, the first picked',
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say(`what times do you have for a ${word} tomorrow afternoon?`, { families: ['availability'], hold: null, slots: { service, date: d.date } }),
        say('the first one', { families: ['held'], hold: { service, date: d.date } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service, date: d.date }],
    };
  },
  (plan) => {
    // On a Saturday "this Saturday" is today: while at least three consultation times are still bookable today it is
    // asked about; later in the day there may be none left to list, and the customer asks about "this Friday" (six
    // days on) instead.
    const saturday = plan.thisWeekday('sat');
    const left = plan.openTimes(saturday.date, 'consultation').filter((t) => plan.bookable(saturday.date, t, 'consultation'));
    const [word, d] = left.length >= 3 ? ['Saturday', saturday] : ['Friday', plan.thisWeekday('fri')];
    return {
      name: 'times "this Saturday" listed, the second picked',
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say(`what times do you have for a consultation this ${word}?`, { families: ['availability'], slots: { service: 'consultation', date: d.date } }),
        say('the second one', { families: ['held'], hold: { service: 'consultation', date: d.date } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'consultation', date: d.date }],
    };
  },
  (plan) => {
    const d = plan.nextWeekday('tue');
    return {
      name: '"next Tuesday at 10am"',
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say('beard trim next Tuesday at 10am', { families: ['held'], hold: { service: 'beard-trim', date: d.date, time: '10:00' }, slots: { service: 'beard-trim', date: d.date, time: '10:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'beard-trim', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    // Someone gives massages at 1pm on every day of the week (Jordan on Sundays and Mondays, Sam otherwise).
    const d = plan.plusDays(2);
    return {
      name: '"the day after tomorrow at 1pm"',
      topic: 'dates',
      goal: 'book',
      locks: [d.date],
      steps: [
        say('massage the day after tomorrow at 1pm', { families: ['held'], hold: { service: 'massage', date: d.date, time: '13:00' }, slots: { service: 'massage', date: d.date, time: '13:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'massage', date: d.date, time: '13:00' }],
    };
  },
  (plan) => {
    const d = plan.uniqueDay('haircut', { times: ['10:00'], weekdays: ['mon', 'tue', 'wed', 'fri'] });
    const numeric = d.date.slice(5).replace('-', '/');
    return {
      name: 'a numeric month/day date ("12/14")',
      topic: 'dates',
      goal: 'book',
      steps: [
        say(`haircut on ${numeric} at 10am`, { families: ['held'], slots: { service: 'haircut', date: d.date, time: '10:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '10:00' }],
    };
  },
  (plan) => {
    // "at 3" with no am/pm: 3am is closed, so it is 3pm.
    const d = plan.uniqueDay('haircut', { times: ['15:00'] });
    return {
      name: 'a time without am/pm read as the open one ("at 3" is 3pm)',
      topic: 'dates',
      goal: 'book',
      steps: [
        say(`haircut on ${d.en} at 3`, { families: ['held'], slots: { service: 'haircut', date: d.date, time: '15:00' } }),
        say('yes', { families: ['booked'] }),
      ],
      ledger: [{ status: 'confirmed', service: 'haircut', date: d.date, time: '15:00' }],
    };
  },
  (plan) => {
    const months = plan.plusDays(plan.business.policies.maxDaysAhead + 30);
    return {
      name: 'a date beyond the booking horizon is refused',
      topic: 'dates',
      steps: [say(`haircut on ${months.en} at 10am`, { families: ['too_far'], notFamilies: ['held'], hold: null })],
      ledger: [],
    };
  },
];
