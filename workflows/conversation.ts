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
import type { HoldView } from '../src/domain/tools';
import { toBookingView } from '../src/domain/booking/views';
import type { Activities } from '../activities';
import {
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
import { runTurn, runTurnTemplate, type TurnDeps } from './turn';
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

const { conversationSetup, listBookings } = proxyLocalActivities<Activities>(localOptions);
const messaging = proxyActivities<Activities>(messagingOptions);
const ledger = proxyActivities<Activities>(ledgerOptions);

/**
 * One conversation with one customer on one channel: receives messages, runs the agent loop a turn at a time,
 * holds slots under a durable timer and hands over to staff. Handlers are set before the first await.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<{ turns: number; reason: string }> {
  const conversation = new Conversation(input.carried);
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
        if (message.text.length > 2000) throw new Error('text is longer than 2000 characters');
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
  setHandler(stateQuery, state, { description: 'Slots, hold, bookings and who has the conversation.' });
  setHandler(transcriptQuery, (options) => conversation.transcriptAfter(options?.afterSeq ?? 0), {
    description: 'The transcript (customer, assistant, operator), optionally after a sequence number.',
  });

  const setup = await conversationSetup();
  business = setup.business;
  const zone = input.zone ?? business.timezone;
  if (!input.carried) {
    // A returning customer (a new run for the same number) sees the bookings they already have.
    const existing = await listBookings.executeWithOptions({ ...localOptions, summary: "load the customer's bookings" }, [
      { customerKey: input.customerKey },
    ]);
    for (const booking of existing) conversation.upsertBooking(toBookingView(booking));
  }

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
      if (input.address !== null && input.channel !== 'voice') {
        await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send ${purpose} reply ${i + 1}` }, [
          {
            scope: workflowInfo().workflowId,
            purpose: `${purpose}:${i}`,
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
    if (!hold || !business) return;
    const ttlMs = business.policies.holdTtlSeconds * 1000;
    const scope = new CancellationScope();
    holdTimer = scope;
    scope
      .run(async () => {
        await sleep(ttlMs, { summary: `hold ${hold.bookingId} expires (${business!.policies.holdTtlSeconds} s)` });
        inbox.push({ kind: 'hold_expired', bookingId: hold.bookingId });
      })
      .catch(() => undefined); // cancelled: the hold was confirmed or released
  }

  const turnDeps = (): TurnDeps => ({
    business: business!,
    conversation,
    customerKey: input.customerKey,
    channel: input.channel,
    address: input.address,
    zone,
    workflowId: workflowInfo().workflowId,
    localModel: setup.localModel,
  });

  async function handle(item: InboxItem): Promise<void> {
    switch (item.kind) {
      case 'customer': {
        const before = conversation.hold?.bookingId;
        const result = await runTurn(turnDeps(), item.message);
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
        if (input.address !== null && input.channel !== 'voice') {
          await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary: `send message from ${item.operator}` }, [
            {
              scope: workflowInfo().workflowId,
              purpose: `operator:${conversation.turn}:${at}`,
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
          { bookingId: item.bookingId, customerKey: input.customerKey, idempotencyKey: `${workflowInfo().workflowId}:expire:${item.bookingId}` },
        ]);
        const text = await runTurnTemplate(turnDeps(), 'holdExpired', expired);
        await deliver([text], `hold-expired:${item.bookingId}`);
        break;
      }
    }
  }

  publish();
  for (;;) {
    const active = await condition(() => inbox.length > 0, IDLE_TIMEOUT, { summary: 'wait for the customer' });
    if (!active && !conversation.hold) break;
    while (inbox.length > 0) {
      const item = inbox.shift()!;
      try {
        await handle(item);
      } catch (error) {
        // A turn must never end in silence: the activity retries are spent, so apologise and hand over.
        log.error('turn failed', { error: String(error) });
        conversation.requestHuman();
        await notifyStaff('a turn failed after its retries', turnDeps(), `${workflowInfo().workflowId}:failure:${conversation.turn}`).catch(() => undefined);
        const text = await runTurnTemplate(turnDeps(), 'apology', null);
        const replies = await deliver([text], `failure:${conversation.turn}`).catch(() => []);
        if (item.kind === 'customer') finishedTurns.set(item.message.messageId, { replies, state: state() });
      }
      publish();
    }
    if ((workflowInfo().continueAsNewSuggested || turnsThisRun >= MAX_TURNS_PER_RUN) && !conversation.hold) {
      await condition(() => allHandlersFinished() && inbox.length === 0);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: conversation.snapshot() });
    }
  }
  await condition(allHandlersFinished);
  return { turns: conversation.turn, reason: 'idle' };
}

function trimFinished(map: Map<string, TurnResult>): void {
  while (map.size > 50) map.delete(map.keys().next().value!);
}

