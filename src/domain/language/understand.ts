import { DateTime } from 'luxon';
import type { Business, Weekday } from '../booking/business';
import { WEEKDAYS } from '../booking/business';
import { matchProvider, matchService } from './catalogue';
import { parseChoice } from './choice';
import { classifyIntent, plain, type Intent } from './intents';
import { detectLocale, type Locale } from './locale';
import { referenceTime, resolveWhen, type Unresolved } from './resolve';
import { minutesOf } from './times';
import { readDayConstraints } from './constraints';

export type { Intent } from './intents';

/**
 * The understanding step of the offline interpreter (and of `npm run nlu`): one customer message, read against the
 * assistant's previous message, becomes an intent with the service, provider, day, time or window it names, the
 * option it picks from a list, and what is still ambiguous. Pure: the clock and zone are arguments.
 */

export interface UnderstandOptions {
  /** Reference time: ISO local time in `zone`, or an ISO instant. */
  now: string;
  /** The customer's IANA zone. */
  zone: string;
  business: Business;
  /** The assistant's previous message, which gives bare answers ("yes", "the second one", "3") their meaning. */
  previous?: string;
  /** The conversation's language when already known; otherwise detected from the text. */
  locale?: Locale;
}

export interface Understanding {
  intent: Intent;
  /** Local date in the customer's zone, YYYY-MM-DD. */
  date?: string;
  /** Local time, HH:MM 24 h. */
  time?: string;
  /** Acceptable local times, HH:MM bounds. */
  window?: { start: string; end: string };
  /** Days to search when no single day was said ("next week", "this weekend"). */
  range?: { start: string; end: string };
  /** Weekdays the customer is limited to ("only Tuesdays", "Thursday or Friday", "weekday mornings"). */
  weekdays?: Weekday[];
  /** Weekdays ruled out ("not Monday", "any day but Friday", "no el lunes"). */
  excludeWeekdays?: Weekday[];
  /** Local dates ruled out ("except the 24th"), YYYY-MM-DD. */
  excludeDates?: string[];
  /** "as soon as possible". */
  soonest?: boolean;
  /** The instant of date + time when both are known and exist. */
  instant?: string;
  /** Service id from the catalogue. */
  service?: string;
  /** Provider id. */
  provider?: string;
  /** 1-based position picked from the list the assistant offered; -1 for "the last one". */
  choice?: number;
  locale?: Locale;
  unresolved?: Unresolved[];
  /** The time was said without am/pm and the opening hours settled it: say which reading was taken. */
  assumedMeridiem?: { phrase: string; time: string };
}

/** What the assistant's previous message was doing, read from its words. */
export interface PreviousTurn {
  listOffered: boolean;
  askedToConfirm: boolean;
  askedBookingQuestion: boolean;
  askedAboutBookings: boolean;
  askedForTime: boolean;
}

/** Reads what the assistant's last message asked, so a bare answer can be understood. */
export function readPrevious(previous: string | undefined): PreviousTurn {
  const p = plain(previous ?? '');
  return {
    listOffered: /(?:^|\n|\s)\(?[1-9][.)]\s/.test(previous ?? '') || /\b(?:options?|opciones|which (?:one|of these)|cual prefieres)\b/.test(p),
    askedToConfirm: /\b(?:reply yes|to confirm|please confirm|confirm the following|shall i (?:book|confirm)|should i (?:book|confirm)|want me to (?:book|confirm)|is that (?:right|correct|ok)|responde si|para confirmar|confirmas|lo confirmo|holding|on hold|te lo guardo|reservado provisionalmente)\b/.test(p),
    askedBookingQuestion: /\b(?:would you like (?:to|me to) (?:book|make|schedule|reserve)|do you want (?:to|me to) (?:book|make|schedule)|shall i|should i|like to book|want to book|book an appointment|make an appointment|schedule an appointment|quieres (?:reservar|que reserve|una cita)|te reservo)\b/.test(p),
    askedAboutBookings: /\b(?:your (?:appointments|bookings)|which (?:appointment|booking)|tus citas|que cita|cual de tus)\b/.test(p),
    askedForTime: /\b(?:what time|which time|what hour|time works|time would you|time do you|a que hora|que hora)\b/.test(p),
  };
}

/** Understands one customer message. */
export function understand(text: string, options: UnderstandOptions): Understanding {
  const { business, zone } = options;
  const previous = readPrevious(options.previous);
  const locale = options.locale ?? detectLocale(text) ?? undefined;
  const service = matchService(text, business)?.id;
  const provider = matchProvider(text, business)?.id;
  const now = referenceTime(options.now, zone);

  // Days ruled out, a choice of weekdays and "the next two weeks" first: the resolver then reads what is left, so
  // "Friday" in "any day but Friday" is not taken for the day wanted.
  const days = readDayConstraints(text, { now: options.now, zone, locale: locale === 'es' ? 'es' : 'en' });
  const when = resolveWhen(days.rest, {
    now: options.now,
    zone,
    locale: locale === 'es' ? 'es' : 'en',
    expect: previous.askedForTime && !previous.listOffered ? 'time' : undefined,
    disambiguate: (candidates, date) => byOpeningHours(business, candidates, date, zone, now, provider, service),
  });

  let choice = parseChoice(text, previous.listOffered) ?? undefined;
  // "the 2nd" right after a numbered list is the second option, not the 2nd of the month.
  if (choice !== undefined && when.date && when.phrases.every((ph) => /^(?:on\s)?(?:the\s)?\d(?:st|nd|rd|th)?$/.test(ph))) {
    delete when.date;
    delete when.instant;
    when.unresolved = when.unresolved.filter((u) => u.kind !== 'no_time' && u.kind !== 'past');
  }
  if (choice !== undefined && !previous.listOffered && when.date) choice = undefined;

  if (days.range && !when.range && !when.date) when.range = days.range;
  if (days.weekdays) when.weekdays = days.weekdays;
  // A restriction of days is not a day: "no time given" still holds, but not for a day that was never said.
  const hasWhen = Boolean(when.date || when.time || when.window || when.range || when.weekdays || when.soonest || days.excludeWeekdays || days.excludeDates);
  const intent = classifyIntent(text, {
    hasService: Boolean(service),
    hasProvider: Boolean(provider),
    hasWhen,
    hasSpecificWhen: Boolean(when.time),
    hasChoice: choice !== undefined,
    askedToConfirm: previous.askedToConfirm,
    askedBookingQuestion: previous.askedBookingQuestion,
    askedAboutBookings: previous.askedAboutBookings,
  });

  const out: Understanding = { intent };
  if (when.date) out.date = when.date;
  if (when.time) out.time = when.time;
  if (when.window) out.window = when.window;
  if (when.range) out.range = when.range;
  if (when.weekdays) out.weekdays = when.weekdays;
  if (days.excludeWeekdays) out.excludeWeekdays = days.excludeWeekdays;
  if (days.excludeDates) out.excludeDates = days.excludeDates;
  if (when.soonest) out.soonest = true;
  if (when.instant) out.instant = when.instant;
  if (service) out.service = service;
  if (provider) out.provider = provider;
  if (choice !== undefined) out.choice = choice;
  if (locale) out.locale = locale;
  if (when.unresolved.length) out.unresolved = when.unresolved;
  if (when.assumedMeridiem && when.time === when.assumedMeridiem.time) out.assumedMeridiem = when.assumedMeridiem;
  return out;
}

/**
 * Of the am and pm readings of a time, the one inside the opening hours of someone who could do it; null when
 * both or neither are.
 */
function byOpeningHours(
  business: Business,
  candidates: [string, string],
  date: string | undefined,
  zone: string,
  now: DateTime,
  providerId: string | undefined,
  serviceId: string | undefined,
): string | null {
  const providers = business.providers.filter((p) => (!providerId || p.id === providerId) && (!serviceId || p.serviceIds.includes(serviceId)));
  const open = candidates.filter((c) => {
    const day = date ? DateTime.fromISO(date, { zone }) : now.startOf('day');
    const local = day.set({ hour: minutesOf(c) / 60 | 0, minute: minutesOf(c) % 60 }).setZone(business.timezone);
    const clock = local.toFormat('HH:mm');
    const weekdays: Weekday[] = date ? [WEEKDAYS[local.weekday - 1]!] : [...WEEKDAYS];
    return providers.some((p) => weekdays.some((wd) => (p.hours[wd] ?? []).some(([from, to]) => clock >= from && clock < to)));
  });
  return open.length === 1 ? open[0]! : null;
}
