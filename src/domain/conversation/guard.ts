import { DateTime } from 'luxon';
import type { Business } from '../booking/business';
import type { ParsedToolCall } from '../tools';
import type { Conversation } from './conversation';
import { checkDateProvenance, type DateRecord } from './date-provenance';

/**
 * Checks a validated tool call against what this conversation may do, before anything runs. The model proposes;
 * this decides. A refusal goes back to the model as a tool error and is never executed.
 */
export type GuardVerdict = { ok: true } | { ok: false; error: string; message: string };

const refuse = (error: string, message: string): GuardVerdict => ({ ok: false, error, message });

export function guardToolCall(
  call: ParsedToolCall,
  conversation: Conversation,
  business: Business,
  now: string,
  zone: string,
  /** On the model path: what the model may copy dates from; a date from anywhere else is refused. */
  dates?: DateRecord,
): GuardVerdict {
  if (dates) {
    const provenance = checkDateProvenance(call, dates, zone);
    if (!provenance.ok) return provenance;
  }
  const ownBooking = (bookingId: string) => conversation.bookings.some((b) => b.id === bookingId);
  const wasOffered = (start: string, provider?: string) =>
    conversation.offered.some((slot) => sameInstant(slot.start, start) && (provider === undefined || slot.provider === provider));

  switch (call.name) {
    case 'get_availability': {
      const { service, provider, date } = call.args;
      if (!business.services.some((s) => s.id === service)) {
        return refuse('unknown_service', `unknown service "${service}"; use one of ${business.services.map((s) => s.id).join(', ')}`);
      }
      if (provider !== undefined && !business.providers.some((p) => p.id === provider)) {
        return refuse('unknown_provider', `unknown provider "${provider}"; use one of ${business.providers.map((p) => p.id).join(', ')}`);
      }
      if (date !== undefined) {
        const today = DateTime.fromISO(now, { zone }).toISODate();
        if (!DateTime.fromISO(date, { zone }).isValid) return refuse('invalid_date', `"${date}" is not a calendar date`);
        if (today && date < today) return refuse('in_the_past', `${date} is in the past; today is ${today} in ${zone}`);
      }
      const { dateTo } = call.args;
      if (dateTo !== undefined) {
        // The range's first day is `date` (today when omitted); `forBooking` needs no check here: the ledger frees a
        // booking's own time only for the customer it belongs to.
        const today = DateTime.fromISO(now, { zone }).toISODate() ?? dateTo;
        if (!DateTime.fromISO(dateTo, { zone }).isValid) return refuse('invalid_date', `"${dateTo}" is not a calendar date`);
        if (dateTo < (date ?? today)) return refuse('invalid_arguments', `dateTo ${dateTo} is before the first day ${date ?? today}; pass the first day as date and the last as dateTo`);
      }
      return { ok: true };
    }
    case 'hold_slot': {
      if (!wasOffered(call.args.start, call.args.provider)) {
        return refuse('not_offered', 'that slot was not offered; call get_availability and hold one of the slots it returns');
      }
      return { ok: true };
    }
    case 'confirm_booking':
    case 'release_hold': {
      // A waitlist offer is confirmed like a hold; the ledger decides whether it is still there.
      const offer = conversation.waitlistOffer?.hold;
      if (!conversation.hold && offer?.bookingId === call.args.bookingId) return { ok: true };
      const hold = conversation.hold;
      if (!hold) return refuse('no_hold', 'there is no slot on hold; hold an offered slot first');
      if (hold.bookingId !== call.args.bookingId) return refuse('not_the_hold', `the current hold is ${hold.bookingId}`);
      return { ok: true };
    }
    case 'get_booking':
    case 'cancel_booking':
      return ownBooking(call.args.bookingId)
        ? { ok: true }
        : refuse('not_yours', 'no booking with that id belongs to this customer; call list_my_bookings');
    case 'reschedule_booking': {
      if (!ownBooking(call.args.bookingId)) {
        return refuse('not_yours', 'no booking with that id belongs to this customer; call list_my_bookings');
      }
      if (!wasOffered(call.args.start, call.args.provider)) {
        return refuse('not_offered', 'that slot was not offered; call get_availability for the new time first');
      }
      return { ok: true };
    }
    case 'confirm_change': {
      // Our rule, not the model's: a cancellation or move runs only once the customer has answered its read-back.
      const pending = conversation.pendingChange;
      if (!pending || pending.booking.id !== call.args.bookingId || pending.change !== call.args.change) {
        return refuse(
          'not_read_back',
          `no ${call.args.change === 'move' ? 'move' : 'cancellation'} of that booking was read back to the customer; call ${call.args.change === 'move' ? 'reschedule_booking' : 'cancel_booking'} first and wait for their answer`,
        );
      }
      if (pending.proposedTurn >= conversation.turn) {
        return refuse('not_answered_yet', 'the change was read back in this turn; wait for the customer to say yes in their next message');
      }
      return { ok: true };
    }
    case 'keep_booking':
      return conversation.pendingChange?.booking.id === call.args.bookingId
        ? { ok: true }
        : refuse('not_read_back', 'no cancellation or move of that booking is waiting for an answer');
    case 'list_my_bookings':
    case 'escalate_to_human':
    // Front desk: facts from the business file, a note to staff, the customer's own name (checked by its schema).
    case 'get_business_info':
    case 'report_running_late':
    case 'save_customer_name':
      return { ok: true };
    case 'join_waitlist': {
      const { service, provider, dateFrom, dateTo } = call.args;
      if (!business.services.some((s) => s.id === service)) {
        return refuse('unknown_service', `unknown service "${service}"; use one of ${business.services.map((s) => s.id).join(', ')}`);
      }
      if (provider !== undefined && !business.providers.some((p) => p.id === provider)) {
        return refuse('unknown_provider', `unknown provider "${provider}"; use one of ${business.providers.map((p) => p.id).join(', ')}`);
      }
      const today = DateTime.fromISO(now, { zone }).toISODate()!;
      if (dateTo < dateFrom) return refuse('invalid_date', `dateTo ${dateTo} is before dateFrom ${dateFrom}`);
      if (dateTo < today) return refuse('in_the_past', `${dateTo} is in the past; today is ${today} in ${zone}`);
      const last = DateTime.fromISO(now, { zone }).plus({ days: business.policies.maxDaysAhead }).toISODate()!;
      if (dateFrom > last) return refuse('too_far', `the waitlist takes days up to ${last}`);
      return { ok: true };
    }
  }
}

function sameInstant(a: string, b: string): boolean {
  return DateTime.fromISO(a).toMillis() === DateTime.fromISO(b).toMillis();
}
