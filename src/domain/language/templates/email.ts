import type { BookingView } from '../../tools';
import { appointment, say, when, type RenderOptions } from './format';

/**
 * The emails that carry a calendar invitation: a booking, a move, a cancellation. Subject and plain text from the
 * ledger's booking; the invitation itself (same UID for the booking's whole life, SEQUENCE rising) is built next to
 * the sender (src/adapters/email/ics.ts).
 */
export type CalendarEmailKind = 'booked' | 'moved' | 'cancelled';

export function bookingEmail(data: { kind: CalendarEmailKind; booking: BookingView; previousStart?: string }, opts: RenderOptions): { subject: string; text: string } {
  const { booking } = data;
  const name = opts.business.name;
  const hours = opts.business.policies.cancellationNoticeHours;
  switch (data.kind) {
    case 'booked':
      return {
        subject: say(opts, `Booked: ${appointment(booking, opts)}`, `Reserva confirmada: ${appointment(booking, opts)}`),
        text: say(
          opts,
          `Your appointment at ${name} is confirmed: ${appointment(booking, opts)}.\n\nThe attached invitation adds it to your calendar. To change or cancel, message us at least ${hours} hours before.`,
          `Tu cita en ${name} está confirmada: ${appointment(booking, opts)}.\n\nLa invitación adjunta la añade a tu calendario. Para cambiarla o cancelarla, escríbenos con al menos ${hours} horas de antelación.`,
        ),
      };
    case 'moved':
      return {
        subject: say(opts, `Moved: ${appointment(booking, opts)}`, `Cita cambiada: ${appointment(booking, opts)}`),
        text: say(
          opts,
          `Your appointment at ${name} has moved${data.previousStart ? ` from ${when(data.previousStart, opts)}` : ''} to ${appointment(booking, opts)}.\n\nThe attached invitation updates the event already in your calendar.`,
          `Tu cita en ${name} ha cambiado${data.previousStart ? ` del ${when(data.previousStart, opts)}` : ''} a ${appointment(booking, opts)}.\n\nLa invitación adjunta actualiza el evento de tu calendario.`,
        ),
      };
    case 'cancelled':
      return {
        subject: say(opts, `Cancelled: ${appointment(booking, opts)}`, `Cita cancelada: ${appointment(booking, opts)}`),
        text: say(
          opts,
          `Your appointment at ${name} is cancelled: ${appointment(booking, opts)}.\n\nThe attached cancellation removes it from your calendar. Message us any time to book again.`,
          `Tu cita en ${name} está cancelada: ${appointment(booking, opts)}.\n\nLa cancelación adjunta la quita de tu calendario. Escríbenos cuando quieras para reservar de nuevo.`,
        ),
      };
  }
}
