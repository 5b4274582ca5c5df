import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';
import { DateTime } from 'luxon';
import { BusinessConfigError, type Business } from '../domain/booking/business';
import { toInstant } from '../domain/booking/time';
import type { ClosedDay, ClosureCalendar } from '../domain/booking/closures';

export type { ClosedDay, ClosureCalendar };

/**
 * The closed days of the business file (`closures`): public holidays of its country and region, from the
 * date-holidays package, and the dates it lists. Each is a whole business-local day, [00:00, next 00:00) in the
 * business's zone. (Days closed from the staff desk live in the ledger as closures; see staff-calendar.ts.)
 */
/** Reads the business file's closures once; an unknown country or region is a configuration error that says so. */
export function createClosureCalendar(business: Business): ClosureCalendar {
  const zone = business.timezone;
  const { holidays, dates } = business.closures;
  let calendar: HolidaysClass | null = null;
  if (holidays) {
    const Holidays = loadDateHolidays();
    const probe = new Holidays();
    const countries = probe.getCountries() ?? {};
    if (!(holidays.country in countries)) {
      throw new BusinessConfigError(`closures.holidays.country: date-holidays knows no country "${holidays.country}"; use an ISO 3166-1 code such as "US" or "ES"`);
    }
    const regions = probe.getStates(holidays.country) ?? {};
    if (holidays.region && !(holidays.region in regions)) {
      const known = Object.keys(regions).slice(0, 12).join(', ');
      throw new BusinessConfigError(`closures.holidays.region: "${holidays.region}" is not a region of ${holidays.country}${known ? ` (e.g. ${known})` : ''}; remove it for the national holidays only`);
    }
    calendar = holidays.region ? new Holidays(holidays.country, holidays.region) : new Holidays(holidays.country);
  }
  const types = new Set<string>(holidays?.types ?? []);
  const byYear = new Map<number, Map<string, string>>();
  const holidaysOf = (year: number): Map<string, string> => {
    let found = byYear.get(year);
    if (!found) {
      found = new Map();
      for (const h of calendar?.getHolidays(year) ?? []) {
        if (!types.has(h.type)) continue;
        const date = h.date.slice(0, 10);
        found.set(date, found.has(date) ? `${found.get(date)}, ${h.name}` : h.name);
      }
      byYear.set(year, found);
    }
    return found;
  };
  const listed = new Map(dates.map((d) => [d.date, d.reason]));

  return {
    closedDays(range) {
      const out: ClosedDay[] = [];
      let day = DateTime.fromISO(range.start, { zone }).startOf('day');
      const until = DateTime.fromISO(range.end, { zone });
      // A guard against a runaway range: a search never needs more than a few months of days.
      for (let n = 0; day < until && n < 800; n++, day = day.plus({ days: 1 }).startOf('day')) {
        const date = day.toISODate()!;
        const reason = listed.get(date) ?? holidaysOf(day.year).get(date);
        if (reason === undefined) continue;
        out.push({ date, reason: reason || 'closed', start: toInstant(day.toJSDate()), end: toInstant(day.plus({ days: 1 }).startOf('day').toJSDate()) });
      }
      return out;
    },
  };
}

/**
 * date-holidays, loaded only for a business file that names holidays: with its calendars (moment-timezone,
 * astronomia…) it is the heaviest import of the worker, most of a second on a loaded machine, and a worker restarted
 * after a crash should be polling in as little time as it can. Synchronous (its CommonJS build), so a bad country or
 * region is still reported where the calendar is created, at start-up.
 */
function loadDateHolidays(): typeof HolidaysClass {
  return createRequire(import.meta.url)('date-holidays') as typeof HolidaysClass;
}
