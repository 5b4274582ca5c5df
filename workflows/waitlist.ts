import {
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Business } from '../src/domain/booking/business';
import { toWaitlistView, type WaitlistEntry } from '../src/domain/booking/waitlist';
import { DateTime } from 'luxon';
import * as templates from '../src/domain/language/templates';
import { conversationWorkflowId, waitlistOfferWorkflowId, waitlistWorkflowId } from '../src/domain/messaging/addressing';
import { traitsOf } from '../src/domain/messaging/channel';
import type { HoldView, SlotView } from '../src/domain/tools';
import type { Activities } from '../activities';
import { ledgerOptions, localOptions, messagingOptions } from './options';
import { BookingStatusKey, ServiceIdKey } from './search-attributes';
import type { DetachedStarter } from './detached';

/**
 * The waitlist, as two small workflows:
 *
 * - `waitlist:<entryId>` (one per waiting customer) lives until the entry's range passes — then it ends the entry as
 *   expired and tells the customer — or until the customer books, whichever comes first. Operators see every waiting
 *   customer in the Web UI, and the range's end is a durable timer rather than a sweep.
 * - `waitlist-offer:<freedBookingId>` (one per freed slot) offers the slot a cancellation, a move or an expired hold
 *   freed to the customers it fits, in order of joining. Each offer is a ledger hold in that customer's name for
 *   `waitlistOfferSeconds`; "yes" confirms it, "no" or silence until the hold ends passes it to the next customer.
 *   When someone books it, everyone offered it before is told it is gone.
 *
 * Why per freed slot for the offers: offers of one slot must go out one after another in joining order, so that
 * order belongs to the slot; an entry only needs its own end. Every race (two "yes" at once, a walk-in) is decided by
 * the ledger's exclusion constraint and row locks, never by which workflow runs first.
 */

/** From the customer's conversation to the offer workflow: the customer answered the offer held as `holdId`. */
export const offerAnsweredSignal = defineSignal<[{ holdId: string; answer: 'yes' | 'no' }]>('offerAnswered');
/** To an entry's workflow: the entry ended because the customer booked (an offer, or a booking made elsewhere). */
export const waitlistEntryEndedSignal = defineSignal<[{ status: 'booked' | 'left'; bookingId?: string }]>('waitlistEntryEnded');

export interface WaitlistOfferState {
  slot: SlotView;
  offers: { entryId: string; holdId: string; expiresAt: string; outcome: 'open' | 'booked' | 'declined' | 'lapsed' | 'gone' }[];
  bookedBy: string | null;
  done: boolean;
}
export const waitlistOfferStateQuery = defineQuery<WaitlistOfferState>('waitlistOfferState');
export const waitlistEntryStateQuery = defineQuery<{ entryId: string; status: string }>('waitlistEntryState');

export interface WaitlistOfferInput {
  slot: SlotView;
  /** The booking or hold whose end freed the slot: names the workflow. */
  freedBy: string;
  /** `hold_expired`: a conversation's hold ran out or was let go (the conversation released it first). */
  reason: 'cancelled' | 'moved' | 'hold_expired';
}

export interface WaitlistEntryInput {
  entry: WaitlistEntry;
}

const { getBusiness } = proxyLocalActivities<Activities>({ ...localOptions, summary: 'load business configuration' });
const ledger = proxyActivities<Activities>(ledgerOptions);
const messaging = proxyActivities<Activities>(messagingOptions);

/**
 * Starts the offer round for a slot that just became free (from the appointment workflow or a conversation whose hold
 * expired). A round already started for the same freeing booking is left alone.
 */
export async function offerFreedSlot(input: WaitlistOfferInput, detached: DetachedStarter): Promise<void> {
  await detached.start({
    workflowType: 'waitlistOfferWorkflow',
    workflowId: waitlistOfferWorkflowId(input.freedBy, input.reason),
    args: [input],
    staticSummary: `Waitlist offers: ${input.slot.service} with ${input.slot.provider} at ${input.slot.start}`,
    staticDetails: `The slot was freed (${input.reason}); it is held for waiting customers one at a time, in order of joining.`,
  });
}

/** Starts the entry's workflow after the customer joined (from the conversation's tool layer); a retried join starts none. */
export async function followWaitlistEntry(entry: WaitlistEntry, detached: DetachedStarter): Promise<void> {
  await detached.start({
    workflowType: 'waitlistEntryWorkflow',
    workflowId: waitlistWorkflowId(entry.id),
    args: [{ entry } satisfies WaitlistEntryInput],
    staticSummary: `Waitlist: ${entry.service}${entry.provider ? ` with ${entry.provider}` : ''}, ${entry.dateFrom}…${entry.dateTo}`,
    staticDetails: 'Ends when the range passes (the customer is told) or when the customer books.',
  });
}

/** One waiting customer: ends at the range's end (expired) unless they book first. */
export async function waitlistEntryWorkflow({ entry }: WaitlistEntryInput): Promise<{ status: string }> {
  let ended: { status: 'booked' | 'left'; bookingId?: string } | null = null;
  let status: string = entry.status;
  setHandler(waitlistEntryEndedSignal, (value) => void (ended = value), {
    description: 'The entry ended because the customer booked {status: "booked", bookingId}: stop waiting.',
  });
  setHandler(waitlistEntryStateQuery, () => ({ entryId: entry.id, status }), { description: 'The entry and its status.' });
  upsertSearchAttributes([
    { key: BookingStatusKey, value: 'waitlisted' },
    { key: ServiceIdKey, value: entry.service },
  ]);
  setCurrentDetails(`Waiting for **${entry.service}** ${entry.dateFrom}…${entry.dateTo}${entry.window ? ` ${entry.window.start}–${entry.window.end}` : ''} until ${entry.endsAt}`);

  const passed = !(await condition(() => ended !== null, Math.max(0, Date.parse(entry.endsAt) - Date.now()), { summary: `range ends at ${entry.endsAt}` }));
  if (!passed) {
    status = ended!.status;
  } else {
    const now = await ledger.endWaitlistEntry({ entryId: entry.id, status: 'expired' });
    status = now?.status ?? 'expired';
    if (now?.status === 'expired') {
      const business = await getBusiness();
      const opts = { locale: entry.locale, zone: entry.zone, business };
      await tellCustomer(entry, 'waitlist-expired', templates.waitlistExpired(toWaitlistView(now), opts), {
        subject: subjectOf(templates.waitlistExpired(toWaitlistView(now), opts)),
      });
    }
  }
  upsertSearchAttributes([{ key: BookingStatusKey, value: status }]);
  setCurrentDetails(`Waitlist entry ${entry.id}: ${status}`);
  return { status };
}

/** One freed slot, offered to the customers waiting for it, one at a time in order of joining. */
export async function waitlistOfferWorkflow(input: WaitlistOfferInput): Promise<WaitlistOfferState> {
  const { slot } = input;
  const state: WaitlistOfferState = { slot, offers: [], bookedBy: null, done: false };
  const answers = new Map<string, 'yes' | 'no'>();
  setHandler(offerAnsweredSignal, ({ holdId, answer }) => void answers.set(holdId, answer), {
    description: "The customer answered the offer held as {holdId}: 'yes' (they confirmed it) or 'no' (they let it go).",
  });
  setHandler(waitlistOfferStateQuery, () => state, { description: 'The slot, every offer made and how it ended.' });
  upsertSearchAttributes([
    { key: BookingStatusKey, value: 'offering' },
    { key: ServiceIdKey, value: slot.service },
  ]);
  const business: Business = await getBusiness();
  const key = (step: string) => `${workflowInfo().workflowId}:${workflowInfo().firstExecutionRunId}:${step}`;

  const candidates = await ledger.waitlistCandidates({ slot });
  for (const entry of candidates) {
    const opts = { locale: entry.locale, zone: entry.zone, business };
    const held = await ledger.holdForWaitlist.executeWithOptions({ ...ledgerOptions, summary: `hold for waitlist entry ${entry.id}` }, [
      { entryId: entry.id, slot, expiresAt: new Date(Date.now() + business.policies.waitlistOfferSeconds * 1000).toISOString(), idempotencyKey: key(`hold:${entry.id}`) },
    ]);
    if (!held.ok) {
      // Taken meanwhile (a walk-in, another round): nobody else can have it either. Other refusals are this customer's.
      if (held.rejection.code === 'slot_taken' || held.rejection.code === 'too_soon' || held.rejection.code === 'in_the_past') break;
      continue;
    }
    const { hold } = held.value;
    const ttlSeconds = business.policies.waitlistOfferSeconds;
    const offer = { entryId: entry.id, holdId: hold.bookingId, expiresAt: hold.expiresAt, outcome: 'open' as WaitlistOfferState['offers'][number]['outcome'] };
    state.offers.push(offer);
    setCurrentDetails(`Offering ${slot.service} with ${slot.provider} at ${slot.start} to entry ${entry.id} until ${hold.expiresAt}`);
    const text = templates.waitlistOffer({ slot, expiresAt: hold.expiresAt, ttlSeconds }, opts);
    await tellCustomer(entry, `offer:${hold.bookingId}`, text, { subject: subjectOf(text), waitlistOffer: { hold, workflowId: workflowInfo().workflowId }, offered: [slot] });

    await condition(() => answers.has(hold.bookingId), Math.max(0, Date.parse(hold.expiresAt) - Date.now()), { summary: `offer to entry ${entry.id} ends at ${hold.expiresAt}` });
    // The ledger, not the signal, says who has the slot: release the hold unless it was confirmed (a row lock decides).
    const released = await ledger.releaseHold.executeWithOptions({ ...ledgerOptions, summary: `end the offer held as ${hold.bookingId}` }, [
      { customerKey: entry.customerKey, bookingId: hold.bookingId, idempotencyKey: key(`release:${hold.bookingId}`) },
    ]);
    const booking = released.ok ? null : await ledger.getBooking({ customerKey: entry.customerKey, bookingId: hold.bookingId });
    if (booking?.ok && booking.value.status === 'confirmed') {
      offer.outcome = 'booked';
      state.bookedBy = entry.id;
      await endEntryAsBooked(entry, hold.bookingId);
      break;
    }
    if (answers.get(hold.bookingId) === 'no') {
      offer.outcome = 'declined';
      continue;
    }
    offer.outcome = 'lapsed';
    await tellCustomer(entry, `lapsed:${hold.bookingId}`, templates.waitlistOfferLapsed({ slot }, opts), {});
  }

  // Whoever has the slot now (this round's winner, a lapsed customer whose late "yes" won the race, a walk-in),
  // every customer offered it before and not holding it is told it is gone.
  const taken = state.bookedBy !== null || (await slotTaken(slot, business));
  if (taken) {
    for (const offer of state.offers.filter((o) => o.outcome === 'lapsed' || o.outcome === 'open')) {
      const entry = candidates.find((c) => c.id === offer.entryId)!;
      const now = await ledger.getWaitlistEntry({ entryId: entry.id });
      if (now?.status === 'booked') continue; // their late "yes" won
      offer.outcome = 'gone';
      const opts = { locale: entry.locale, zone: entry.zone, business };
      await tellCustomer(entry, `gone:${offer.holdId}`, templates.waitlistSlotGone({ slot }, opts), { offerEnded: offer.holdId });
    }
  }
  state.done = true;
  upsertSearchAttributes([{ key: BookingStatusKey, value: state.bookedBy ? 'booked' : taken ? 'taken' : 'unclaimed' }]);
  setCurrentDetails(`${slot.service} with ${slot.provider} at ${slot.start}: ${state.bookedBy ? `booked from the waitlist (entry ${state.bookedBy})` : taken ? 'taken' : 'nobody took it'}`);
  return state;
}

/** Whether someone holds or booked the slot now (a free-slot search that no longer finds it). */
async function slotTaken(slot: SlotView, business: Business): Promise<boolean> {
  const local = DateTime.fromISO(slot.start, { zone: business.timezone });
  const found = await ledger.findAvailability.executeWithOptions({ ...ledgerOptions, summary: 'is the freed slot still free?' }, [
    { customerKey: 'waitlist', service: slot.service, provider: slot.provider, date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm'), zone: business.timezone },
  ]);
  return !found.ok || found.value.exact === null;
}

async function endEntryAsBooked(entry: WaitlistEntry, bookingId: string): Promise<void> {
  await ledger.endWaitlistEntry({ entryId: entry.id, status: 'booked', bookingId });
  await signalEntryEnded(entry.id, bookingId);
}

/** Tells an entry's workflow that the customer booked; one that already ended has nothing to stop. */
export async function signalEntryEnded(entryId: string, bookingId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(waitlistWorkflowId(entryId)).signal(waitlistEntryEndedSignal, { status: 'booked', bookingId });
  } catch (error) {
    log.info('the waitlist entry workflow is not running', { entryId, error: String(error) });
  }
}

/**
 * A message to a waiting customer on their own channel (a caller by SMS), by email when they left an address, and
 * as a notice their conversation takes in, so "yes" reads in context.
 */
async function tellCustomer(
  entry: WaitlistEntry,
  purpose: string,
  text: string,
  extra: { subject?: string; waitlistOffer?: { hold: HoldView; workflowId: string }; offered?: SlotView[]; offerEnded?: string },
): Promise<void> {
  const channel = traitsOf(entry.channel).remindersVia;
  const scope = workflowInfo().workflowId;
  const outcome = await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send ${purpose.split(':')[0]}` }, [
    { scope, purpose, channel, to: entry.address ?? `chat:${entry.customerKey}`, customerKey: entry.customerKey, text },
  ]);
  await messaging.sendEmail.executeWithOptions({ ...messagingOptions, summary: `email ${purpose.split(':')[0]}` }, [
    { scope, purpose: `email:${purpose}`, customerKey: entry.customerKey, subject: extra.subject ?? subjectOf(text), text },
  ]);
  if (!entry.conversationKey || !['sent', 'local', 'recorded'].includes(outcome.status)) return;
  await ledger.noteForConversation({
    workflowId: conversationWorkflowId(channel, entry.conversationKey),
    customerKey: entry.customerKey,
    noticeKey: `${scope}:${purpose}`,
    text,
    at: new Date().toISOString(),
    ...(extra.offered ? { offered: extra.offered } : {}),
    ...(extra.waitlistOffer ? { waitlistOffer: extra.waitlistOffer } : {}),
    ...(extra.offerEnded ? { offerEnded: extra.offerEnded } : {}),
  });
}

/** The first sentence of a message, as an email subject. */
function subjectOf(text: string): string {
  const first = text.split(/(?<=[.!?:])\s/)[0] ?? text;
  return first.replace(/[:.]$/, '').slice(0, 120);
}
