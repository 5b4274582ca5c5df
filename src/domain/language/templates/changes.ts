import type { BookingView, ChangeProposal, HoldView } from '../../tools';
import { appointment, clockTime, providerName, say, serviceName, when, whenBoth, type RenderOptions } from './format';

/**
 * Changes to a booking are confirmed like bookings: the cancellation or the move is read back from the ledger's
 * answer (service, day, time, provider, and for a cancellation the policy that applies) and waits for a yes or no.
 */

/** The read-back of a proposed cancellation or move: the question the customer answers yes or no to. */
export function changeReadBack(proposed: ChangeProposal, opts: RenderOptions): string {
  if (proposed.change === 'cancel') {
    const hours = proposed.cancellationNoticeHours;
    return say(
      opts,
      `Cancel this appointment? ${appointment(proposed.booking, opts)}. It's more than ${hours} hours away, so the ${hours}-hour cancellation policy doesn't stop it. Reply YES to cancel it, or NO to keep it.`,
      `¿Cancelo esta cita? ${appointment(proposed.booking, opts)}. Faltan más de ${hours} horas, así que la política de cancelación de ${hours} horas no lo impide. Responde SÍ para cancelarla o NO para mantenerla.`,
    );
  }
  const { booking, hold } = proposed;
  const provider = hold.provider === booking.provider ? '' : say(opts, ` with ${providerName(hold.provider, opts)}`, ` con ${providerName(hold.provider, opts)}`);
  return say(
    opts,
    `Move your ${serviceName(booking.service, opts).toLowerCase()} with ${providerName(booking.provider, opts)} from ${when(booking.start, opts)} to ${whenBoth(hold.start, opts)}${provider}? I'm holding the new time until ${clockTime(hold.expiresAt, opts)}. Reply YES to move it, or NO to keep it as it is.`,
    `¿Cambio tu cita de ${serviceName(booking.service, opts).toLowerCase()} con ${providerName(booking.provider, opts)} del ${when(booking.start, opts)} al ${whenBoth(hold.start, opts)}${provider}? Te guardo la nueva hora hasta las ${clockTime(hold.expiresAt, opts)}. Responde SÍ para cambiarla o NO para dejarla como está.`,
  );
}

/** The customer said no: the booking stays as the ledger has it. */
export function bookingKept(kept: BookingView, opts: RenderOptions): string {
  return say(opts, `OK, I've kept your appointment as it is: ${appointment(kept, opts)}.`, `De acuerdo, mantengo tu cita como está: ${appointment(kept, opts)}.`);
}

/** The time held for a move ran out before the customer said yes: the booking stays. */
export function moveHoldExpired(data: { hold: Pick<HoldView, 'start'>; booking: BookingView }, opts: RenderOptions): string {
  return say(
    opts,
    `The time I held for your move (${whenBoth(data.hold.start, opts)}) ran out before you confirmed, so nothing has changed: ${appointment(data.booking, opts)}. Just ask if you'd like to try again.`,
    `La hora que te guardaba para el cambio (${whenBoth(data.hold.start, opts)}) caducó sin confirmarse, así que no cambia nada: ${appointment(data.booking, opts)}. Si quieres, lo intentamos otra vez.`,
  );
}
