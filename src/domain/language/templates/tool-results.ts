import { Duration } from 'luxon';
import type { BookingView, SlotView, ToolError, ToolName, ToolResult, ToolResults } from '../../tools';
import { requestIsFull } from '../../booking/waitlist';
import { bookingReference } from '../../booking/reference';
import { joinedWaitlist, waitlistInvitation } from './waitlist';
import { renderFrontDesk } from './front-desk';
import { bookingKept, changeReadBack } from './changes';
import { activeBookings, appointment, clockTime, day, duration, localClock, providerName, say, serviceName, slotList, when, whenBoth, type RenderOptions } from './format';
import { closedSentence, describeRequest } from './requested';

/**
 * The customer-facing text of each tool outcome. The conversation workflow sends it after every tool call, so
 * every fact the customer reads (a free slot, a hold, a confirmation) is rendered from the ledger's answer, never
 * from the model's words. Returns null when there is nothing for the customer in it (a malformed call the model
 * will retry).
 */
export function renderToolResult(name: ToolName, result: ToolResult, opts: RenderOptions): string | null {
  if (!result.ok) return renderError(result, opts);
  switch (name) {
    case 'get_availability':
      return availability(result as Extract<ToolResults['get_availability'], { ok: true }>, opts);
    case 'hold_slot': {
      const { hold } = result as Extract<ToolResults['hold_slot'], { ok: true }>;
      const ttl = Duration.fromObject({ seconds: opts.business.policies.holdTtlSeconds });
      return say(
        opts,
        `On hold for you until ${clockTime(hold.expiresAt, opts)} (${duration(ttl, opts)}): ${appointment(hold, opts)}. Reply YES to confirm, or NO to let it go.`,
        `Te lo guardo hasta las ${clockTime(hold.expiresAt, opts)} (${duration(ttl, opts)}): ${appointment(hold, opts)}. Responde SÍ para confirmar o NO para liberarlo.`,
      );
    }
    case 'confirm_booking': {
      const { booking } = result as Extract<ToolResults['confirm_booking'], { ok: true }>;
      return say(opts, `You're booked: ${appointment(booking, opts)}. Reference: ${bookingReference(booking.id)}.`, `Reserva confirmada: ${appointment(booking, opts)}. Referencia: ${bookingReference(booking.id)}.`);
    }
    case 'release_hold': {
      const { released } = result as Extract<ToolResults['release_hold'], { ok: true }>;
      return say(opts, `No problem, I've let ${when(released.start, opts)} go.`, `Sin problema, he liberado el ${when(released.start, opts)}.`);
    }
    case 'get_booking': {
      const { booking } = result as Extract<ToolResults['get_booking'], { ok: true }>;
      return say(opts, `Your booking (${statusWord(booking.status, opts)}): ${appointment(booking, opts)}.`, `Tu reserva (${statusWord(booking.status, opts)}): ${appointment(booking, opts)}.`);
    }
    case 'list_my_bookings': {
      const { bookings } = result as Extract<ToolResults['list_my_bookings'], { ok: true }>;
      const upcoming = activeBookings(bookings);
      if (upcoming.length === 0) return say(opts, "You don't have any upcoming appointments.", 'No tienes citas próximas.');
      const lines = upcoming.map((b, i) => `${i + 1}. ${appointment(b, opts)}`).join('\n');
      return say(opts, `Your upcoming appointments:\n${lines}`, `Tus próximas citas:\n${lines}`);
    }
    case 'cancel_booking': {
      const r = result as Extract<ToolResults['cancel_booking'], { ok: true }>;
      return 'proposed' in r ? changeReadBack(r.proposed, opts) : cancelled(r.booking, opts);
    }
    case 'reschedule_booking': {
      const r = result as Extract<ToolResults['reschedule_booking'], { ok: true }>;
      return 'proposed' in r ? changeReadBack(r.proposed, opts) : moved(r.booking, r.previous, opts);
    }
    case 'confirm_change': {
      const r = result as Extract<ToolResults['confirm_change'], { ok: true }>;
      return r.change === 'cancel' ? cancelled(r.booking, opts) : moved(r.booking, r.previous, opts);
    }
    case 'keep_booking':
      return bookingKept((result as Extract<ToolResults['keep_booking'], { ok: true }>).kept, opts);
    case 'get_business_info':
    case 'report_running_late':
    case 'save_customer_name':
      return renderFrontDesk(name, result, opts);
    case 'escalate_to_human':
      return say(
        opts,
        "I've asked a member of our team to take over. They'll reply here as soon as they can.",
        'He pedido a una persona del equipo que continúe. Te responderá aquí en cuanto pueda.',
      );
    case 'join_waitlist':
      return joinedWaitlist((result as Extract<ToolResults['join_waitlist'], { ok: true }>).entry, opts);
  }
}

function cancelled(booking: BookingView, opts: RenderOptions): string {
  return say(opts, `Cancelled: ${appointment(booking, opts)}.`, `Cancelada: ${appointment(booking, opts)}.`);
}

function moved(booking: BookingView, previous: BookingView, opts: RenderOptions): string {
  return say(
    opts,
    `Done: your ${serviceName(booking.service, opts)} has moved from ${when(previous.start, opts)} to ${whenBoth(booking.start, opts)} with ${providerName(booking.provider, opts)}. Reference: ${bookingReference(booking.id)}.`,
    `Hecho: tu ${serviceName(booking.service, opts)} pasa del ${when(previous.start, opts)} al ${whenBoth(booking.start, opts)} con ${providerName(booking.provider, opts)}. Referencia: ${bookingReference(booking.id)}.`,
  );
}

function statusWord(status: string, opts: RenderOptions): string {
  const words: Record<string, [string, string]> = {
    confirmed: ['confirmed', 'confirmada'],
    cancelled: ['cancelled', 'cancelada'],
    completed: ['completed', 'completada'],
    no_show: ['missed', 'no asististe'],
  };
  const [en, es] = words[status] ?? [status, status];
  return say(opts, en, es);
}

/** The free times, and the waitlist when the day (or window, or time) asked for is full (never when it is closed). */
function availability(r: Extract<ToolResults['get_availability'], { ok: true }>, opts: RenderOptions): string {
  const text = freeTimes(r, opts);
  // A range is full only when nothing in it was offered; the waitlist takes one day, so it is offered for one day.
  const oneDay = !r.requested.dateTo || r.requested.dateTo === r.requested.date;
  const full = !r.closed && oneDay && requestIsFull(r.requested, [...(r.exact ? [r.exact] : []), ...r.alternatives], opts.zone);
  return full ? `${text}\n${waitlistInvitation(null, opts)}` : text;
}

function freeTimes(r: Extract<ToolResults['get_availability'], { ok: true }>, opts: RenderOptions): string {
  const asked = describeRequest(r.requested, opts);
  const serviceId = r.exact?.service ?? r.alternatives[0]?.service;
  const service = serviceId ? serviceName(serviceId, opts) : '';
  const pick = say(opts, 'Reply with a number to pick one.', 'Responde con un número para elegir.');
  if (r.closed) {
    const head = closedSentence(r.closed, serviceId, r.alternatives.every((s) => s.provider === r.alternatives[0]?.provider) ? r.alternatives[0]?.provider : undefined, opts);
    if (r.alternatives.length === 0) {
      return `${head} ${say(opts, "I couldn't find a free time in the days after. Would another day work?", 'No encuentro hueco en los días siguientes. ¿Te sirve otro día?')}`;
    }
    return `${head} ${say(opts, `The next free times${service ? ` for a ${service.toLowerCase()}` : ''}:`, `Las próximas horas libres${service ? ` para ${service.toLowerCase()}` : ''}:`)}\n${slotList(r.alternatives, opts)}\n${pick}`;
  }
  if (r.exact) {
    const head = say(opts, `${when(r.exact.start, opts)} with ${providerName(r.exact.provider, opts)} is free.`, `El ${when(r.exact.start, opts)} con ${providerName(r.exact.provider, opts)} está libre.`);
    if (r.alternatives.length === 0) return head;
    return `${head}\n${say(opts, 'Other times:', 'Otras horas:')}\n${slotList(r.alternatives, opts, 2)}`;
  }
  if (r.alternatives.length === 0) {
    return say(
      opts,
      `Sorry, I couldn't find a free time${service ? ` for a ${service.toLowerCase()}` : ''}${asked ? ` ${asked}` : ''}. Would another day or time work?`,
      `Lo siento, no encuentro hueco${service ? ` para ${service.toLowerCase()}` : ''}${asked ? ` ${asked}` : ''}. ¿Te sirve otro día u hora?`,
    );
  }
  const list = slotList(r.alternatives, opts);
  if (r.requested.time) {
    const slot = requestedSlot(r.requested.date, r.requested.time, opts);
    return say(
      opts,
      `${slot} isn't available. The nearest free times${service ? ` for a ${service.toLowerCase()}` : ''}:\n${list}\n${pick}`,
      `${slot} no está disponible. Las horas libres más cercanas${service ? ` para ${service.toLowerCase()}` : ''}:\n${list}\n${pick}`,
    );
  }
  return say(
    opts,
    `Free times${service ? ` for a ${service.toLowerCase()}` : ''}${asked ? ` ${asked}` : ''}:\n${list}\n${pick}`,
    `Horas libres${service ? ` para ${service.toLowerCase()}` : ''}${asked ? ` ${asked}` : ''}:\n${list}\n${pick}`,
  );
}

/** "Thu 26 Nov at 3:00 PM" / "El jue 26 nov a las 15:00", to start a sentence. */
function requestedSlot(date: string | undefined, time: string, opts: RenderOptions): string {
  if (!date) return say(opts, localClock(time, opts), `Las ${localClock(time, opts)}`);
  return say(opts, `${day(date, opts)} at ${localClock(time, opts)}`, `El ${day(date, opts)} a las ${localClock(time, opts)}`);
}

function alternativesText(alternatives: SlotView[] | undefined, opts: RenderOptions): string {
  if (!alternatives?.length) return '';
  return `\n${say(opts, 'I can offer:', 'Puedo ofrecerte:')}\n${slotList(alternatives, opts)}\n${say(opts, 'Reply with a number to pick one.', 'Responde con un número para elegir.')}`;
}

function detail(error: ToolError, key: string): unknown {
  return error.details?.[key];
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A refusal explained to the customer, with what they can do instead. */
export function renderError(error: ToolError, opts: RenderOptions): string | null {
  const p = opts.business.policies;
  const alt = alternativesText(error.alternatives, opts);
  switch (error.error) {
    case 'slot_taken':
      return say(opts, `Sorry, that time was just taken.`, 'Lo siento, esa hora se acaba de ocupar.') + (alt || say(opts, ' Would you like me to look for another time?', ' ¿Busco otra hora?'));
    case 'outside_hours':
      return say(opts, "Sorry, we're not open then.", 'Lo siento, a esa hora no abrimos.') + (alt || say(opts, ' Would another time work?', ' ¿Te sirve otra hora?'));
    case 'too_soon': {
      const notice = Duration.fromObject({ minutes: num(detail(error, 'minNoticeMinutes'), p.minNoticeMinutes) });
      return say(opts, `Sorry, appointments need at least ${duration(notice, opts)}' notice.`, `Lo siento, las citas se reservan con al menos ${duration(notice, opts)} de antelación.`) + (alt || say(opts, ' Would a later time work?', ' ¿Te sirve más tarde?'));
    }
    case 'too_far': {
      const days = num(detail(error, 'maxDaysAhead'), p.maxDaysAhead);
      return say(opts, `Sorry, we only take bookings up to ${days} days ahead.`, `Lo siento, solo reservamos hasta ${days} días vista.`) + (alt || say(opts, ' Would an earlier date work?', ' ¿Te sirve una fecha antes?'));
    }
    case 'in_the_past':
      return say(opts, 'That time has already passed. Which day and time would you like?', 'Esa hora ya ha pasado. ¿Qué día y hora prefieres?') + alt;
    case 'invalid_date':
      return say(opts, "That date doesn't exist on the calendar. Which day did you mean?", 'Esa fecha no existe. ¿Qué día querías decir?');
    case 'unknown_service': {
      const list = opts.business.services.map((s) => s.name).join(', ');
      return say(opts, `Sorry, we don't offer that. We do: ${list}. Which would you like?`, `Lo siento, no ofrecemos eso. Tenemos: ${list}. ¿Cuál quieres?`);
    }
    case 'unknown_provider': {
      const list = opts.business.providers.map((x) => x.name).join(', ');
      return say(opts, `Sorry, I don't know that person. Our team: ${list}.`, `Lo siento, no conozco a esa persona. Nuestro equipo: ${list}.`);
    }
    case 'provider_does_not_offer': {
      const service = String(detail(error, 'service') ?? '');
      const provider = String(detail(error, 'provider') ?? '');
      const who = opts.business.providers.filter((x) => x.serviceIds.includes(service)).map((x) => x.name);
      return say(
        opts,
        `Sorry, ${providerName(provider, opts) || 'they'} ${provider ? "doesn't" : "don't"} do ${service ? serviceName(service, opts).toLowerCase() : 'that'}${who.length ? `; ${who.join(' or ')} can` : ''}.`,
        `Lo siento, ${providerName(provider, opts) || 'esa persona'} no hace ${service ? serviceName(service, opts).toLowerCase() : 'eso'}${who.length ? `; ${who.join(' o ')} sí` : ''}.`,
      ) + alt;
    }
    case 'not_found':
    case 'not_yours':
      return say(opts, "I couldn't find that booking under your number. Would you like me to list your appointments?", 'No encuentro esa reserva a tu nombre. ¿Quieres que te muestre tus citas?');
    case 'hold_expired':
      return say(opts, 'Sorry, the hold on that time ran out before it was confirmed.', 'Lo siento, la reserva provisional caducó antes de confirmarse.') + (alt || say(opts, ' Would you like me to check it again?', ' ¿Quieres que lo vuelva a mirar?'));
    case 'not_confirmable':
      return say(opts, "That booking can't be confirmed any more. Shall I look for another time?", 'Esa reserva ya no se puede confirmar. ¿Busco otra hora?');
    case 'inside_cancellation_window': {
      const hours = num(detail(error, 'cancellationNoticeHours'), p.cancellationNoticeHours);
      return say(
        opts,
        `Sorry, bookings can only be changed or cancelled online up to ${hours} hours before the start, and this one is closer than that. Would you like me to put you in touch with a member of our team?`,
        `Lo siento, las reservas solo se pueden cambiar o cancelar hasta ${hours} horas antes, y esta ya está más cerca. ¿Quieres que te pase con una persona del equipo?`,
      );
    }
    case 'too_many_active_bookings': {
      const max = num(detail(error, 'max'), p.maxActiveBookingsPerCustomer);
      return say(
        opts,
        `You already have ${max} upcoming appointment${max === 1 ? '' : 's'}, the most we can hold per person. Would you like to change or cancel one of them?`,
        `Ya tienes ${max} cita${max === 1 ? '' : 's'} próxima${max === 1 ? '' : 's'}, el máximo por persona. ¿Quieres cambiar o cancelar alguna?`,
      );
    }
    case 'not_offered':
      return say(opts, "That time wasn't one of the free times I found. Let me check it.", 'Esa hora no estaba entre las libres que encontré. Déjame comprobarla.');
    case 'no_hold':
      return say(opts, "There's nothing on hold for you right now. Which day and time would you like?", 'Ahora mismo no tienes nada reservado provisionalmente. ¿Qué día y hora quieres?');
    case 'invalid_arguments':
    case 'not_the_hold':
    case 'not_read_back':
    case 'not_answered_yet':
      // A malformed call the model can fix itself; the customer needn't see it.
      return null;
    default:
      return say(opts, "Sorry, I couldn't do that just now.", 'Lo siento, ahora mismo no he podido hacerlo.') + alt;
  }
}

