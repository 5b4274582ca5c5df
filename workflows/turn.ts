import { CancellationScope, log, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { readWhen } from '../src/domain/conversation/date-provenance';
import { guardToolCall } from '../src/domain/conversation/guard';
import { claimsBookingFact } from '../src/domain/language/claims';
import { statesDeskFact } from '../src/domain/language/front-desk';
import { detectLocale } from '../src/domain/language/locale';
import * as templates from '../src/domain/language/templates';
import { classifyKeyword } from '../src/domain/messaging/opt-out';
import type { ChatMessage, TurnContext } from '../src/domain/model';
import { TOOL_NAMES, parseToolCall } from '../src/domain/tools';
import { traitsOf } from '../src/domain/messaging/channel';
import type { Activities } from '../activities';
import type { UserMessage } from './messages';
import { ledgerOptions, localOptions, modelOptions } from './options';
import { afterToolResult, customerContext } from './front-desk';
import { executeTool, notifyStaff } from './tool-executor';
import type { TurnDeps } from './turn-deps';

/** The model may be called at most this many times per customer message (DESIGN.md, the agent loop). */
export const MAX_MODEL_CALLS = 5;


const remoteModel = proxyActivities<Activities>(modelOptions);
const localModel = proxyLocalActivities<Activities>(localOptions);
const ledger = proxyActivities<Activities>(ledgerOptions);

/**
 * One turn of the agent loop: the model proposes tool calls, our code validates and runs them, and every fact the
 * customer reads is rendered from the ledger's answer. Returns the texts to send, in order.
 */
export async function runTurn(deps: TurnDeps, message: UserMessage): Promise<{ replies: string[] }> {
  const { conversation, business, channel, customerKey } = deps;
  const locale = detectLocale(message.text);
  if (locale) conversation.setLocale(locale);
  const opts = templateOptions(deps);

  if (traitsOf(channel).phoneMessaging) {
    const customer = await ledger.getCustomer({ customerKey });
    const optedOut = customer?.optedOut ?? false;
    if (customer) conversation.knowCustomer(customer.name ?? null);
    const keyword = classifyKeyword(message.text, { optedOut });
    if (keyword === 'opt_out') {
      conversation.recordCustomerMessage(message.text, message.receivedAt);
      await ledger.setOptOut({ customerKey, optedOut: true });
      // Twilio confirms the opt-out itself; after STOP we send nothing at all.
      return { replies: [] };
    }
    if (keyword === 'opt_in') {
      conversation.recordCustomerMessage(message.text, message.receivedAt);
      await ledger.setOptOut({ customerKey, optedOut: false });
      return { replies: [templates.optedIn(null, opts)] };
    }
    if (optedOut) {
      conversation.recordCustomerMessage(message.text, message.receivedAt);
      return { replies: [] };
    }
    if (keyword === 'help') {
      conversation.recordCustomerMessage(message.text, message.receivedAt);
      return { replies: [templates.help(null, opts)] };
    }
  }

  if (conversation.needsHuman) {
    // Staff have the conversation (or it waits for them): the assistant stays silent.
    conversation.recordCustomerMessage(message.text, message.receivedAt);
    return { replies: [] };
  }

  const previous = lastAssistantText(conversation.history);
  const turn = conversation.beginTurn(message.text, message.receivedAt);
  // On the model path our code reads the dates in the customer's words; the model copies them (see date-provenance.ts).
  // The offline interpreter reads them itself with the same code, so it needs no copy.
  if (!deps.localModel) {
    const locale = conversation.locale ?? undefined;
    conversation.rememberWhen(readWhen(message.text, turn, { now: new Date().toISOString(), zone: deps.zone, business, ...(previous ? { previous } : {}), ...(locale ? { locale } : {}) }));
  }
  // Facts rendered from tool results, in order; the model's own text (if any) comes after them.
  const facts = new Map<string, string>();
  const replies: string[] = [];
  for (let call = 1; call <= MAX_MODEL_CALLS; call++) {
    const request = { messages: conversation.history, tools: TOOL_NAMES, context: turnContext(deps) };
    const summary = `model call ${call} of turn ${turn}`;
    const reply = deps.localModel
      ? await localModel.complete.executeWithOptions({ ...localOptions, summary }, [request])
      : await remoteModel.complete.executeWithOptions({ ...modelOptions, summary }, [request]);
    conversation.addUsage(reply.usage);

    if (reply.toolCalls.length === 0) {
      replies.push(...facts.values());
      const text = reply.text?.trim();
      if (text && (claimsBookingFact(text, conversation.locale ?? undefined) || statesDeskFact(text))) {
        // Facts come from templates over the ledger's answer; a model's own claim is never passed on.
        log.warn('dropped model text that states a booking fact', { turn });
      } else if (text) {
        replies.push(text);
        conversation.rememberAssistantText(text);
      }
      if (replies.length === 0) replies.push(templates.fallback(null, templateOptions(deps)));
      return { replies };
    }

    conversation.rememberToolCalls({ role: 'assistant', content: reply.text, toolCalls: reply.toolCalls });
    for (const [index, raw] of reply.toolCalls.entries()) {
      const parsed = parseToolCall(raw);
      if (!parsed.ok) {
        conversation.rememberToolResult(raw.id, raw.name, { ok: false, error: 'invalid_arguments', message: parsed.error });
        continue;
      }
      // On the model path a date must come from our code's reading of the customer, an offer or a booking.
      const checkDates = !deps.localModel && carriesDates(parsed.call.name) && patched('model-dates-from-code');
      const verdict = guardToolCall(parsed.call, conversation, business, new Date().toISOString(), deps.zone, checkDates ? dateRecord(deps) : undefined);
      if (!verdict.ok) {
        conversation.rememberToolResult(raw.id, parsed.call.name, verdict);
        continue;
      }
      const step = `t${turn}:c${call}:${index}`;
      const execute = () => executeTool(parsed.call, { ...deps, step, idempotencyKey: deps.keys.ledger(step) });
      const result = deps.toolsFinish() ? await CancellationScope.nonCancellable(execute) : await execute();
      conversation.applyToolResult(parsed.call.name, parsed.call.args, result);
      afterToolResult(parsed.call.name, result, deps);
      conversation.rememberToolResult(raw.id, parsed.call.name, result);
      const fact = templates.renderToolResult(parsed.call.name, result, templateOptions(deps));
      // A slot held (or a booking moved) in the same turn supersedes the list it came from: say what happened, not the menu.
      if ((parsed.call.name === 'hold_slot' || parsed.call.name === 'reschedule_booking') && result.ok) facts.delete('get_availability');
      if (fact) facts.set(parsed.call.name === 'get_availability' ? 'get_availability' : `${turn}:${call}:${index}`, fact);
      // A web-chat customer who left no number gets no reminders: say so when the booking is made.
      if (parsed.call.name === 'confirm_booking' && result.ok && deps.address === null) facts.set('no-reminders', templates.noReminders(null, templateOptions(deps)));
    }
  }

  // The model kept calling tools: stop, say so, and bring in a person rather than loop or go quiet.
  log.warn('model call cap reached', { turn, cap: MAX_MODEL_CALLS });
  conversation.requestHuman();
  await notifyStaff(`the assistant could not finish a turn within ${MAX_MODEL_CALLS} model calls`, deps, `t${turn}:cap`);
  replies.push(...facts.values(), templates.apology(null, templateOptions(deps)));
  return { replies };
}

/** How templates render for this conversation: its language, the customer's zone, the business. */
export function templateOptions(deps: TurnDeps) {
  return { locale: deps.conversation.locale ?? deps.business.locale, zone: deps.zone, business: deps.business, channel: deps.channel };
}

function turnContext(deps: TurnDeps): TurnContext {
  const { conversation, business } = deps;
  return {
    now: new Date().toISOString(),
    zone: deps.zone,
    businessZone: business.timezone,
    locale: conversation.locale ?? business.locale,
    slots: conversation.slots,
    // A waitlist offer held for the customer reads like their own hold: "yes" confirms it, "no" lets it go.
    hold: conversation.currentHold(),
    offered: conversation.offered,
    bookings: conversation.bookings,
    customer: customerContext(deps),
    pendingChange: conversation.pendingChange,
    ...(deps.localModel ? {} : { whenSaid: [...conversation.whenReadings] }),
  };
}

/** Tools whose arguments carry dates the model might have worked out itself. */
function carriesDates(name: string): boolean {
  return name === 'get_availability' || name === 'join_waitlist';
}

/** What this conversation has on record that a model's date may be copied from. */
function dateRecord(deps: TurnDeps) {
  const { conversation } = deps;
  return {
    readings: conversation.whenReadings,
    offered: conversation.offered,
    bookings: conversation.bookings,
    hold: conversation.currentHold(),
    ...(conversation.slots.date ? { slotDate: conversation.slots.date } : {}),
  };
}

/** The assistant's last words before this message: they give a bare "3" or "Friday" its meaning. */
function lastAssistantText(history: readonly ChatMessage[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.role === 'user') return undefined;
    if (m.role === 'assistant' && typeof m.content === 'string' && m.content.trim()) return m.content;
  }
  return undefined;
}
