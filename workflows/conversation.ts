import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ConversationSnapshot } from '../src/domain/conversation/conversation';
import { MAX_CUSTOMER_TEXT, textLength } from '../src/domain/messaging/text-length';
import { ConversationRun, type ConversationParty } from './conversation-run';
import {
  appointmentUpdateSignal,
  handBackSignal,
  operatorMessageSignal,
  postMessageUpdate,
  stateQuery,
  takeOverSignal,
  transcriptQuery,
  userMessageSignal,
  type UserMessage,
} from './messages';

/** Input of a conversation run; `carried` is set by continue-as-new. */
export interface ConversationInput extends ConversationParty {
  carried?: ConversationSnapshot;
  /**
   * Continue-as-new after this many turns in one run (default 150; the SDK's own suggestion also triggers it). Lower
   * only to exercise the switch.
   */
  turnsPerRun?: number;
}

/** How long a conversation waits for the customer before it completes (a hold keeps it open). */
export const IDLE_TIMEOUT = '24 hours';
/** Continue-as-new well before updates and history grow large (temporalio/temporal#6512). */
const MAX_TURNS_PER_RUN = 150;

/**
 * One conversation with one customer on one channel: receives messages, runs the agent loop a turn at a time,
 * holds slots under a durable timer and hands over to staff. Each handler is one call into the run object
 * (workflows/conversation-run.ts); handlers are set before the first await.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<{ turns: number; reason: string }> {
  const run = new ConversationRun(input, input.carried);

  setHandler(userMessageSignal, (message) => run.receive(message), {
    description: 'A customer message (SMS, WhatsApp, voice, chat); repeated messageIds are ignored.',
  });
  setHandler(postMessageUpdate, (message) => run.answerTo(message), {
    description: 'A customer message that waits for the assistant to answer it; returns the replies and the state.',
    validator: validateCustomerMessage,
  });
  setHandler(operatorMessageSignal, ({ text, operator }) => run.relayOperator(text, operator), {
    description: 'Reply as staff: {text, operator}. Takes the conversation over; the assistant stays silent until handBack.',
  });
  setHandler(takeOverSignal, (who) => run.takeOver(who?.operator ?? 'staff'), {
    description: 'Staff take the conversation over: the assistant stops answering until handBack.',
  });
  setHandler(handBackSignal, () => run.handBack(), { description: 'Return the conversation to the assistant.' });
  setHandler(appointmentUpdateSignal, ({ booking }) => run.bookingChanged(booking), {
    description: 'From the appointment workflow: a booking changed (cancelled by staff, completed, no-show); shows in state at once.',
  });
  setHandler(stateQuery, () => run.state(), { description: 'Slots, hold, bookings and who has the conversation.' });
  setHandler(transcriptQuery, (options) => run.transcriptAfter(options?.afterSeq ?? 0), {
    description: 'The transcript (customer, assistant, operator), optionally after a sequence number.',
  });

  await run.setUp(!input.carried);
  for (;;) {
    const active = await condition(() => run.hasWork(), IDLE_TIMEOUT, { summary: 'wait for the customer' });
    if (!active && !run.holding) {
      // The customer may come back in a week: the next run on this workflow id starts from what this one knew.
      await run.remember();
      // A message that arrived meanwhile is served (and remembered at the next idle end), never dropped.
      await condition(() => run.quiet() || run.hasWork());
      if (!run.hasWork()) break;
    }
    await run.drainInbox();
    if (workflowInfo().continueAsNewSuggested || run.turnsThisRun >= (input.turnsPerRun ?? MAX_TURNS_PER_RUN)) {
      // The snapshot carries the hold too; the next run re-arms its timer at the ledger's expiresAt.
      await condition(() => run.quiet());
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: run.conversation.snapshot() });
    }
  }
  return { turns: run.conversation.turn, reason: 'idle' };
}

/** Rejected before it reaches history: the gateway checks the same rules first and answers 400. */
function validateCustomerMessage(message: UserMessage): void {
  if (typeof message?.text !== 'string' || message.text.trim() === '') throw new Error('text must not be empty');
  if (textLength(message.text) > MAX_CUSTOMER_TEXT) throw new Error(`text is longer than ${MAX_CUSTOMER_TEXT} characters`);
  if (typeof message.messageId !== 'string' || message.messageId === '') throw new Error('messageId is required');
}
