import { DateTime } from 'luxon';
import type { LocalizedText, Weekday } from '../../booking/business';
import { weekdayOf, type DeskFacts, type OpeningDay, type ServiceFacts } from '../../booking/front-desk';
import type { BookingView, ToolResult } from '../../tools';
import { appointment, day, say, serviceName, type RenderOptions } from './format';

/**
 * The front desk's answers, rendered from the business file's facts (see booking/front-desk.ts): prices and
 * durations, opening hours, address and directions, walk-ins, a late arrival passed on to staff, the customer's name.
 * Nothing here is written by a model; a fact the file does not have is never rendered (the question goes to a person).
 */

/** The customer-facing text of a front-desk tool's success (errors go through renderError like any tool's). */
export function renderFrontDesk(name: 'get_business_info' | 'report_running_late' | 'save_customer_name', result: ToolResult, opts: RenderOptions): string | null {
  if (!result.ok) return null;
  switch (name) {
    case 'get_business_info':
      return deskAnswer((result as Extract<ToolResult<'get_business_info'>, { ok: true }>).facts, opts);
    case 'report_running_late':
      return lateNoted(result as Extract<ToolResult<'report_running_late'>, { ok: true }>, opts);
    case 'save_customer_name':
      return nameNoted(result as Extract<ToolResult<'save_customer_name'>, { ok: true }>, opts);
  }
}

/** The answer to a front-desk question; null when the file does not know (the caller hands over to a person). */
export function deskAnswer(facts: DeskFacts, opts: RenderOptions): string | null {
  if (!facts.known) return null;
  switch (facts.topic) {
    case 'prices':
      return prices(facts.services, opts);
    case 'durations':
      return durations(facts.services, opts);
    case 'hours':
      return hours(facts, opts);
    case 'address':
      return say(opts, `We're at ${facts.address}.`, `Estamos en ${facts.address}.`);
    case 'directions': {
      const where = facts.address ? say(opts, `We're at ${facts.address}.`, `Estamos en ${facts.address}.`) : '';
      const how = facts.directions ? localized(facts.directions, opts) : '';
      return [where, how].filter(Boolean).join(' ');
    }
    case 'walk_ins': {
      const head = facts.accepted
        ? say(opts, 'Yes, we take walk-ins when someone is free; booking ahead guarantees your time.', 'Sí, atendemos sin cita si hay alguien libre; reservando te aseguras la hora.')
        : say(opts, "Sorry, we don't take walk-ins: every visit is by appointment. I can book one for you now.", 'Lo siento, no atendemos sin cita: todas las visitas son con reserva. Puedo reservarte una ahora.');
      return facts.note ? `${head} ${localized(facts.note, opts)}` : head;
    }
  }
}

function prices(services: ServiceFacts[], opts: RenderOptions): string {
  if (services.length === 1) {
    const s = services[0]!;
    const name = serviceName(s.id, opts);
    if (!s.price) return say(opts, `I don't have a price for ${name.toLowerCase()} here; a member of our team can tell you.`, `No tengo aquí el precio de ${name.toLowerCase()}; una persona del equipo te lo dirá.`);
    return say(
      opts,
      `${name}: ${money(s.price, opts)} (${minutes(s.durationMinutes, opts)}).`,
      `${name}: ${money(s.price, opts)} (${minutes(s.durationMinutes, opts)}).`,
    );
  }
  const lines = services.map((s) => `- ${serviceName(s.id, opts)}: ${s.price ? money(s.price, opts) : say(opts, 'ask us', 'pregúntanos')} (${minutes(s.durationMinutes, opts)})`);
  return `${say(opts, `Our prices at ${opts.business.name}:`, `Nuestros precios en ${opts.business.name}:`)}\n${lines.join('\n')}`;
}

function durations(services: ServiceFacts[], opts: RenderOptions): string {
  if (services.length === 1) {
    const s = services[0]!;
    return say(opts, `A ${serviceName(s.id, opts).toLowerCase()} takes ${minutes(s.durationMinutes, opts)}.`, `${serviceName(s.id, opts)}: dura ${minutes(s.durationMinutes, opts)}.`);
  }
  const lines = services.map((s) => `- ${serviceName(s.id, opts)}: ${minutes(s.durationMinutes, opts)}`);
  return `${say(opts, 'How long each service takes:', 'Lo que dura cada servicio:')}\n${lines.join('\n')}`;
}

function hours(facts: Extract<DeskFacts, { topic: 'hours' }>, opts: RenderOptions): string {
  const zoneNote = opts.zone !== opts.business.timezone ? say(opts, ` (times in ${opts.business.timezone})`, ` (horas de ${opts.business.timezone})`) : '';
  const holidays = facts.holidaysClosed ? say(opts, ' We close on public holidays.', ' Cerramos los festivos.') : '';
  if (facts.date) {
    const label = dayOn(facts.date, opts);
    if (facts.closedOn) return say(opts, `We're closed on ${label}.`, `El ${label} estamos cerrados.`);
    const open = facts.week.find((d) => d.day === weekdayOf(facts.date!))!;
    if (open.intervals.length === 0) return say(opts, `We're closed on ${label}.${holidays}`, `El ${label} estamos cerrados.${holidays}`);
    return say(opts, `On ${label} we're open ${intervals(open, opts)}${zoneNote}.${holidays}`, `El ${label} abrimos ${intervals(open, opts)}${zoneNote}.${holidays}`);
  }
  const lines = facts.week.map((d) => `- ${weekdayName(d.day, opts)}: ${d.intervals.length ? intervals(d, opts) : say(opts, 'closed', 'cerrado')}`);
  return `${say(opts, `Our opening hours${zoneNote}:`, `Nuestro horario${zoneNote}:`)}\n${lines.join('\n')}${holidays ? `\n${holidays.trim()}` : ''}`;
}

/** Sent after staff were told the customer is late; the booking stays as it is. */
export function lateNoted(data: { booking: BookingView | null; minutes?: number }, opts: RenderOptions): string {
  const by = data.minutes ? say(opts, ` about ${data.minutes} minutes`, ` unos ${data.minutes} minutos`) : '';
  if (!data.booking) {
    return say(
      opts,
      `Thanks for letting us know. I can't see an appointment for you in the next few hours, so I've passed your message to the team; they'll reply here if needed.`,
      'Gracias por avisar. No veo ninguna cita tuya en las próximas horas, así que he pasado tu mensaje al equipo; te responderán aquí si hace falta.',
    );
  }
  return say(
    opts,
    `Thanks for letting us know — I've told the team you're running${by} late. Your appointment stays as booked: ${appointment(data.booking, opts)}.`,
    `Gracias por avisar: he dicho al equipo que llegas${by} tarde. Tu cita sigue en pie: ${appointment(data.booking, opts)}.`,
  );
}

/** The customer's name is kept with them. */
export function nameNoted(data: { name: string }, opts: RenderOptions): string {
  return say(opts, `Thanks, ${data.name} — I've noted your name.`, `Gracias, ${data.name}, he anotado tu nombre.`);
}

/** Asked once, after a first booking, when the business wants names; answering is optional. */
export function askName(_data: null, opts: RenderOptions): string {
  return say(opts, 'What name should we put your booking under? (Optional — you can skip this.)', '¿A nombre de quién ponemos la reserva? (Es opcional.)');
}

/** Whether the assistant's previous message asked for the customer's name. */
export function askedForName(previous: string): boolean {
  return /What name should we put your booking under\?|¿A nombre de quién ponemos la reserva\?/.test(previous);
}

function money(price: { amount: number; from: boolean; currency: string }, opts: RenderOptions): string {
  if (price.amount === 0) return say(opts, 'free', 'gratis');
  const amount = new Intl.NumberFormat(opts.locale === 'es' ? 'es-ES' : 'en-US', {
    style: 'currency',
    currency: price.currency,
    minimumFractionDigits: Number.isInteger(price.amount) ? 0 : 2,
  }).format(price.amount);
  return price.from ? say(opts, `from ${amount}`, `desde ${amount}`) : amount;
}

function minutes(n: number, opts: RenderOptions): string {
  if (n >= 60 && n % 60 === 0) return say(opts, n === 60 ? '1 hour' : `${n / 60} hours`, n === 60 ? '1 hora' : `${n / 60} horas`);
  if (n > 60) return say(opts, `${Math.floor(n / 60)} h ${n % 60} min`, `${Math.floor(n / 60)} h ${n % 60} min`);
  return say(opts, `${n} minutes`, `${n} minutos`);
}

function localized(text: LocalizedText, opts: RenderOptions): string {
  return (opts.locale === 'es' ? text.es : undefined) ?? text.en;
}

/** "9:00 AM–5:00 PM, 6:00 PM–8:00 PM" / "09:00–17:00, 18:00–20:00", in the business's zone. */
function intervals(d: OpeningDay, opts: RenderOptions): string {
  const clock = (hhmm: string) => {
    if (hhmm === '24:00') return say(opts, 'midnight', '24:00');
    const [h, m] = hhmm.split(':').map(Number);
    const dt = DateTime.fromObject({ hour: h, minute: m }).setLocale(opts.locale === 'es' ? 'es' : 'en-US');
    return opts.locale === 'es' ? dt.toFormat('HH:mm') : dt.toFormat('h:mm a');
  };
  return d.intervals.map(([a, b]) => `${clock(a)}–${clock(b)}`).join(', ');
}

const WEEKDAY_NAMES: Record<Weekday, [string, string]> = {
  mon: ['Monday', 'lunes'],
  tue: ['Tuesday', 'martes'],
  wed: ['Wednesday', 'miércoles'],
  thu: ['Thursday', 'jueves'],
  fri: ['Friday', 'viernes'],
  sat: ['Saturday', 'sábado'],
  sun: ['Sunday', 'domingo'],
};

function weekdayName(d: Weekday, opts: RenderOptions): string {
  const [en, es] = WEEKDAY_NAMES[d];
  return say(opts, en, es);
}

/** A local date in the business's zone, as "Sat 14 Dec" (the customer's zone is not involved: it is a calendar day). */
function dayOn(date: string, opts: RenderOptions): string {
  return day(date, { ...opts, zone: opts.business.timezone });
}
