import { DateTime, Duration } from 'luxon';
import type { Business } from '../../booking/business';
import type { BookingView, SlotView } from '../../tools';
import type { Locale } from '../locale';
import { traitsOf, type Channel } from '../../messaging/channel';

/**
 * How facts read in a reply: dates and times in the customer's zone ("Thu 26 Nov, 3:00 PM"; in Spanish
 * "jue 26 nov, 15:00"), with the zone's abbreviation when it is not the business's, and services and providers by
 * their names. Pure: everything comes from the arguments.
 */

/** What every template needs: the customer's language and zone, and the business for names and policies. */
export interface RenderOptions {
  locale: Locale;
  zone: string;
  business: Business;
  /** The channel the text goes to: how a list of times is laid out (one line per day, or one line). Default chat. */
  channel?: Channel;
}

/** English or Spanish text. */
export function say(opts: Pick<RenderOptions, 'locale'>, en: string, es: string): string {
  return opts.locale === 'es' ? es : en;
}

function local(iso: string, opts: RenderOptions): DateTime {
  return DateTime.fromISO(iso, { setZone: true }).setZone(opts.zone).setLocale(opts.locale === 'es' ? 'es' : 'en-US');
}

/** The zone's abbreviation when the customer is not in the business's zone, so "3:00 PM" cannot be misread. */
function zoneSuffix(dt: DateTime, opts: RenderOptions): string {
  if (opts.zone === opts.business.timezone) return '';
  const here = DateTime.fromMillis(dt.toMillis(), { zone: opts.business.timezone });
  if (here.offset === dt.offset && here.zoneName === dt.zoneName) return '';
  return ` ${dt.toFormat('ZZZZ')}`;
}

/** "Thu 26 Nov, 3:00 PM" / "jue 26 nov, 15:00". */
export function when(iso: string, opts: RenderOptions): string {
  const dt = local(iso, opts);
  const text = opts.locale === 'es' ? dt.toFormat('ccc d LLL, HH:mm') : dt.toFormat('ccc d LLL, h:mm a');
  return text.replace(/\./g, '') + zoneSuffix(dt, opts);
}

/**
 * A time read back to a customer in another zone, both ways: "Thu 26 Nov, 2:00 PM your time, 5:00 PM at Maple
 * Street Studio" (Spanish "jue 26 nov, 14:00 tu hora, 17:00 en Maple Street Studio"), the business's day added when it
 * differs. The same as {@link when} when the customer's clock reads like the business's.
 */
export function whenBoth(iso: string, opts: RenderOptions): string {
  const mine = local(iso, opts);
  if (!zoneSuffix(mine, opts)) return when(iso, opts);
  const theirs = mine.setZone(opts.business.timezone);
  const dayOf = (dt: DateTime) => dt.toFormat('ccc d LLL').replace(/\./g, '');
  const timeOf = (dt: DateTime) => (opts.locale === 'es' ? dt.toFormat('HH:mm') : dt.toFormat('h:mm a'));
  const there = theirs.hasSame(mine, 'day') ? timeOf(theirs) : `${dayOf(theirs)}, ${timeOf(theirs)}`;
  return say(
    opts,
    `${dayOf(mine)}, ${timeOf(mine)} your time, ${there} at ${opts.business.name}`,
    `${dayOf(mine)}, ${timeOf(mine)} tu hora, ${there} en ${opts.business.name}`,
  );
}

/** "3:00 PM" / "15:00". */
export function clockTime(iso: string, opts: RenderOptions): string {
  const dt = local(iso, opts);
  return (opts.locale === 'es' ? dt.toFormat('HH:mm') : dt.toFormat('h:mm a')) + zoneSuffix(dt, opts);
}

/** "Thu 26 Nov" / "jue 26 nov" from a YYYY-MM-DD local date. */
export function day(isoDate: string, opts: RenderOptions): string {
  const dt = DateTime.fromISO(isoDate, { zone: opts.zone }).setLocale(opts.locale === 'es' ? 'es' : 'en-US');
  return dt.toFormat('ccc d LLL').replace(/\./g, '');
}

/** "3:00 PM" / "15:00" from a local HH:MM. */
export function localClock(hhmm: string, opts: RenderOptions): string {
  const [h, m] = hhmm.split(':').map(Number);
  const dt = DateTime.fromObject({ hour: h, minute: m }, { zone: opts.zone }).setLocale(opts.locale === 'es' ? 'es' : 'en-US');
  return opts.locale === 'es' ? dt.toFormat('HH:mm') : dt.toFormat('h:mm a');
}

export function serviceName(id: string, opts: RenderOptions): string {
  const service = opts.business.services.find((s) => s.id === id);
  if (!service) return id;
  return (opts.locale === 'es' ? service.names?.es : undefined) ?? service.name;
}

export function providerName(id: string, opts: RenderOptions): string {
  return opts.business.providers.find((p) => p.id === id)?.name ?? id;
}

/**
 * "Haircut with Alex, Thu 26 Nov, 3:00 PM": a booking as one phrase, to follow a colon. Holds, bookings and
 * cancellations read it, so a customer in another zone sees both clocks ({@link whenBoth}).
 */
export function appointment(b: Pick<BookingView, 'service' | 'provider' | 'start'>, opts: RenderOptions): string {
  return `${serviceName(b.service, opts)} ${say(opts, 'with', 'con')} ${providerName(b.provider, opts)}, ${whenBoth(b.start, opts)}`;
}

/**
 * A numbered list of slots grouped by day, in the order given (the order the conversation remembers as offered, which
 * is chronological): "Fri 4 Dec: 1. 9:00 AM, 2. 10:30 AM" — one line per day on screens, all on one line joined by
 * " · " for texts and speech (the channel's `listLayout`). Providers are named per time when there are several, once
 * at the end when there is one.
 */
export function slotList(slots: SlotView[], opts: RenderOptions, first = 1): string {
  const providers = new Set(slots.map((s) => s.provider));
  const days: { label: string; items: string[] }[] = [];
  slots.forEach((s, i) => {
    const label = day(local(s.start, opts).toISODate()!, opts);
    const named = providers.size > 1 || slots.length === 1;
    const item = `${first + i}. ${clockTime(s.start, opts)}${named ? ` ${say(opts, 'with', 'con')} ${providerName(s.provider, opts)}` : ''}`;
    const last = days[days.length - 1];
    if (last?.label === label) last.items.push(item);
    else days.push({ label, items: [item] });
  });
  const inline = traitsOf(opts.channel ?? 'chat').listLayout === 'inline';
  const lines = days.map((d) => `${d.label}: ${d.items.join(', ')}`);
  const who = providers.size === 1 && slots.length > 1 ? say(opts, `All with ${providerName([...providers][0]!, opts)}.`, `Todas con ${providerName([...providers][0]!, opts)}.`) : '';
  if (inline) return [lines.join(' · '), who].filter(Boolean).join(' ');
  return [...lines, who].filter(Boolean).join('\n');
}

/** "90 seconds", "2 minutes", "24 hours", "1 day" (or Spanish). */
export function duration(d: Duration, opts: Pick<RenderOptions, 'locale'>): string {
  const minutes = Math.round(d.as('minutes'));
  const seconds = Math.round(d.as('seconds'));
  const unit = (n: number, en: string, es: string) => `${n} ${say(opts, n === 1 ? en : `${en}s`, n === 1 ? es : es.endsWith('n') ? `${es}es` : `${es}s`)}`;
  if (seconds < 120 && seconds % 60 !== 0) return unit(seconds, 'second', 'segundo');
  if (minutes < 120) return unit(minutes, 'minute', 'minuto');
  const hours = Math.round(d.as('hours'));
  if (hours < 48 || hours % 24 !== 0) return unit(hours, 'hour', 'hora');
  return unit(Math.round(hours / 24), 'day', 'día');
}

/** Confirmed bookings still ahead, earliest first: the order lists show and "the first one" refers to. */
export function activeBookings<T extends { status: string; start: string }>(bookings: readonly T[]): T[] {
  return bookings.filter((b) => b.status === 'confirmed').sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
