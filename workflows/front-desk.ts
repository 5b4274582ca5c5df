import { proxyActivities } from '@temporalio/workflow';
import { deskFacts } from '../src/domain/booking/front-desk';
import { appointment } from '../src/domain/language/templates/format';
import type { ParsedToolCall, ToolName, ToolResult } from '../src/domain/tools';
import type { Activities } from '../activities';
import { ledgerOptions, messagingOptions } from './options';
import type { ExecutionContext } from './tool-executor';
import type { TurnDeps } from './turn-deps';

/**
 * The front desk inside a turn: facts from the business file (no activity: the business came with the run's setup),
 * a late arrival passed on to staff on the hand-off path (the booking stays), and the customer's name kept in the
 * ledger and read back with the customer's bookings at every turn (refreshConversation).
 */

const ledger = proxyActivities<Activities>(ledgerOptions);
const messaging = proxyActivities<Activities>(messagingOptions);

/** "Running late" is about the next appointment that starts within this many hours (today's, in practice) or has started. */
const LATE_HORIZON_HOURS = 12;

export type FrontDeskCall = Extract<ParsedToolCall, { name: 'get_business_info' | 'report_running_late' | 'save_customer_name' }>;

export async function executeFrontDeskTool(call: FrontDeskCall, ctx: ExecutionContext): Promise<ToolResult> {
  switch (call.name) {
    case 'get_business_info': {
      const { topic, service, date } = call.args;
      const known = service !== undefined && ctx.business.services.some((s) => s.id === service) ? service : undefined;
      return { ok: true, facts: deskFacts(ctx.business, topic, { ...(known ? { service: known } : {}), ...(date ? { date } : {}) }) };
    }
    case 'report_running_late': {
      const booking = appointmentSoon(ctx);
      const minutes = call.args.minutes;
      const staffOpts = { locale: ctx.business.locale, zone: ctx.business.timezone, business: ctx.business };
      const who = ctx.conversation.customerName ? `${ctx.conversation.customerName} is` : 'A customer is';
      const late = minutes ? `running about ${minutes} minutes late` : 'running late';
      const what = booking ? `for ${appointment(booking, staffOpts)} (booking ${booking.id}); the booking stays as it is` : 'and has no appointment in the next hours';
      await tellStaff(`${who} ${late} (${ctx.channel}) ${what}. Conversation ${ctx.keys.workflowId}.`, ctx, `staff-late:${ctx.step}`);
      return { ok: true, booking, ...(minutes ? { minutes } : {}) };
    }
    case 'save_customer_name': {
      const name = call.args.name.trim();
      await ledger.setCustomerPreferences.executeWithOptions({ ...ledgerOptions, summary: "save_customer_name: keep the customer's name" }, [
        { customerKey: ctx.customerKey, name, idempotencyKey: ctx.idempotencyKey },
      ]);
      ctx.conversation.nameGiven(name);
      return { ok: true, name };
    }
  }
}

/** The customer's next confirmed appointment that starts within the horizon (or started and has not ended). */
function appointmentSoon(ctx: ExecutionContext) {
  const now = Date.now();
  const horizon = now + LATE_HORIZON_HOURS * 3600_000;
  return (
    ctx.conversation.bookings
      .filter((b) => b.status === 'confirmed' && Date.parse(b.end) > now && Date.parse(b.start) <= horizon)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0] ?? null
  );
}

/** A note to staff on the same path as a hand-off (the staff phone, or the outbox), without handing anything over. */
async function tellStaff(text: string, ctx: Pick<TurnDeps, 'business' | 'keys'>, step: string): Promise<void> {
  await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: 'tell staff the customer is running late' }, [
    {
      scope: ctx.keys.workflowId,
      purpose: ctx.keys.purpose(step),
      channel: ctx.business.staffPhone ? 'sms' : 'chat',
      to: ctx.business.staffPhone ?? 'staff',
      customerKey: 'staff',
      text: text.slice(0, 1500),
    },
  ]);
}

/** What a tool's result means for the name question: a booking just made is the moment to ask for it, once. */
export function afterToolResult(name: ToolName, result: ToolResult, deps: TurnDeps): void {
  if (name === 'confirm_booking' && result.ok && deps.conversation.shouldAskName(deps.business.policies.askName)) deps.conversation.markNameAsked();
}

/** The customer as the model sees them: the name when known, and whether this turn may ask for it. */
export function customerContext(deps: TurnDeps): { name: string | null; askName: boolean } {
  return { name: deps.conversation.customerName, askName: deps.conversation.shouldAskName(deps.business.policies.askName) };
}
