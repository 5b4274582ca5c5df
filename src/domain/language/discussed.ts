import type { ChatMessage } from '../model';
import type { SlotView } from '../tools';
import { anchorOf, type Anchor } from './references';

/**
 * What was being discussed when the customer wrote a message: the last slot held or let go, the last booking made,
 * moved or cancelled, or the last day and time asked about — whichever the customer saw most recently. It anchors
 * "the same day", "an hour later", "same time next week". Read from the history only (tool results are the ledger's
 * answers), never from the model's words.
 */
export function discussedBefore(messages: readonly ChatMessage[], end: number, zone: string): Anchor | null {
  for (let i = Math.min(end, messages.length) - 1; i >= 0; i -= 1) {
    const m = messages[i]!;
    if (m.role !== 'tool') continue;
    const result = parse(m.content);
    if (!result || result.ok !== true) continue;
    switch (m.name) {
      case 'hold_slot':
        return slotAnchor(result.hold, zone);
      case 'release_hold':
        return slotAnchor(result.released, zone);
      case 'confirm_booking':
      case 'cancel_booking':
      case 'reschedule_booking':
        return slotAnchor(result.booking, zone);
      case 'get_availability': {
        const requested = (result.requested ?? {}) as { date?: string; time?: string };
        const first = (result.exact ?? (result.alternatives as SlotView[] | undefined)?.[0]) as SlotView | undefined;
        if (requested.date) return { date: requested.date, ...(requested.time ? { time: requested.time } : {}), ...(first ? { service: first.service } : {}) };
        if (first) {
          // Only the day: the first free time is not a time the customer chose.
          const { date, service } = anchorOf(first, zone);
          return { ...(date ? { date } : {}), ...(service ? { service } : {}) };
        }
        break;
      }
    }
  }
  return null;
}

function slotAnchor(value: unknown, zone: string): Anchor | null {
  const slot = value as Partial<SlotView> | undefined;
  if (!slot || typeof slot.start !== 'string') return null;
  return anchorOf({ start: slot.start, ...(slot.end ? { end: slot.end } : {}), ...(slot.provider ? { provider: slot.provider } : {}), ...(slot.service ? { service: slot.service } : {}) }, zone);
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The booking the assistant confirmed in answer to the customer's previous message, if that was the last thing that
 * happened: "no, I said Tuesday" right after "You're booked: … Monday" corrects that booking, so it is moved.
 */
export function bookedJustBefore(messages: readonly ChatMessage[], end: number): string | null {
  for (let i = Math.min(end, messages.length) - 1; i >= 0; i -= 1) {
    const m = messages[i]!;
    if (m.role === 'user') return null;
    if (m.role !== 'tool') continue;
    const result = parse(m.content);
    if (m.name !== 'confirm_booking' || !result || result.ok !== true) return null;
    const booking = result.booking as { id?: unknown } | undefined;
    return typeof booking?.id === 'string' ? booking.id : null;
  }
  return null;
}
