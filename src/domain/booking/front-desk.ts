import { DateTime } from 'luxon';
import { WEEKDAYS, type Business, type LocalizedText, type Weekday } from './business';

/**
 * What a front desk answers, read from the business file and nothing else: prices and durations per service, opening
 * hours, address and directions, walk-ins. Pure. A topic the file is silent on comes back `known: false`, so the
 * caller hands the question to a person instead of anyone (a model included) making an answer up.
 */

export const DESK_TOPICS = ['prices', 'durations', 'hours', 'address', 'directions', 'walk_ins'] as const;
export type DeskTopic = (typeof DESK_TOPICS)[number];

export interface ServiceFacts {
  id: string;
  durationMinutes: number;
  /** Absent when the file has no price for it. */
  price?: { amount: number; from: boolean; currency: string };
}

export type DeskFacts =
  | { topic: 'prices' | 'durations'; known: boolean; services: ServiceFacts[] }
  | { topic: 'hours'; known: true; date?: string; week: OpeningDay[]; closedOn?: string; holidaysClosed: boolean }
  | { topic: 'address'; known: boolean; address?: string }
  | { topic: 'directions'; known: boolean; address?: string; directions?: LocalizedText }
  | { topic: 'walk_ins'; known: boolean; accepted?: boolean; note?: LocalizedText };

/** A weekday and the business's opening intervals (local HH:MM in the business's zone); none: closed. */
export interface OpeningDay {
  day: Weekday;
  intervals: [string, string][];
}

/**
 * The facts for one question. `service` narrows prices and durations to one service; `date` (YYYY-MM-DD in the
 * business's zone) narrows hours to one day.
 */
export function deskFacts(business: Business, topic: DeskTopic, options: { service?: string; date?: string } = {}): DeskFacts {
  const desk = business.frontDesk;
  switch (topic) {
    case 'prices':
    case 'durations': {
      const chosen = business.services.filter((s) => !options.service || s.id === options.service);
      const services = (chosen.length ? chosen : business.services).map((s) => ({
        id: s.id,
        durationMinutes: s.durationMinutes,
        ...(s.price ? { price: { amount: s.price.amount, from: s.price.from, currency: desk.currency } } : {}),
      }));
      const known = topic === 'durations' || services.some((s) => s.price);
      return { topic, known, services };
    }
    case 'hours': {
      const week = openingWeek(business);
      const closed = options.date ? business.closures.dates.find((d) => d.date === options.date) : undefined;
      return {
        topic,
        known: true,
        ...(options.date ? { date: options.date } : {}),
        week,
        ...(closed ? { closedOn: closed.date } : {}),
        holidaysClosed: business.closures.holidays !== undefined,
      };
    }
    case 'address':
      return { topic, known: desk.address !== undefined, ...(desk.address ? { address: desk.address } : {}) };
    case 'directions':
      return {
        topic,
        known: desk.address !== undefined || desk.directions !== undefined,
        ...(desk.address ? { address: desk.address } : {}),
        ...(desk.directions ? { directions: desk.directions } : {}),
      };
    case 'walk_ins':
      return desk.walkIns ? { topic, known: true, accepted: desk.walkIns.accepted, ...(desk.walkIns.note ? { note: desk.walkIns.note } : {}) } : { topic, known: false };
  }
}

/** The business is open when any provider works: the union of the providers' hours, per weekday. */
export function openingWeek(business: Business): OpeningDay[] {
  return WEEKDAYS.map((day) => {
    const all = business.providers.flatMap((p) => p.hours[day]).map(([a, b]) => [a, b] as [string, string]);
    all.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const merged: [string, string][] = [];
    for (const [start, end] of all) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = end > last[1] ? end : last[1];
      else merged.push([start, end]);
    }
    return { day, intervals: merged };
  });
}

/** The weekday of a local date, as the business file names it. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[DateTime.fromISO(date).weekday - 1]!;
}
