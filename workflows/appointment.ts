import { ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Business } from '../src/domain/booking/business';
import { planReminders, type PlannedWake } from '../src/domain/booking/reminders';
import { quietPeriodAround } from '../src/domain/messaging/quiet-hours';
import * as templates from '../src/domain/language/templates';
import { serviceName, when } from '../src/domain/language/templates/format';
import type { BookingView } from '../src/domain/tools';
import { toBookingView, toSlotView } from '../src/domain/booking/views';
import { appointmentWorkflowId, conversationWorkflowId } from '../src/domain/messaging/addressing';
import { movedByBusiness } from '../src/domain/language/templates/messages';
import { describeAppointment } from './details';
import { traitsOf } from '../src/domain/messaging/channel';
import type { Activities } from '../activities';
import { DateTime } from 'luxon';
import {
  appointmentStateQuery,
  appointmentUpdateSignal,
  attendanceSignal,
  cancelAppointmentSignal,
  moveAppointmentUpdate,
  type AppointmentState,
  type MoveResult,
  type Channel,
} from './messages';
import { calendarSyncOptions, ledgerOptions, localOptions, messagingOptions } from './options';
import { AppointmentStartKey, BookingStatusKey, ServiceIdKey } from './search-attributes';
import { offerFreedSlot } from './waitlist';
import { DetachedStarter } from './detached';

/** Input of the appointment workflow (`appointment:<bookingId>`), started by the conversation as an abandoned child. */
export interface AppointmentInput {
  booking: BookingView;
  customerKey: string;
  channel: Channel;
  /** Where notices go (E.164 / whatsapp:+…); null for web chat, whose notices stay in the outbox. */
  address: string | null;
  zone: string;
  locale: 'en' | 'es';
  /** The conversation already told the customer (its reply was built from the ledger): do not repeat it. */
  confirmationSent: boolean;
  /** When the customer last wrote: opens WhatsApp's 24-hour window for free text. */
  lastInboundAt?: string;
  /**
   * The opaque key of the conversation that made the booking. Its state hears of every change at once, and what this
   * workflow sends the customer becomes part of the conversation their reply lands in (for a caller, the SMS one).
   */
  conversationKey?: string;
}

const { getBusiness } = proxyLocalActivities<Activities>({ ...localOptions, summary: 'load business configuration' });
const ledger = proxyActivities<Activities>(ledgerOptions);
const notes = proxyActivities<Activities>({ ...ledgerOptions, summary: 'tell the conversation what was sent' });
const messaging = proxyActivities<Activities>(messagingOptions);
const calendarSync = proxyActivities<Activities>(calendarSyncOptions);

/**
 * After "yes": confirmation, reminders before the start, and after the end plus grace a no-show follow-up unless
 * attendance was marked. Every change (reschedule, cancel, attendance) rebuilds the timers from the pure plan.
 */
export async function appointmentWorkflow(input: AppointmentInput): Promise<AppointmentState> {
  let booking = { ...input.booking };
  let version = 0;
  let attended: boolean | null = null;
  const sent: AppointmentState['sent'] = [];
  const done = new Set<string>();
  let plan: PlannedWake[] = [];

  const wakeId = (wake: PlannedWake) => `${booking.start}:${wake.kind}:${wake.kind === 'reminder' ? wake.before : ''}`;
  const state = (): AppointmentState => ({
    bookingId: booking.id,
    status: booking.status,
    start: booking.start,
    end: booking.end,
    schedule: plan.filter((w) => !done.has(wakeId(w))).map((w) => ({ at: w.at, kind: w.kind, label: labelOf(w) })),
    sent,
  });

  let cancelledByStaff: string | null = null;
  setHandler(
    cancelAppointmentSignal,
    (request) => {
      if (booking.status !== 'confirmed') return;
      if (request?.by === 'staff') cancelledByStaff = request.operator ?? 'staff';
      booking = { ...booking, status: 'cancelled' };
      version++;
    },
    {
      description:
        'Cancel: {reason?, by?: "customer" | "staff", operator?}. From the customer, the ledger is already cancelled; by staff, this workflow cancels it in the ledger and tells the customer. Stops every reminder and the follow-up.',
    },
  );
  // A move by the business: the ledger moves it (a new booking id), then this run hands over to a new appointment
  // workflow for the new booking and ends, so a later cancel or move of the new booking finds its workflow by id.
  let movedTo: { booking: BookingView; previous: BookingView; operator: string } | null = null;
  let moves = 0;
  setHandler(
    moveAppointmentUpdate,
    async ({ start, providerId, operator }): Promise<MoveResult> => {
      const outcome = await ledger.rescheduleBooking.executeWithOptions({ ...ledgerOptions, summary: `move as the business (${operator})` }, [
        {
          customerKey: input.customerKey,
          bookingId: booking.id,
          start,
          provider: providerId,
          zone: input.zone,
          idempotencyKey: `${workflowInfo().workflowId}:staff-move:${++moves}`,
          bypassPolicy: true,
          operator,
        },
      ]);
      if (!outcome.ok) {
        const alternatives = outcome.alternatives.slice(0, 5).map((s) => ({ provider: s.providerId, start: s.start, end: s.end }));
        return { ok: false, code: outcome.rejection.code, message: moveRefusal(outcome.rejection.code), alternatives };
      }
      movedTo = { booking: toBookingView(outcome.value.booking), previous: toBookingView(outcome.value.previous), operator };
      version++;
      return { ok: true, booking: movedTo.booking, previous: movedTo.previous };
    },
    {
      validator: (request) => {
        if (booking.status !== 'confirmed' || movedTo) throw new Error(`booking ${booking.id} is ${movedTo ? 'already moved' : booking.status}; only a confirmed booking can be moved`);
        if (!request?.operator || !request.start || Number.isNaN(Date.parse(request.start))) throw new Error('send {start: ISO-8601 instant, providerId?, operator}');
        // A "move" to where it already is would rebook it in place and tell the customer it had to move. Refused in the
        // validator, so nothing of it reaches history; its type is the code callers see.
        if (Date.parse(request.start) === Date.parse(booking.start) && (request.providerId ?? booking.provider) === booking.provider) {
          throw ApplicationFailure.create({ type: 'unchanged', message: 'the booking is already at that time with that provider; choose another time or provider' });
        }
      },
      description:
        'Move as the business: {start, providerId?, operator}. No policy window binds the business; hours, blocks and closures do. The customer is told on their channel and a new appointment workflow follows the new booking.',
    },
  );
  setHandler(
    attendanceSignal,
    ({ attended: value }) => {
      attended = value;
      version++;
    },
    { description: 'Staff marked attendance {attended}: no no-show follow-up is sent.' },
  );
  setHandler(appointmentStateQuery, state, { description: 'Status, upcoming timers and what was sent.' });

  // In the first activation, before the first local activity (see run-patch.ts).
  const detached = new DetachedStarter();
  detached.askAtStart();
  const business: Business = await getBusiness();
  const opts = { locale: input.locale, zone: input.zone, business };

  const publish = () => {
    upsertSearchAttributes([
      { key: BookingStatusKey, value: booking.status },
      { key: ServiceIdKey, value: booking.service },
      { key: AppointmentStartKey, value: new Date(booking.start) },
    ]);
    const next = state().schedule[0];
    const details = describeAppointment(booking, business, { next, movedTo: movedTo?.booking ?? null, cancelledBy: cancelledByStaff });
    upsertMemo({ summary: details });
    setCurrentDetails(details);
  };

  // A caller gets their reminders by SMS to the number they called from; chat customers only in the outbox.
  const channel = traitsOf(input.channel).remindersVia;
  const whatsappTemplate = (contentSid: string | undefined) =>
    traitsOf(channel).templateOutsideWindow && contentSid
      ? { contentSid, variables: { '1': serviceName(booking.service, opts), '2': when(booking.start, opts) } }
      : undefined;
  // The conversation that made the booking, and the one the customer's reply to a notice lands in (a caller answers
  // a reminder by SMS from the same number, so the same opaque key on the SMS channel).
  const bookedIn = input.conversationKey ? conversationWorkflowId(input.channel, input.conversationKey) : null;
  const repliesIn = input.conversationKey ? conversationWorkflowId(channel, input.conversationKey) : null;
  /** The booking conversation's state shows the change at once; if it has ended, its next run reads the ledger. */
  const tellConversation = async () => {
    if (!bookedIn) return;
    try {
      await getExternalWorkflowHandle(bookedIn).signal(appointmentUpdateSignal, { booking });
    } catch (error) {
      log.info('the booking conversation is not running; its next run reads the ledger', { error: String(error) });
    }
  };
  const send = async (purpose: string, text: string, kind: string, at = new Date().toISOString(), contentSid?: string, offered: SlotLike[] = []) => {
    const outcome = await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send ${purpose}` }, [
      {
        scope: workflowInfo().workflowId,
        purpose: `${purpose}@${booking.start}`,
        channel,
        to: input.address ?? `chat:${input.customerKey}`,
        customerKey: input.customerKey,
        text,
        lastInboundAt: input.lastInboundAt,
        whatsappTemplate: whatsappTemplate(contentSid),
      },
    ]);
    sent.push({ at, kind, label: purpose, outcome: outcome.status });
    // Reminders and the follow-up also reach an email address the customer left (web chat has no number).
    if (kind === 'reminder' || kind === 'no_show_follow_up') {
      await messaging.sendEmail.executeWithOptions({ ...messagingOptions, summary: `email ${purpose}` }, [
        { scope: workflowInfo().workflowId, purpose: `email:${purpose}@${booking.start}`, customerKey: input.customerKey, subject: `${business.name}: ${purpose.replace(/-/g, ' ')}`, text },
      ]);
    }
    // What was sent is part of the customer's conversation: a reply to it ("yes", "2", "I'm running late") reads in context.
    if (repliesIn && (outcome.status === 'sent' || outcome.status === 'local' || outcome.status === 'recorded')) {
      await notes.noteForConversation({
        workflowId: repliesIn,
        customerKey: input.customerKey,
        noticeKey: `${workflowInfo().workflowId}:${purpose}@${booking.start}`,
        text,
        at,
        offered: offered.map(({ service, provider, start, end }) => ({ service, provider, start, end })),
      });
    }
  };

  // The staff calendar (Google, when configured) shows the booking; a no-op without a calendar.
  const syncCalendar = (step: string) =>
    calendarSync.syncBookingToCalendar.executeWithOptions({ ...calendarSyncOptions, summary: `sync calendar: ${step}` }, [
      { bookingId: booking.id, idempotencyKey: `${workflowInfo().workflowId}:calendar:${step}` },
    ]);
  await syncCalendar('confirmed');
  if (!input.confirmationSent) await send('confirmation', templates.bookingConfirmed(booking, opts), 'confirmation');
  // The calendar invitation by email (booked, or moved: the ledger's chain of moves decides), when there is an address.
  const emailCalendar = () =>
    messaging.sendBookingEmail.executeWithOptions({ ...messagingOptions, summary: 'email the calendar invitation' }, [
      { bookingId: booking.id, locale: input.locale, zone: input.zone },
    ]);
  await emailCalendar();

  while (booking.status === 'confirmed') {
    // Taken before the first await: a change that lands while the customer is read still wakes the wait below.
    const seen = version;
    const customer = await ledger.getCustomer({ customerKey: input.customerKey });
    plan = planReminders({
      start: booking.start,
      end: booking.end,
      policies: business.policies,
      customerZone: input.zone,
      now: new Date().toISOString(),
      optedOut: customer.optedOut,
    });
    const next = plan.find((w) => !done.has(wakeId(w)));
    publish();
    if (!next) break;
    const changed = await condition(() => version !== seen, Math.max(0, Date.parse(next.at) - Date.now()), { summary: labelOf(next) });
    if (changed) {
      if (attended !== null || movedTo) break;
      continue;
    }
    done.add(wakeId(next));
    // The planned instant: the timer fires a few milliseconds after it, once the server has processed the task.
    const firedAt = next.at;
    if (next.kind === 'reminder') {
      // Opt-out is read again at the moment of sending: a STOP after planning still silences this reminder.
      const now = await ledger.getCustomer({ customerKey: input.customerKey });
      if (now.optedOut) {
        sent.push({ at: firedAt, kind: 'reminder', label: labelOf(next), outcome: 'suppressed_opt_out' });
        continue;
      }
      await send(`reminder-${next.before}`, templates.reminder(booking, { before: next.before }, opts), 'reminder', firedAt, business.whatsappTemplates.reminder);
      continue;
    }
    // No-show check: the grace period is over and nobody marked attendance.
    if (attended === null) {
      const marked = await ledger.markAttendance({ bookingId: booking.id, attended: false, idempotencyKey: `${workflowInfo().workflowId}:no-show` });
      if (marked.ok) booking = { ...booking, status: 'no_show' };
      await tellConversation();
      const waited = await waitOutQuietHours(business, input.zone);
      const followUpAt = waited ? new Date().toISOString() : firedAt;
      const customerNow = await ledger.getCustomer({ customerKey: input.customerKey });
      if (!customerNow.optedOut) {
        // Concrete times, not a bare question: the next free ones for the same service (and provider, if they have any).
        const offers = await nextFreeTimes(booking, input);
        await send('no-show-follow-up', templates.noShowFollowUp(booking, offers, opts), 'no_show_follow_up', followUpAt, business.whatsappTemplates.noShowFollowUp, offers);
      }
    }
    break;
  }

  if (movedTo) {
    const move: { booking: BookingView; previous: BookingView; operator: string } = movedTo;
    booking = move.previous;
    await syncCalendar('moved');
    // The new booking's own workflow first (its reminders are what matter), then the customer is told.
    await detached.start({
      workflowType: 'appointmentWorkflow',
      workflowId: appointmentWorkflowId(move.booking.id),
      args: [{ ...input, booking: move.booking, confirmationSent: true } satisfies AppointmentInput],
      staticSummary: `Appointment ${move.booking.service} with ${move.booking.provider} (moved by ${move.operator})`,
      staticDetails: `Moved by the business from appointment:${move.previous.id}. Sends reminders before the start and follows up a no-show.`,
    });
    await send('moved-by-business', movedByBusiness({ booking: move.booking, previous: move.previous }, opts), 'move');
    await offerFreedSlot({ slot: move.previous, freedBy: move.previous.id, reason: 'moved' }, detached);
    if (bookedIn) {
      for (const changed of [move.previous, move.booking]) {
        try {
          await getExternalWorkflowHandle(bookedIn).signal(appointmentUpdateSignal, { booking: changed });
        } catch (error) {
          log.info('the booking conversation is not running; its next run reads the ledger', { error: String(error) });
        }
      }
    }
    publish();
    await condition(allHandlersFinished);
    return state();
  }

  if (booking.status === 'cancelled' && cancelledByStaff !== null) {
    // The business cancels: no policy window binds it. The ledger is cancelled here, then the customer is told.
    const outcome = await ledger.cancelBooking.executeWithOptions({ ...ledgerOptions, summary: `cancel as the business (${cancelledByStaff})` }, [
      { customerKey: input.customerKey, bookingId: booking.id, idempotencyKey: `${workflowInfo().workflowId}:staff-cancel`, bypassPolicy: true, operator: cancelledByStaff },
    ]);
    if (outcome.ok) booking = toBookingView(outcome.value);
    await send('cancelled-by-business', templates.cancelledByBusiness(booking, opts), 'cancellation');
  }
  if (booking.status === 'cancelled') {
    await syncCalendar('cancelled');
    // METHOD:CANCEL, unless the ledger says it was cancelled by a move (the new booking's invitation updates it).
    const email = await emailCalendar();
    // The freed slot goes to the customers waiting for it.
    await offerFreedSlot({ slot: booking, freedBy: booking.id, reason: email.status === 'superseded' ? 'moved' : 'cancelled' }, detached);
  }
  if (attended !== null && booking.status === 'confirmed') {
    const marked = await ledger.markAttendance({ bookingId: booking.id, attended, idempotencyKey: `${workflowInfo().workflowId}:attendance` });
    booking = { ...booking, status: marked.ok ? (attended ? 'completed' : 'no_show') : booking.status };
  }
  if (booking.status !== input.booking.status) await tellConversation();
  publish();
  await condition(allHandlersFinished);
  return state();
}

/** What staff read when the ledger refuses a move. */
function moveRefusal(code: string): string {
  switch (code) {
    case 'slot_taken':
      return 'that time is taken or blocked for this provider; pick another (the alternatives are free)';
    case 'outside_hours':
      return 'that time is outside the provider’s opening hours or on a closed day';
    case 'too_soon':
      return 'that time is too soon (the minimum notice applies to the business as well)';
    case 'in_the_past':
      return 'that time has passed';
    case 'too_far':
      return 'that time is further ahead than the business books';
    case 'provider_does_not_offer':
      return 'that provider does not offer this service';
    default:
      return `the ledger refused the move (${code})`;
  }
}

type SlotLike = ReturnType<typeof toSlotView>;

/** The next free times for a missed booking's service: with the same provider when they have any, else anyone. */
async function nextFreeTimes(booking: BookingView, input: AppointmentInput): Promise<SlotLike[]> {
  for (const provider of [booking.provider, undefined]) {
    const found = await ledger.findAvailability.executeWithOptions({ ...ledgerOptions, summary: 'find times to offer after a no-show' }, [
      { customerKey: input.customerKey, service: booking.service, provider, zone: input.zone, limit: 3 },
    ]);
    if (!found.ok) continue;
    const slots = [...(found.value.exact ? [found.value.exact] : []), ...found.value.alternatives].slice(0, 3).map(toSlotView);
    if (slots.length > 0) return slots;
  }
  return [];
}

/** The follow-up is a message too: never at night in the customer's zone. */
async function waitOutQuietHours(business: Business, zone: string): Promise<boolean> {
  const quiet = quietPeriodAround(DateTime.fromMillis(Date.now()), business.policies.quietHours, zone);
  if (!quiet) return false;
  await condition(() => false, Math.max(0, quiet.end.toMillis() - Date.now()), { summary: 'wait for the end of quiet hours' });
  return true;
}

function labelOf(wake: PlannedWake): string {
  if (wake.kind === 'no_show_check') return 'no-show check after the grace period';
  const hours = wake.before.match(/^PT(\d+)H$/)?.[1];
  return `reminder ${hours ? `${hours} h` : wake.before} before${wake.shifted ? ' (moved out of quiet hours)' : ''}`;
}
