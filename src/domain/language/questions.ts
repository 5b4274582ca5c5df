import type { Unresolved } from './resolve';
import { day, localClock, say, serviceName, type RenderOptions } from './templates/format';

/**
 * What the offline interpreter asks when it must not guess: which service, am or pm, which weekend, which booking.
 * Questions only — never a booking fact, so the workflow's claim filter lets them through.
 */

export function askService(opts: RenderOptions): string {
  const list = opts.business.services.map((s) => s.name).join(', ');
  return say(opts, `Which service would you like? We offer: ${list}.`, `¿Qué servicio quieres? Tenemos: ${list}.`);
}

/** A question that settles one thing the resolver could not pin down. */
export function askAboutUnresolved(u: Unresolved, opts: RenderOptions): string {
  const c = u.candidates ?? [];
  switch (u.kind) {
    case 'meridiem':
      return say(opts, `Did you mean ${localClock(c[0] ?? '', opts)} or ${localClock(c[1] ?? '', opts)}?`, `¿Te refieres a las ${localClock(c[0] ?? '', opts)} o a las ${localClock(c[1] ?? '', opts)}?`);
    case 'nonexistent_time': {
      const next = c[0] ? localClock(c[0].slice(11, 16), opts) : '';
      return say(
        opts,
        `That time doesn't exist that day: the clocks go forward. Would ${next || 'a later time'} work instead?`,
        `Esa hora no existe ese día: se adelantan los relojes. ¿Te sirve ${next ? `a las ${next}` : 'más tarde'}?`,
      );
    }
    case 'repeated_time':
      return say(
        opts,
        'That time happens twice that day because the clocks go back. Could you pick a time outside that hour?',
        'Esa hora se repite ese día porque se atrasan los relojes. ¿Puedes elegir otra hora fuera de esa franja?',
      );
    case 'ambiguous_weekend':
      return say(opts, `Do you mean the weekend of ${day(c[0] ?? '', opts)} or the one of ${day(c[1] ?? '', opts)}?`, `¿Te refieres al fin de semana del ${day(c[0] ?? '', opts)} o al del ${day(c[1] ?? '', opts)}?`);
    case 'weekday_mismatch':
      return say(opts, `The weekday and the date you gave don't match. Did you mean ${day(c[0] ?? '', opts)}?`, `El día de la semana y la fecha no coinciden. ¿Te refieres al ${day(c[0] ?? '', opts)}?`);
    case 'alternatives':
      return say(opts, 'Which of the two would you prefer?', '¿Cuál de las dos prefieres?');
    case 'invalid_date':
      return say(opts, "That date isn't on the calendar. Which day did you mean?", 'Esa fecha no existe. ¿Qué día querías decir?');
    case 'past':
      return say(opts, 'That has already passed. Which day and time would you like?', 'Eso ya ha pasado. ¿Qué día y hora prefieres?');
    default:
      return say(opts, 'Which day and time would you like?', '¿Qué día y hora prefieres?');
  }
}

export function askWhichOffered(count: number, opts: RenderOptions): string {
  return say(opts, `Which one would you like? Reply with a number from 1 to ${count}.`, `¿Cuál prefieres? Responde con un número del 1 al ${count}.`);
}

export function askWhichBooking(action: 'cancel' | 'reschedule', opts: RenderOptions): string {
  return action === 'cancel'
    ? say(opts, 'Which appointment would you like to cancel? Reply with its number.', '¿Qué cita quieres cancelar? Responde con su número.')
    : say(opts, 'Which appointment would you like to move? Reply with its number.', '¿Qué cita quieres cambiar? Responde con su número.');
}

export function askNewTime(service: string, opts: RenderOptions): string {
  return say(opts, `When would you like to move your ${serviceName(service, opts).toLowerCase()} to?`, `¿A qué día y hora quieres mover tu cita de ${serviceName(service, opts).toLowerCase()}?`);
}

export function noBookings(opts: RenderOptions): string {
  return say(opts, "I can't find any upcoming appointments for you. Would you like to book one?", 'No encuentro citas próximas a tu nombre. ¿Quieres reservar una?');
}

export function nothingToConfirm(opts: RenderOptions): string {
  return say(opts, "There's nothing waiting for your confirmation. What would you like to book?", 'No hay nada pendiente de confirmar. ¿Qué quieres reservar?');
}

export function anotherTime(opts: RenderOptions): string {
  return say(opts, 'No problem. Would another day or time suit you?', 'Sin problema. ¿Te iría bien otro día u otra hora?');
}

export function anythingElse(opts: RenderOptions): string {
  return say(opts, 'No problem. Is there anything else I can help with?', 'Sin problema. ¿Puedo ayudarte en algo más?');
}

export function pickFromList(count: number, opts: RenderOptions): string {
  return say(opts, `Please reply with a number from 1 to ${count}.`, `Responde con un número del 1 al ${count}, por favor.`);
}

export function confirmOrRelease(opts: RenderOptions): string {
  return say(opts, 'Reply YES to confirm the time on hold, or NO to let it go.', 'Responde SÍ para confirmar la hora reservada o NO para liberarla.');
}

export function moveOrCancel(opts: RenderOptions): string {
  return say(opts, 'Would you like to move that appointment or cancel it?', '¿Quieres cambiar esa cita o cancelarla?');
}

/**
 * "The second one" when no list of times is on the customer's screen in this request: say so and ask, rather than
 * pick from a list they never saw. With a hold open, how to keep or let go of it.
 */
export function noListShown(opts: RenderOptions, holdOpen = false): string {
  return holdOpen
    ? say(opts, "I haven't shown you a list of times to pick from. Reply YES to confirm the time on hold, or tell me the day and time you'd like instead.", 'No te he mostrado ninguna lista de horas para elegir. Responde SÍ para confirmar la hora reservada o dime qué día y hora prefieres.')
    : say(opts, "I haven't shown you a list of times to pick from. Which day and time would you like?", 'No te he mostrado ninguna lista de horas para elegir. ¿Qué día y hora prefieres?');
}

/** "I took 3 as 3:00 PM." — a time said without am/pm that the opening hours settled, said out loud. */
export function assumedMeridiem(time: string, opts: RenderOptions): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const said = `${h % 12 || 12}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
  const part = h >= 20 || h < 5 ? 'de la noche' : h >= 12 ? 'de la tarde' : 'de la mañana';
  return say(opts, `I took ${said} as ${localClock(time, opts)}.`, `Entiendo ${h % 12 === 1 ? 'la' : 'las'} ${said} ${part} (${localClock(time, opts)}).`);
}
