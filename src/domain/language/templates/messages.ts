import { Duration } from 'luxon';
import type { BookingView, HoldView, SlotView } from '../../tools';
import { appointment, duration, say, serviceName, slotList, type RenderOptions } from './format';

/**
 * Messages the workflows send on their own (a hold ran out, a reminder, a hand-off), in English or Spanish and in
 * the customer's zone. Every one is a plain function `(data, opts)`; `data` is null where there is nothing to say
 * but the message itself.
 */

/** Sent when a hold's timer fires before the customer confirmed. */
export function holdExpired(hold: Pick<HoldView, 'service' | 'provider' | 'start'>, opts: RenderOptions): string {
  return say(
    opts,
    `The hold ran out before it was confirmed, so I've released it: ${appointment(hold, opts)}. Just ask if you'd like me to look again.`,
    `La reserva provisional caducó sin confirmarse y la he liberado: ${appointment(hold, opts)}. Si quieres, vuelvo a buscar.`,
  );
}

/** Sent by the appointment workflow once the booking is confirmed in the ledger. */
export function bookingConfirmed(booking: BookingView, opts: RenderOptions): string {
  const hours = opts.business.policies.cancellationNoticeHours;
  return say(
    opts,
    `Confirmed at ${opts.business.name}: ${appointment(booking, opts)}. To change or cancel, message us here at least ${hours} hours before.`,
    `Confirmado en ${opts.business.name}: ${appointment(booking, opts)}. Para cambiarla o cancelarla, escríbenos aquí con al menos ${hours} horas de antelación.`,
  );
}

/** A reminder `before` (ISO-8601 duration, e.g. "PT24H") the appointment. */
export function reminder(booking: BookingView, data: { before: string }, opts: RenderOptions): string {
  const before = Duration.fromISO(data.before);
  const lead = before.isValid ? duration(before, opts) : data.before;
  return say(
    opts,
    `Reminder from ${opts.business.name}, in ${lead}: ${appointment(booking, opts)}. Reply here if you need to change it.`,
    `Recordatorio de ${opts.business.name}, dentro de ${lead}: ${appointment(booking, opts)}. Responde aquí si necesitas cambiarla.`,
  );
}

/** After a missed appointment: no blame, an offer to rebook. */
export function noShowFollowUp(booking: BookingView, offers: SlotView[], opts: RenderOptions): string {
  if (offers.length === 0) {
    return say(
      opts,
      `We missed you at your appointment (${appointment(booking, opts)}). Would you like to book another time? Tell us a day that suits you.`,
      `Te echamos de menos en tu cita (${appointment(booking, opts)}). ¿Quieres reservar otra hora? Dinos qué día te viene bien.`,
    );
  }
  return say(
    opts,
    `We missed you at your appointment (${appointment(booking, opts)}). Would you like another time? The next free ones:\n${slotList(offers, opts)}\nReply with a number to hold one, or tell us a day that suits you better.`,
    `Te echamos de menos en tu cita (${appointment(booking, opts)}). ¿Quieres otra hora? Las próximas libres:\n${slotList(offers, opts)}\nResponde con un número para reservarla, o dinos qué día te viene mejor.`,
  );
}

/** A turn is taking longer than the first-words budget (a slow model, a busy calendar): the customer is not left in silence. */
export function stillWorking(_data: null, opts: RenderOptions): string {
  return say(opts, 'One moment — still working on that for you.', 'Un momento, sigo con ello.');
}

/** Said with a web-chat booking: without a phone number there is nowhere to send reminders. */
export function noReminders(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    "We don't have a phone number for you, so you won't get reminders: please note the time. To change or cancel, come back to this chat.",
    'No tenemos tu teléfono, así que no recibirás recordatorios: apunta la hora. Para cambiarla o cancelarla, vuelve a este chat.',
  );
}

/** The business cancelled a booking (staff or calendar). */
export function cancelledByBusiness(booking: BookingView, opts: RenderOptions): string {
  return say(
    opts,
    `Sorry, we've had to cancel your appointment: ${appointment(booking, opts)}. Would you like me to find you another time?`,
    `Lo sentimos, hemos tenido que cancelar tu cita: ${appointment(booking, opts)}. ¿Quieres que te busque otra hora?`,
  );
}

/** The business moved the booking (a provider is ill, a closure): the new time first, then the old one, and a way out. */
export function movedByBusiness(data: { booking: BookingView; previous: Pick<BookingView, 'service' | 'provider' | 'start'> }, opts: RenderOptions): string {
  return say(
    opts,
    `Sorry, we've had to move your appointment. It is now: ${appointment(data.booking, opts)} (was ${appointment(data.previous, opts)}). If the new time doesn't suit you, reply here and we'll find another.`,
    `Lo sentimos, hemos tenido que cambiar tu cita. Ahora es: ${appointment(data.booking, opts)} (antes: ${appointment(data.previous, opts)}). Si la nueva hora no te viene bien, responde aquí y buscamos otra.`,
  );
}

export function handoffToHuman(_data: null, opts: RenderOptions): string {
  return say(opts, "I've asked a member of our team to help. They'll reply here as soon as they can.", 'He pedido ayuda a una persona del equipo. Te responderá aquí en cuanto pueda.');
}

export function operatorTookOver(data: { operator?: string } | null, opts: RenderOptions): string {
  const who = data?.operator ? ` (${data.operator})` : '';
  return say(opts, `You're now chatting with a member of our team${who}.`, `Ahora te atiende una persona de nuestro equipo${who}.`);
}

export function botIsBack(_data: null, opts: RenderOptions): string {
  return say(opts, "I'm the booking assistant again. How can I help?", 'Vuelvo a ser el asistente de reservas. ¿En qué te ayudo?');
}

/** The model failed or gave up: say so and bring in a person. */
export function apology(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    "Sorry, I'm having trouble with that. I've asked a member of our team to pick this up.",
    'Lo siento, estoy teniendo problemas con esto. He pedido a una persona del equipo que se encargue.',
  );
}

/** A turn ended without anything to say. */
export function fallback(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    'Sorry, I didn\'t catch that. I can book, move or cancel appointments: what would you like to do?',
    'Perdona, no lo he entendido. Puedo reservar, cambiar o cancelar citas: ¿qué necesitas?',
  );
}

export function optedOut(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    `You won't get any more messages from ${opts.business.name}. Reply START to opt back in.`,
    `No recibirás más mensajes de ${opts.business.name}. Responde START para volver a recibirlos.`,
  );
}

export function optedIn(_data: null, opts: RenderOptions): string {
  return say(opts, `Welcome back! You'll get messages from ${opts.business.name} again. How can I help?`, `¡Bienvenido de nuevo! Volverás a recibir mensajes de ${opts.business.name}. ¿En qué te ayudo?`);
}

export function help(_data: null, opts: RenderOptions): string {
  const services = opts.business.services.map((s) => serviceName(s.id, opts)).join(', ');
  return say(
    opts,
    `${opts.business.name} booking assistant: tell me what you'd like (${services}) and when, e.g. "a haircut next Friday at 3pm". I can also list, move or cancel your appointments. Say "agent" for a person, STOP to opt out.`,
    `Asistente de reservas de ${opts.business.name}: dime qué quieres (${services}) y cuándo, p. ej. "un corte el viernes a las 5". También puedo mostrar, cambiar o cancelar tus citas. Escribe "agente" para hablar con una persona, STOP para darte de baja.`,
  );
}

export function outOfScope(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    "Sorry, I can only help with appointments: booking, moving or cancelling them. For anything else, say \"agent\" and a member of our team will reply.",
    'Lo siento, solo puedo ayudarte con citas: reservar, cambiar o cancelar. Para otra cosa, escribe "agente" y te responderá una persona del equipo.',
  );
}

/** The greeting; a customer whose name the ledger keeps is greeted by it. */
export function greeting(data: { name?: string | null } | null, opts: RenderOptions): string {
  const services = opts.business.services.map((s) => s.name.toLowerCase()).join(', ');
  if (data?.name) {
    return say(
      opts,
      `Hi ${data.name}, welcome back! I'm the booking assistant for ${opts.business.name}. Would you like to book an appointment (${services})?`,
      `¡Hola de nuevo, ${data.name}! Soy el asistente de reservas de ${opts.business.name}. ¿Quieres reservar una cita (${services})?`,
    );
  }
  return say(
    opts,
    `Hi! I'm the booking assistant for ${opts.business.name}. Would you like to book an appointment (${services})?`,
    `¡Hola! Soy el asistente de reservas de ${opts.business.name}. ¿Quieres reservar una cita (${services})?`,
  );
}
