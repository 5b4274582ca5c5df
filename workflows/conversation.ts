import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Business } from '../src/domain/booking/business';
import { Conversation, type ConversationSnapshot } from '../src/domain/conversation/conversation';
import { StepKeys } from '../src/domain/conversation/step-keys';
import { traitsOf } from '../src/domain/messaging/channel';
import { MAX_CUSTOMER_TEXT, textLength } from '../src/domain/messaging/text-length';
import type { HoldView } from '../src/domain/tools';
import type { Activities } from '../activities';
import {
  appointmentUpdateSignal,
  handBackSignal,
  operatorMessageSignal,
  postMessageUpdate,
  stateQuery,
  takeOverSignal,
  transcriptQuery,
  userMessageSignal,
  type Channel,
  type ConversationState,
  type TurnResult,
  type UserMessage,
} from './messages';
import { ledgerOptions, localOptions, messagingOptions } from './options';
import { BookingStatusKey, NeedsHumanKey, ServiceIdKey } from './search-attributes';
import { runTurn, runTurnTemplate } from './turn';
import type { TurnDeps } from './turn-deps';
import { notifyStaff } from './tool-executor';
import { describeConversation } from './details';

/** Input of a conversation run; `carried` is set by continue-as-new. */
export interface ConversationInput {
  channel: Channel;
  /** Opaque key of the workflow id (never a phone number). */
  key: string;
  /** Identity in the ledger, derived from the channel address: the only customer this conversation acts for. */
  customerKey: string;
  /** Where replies go: E.164 or `whatsapp:+…` for Twilio channels, null for web chat. */
  address: string | null;
  /** The customer's IANA zone; the business zone when unknown. */
  zone?: string;
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

type InboxItem =
  | { kind: 'customer'; message: UserMessage }
  | { kind: 'operator'; text: string; operator: string }
  | { kind: 'hand_back' }
  | { kind: 'hold_expired'; bookingId: string };

const { conversationSetup, refreshConversation } = proxyLocalActivities<Activities>(localOptions);
const messaging = proxyActivities<Activities>(messagingOptions);
const ledger = proxyActivities<Activities>(ledgerOptions);

/**
 * One conversation with one customer on one channel: receives messages, runs the agent loop a turn at a time,
 * holds slots under a durable timer and hands over to staff. Handlers are set before the first await.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<{ turns: number; reason: string }> {
  const conversation = new Conversation(input.carried);
  const keys = new StepKeys(workflowInfo().workflowId, workflowInfo().firstExecutionRunId);
  const inbox: InboxItem[] = [];
  const finishedTurns = new Map<string, TurnResult>();
  let turnsThisRun = 0;
  let business: Business | undefined;
  let holdTimer: CancellationScope | undefined;

  const state = (): ConversationState => ({
    status: conversation.needsHuman ? 'human' : conversation.hold ? 'holding' : conversation.bookings.some((b) => b.status === 'confirmed') ? 'booked' : 'open',
    slots: conversation.slots,
    hold: conversation.hold,
    bookings: conversation.bookings,
    needsHuman: conversation.needsHuman,
    locale: conversation.locale ?? business?.locale ?? 'en',
    usage: conversation.usage,
  });

  setHandler(
    userMessageSignal,
    (message) => {
      if (conversation.firstSighting(message.messageId)) inbox.push({ kind: 'customer', message });
    },
    { description: 'A customer message (SMS, WhatsApp, voice, chat); repeated messageIds are ignored.' },
  );
  setHandler(
    postMessageUpdate,
    async (message) => {
      if (conversation.firstSighting(message.messageId)) inbox.push({ kind: 'customer', message });
      await condition(() => finishedTurns.has(message.messageId));
      return finishedTurns.get(message.messageId)!;
    },
    {
      description: 'A customer message that waits for the assistant to answer it; returns the replies and the state.',
      validator: (message) => {
        if (typeof message?.text !== 'string' || message.text.trim() === '') throw new Error('text must not be empty');
        if (textLength(message.text) > MAX_CUSTOMER_TEXT) throw new Error(`text is longer than ${MAX_CUSTOMER_TEXT} characters`);
        if (typeof message.messageId !== 'string' || message.messageId === '') throw new Error('messageId is required');
      },
    },
  );
  setHandler(
    operatorMessageSignal,
    ({ text, operator }) => {
      inbox.push({ kind: 'operator', text, operator: operator || 'staff' });
    },
    { description: 'Reply as staff: {text, operator}. Takes the conversation over; the assistant stays silent until handBack.' },
  );
  setHandler(
    takeOverSignal,
    (who) => {
      conversation.takeOver(who?.operator ?? 'staff');
      publish();
    },
    { description: 'Staff take the conversation over: the assistant stops answering until handBack.' },
  );
  setHandler(handBackSignal, () => void inbox.push({ kind: 'hand_back' }), {
    description: 'Return the conversation to the assistant.',
  });
  setHandler(
    appointmentUpdateSignal,
    ({ booking }) => {
      conversation.upsertBooking(booking);
      publish();
    },
    { description: 'From the appointment workflow: a booking changed (cancelled by staff, completed, no-show); shows in state at once.' },
  );
  setHandler(stateQuery, state, { description: 'Slots, hold, bookings and who has the conversation.' });
  setHandler(transcriptQuery, (options) => conversation.transcriptAfter(options?.afterSeq ?? 0), {
    description: 'The transcript (customer, assistant, operator), optionally after a sequence number.',
  });

  // A returning customer (a fresh run on the same workflow id) resumes what the last run remembered, and every run
  // starts from the ledger's bookings.
  const setup = await conversationSetup.executeWithOptions({ ...localOptions, summary: "load the business, the customer's bookings and what the last run remembered" }, [
    { workflowId: keys.workflowId, customerKey: input.customerKey, resume: !input.carried },
  ]);
  business = setup.business;
  const zone = input.zone ?? business.timezone;
  if (setup.memory) {
    const repeats = conversation.resumeFrom(setup.memory);
    for (const item of inbox.filter((i) => i.kind === 'customer' && repeats.has(i.message.messageId))) {
      inbox.splice(inbox.indexOf(item), 1);
      if (item.kind === 'customer') finishedTurns.set(item.message.messageId, { replies: [], state: state() });
    }
  }
  conversation.replaceBookings(setup.bookings);

  function publish(): void {
    const s = state();
    upsertSearchAttributes([
      { key: NeedsHumanKey, value: s.needsHuman },
      { key: BookingStatusKey, value: s.status },
      { key: ServiceIdKey, value: s.hold?.service ?? s.slots.service ?? null },
    ]);
    upsertMemo({ summary: describeConversation(s, input.channel, conversation.operator), usage: s.usage });
    setCurrentDetails(describeConversation(s, input.channel, conversation.operator));
  }

  async function deliver(texts: string[], purpose: string): Promise<{ text: string; at: string }[]> {
    const sent: { text: string; at: string }[] = [];
    for (const [i, text] of texts.entries()) {
      const at = new Date().toISOString();
      conversation.addAssistantReply(text, at);
      sent.push({ text, at });
      if (input.address !== null && traitsOf(input.channel).pushesReplies) {
        await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send ${purpose} reply ${i + 1}` }, [
          {
            scope: keys.workflowId,
            purpose: keys.purpose(`${purpose}:${i}`),
            channel: input.channel,
            to: input.address,
            customerKey: input.customerKey,
            text,
            lastInboundAt: conversation.lastInboundAt ?? undefined,
          },
        ]);
      }
    }
    return sent;
  }

  function watchHold(hold: HoldView | null): void {
    holdTimer?.cancel();
    holdTimer = undefined;
    if (!hold) return;
    // One clock for a hold: the ledger's expiresAt, not a second TTL computed here.
    const ms = Math.max(0, Date.parse(hold.expiresAt) - Date.now());
    const scope = new CancellationScope();
    holdTimer = scope;
    scope
      .run(async () => {
        await sleep(ms, { summary: `hold ${hold.bookingId} expires at ${hold.expiresAt}` });
        inbox.push({ kind: 'hold_expired', bookingId: hold.bookingId });
      })
      .catch(() => undefined); // cancelled: the hold was confirmed or released
  }

  /**
   * The turn budget (business policies): words within `firstWordsSeconds` — the turn's own replies, or a "still
   * working on it" — and the turn stopped at `capSeconds`, which the caller turns into an apology and a hand-off.
   */
  async function withinTurnBudget<T>(messageId: string, turn: () => Promise<T>): Promise<T> {
    const budget = business!.policies.turnBudget;
    const acknowledge = new CancellationScope();
    acknowledge
      .run(async () => {
        await sleep(budget.firstWordsSeconds * 1000, { summary: 'say "still working" if the turn is slow' });
        await deliver([await runTurnTemplate(turnDeps(), 'stillWorking', null)], `ack:${messageId}`);
      })
      .catch(() => undefined); // cancelled: the turn answered in time
    try {
      return await CancellationScope.withTimeout(budget.capSeconds * 1000, turn);
    } finally {
      acknowledge.cancel();
    }
  }

  const turnDeps = (): TurnDeps => ({
    business: business!,
    conversation,
    customerKey: input.customerKey,
    channel: input.channel,
    conversationKey: input.key,
    address: input.address,
    zone,
    keys,
    localModel: setup.localModel,
  });

  async function handle(item: InboxItem): Promise<void> {
    switch (item.kind) {
      case 'customer': {
        // The ledger is the truth about bookings: staff, the appointment workflow or another channel may have changed one.
        const fresh = await refreshConversation.executeWithOptions({ ...localOptions, summary: "refresh the customer's bookings and notices" }, [
          { workflowId: keys.workflowId, customerKey: input.customerKey, afterNoticeId: conversation.noticeCursor },
        ]);
        conversation.replaceBookings(fresh.bookings);
        for (const notice of fresh.notices) conversation.takeInNotice(notice);
        const before = conversation.hold?.bookingId;
        const result = await withinTurnBudget(item.message.messageId, () => runTurn(turnDeps(), item.message));
        if (conversation.hold?.bookingId !== before) watchHold(conversation.hold);
        const replies = await deliver(result.replies, `turn:${conversation.turn}`);
        finishedTurns.set(item.message.messageId, { replies, state: state() });
        trimFinished(finishedTurns);
        turnsThisRun += 1;
        break;
      }
      case 'operator': {
        conversation.takeOver(item.operator);
        const at = new Date().toISOString();
        conversation.addOperatorMessage(item.text, item.operator, at);
        if (input.address !== null && traitsOf(input.channel).pushesReplies) {
          await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send message from ${item.operator}` }, [
            {
              scope: keys.workflowId,
              purpose: keys.purpose(`operator:${conversation.turn}:${at}`),
              channel: input.channel,
              to: input.address,
              customerKey: input.customerKey,
              text: item.text,
              lastInboundAt: conversation.lastInboundAt ?? undefined,
            },
          ]);
        }
        break;
      }
      case 'hand_back': {
        if (!conversation.needsHuman) break;
        conversation.handBack();
        break;
      }
      case 'hold_expired': {
        const expired = conversation.expireHold(item.bookingId);
        if (!expired) break;
        holdTimer = undefined;
        await ledger.releaseHold.executeWithOptions({ ...ledgerOptions, summary: `release expired hold ${item.bookingId}` }, [
          { bookingId: item.bookingId, customerKey: input.customerKey, idempotencyKey: keys.ledger(`expire:${item.bookingId}`) },
        ]);
        const text = await runTurnTemplate(turnDeps(), 'holdExpired', expired);
        await deliver([text], `hold-expired:${item.bookingId}`);
        break;
      }
    }
  }

  publish();
  watchHold(conversation.hold); // a hold carried across continue-as-new keeps its expiry
  for (;;) {
    const active = await condition(() => inbox.length > 0, IDLE_TIMEOUT, { summary: 'wait for the customer' });
    if (!active && !conversation.hold) {
      // The customer may come back in a week: the next run on this workflow id starts from what this one knew.
      await ledger.rememberConversation.executeWithOptions({ ...ledgerOptions, summary: 'remember this conversation for the next visit' }, [
        { workflowId: keys.workflowId, customerKey: input.customerKey, snapshot: conversation.snapshot() },
      ]);
      // A message that arrived meanwhile is served (and remembered at the next idle end), never dropped.
      await condition(() => allHandlersFinished() || inbox.length > 0);
      if (inbox.length === 0) break;
    }
    while (inbox.length > 0) {
      const item = inbox.shift()!;
      try {
        await handle(item);
      } catch (error) {
        // A turn must never end in silence: the activity retries are spent, so apologise and hand over.
        log.error('turn failed', { error: String(error) });
        conversation.requestHuman();
        await notifyStaff('a turn failed after its retries', turnDeps(), `failure:${conversation.turn}`).catch(() => undefined);
        const text = await runTurnTemplate(turnDeps(), 'apology', null);
        const replies = await deliver([text], `failure:${conversation.turn}`).catch(() => []);
        if (item.kind === 'customer') finishedTurns.set(item.message.messageId, { replies, state: state() });
      }
      publish();
    }
    if (workflowInfo().continueAsNewSuggested || turnsThisRun >= (input.turnsPerRun ?? MAX_TURNS_PER_RUN)) {
      // The snapshot carries the hold too; the next run re-arms its timer at the ledger's expiresAt.
      await condition(() => allHandlersFinished() && inbox.length === 0);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: conversation.snapshot() });
    }
  }
  return { turns: conversation.turn, reason: 'idle' };
}

function trimFinished(map: Map<string, TurnResult>): void {
  while (map.size > 50) map.delete(map.keys().next().value!);
}

