import { getExternalWorkflowHandle, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { toBookingView, toHoldView, toSlotView } from '../src/domain/booking/views';
import { toToolError } from '../src/domain/conversation/tool-results';
import { appointmentWorkflowId } from '../src/domain/messaging/addressing';
import type { ParsedToolCall, ToolName, ToolResult } from '../src/domain/tools';
import type { Activities } from '../activities';
import type { AppointmentInput } from './appointment';
import { executeFrontDeskTool } from './front-desk';
import { followWaitlistEntry, offerAnsweredSignal, offerFreedSlot, signalEntryEnded } from './waitlist';
import { toWaitlistView } from '../src/domain/booking/waitlist';
import { cancelAppointmentSignal } from './messages';
import { ledgerOptions, messagingOptions } from './options';
import type { TurnDeps } from './turn-deps';

const remoteLedger = proxyActivities<Activities>(ledgerOptions);
/**
 * The same ledger calls as local activities. Every call a tool makes is a read or a write idempotent by its step's key
 * (a write repeated after a crash returns what the first made), short, and runs in this worker's process anyway, so
 * there is nothing for the server to schedule: a turn's steps run inside the workflow task that took the message,
 * instead of a server round trip and another workflow task each. Typed as the remote proxy: the options the calls pass
 * (a start-to-close timeout, a retry policy and a summary) mean the same to both.
 */
const localLedger = proxyLocalActivities<Activities>(ledgerOptions) as unknown as typeof remoteLedger;
const messaging = proxyActivities<Activities>(messagingOptions);

export interface ExecutionContext extends TurnDeps {
  /** The step within the conversation (turn + call + index): the same step always carries the same keys. */
  step: string;
  /** The ledger key of that step (see StepKeys): a retry never books twice. */
  idempotencyKey: string;
}

const summary = (name: ToolName, detail: string) => ({ ...ledgerOptions, summary: `${name}: ${detail}` });

/**
 * Cancellations and moves wait for the customer's yes (confirm_change). Histories written before that cancelled or
 * moved at once in cancel_booking / reschedule_booking; they replay the way they were written. Decided once per run,
 * at its start (ConversationRun, see run-patch.ts): asked first here, right after the model's local activity, the
 * marker could land in a task that replay reaches one task early.
 */
export const CONFIRM_CHANGES_PATCH = 'customer-confirms-changes';

/**
 * A tool call, once begun, runs to its end even when the turn budget's cap fires: the cap stops the thinking, never
 * the doing. Cancelling a ledger activity after its transaction committed left a hold (or a booking) the conversation
 * never heard of; `npm run chaos` found such orphan holds. Histories written before this cancelled a tool mid-way;
 * they replay the way they were written. Decided at the run's start, like CONFIRM_CHANGES_PATCH.
 */
export const TOOLS_FINISH_PATCH = 'tools-finish-past-the-cap';

/**
 * A tool's ledger calls, and the appointment and waitlist starts that follow them, run as local activities (see
 * `localLedger`). Histories written before scheduled them as activities; they replay the way they were written.
 * Decided at the run's start, like CONFIRM_CHANGES_PATCH.
 */
export const LOCAL_LEDGER_PATCH = 'tool-ledger-calls-local';

/** The ledger as this run calls it. */
function ledgerOf(ctx: Pick<TurnDeps, 'ledgerLocal'>): typeof remoteLedger {
  return ctx.ledgerLocal() ? localLedger : remoteLedger;
}

/**
 * Runs one validated, guarded tool call as activities and turns the ledger's answer into the tool result the model
 * reads and the templates render. Also starts or stops the appointment workflow a booking change implies.
 */
export async function executeTool(call: ParsedToolCall, ctx: ExecutionContext): Promise<ToolResult> {
  const { customerKey, idempotencyKey, zone } = ctx;
  switch (call.name) {
    case 'get_availability': {
      const a = call.args;
      const what = [a.service, a.dateTo ? `${a.date ?? ''}…${a.dateTo}` : a.date, a.time, a.weekdays?.join('/'), a.excludeDates?.length ? `not ${a.excludeDates.join(',')}` : '', a.provider, a.forBooking ? `moving ${a.forBooking}` : ''];
      const outcome = await ledgerOf(ctx).findAvailability.executeWithOptions(summary(call.name, what.filter(Boolean).join(' ')), [
        {
          customerKey,
          service: a.service,
          provider: a.provider,
          date: a.date,
          dateTo: a.dateTo,
          time: a.time,
          window: a.window,
          weekdays: a.weekdays,
          excludeDates: a.excludeDates,
          forBooking: a.forBooking,
          zone,
          channel: ctx.channel,
        },
      ]);
      if (!outcome.ok) return toToolError(outcome.rejection);
      const { requested, exact, alternatives, closed } = outcome.value;
      return { ok: true, requested, exact: exact ? toSlotView(exact) : null, alternatives: alternatives.map(toSlotView), ...(closed ? { closed } : {}) };
    }
    case 'hold_slot': {
      const a = call.args;
      const outcome = await ledgerOf(ctx).holdSlot.executeWithOptions(summary(call.name, `${a.service} with ${a.provider} at ${a.start}`), [
        { customerKey, service: a.service, provider: a.provider, start: a.start, idempotencyKey, zone },
      ]);
      if (!outcome.ok) return toToolError(outcome.rejection, outcome.alternatives);
      return { ok: true, hold: toHoldView(outcome.value) };
    }
    case 'confirm_booking': {
      const offer = ctx.conversation.waitlistOffer;
      const fromWaitlist = offer?.hold.bookingId === call.args.bookingId ? offer : null;
      let outcome = await ledgerOf(ctx).confirmBooking.executeWithOptions(summary(call.name, call.args.bookingId), [
        { customerKey, bookingId: call.args.bookingId, idempotencyKey },
      ]);
      if (!outcome.ok && outcome.rejection.code === 'hold_expired' && fromWaitlist) {
        // A "yes" after the offer passed on: the slot is still theirs if nobody holds it. A fresh insert lets the
        // exclusion constraint decide against whoever holds it now, never our timing.
        const { service, provider, start } = fromWaitlist.hold;
        const retaken = await ledgerOf(ctx).holdSlot.executeWithOptions(summary('hold_slot', `${service} with ${provider} at ${start} (late yes to a waitlist offer)`), [
          { customerKey, service, provider, start, idempotencyKey: `${idempotencyKey}:retake`, zone },
        ]);
        if (!retaken.ok) return toToolError(retaken.rejection, retaken.alternatives);
        outcome = await ledgerOf(ctx).confirmBooking.executeWithOptions(summary(call.name, retaken.value.id), [
          { customerKey, bookingId: retaken.value.id, idempotencyKey: `${idempotencyKey}:retaken` },
        ]);
      }
      if (!outcome.ok) return toToolError(outcome.rejection);
      const booking = toBookingView(outcome.value);
      await followAppointment(booking, ctx);
      if (fromWaitlist) await answerOffer(fromWaitlist.workflowId, fromWaitlist.hold.bookingId, 'yes');
      // Waiting for this day is over: the customer's entries this booking satisfies end as booked.
      const ended = await ledgerOf(ctx).closeWaitlistOnBooking.executeWithOptions(summary(call.name, 'end waitlist entries this booking satisfies'), [
        { customerKey, booking: { id: booking.id, service: booking.service, start: booking.start } },
      ]);
      for (const entryId of ended) await signalEntryEnded(entryId, booking.id);
      return { ok: true, booking };
    }
    case 'release_hold': {
      const offer = ctx.conversation.waitlistOffer;
      const outcome = await ledgerOf(ctx).releaseHold.executeWithOptions(summary(call.name, call.args.bookingId), [
        { customerKey, bookingId: call.args.bookingId, idempotencyKey },
      ]);
      if (offer?.hold.bookingId === call.args.bookingId) await answerOffer(offer.workflowId, offer.hold.bookingId, 'no');
      if (!outcome.ok) return toToolError(outcome.rejection);
      const released = toHoldView(outcome.value);
      // The customer let the slot go: it is free for whoever waits for it (a waitlist offer's own hold goes back to
      // its round through answerOffer instead).
      if (offer?.hold.bookingId !== call.args.bookingId) await offerFreedSlot({ slot: toSlotView(outcome.value), freedBy: released.bookingId, reason: 'hold_expired' }, ctx.detached);
      return { ok: true, released };
    }
    case 'join_waitlist': {
      const a = call.args;
      const outcome = await ledgerOf(ctx).joinWaitlist.executeWithOptions(summary(call.name, `${a.service} ${a.dateFrom}…${a.dateTo}`), [
        {
          customerKey,
          channel: ctx.channel,
          conversationKey: ctx.conversationKey,
          address: ctx.address,
          zone,
          locale: ctx.conversation.locale ?? ctx.business.locale,
          service: a.service,
          provider: a.provider,
          dateFrom: a.dateFrom,
          dateTo: a.dateTo,
          window: a.window,
          idempotencyKey,
        },
      ]);
      if (!outcome.ok) return toToolError(outcome.rejection);
      await followWaitlistEntry(outcome.value, ctx.detached);
      return { ok: true, entry: toWaitlistView(outcome.value) };
    }
    case 'get_booking': {
      const outcome = await ledgerOf(ctx).getBooking.executeWithOptions(summary(call.name, call.args.bookingId), [{ customerKey, bookingId: call.args.bookingId }]);
      if (!outcome.ok) return toToolError(outcome.rejection);
      if (outcome.value.status === 'held' || outcome.value.status === 'released') return toToolError({ code: 'not_found' });
      return { ok: true, booking: toBookingView(outcome.value) };
    }
    case 'list_my_bookings': {
      const bookings = await ledgerOf(ctx).listBookings.executeWithOptions(summary(call.name, 'this customer'), [{ customerKey }]);
      return { ok: true, bookings: bookings.map(toBookingView) };
    }
    case 'cancel_booking': {
      if (ctx.confirmsChanges()) {
        // Read back, not done: one change waits at a time, so a move read back before lets its held time go.
        await letGoOfPendingMove(ctx);
        const outcome = await ledgerOf(ctx).reviewCancellation.executeWithOptions(summary(call.name, `read back the cancellation of ${call.args.bookingId}`), [
          { customerKey, bookingId: call.args.bookingId },
        ]);
        if (!outcome.ok) return toToolError(outcome.rejection);
        const { booking, cancellationNoticeHours } = outcome.value;
        return { ok: true, proposed: { change: 'cancel', booking: toBookingView(booking), cancellationNoticeHours } };
      }
      const outcome = await ledgerOf(ctx).cancelBooking.executeWithOptions(summary(call.name, call.args.bookingId), [
        { customerKey, bookingId: call.args.bookingId, idempotencyKey },
      ]);
      if (!outcome.ok) return toToolError(outcome.rejection);
      await stopFollowing(call.args.bookingId);
      return { ok: true, booking: toBookingView(outcome.value) };
    }
    case 'reschedule_booking': {
      const a = call.args;
      if (ctx.confirmsChanges()) {
        // The new time is held and read back; the booking moves on the customer's yes (confirm_change).
        await letGoOfPendingMove(ctx);
        const held = await ledgerOf(ctx).holdMove.executeWithOptions(summary(call.name, `hold ${a.start} for moving ${a.bookingId}`), [
          { customerKey, bookingId: a.bookingId, start: a.start, provider: a.provider, idempotencyKey, zone },
        ]);
        if (!held.ok) return toToolError(held.rejection, held.alternatives);
        return { ok: true, proposed: { change: 'move', booking: toBookingView(held.value.booking), hold: toHoldView(held.value.hold) } };
      }
      const outcome = await ledgerOf(ctx).rescheduleBooking.executeWithOptions(summary(call.name, `${a.bookingId} to ${a.start}`), [
        { customerKey, bookingId: a.bookingId, start: a.start, provider: a.provider, idempotencyKey, zone },
      ]);
      if (!outcome.ok) return toToolError(outcome.rejection, outcome.alternatives);
      const booking = toBookingView(outcome.value.booking);
      const previous = toBookingView(outcome.value.previous);
      // The ledger made a new booking and cancelled the old one in one transaction; the follow-up moves with it.
      await stopFollowing(previous.id);
      await followAppointment(booking, ctx);
      return { ok: true, booking, previous };
    }
    case 'confirm_change': {
      // The guard let it through: this exact change was read back in an earlier turn and the customer has answered.
      const pending = ctx.conversation.pendingChange!;
      if (pending.change === 'cancel') {
        const outcome = await ledgerOf(ctx).cancelBooking.executeWithOptions(summary(call.name, `cancel ${pending.booking.id}`), [
          { customerKey, bookingId: pending.booking.id, idempotencyKey },
        ]);
        if (!outcome.ok) return toToolError(outcome.rejection);
        await stopFollowing(pending.booking.id);
        return { ok: true, change: 'cancel', booking: toBookingView(outcome.value) };
      }
      const outcome = await ledgerOf(ctx).swapBooking.executeWithOptions(summary(call.name, `move ${pending.booking.id} to ${pending.hold.start}`), [
        { customerKey, bookingId: pending.booking.id, holdId: pending.hold.bookingId, idempotencyKey },
      ]);
      if (!outcome.ok) {
        // The booking stays; the held time is no use now (a lapsed hold is released already).
        if (outcome.rejection.code !== 'hold_expired') await releaseMoveHold(pending.hold.bookingId, ctx, `${idempotencyKey}:release`);
        return toToolError(outcome.rejection);
      }
      const booking = toBookingView(outcome.value.booking);
      const previous = toBookingView(outcome.value.previous);
      // The ledger confirmed the held time and cancelled the old booking in one transaction; the follow-up moves with it.
      await stopFollowing(previous.id);
      await followAppointment(booking, ctx);
      return { ok: true, change: 'move', booking, previous };
    }
    case 'keep_booking': {
      const pending = ctx.conversation.pendingChange!;
      const released = pending.change === 'move' ? await releaseMoveHold(pending.hold.bookingId, ctx, idempotencyKey) : null;
      return { ok: true, kept: pending.booking, released };
    }
    case 'escalate_to_human': {
      await notifyStaff(call.args.reason, ctx, ctx.step);
      return { ok: true };
    }
    case 'get_business_info':
    case 'report_running_late':
    case 'save_customer_name':
      return executeFrontDeskTool(call, ctx);
  }
}

/** A move read back earlier gives way to a new read-back: its held time is let go (the conversation forgets it). */
async function letGoOfPendingMove(ctx: ExecutionContext): Promise<void> {
  const held = ctx.conversation.moveHold;
  if (held) await releaseMoveHold(held.bookingId, ctx, `${ctx.idempotencyKey}:release-earlier`);
}

/** Lets go of the time held for a move; it is free again for whoever waits for it. */
async function releaseMoveHold(holdId: string, ctx: ExecutionContext, idempotencyKey: string): Promise<ReturnType<typeof toHoldView> | null> {
  const outcome = await ledgerOf(ctx).releaseHold.executeWithOptions(summary('keep_booking', `release the time held for a move (${holdId})`), [
    { customerKey: ctx.customerKey, bookingId: holdId, idempotencyKey },
  ]);
  if (!outcome.ok) return null;
  const released = toHoldView(outcome.value);
  await offerFreedSlot({ slot: toSlotView(outcome.value), freedBy: released.bookingId, reason: 'hold_expired' }, ctx.detached);
  return released;
}

/** Starts the appointment workflow, which outlives this conversation (see workflows/detached.ts). */
async function followAppointment(booking: ReturnType<typeof toBookingView>, ctx: ExecutionContext): Promise<void> {
  await ctx.detached.start({
    workflowType: 'appointmentWorkflow',
    workflowId: appointmentWorkflowId(booking.id),
    args: [
      {
        booking,
        customerKey: ctx.customerKey,
        channel: ctx.channel,
        address: ctx.address,
        zone: ctx.zone,
        locale: ctx.conversation.locale ?? ctx.business.locale,
        confirmationSent: true,
        lastInboundAt: ctx.conversation.lastInboundAt ?? undefined,
        conversationKey: ctx.conversationKey,
      } satisfies AppointmentInput,
    ],
    staticSummary: `Appointment ${booking.service} with ${booking.provider}`,
    staticDetails: 'Sends reminders before the start and follows up a no-show; signals cancel, reschedule and attendance rebuild its timers.',
  });
}

/** Tells the offer workflow the customer answered, so it stops waiting (the ledger already says who has the slot). */
async function answerOffer(workflowId: string, holdId: string, answer: 'yes' | 'no'): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(offerAnsweredSignal, { holdId, answer });
  } catch {
    // The round is over (it moved on and finished): nothing waits for this answer.
  }
}

async function stopFollowing(bookingId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(appointmentWorkflowId(bookingId)).signal(cancelAppointmentSignal, { reason: 'cancelled by the customer' });
  } catch {
    // No appointment workflow (already finished, or the booking predates it): nothing left to stop.
  }
}

/**
 * Tells staff that a conversation needs a person: to the business's staff phone, or the outbox when it has none.
 * Every hand-off calls it — the model's escalate_to_human, a turn that hit the call cap, a turn that failed.
 */
export async function notifyStaff(reason: string, ctx: Pick<TurnDeps, 'business' | 'channel' | 'keys'>, step: string): Promise<void> {
  // Staff see the workflow id (opaque) and the reason, and open the transcript in the Web UI or the operator API.
  const id = ctx.keys.workflowId;
  const text = `A customer needs a person (${ctx.channel}): ${reason}. Open ${id} in the Temporal Web UI or GET /api/ops/conversations/${id}.`.slice(0, 1500);
  await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: 'notify staff of a hand-off' }, [
    {
      scope: id,
      purpose: ctx.keys.purpose(`staff-handoff:${step}`),
      channel: ctx.business.staffPhone ? 'sms' : 'chat',
      to: ctx.business.staffPhone ?? 'staff',
      customerKey: 'staff',
      text,
    },
  ]);
}
