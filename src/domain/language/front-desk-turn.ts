import type { ModelReply, ModelRequest } from '../model';
import type { ToolArgs, ToolName, ToolResults } from '../tools';
import type { Step } from './dialogue-state';
import { deskTopic, runningLate } from './front-desk';
import { isInjection, plain } from './intents';
import { nameIn } from './names';
import { askName, askedForName } from './templates/front-desk';
import type { RenderOptions } from './templates/format';
import type { Understanding } from './understand';

/**
 * The offline interpreter's front desk: questions the business file answers (prices, durations, hours, address,
 * directions, walk-ins), "I'm running late", and the customer's name. Each becomes a tool call whose result the
 * workflow renders from the business file; the interpreter itself states no fact.
 */

/** The part of the interpreter's turn the front desk reads. */
export interface DeskTurn {
  state: { userText: string; previousShown: string };
  u: Understanding;
  opts: RenderOptions;
  request: ModelRequest;
  out: {
    step(name: ToolName): Step | undefined;
    text(text: string | null): ModelReply;
    call<N extends ToolName>(name: N, args: ToolArgs<N>): ModelReply;
    once<N extends ToolName>(name: N, args: ToolArgs<N>): ModelReply | null;
  };
}

/** Intents that a name, a late arrival or a front-desk question never overrides. */
const NOT_OURS = new Set(['opt_out', 'human', 'cancel', 'reschedule']);
/** "Can I talk to a person about the prices?": the customer wants a person, not our answer. */
const ASKS_FOR_PERSON = /\b(?:person|human|agent|someone|somebody|staff|manager|owner|persona|humano|agente|alguien|encargad[oa])\b/;
/** A bare reply that is one of these answers something else, never the name question. */
const NOT_A_NAME = new Set(['confirm', 'decline', 'greeting', 'list', 'availability', 'out_of_scope']);

/** This turn's front-desk reply, or null when the message is not for the front desk (the booking flow takes it). */
export function frontDeskReply(turn: DeskTurn, action: Understanding['intent']): ModelReply | null {
  const { out, state, u } = turn;
  // Already answered this turn: the workflow rendered it; a booking asked in the same breath carries on.
  if (out.step('save_customer_name') || out.step('report_running_late')) return out.text(null);
  const info = out.step('get_business_info');
  if (info) {
    const result = info.result as ToolResults['get_business_info'] | undefined;
    if (result?.ok && !result.facts.known) {
      // The business file does not say: a person answers, as with any question we cannot.
      return out.once('escalate_to_human', { reason: `the business file does not answer: "${state.userText.slice(0, 200)}"` }) ?? out.text(null);
    }
    const booking = (action === 'book' || action === 'availability') && Boolean(u.service) && Boolean(u.date || u.time || u.window);
    return booking ? null : out.text(null);
  }
  if (NOT_OURS.has(action) || isInjection(state.userText) || ASKS_FOR_PERSON.test(plain(state.userText))) return null;

  const name = nameIn(state.userText, askedForName(state.previousShown));
  const saysSomethingElse = Boolean(u.date || u.time || u.window || u.range || u.service || u.choice !== undefined) || NOT_A_NAME.has(action);
  if (name && !saysSomethingElse) return out.call('save_customer_name', { name });

  const late = runningLate(state.userText);
  if (late) return out.call('report_running_late', late.minutes ? { minutes: late.minutes } : {});

  const topic = deskTopic(state.userText);
  if (topic) {
    return out.call('get_business_info', {
      topic,
      ...(u.service ? { service: u.service } : {}),
      ...(topic === 'hours' && u.date ? { date: u.date } : {}),
    });
  }
  return null;
}

/** After a booking this turn, the name question when the business wants a name and it is not known yet. */
export function afterBooking(turn: DeskTurn): string | null {
  const confirmed = turn.out.step('confirm_booking')?.result as ToolResults['confirm_booking'] | undefined;
  if (!confirmed?.ok || !turn.request.context.customer?.askName) return null;
  return askName(null, turn.opts);
}
