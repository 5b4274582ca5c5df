import { DateTime } from 'luxon';
import type { Business } from '../src/domain/booking/business';
import type { BookingView } from '../src/domain/tools';
import type { Channel, ConversationState } from './messages';

/**
 * The one-glance descriptions operators read in the Web UI (current details and memo): service and provider by
 * name, times in the business's zone, the state in words. No customer names, numbers or message text, because memos
 * and details are not encrypted by the payload codec; service and provider names are the business's own words.
 */

/** "Tue 14 Jan 2025, 10:00 EST" in the business's zone; the ISO instant as it is when no business is known. */
export function businessTime(iso: string, business?: Pick<Business, 'timezone'>): string {
  if (!business) return iso;
  const dt = DateTime.fromISO(iso, { zone: business.timezone });
  return dt.isValid ? `${dt.toFormat('ccc d LLL yyyy, HH:mm')} ${dt.offsetNameShort ?? business.timezone}` : iso;
}

const serviceOf = (id: string, business?: Business) => business?.services.find((s) => s.id === id)?.name ?? id;
const providerOf = (id: string, business?: Business) => business?.providers.find((p) => p.id === id)?.name ?? id;

const CONVERSATION_STATUS: Record<ConversationState['status'], string> = {
  open: 'Talking with the assistant',
  holding: 'Holding a slot, waiting for the customer to confirm',
  booked: 'Booked',
  human: 'With staff',
  closed: 'Closed',
};

/** A conversation: its state in words, what is held and booked, in the business's zone when `business` is given. */
export function describeConversation(state: ConversationState, channel: Channel, operator: string | null, business?: Business): string {
  const lines = [`**${channel}** conversation — ${CONVERSATION_STATUS[state.status] ?? state.status}`];
  if (state.needsHuman) lines.push(operator ? `With staff: ${operator}` : 'Waiting for a person to take it');
  const wanted = [state.slots.service && serviceOf(state.slots.service, business), state.slots.date, state.slots.time, state.slots.provider && providerOf(state.slots.provider, business)].filter(Boolean);
  if (wanted.length) lines.push(`Looking for: ${wanted.join(' · ')}`);
  if (state.hold) {
    lines.push(`Holding ${serviceOf(state.hold.service, business)} with ${providerOf(state.hold.provider, business)} at ${businessTime(state.hold.start, business)} until ${businessTime(state.hold.expiresAt, business)}`);
  }
  const active = state.bookings.filter((b) => b.status === 'confirmed');
  for (const b of active) lines.push(`Booked ${serviceOf(b.service, business)} with ${providerOf(b.provider, business)} at ${businessTime(b.start, business)} (${b.id})`);
  lines.push(`Model calls: ${state.usage.modelCalls}, tokens: ${state.usage.promptTokens + state.usage.completionTokens}`);
  return lines.join('\n');
}

const APPOINTMENT_STATUS: Record<BookingView['status'], string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  completed: 'Attended',
  no_show: 'Did not come',
};

/** An appointment: service with provider at a local time, its state in words and the next timer. */
export function describeAppointment(
  booking: BookingView,
  business: Business,
  extra: { next?: { label: string; at: string }; movedTo?: BookingView | null; cancelledBy?: string | null } = {},
): string {
  const head = `**${serviceOf(booking.service, business)}** with ${providerOf(booking.provider, business)} — ${businessTime(booking.start, business)}`;
  let status = APPOINTMENT_STATUS[booking.status] ?? booking.status;
  if (extra.movedTo) status = `Moved by the business to ${businessTime(extra.movedTo.start, business)} with ${providerOf(extra.movedTo.provider, business)} (appointment:${extra.movedTo.id})`;
  else if (booking.status === 'cancelled' && extra.cancelledBy) status = `Cancelled by the business (${extra.cancelledBy})`;
  const next = extra.next && booking.status === 'confirmed' && !extra.movedTo ? `\nNext: ${extra.next.label}, ${businessTime(extra.next.at, business)}` : '';
  return `${head}\n${status}${next}`;
}
