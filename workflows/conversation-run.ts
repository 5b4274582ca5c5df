import {
  CancellationScope,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Business } from '../src/domain/booking/business';
import { Conversation, type ConversationSnapshot } from '../src/domain/conversation/conversation';
import { StepKeys } from '../src/domain/conversation/step-keys';
import * as templates from '../src/domain/language/templates';
import { traitsOf, type Channel } from '../src/domain/messaging/channel';
import type { BookingView, HoldView } from '../src/domain/tools';
import type { Activities } from '../activities';
import type { ConversationState, TranscriptEntry, TurnResult, UserMessage } from './messages';
import { ledgerOptions, localOptions, messagingOptions } from './options';
import { BookingStatusKey, NeedsHumanKey, ServiceIdKey } from './search-attributes';
import { CONFIRM_CHANGES_PATCH, LOCAL_LEDGER_PATCH, TOOLS_FINISH_PATCH, notifyStaff } from './tool-executor';
import { offerFreedSlot } from './waitlist';
import { runTurn, templateOptions } from './turn';
import type { TurnDeps } from './turn-deps';
import { describeConversation } from './details';
import { RunPatch } from './run-patch';
import { DetachedStarter } from './detached';
import { acknowledgeAfterMs } from '../src/domain/booking/turn-budget';

/** Who the conversation is with and where replies go: the workflow's input, less what continue-as-new carries. */
export interface ConversationParty {
  channel: Channel;
  /** Opaque key of the workflow id (never a phone number). */
  key: string;
  /** Identity in the ledger: the only customer this conversation acts for. */
  customerKey: string;
  /** Where replies go: E.164 or `whatsapp:+…` for Twilio channels, null for web chat. */
  address: string | null;
  /** The customer's IANA zone; the business zone when unknown. */
  zone?: string;
}

type InboxItem =
  | { kind: 'customer'; message: UserMessage }
  | { kind: 'operator'; text: string; operator: string }
  | { kind: 'hand_back' }
  | { kind: 'hold_expired'; bookingId: string };

const { conversationSetup, refreshConversation } = proxyLocalActivities<Activities>(localOptions);
const messaging = proxyActivities<Activities>(messagingOptions);
const ledger = proxyActivities<Activities>(ledgerOptions);

/** Web chat and voice callers wait on postMessage for at most this many recent answers. */
const FINISHED_TURNS_KEPT = 50;

/**
 * One run of a conversation, as an object the workflow's handlers call into (the entity shape of
 * temporalio/samples-typescript): handlers only record what arrived in the inbox or change state at once; the
 * workflow's loop hands each inbox item to `handle`, one at a time, so turns never interleave.
 */
export class ConversationRun {
  readonly conversation: Conversation;
  readonly keys: StepKeys;
  private readonly inbox: InboxItem[] = [];
  private readonly finishedTurns = new Map<string, TurnResult>();
  private business: Business | undefined;
  private zone = 'UTC';
  private localModel = false;
  private holdTimer: CancellationScope | undefined;
  /** The timer of the new time held for a move read back to the customer (a hold of its own, see Conversation.moveHold). */
  private moveTimer: CancellationScope | undefined;
  /** What publish() last wrote (serialized), so an unchanged value is not written again. */
  private readonly published = { attributes: '', memo: '', details: '' };
  /** Writes search attributes and memo only when what they show changed (histories before it wrote on every publish). */
  private readonly publishPatch = new RunPatch('publish-only-what-changed');
  /** Cancellations and moves read back before they happen (histories before it made them at once). */
  private readonly confirmChangesPatch = new RunPatch(CONFIRM_CHANGES_PATCH);
  /** A turn cut at the cap keeps what its tools did (histories before it cancelled a tool mid-way). */
  private readonly toolsFinishPatch = new RunPatch(TOOLS_FINISH_PATCH);
  /** A tool's ledger calls as local activities (histories before scheduled each as an activity). */
  private readonly localLedgerPatch = new RunPatch(LOCAL_LEDGER_PATCH);
  /** Appointments and waitlist workflows started by an activity, not as children (histories before started children). */
  private readonly detached = new DetachedStarter(() => this.localLedgerPatch.decide());
  /** setUp's publish and hold timer, put off until the first turn's refresh resolves (see setUp). */
  private setUpTail: (() => void) | undefined;
  turnsThisRun = 0;

  constructor(
    private readonly party: ConversationParty,
    carried: ConversationSnapshot | undefined,
  ) {
    this.conversation = new Conversation(carried);
    this.keys = new StepKeys(workflowInfo().workflowId, workflowInfo().firstExecutionRunId);
  }

  // ----- what the handlers call -----

  /** A customer message; a repeated message id (a webhook retried, a page resent) is taken in once. */
  receive(message: UserMessage): void {
    if (this.conversation.firstSighting(message.messageId)) this.inbox.push({ kind: 'customer', message });
  }

  /** Waits for the turn of `message` to finish and returns its replies (postMessage). */
  async answerTo(message: UserMessage): Promise<TurnResult> {
    this.receive(message);
    await condition(() => this.finishedTurns.has(message.messageId));
    return this.finishedTurns.get(message.messageId)!;
  }

  relayOperator(text: string, operator: string): void {
    this.inbox.push({ kind: 'operator', text, operator: operator || 'staff' });
  }

  takeOver(operator: string): void {
    this.conversation.takeOver(operator);
    this.publish();
  }

  handBack(): void {
    this.inbox.push({ kind: 'hand_back' });
  }

  /** A booking changed outside this conversation (staff, the appointment workflow): shown in state at once. */
  bookingChanged(booking: BookingView): void {
    this.conversation.upsertBooking(booking);
    this.publish();
  }

  state(): ConversationState {
    const c = this.conversation;
    return {
      status: c.needsHuman ? 'human' : c.hold ? 'holding' : c.bookings.some((b) => b.status === 'confirmed') ? 'booked' : 'open',
      slots: c.slots,
      hold: c.hold,
      bookings: c.bookings,
      needsHuman: c.needsHuman,
      locale: c.locale ?? this.business?.locale ?? 'en',
      usage: c.usage,
    };
  }

  transcriptAfter(afterSeq: number): TranscriptEntry[] {
    return this.conversation.transcriptAfter(afterSeq);
  }

  // ----- what the workflow's loop calls -----

  /**
   * Loads the business and the customer's bookings; a returning customer (a fresh run on the same workflow id)
   * resumes what the last run remembered. A message that arrived during the load and was already answered by that
   * run is acknowledged without a second turn.
   */
  async setUp(resume: boolean): Promise<void> {
    this.publishPatch.askAtStart();
    this.confirmChangesPatch.askAtStart();
    this.toolsFinishPatch.askAtStart();
    this.detached.askAtStart();
    this.localLedgerPatch.askAtStart();
    const setup = await conversationSetup.executeWithOptions(
      { ...localOptions, summary: "load the business, the customer's bookings and what the last run remembered" },
      [{ workflowId: this.keys.workflowId, customerKey: this.party.customerKey, resume }],
    );
    this.business = setup.business;
    this.zone = this.party.zone ?? setup.business.timezone;
    this.localModel = setup.localModel;
    if (setup.memory) {
      const repeats = this.conversation.resumeFrom(setup.memory);
      for (const item of this.inbox.filter((i) => i.kind === 'customer' && repeats.has(i.message.messageId))) {
        this.inbox.splice(this.inbox.indexOf(item), 1);
        if (item.kind === 'customer') this.finishedTurns.set(item.message.messageId, { replies: [], state: this.state() });
      }
    }
    this.conversation.replaceBookings(setup.bookings);
    const tail = () => {
      this.publish();
      this.armHoldTimer(this.conversation.hold); // a hold carried across continue-as-new keeps its expiry
      if (this.conversation.moveHold) this.armMoveTimer(this.conversation.moveHold);
    };
    // Replaying a history whose marker (if any) was written after this activity, maybe in the next task: the code
    // cannot tell yet whether it is there (run-patch.ts). Live, this tail's commands were the next after the
    // setup activity's marker; the first turn's refresh is a local activity too (matched by its own marker, not by
    // position), so running the tail when the refresh resolves gives the same commands in the same order, and by then
    // the task that holds them, and its marker, is known.
    if (this.publishPatch.undecided && workflowInfo().unsafe.isReplaying && this.inbox[0]?.kind === 'customer') this.setUpTail = tail;
    else tail();
  }

  hasWork(): boolean {
    return this.inbox.length > 0;
  }

  /** True once no handler is mid-flight and nothing waits: the moment a run may end or continue as new. */
  quiet(): boolean {
    return allHandlersFinished() && this.inbox.length === 0;
  }

  /** Handles everything in the inbox, in order; a failure is apologised for and handed to staff, never silent. */
  async drainInbox(): Promise<void> {
    while (this.inbox.length > 0) {
      const item = this.inbox.shift()!;
      try {
        await this.handle(item);
      } catch (error) {
        // The activity retries are spent: apologise and hand over.
        log.error('turn failed', { error: String(error) });
        this.conversation.requestHuman();
        await notifyStaff('a turn failed after its retries', this.turnDeps(), `failure:${this.conversation.turn}`).catch(() => undefined);
        const replies = await this.send([templates.apology(null, this.templateOptions())], `failure:${this.conversation.turn}`).catch(() => []);
        if (item.kind === 'customer') this.finish(item.message.messageId, replies);
      }
      this.publish();
    }
  }

  /** Writes what the next visit resumes from (an idle end), unless a hold still needs this run. */
  async remember(): Promise<void> {
    await ledger.rememberConversation.executeWithOptions({ ...ledgerOptions, summary: 'remember this conversation for the next visit' }, [
      { workflowId: this.keys.workflowId, customerKey: this.party.customerKey, snapshot: this.conversation.snapshot() },
    ]);
  }

  get holding(): boolean {
    return this.conversation.hold !== null || this.conversation.moveHold !== null;
  }

  // ----- inside the run -----

  private async handle(item: InboxItem): Promise<void> {
    switch (item.kind) {
      case 'customer':
        return this.takeTurn(item.message);
      case 'operator': {
        this.conversation.takeOver(item.operator);
        const at = new Date().toISOString();
        this.conversation.addOperatorMessage(item.text, item.operator, at);
        await this.push(item.text, `operator:${this.conversation.turn}:${at}`, `send message from ${item.operator}`);
        return;
      }
      case 'hand_back':
        if (this.conversation.needsHuman) this.conversation.handBack();
        return;
      case 'hold_expired': {
        const move = this.conversation.pendingChange?.change === 'move' ? this.conversation.pendingChange : null;
        const expired = this.conversation.expireHold(item.bookingId);
        if (!expired) return;
        if (move?.hold.bookingId === item.bookingId) {
          // A move not confirmed in time: its held time goes, the booking stays as it was.
          this.moveTimer = undefined;
          await ledger.releaseHold.executeWithOptions({ ...ledgerOptions, summary: `release the expired hold ${item.bookingId} of a move` }, [
            { bookingId: item.bookingId, customerKey: this.party.customerKey, idempotencyKey: this.keys.ledger(`expire:${item.bookingId}`) },
          ]);
          const { service, provider, start, end } = expired;
          await offerFreedSlot({ slot: { service, provider, start, end }, freedBy: item.bookingId, reason: 'hold_expired' }, this.detached);
          await this.send([templates.moveHoldExpired({ hold: expired, booking: move.booking }, this.templateOptions())], `hold-expired:${item.bookingId}`);
          return;
        }
        this.holdTimer = undefined;
        await ledger.releaseHold.executeWithOptions({ ...ledgerOptions, summary: `release expired hold ${item.bookingId}` }, [
          { bookingId: item.bookingId, customerKey: this.party.customerKey, idempotencyKey: this.keys.ledger(`expire:${item.bookingId}`) },
        ]);
        // The slot is free again: offered to whoever waits for it, in order of joining (workflows/waitlist.ts).
        const { service, provider, start, end } = expired;
        await offerFreedSlot({ slot: { service, provider, start, end }, freedBy: item.bookingId, reason: 'hold_expired' }, this.detached);
        await this.send([templates.holdExpired(expired, this.templateOptions())], `hold-expired:${item.bookingId}`);
        return;
      }
    }
  }

  private async takeTurn(message: UserMessage): Promise<void> {
    // The ledger is the truth about bookings: staff, the appointment workflow or another channel may have changed one.
    let fresh;
    try {
      fresh = await refreshConversation.executeWithOptions({ ...localOptions, summary: "refresh the customer's bookings and notices" }, [
        { workflowId: this.keys.workflowId, customerKey: this.party.customerKey, afterNoticeId: this.conversation.noticeCursor },
      ]);
    } finally {
      const tail = this.setUpTail;
      this.setUpTail = undefined;
      tail?.();
    }
    this.conversation.replaceBookings(fresh.bookings);
    for (const notice of fresh.notices) this.conversation.takeInNotice(notice);
    if (fresh.customerName !== undefined) this.conversation.knowCustomer(fresh.customerName);
    const before = this.conversation.hold?.bookingId;
    const moveBefore = this.conversation.moveHold?.bookingId;
    const armTimers = () => {
      if (this.conversation.hold?.bookingId !== before) this.armHoldTimer(this.conversation.hold);
      // Only conversations that read a move back have one (new in histories that carry the patch, no marker needed).
      if (this.conversation.moveHold?.bookingId !== moveBefore) this.armMoveTimer(this.conversation.moveHold);
    };
    let result;
    try {
      result = await this.withinTurnBudget(message.messageId, () => runTurn(this.turnDeps(), message));
    } catch (error) {
      // A turn stopped at the cap may already hold a slot (its tools finish, see TOOLS_FINISH_PATCH): that hold
      // still needs its clock, or it would outlive its expiry in this conversation.
      if (this.toolsFinishPatch.decide()) armTimers();
      throw error;
    }
    armTimers();
    this.finish(message.messageId, await this.send(result.replies, `turn:${this.conversation.turn}`));
    this.turnsThisRun += 1;
  }

  private finish(messageId: string, replies: { text: string; at: string }[]): void {
    this.finishedTurns.set(messageId, { replies, state: this.state() });
    while (this.finishedTurns.size > FINISHED_TURNS_KEPT) this.finishedTurns.delete(this.finishedTurns.keys().next().value!);
  }

  /** The assistant's replies: into the transcript, and out on channels that push them. */
  private async send(texts: string[], purpose: string): Promise<{ text: string; at: string }[]> {
    const sent: { text: string; at: string }[] = [];
    for (const [i, text] of texts.entries()) {
      const at = new Date().toISOString();
      this.conversation.addAssistantReply(text, at);
      sent.push({ text, at });
      await this.push(text, `${purpose}:${i}`, `send ${purpose} reply ${i + 1}`);
    }
    return sent;
  }

  /** The one place a conversation message leaves for the customer's phone (web chat reads the transcript instead). */
  private async push(text: string, purpose: string, summary: string): Promise<void> {
    const { address, channel, customerKey } = this.party;
    if (address === null || !traitsOf(channel).pushesReplies) return;
    await messaging.sendMessage.executeWithOptions({ ...messagingOptions, summary }, [
      {
        scope: this.keys.workflowId,
        purpose: this.keys.purpose(purpose),
        channel,
        to: address,
        customerKey,
        text,
        lastInboundAt: this.conversation.lastInboundAt ?? undefined,
      },
    ]);
  }

  /** One clock for a hold: a durable timer at the ledger's expiresAt, not a second TTL computed here. */
  private armHoldTimer(hold: HoldView | null): void {
    this.holdTimer?.cancel();
    this.holdTimer = undefined;
    if (!hold) return;
    const scope = new CancellationScope();
    this.holdTimer = scope;
    scope
      .run(async () => {
        await sleep(Math.max(0, Date.parse(hold.expiresAt) - Date.now()), { summary: `hold ${hold.bookingId} expires at ${hold.expiresAt}` });
        this.inbox.push({ kind: 'hold_expired', bookingId: hold.bookingId });
      })
      .catch(() => undefined); // cancelled: the hold was confirmed or released
  }

  /** The same clock for the new time held for a move: at its expiry the hold goes and the booking stays. */
  private armMoveTimer(hold: HoldView | null): void {
    this.moveTimer?.cancel();
    this.moveTimer = undefined;
    if (!hold) return;
    const scope = new CancellationScope();
    this.moveTimer = scope;
    scope
      .run(async () => {
        await sleep(Math.max(0, Date.parse(hold.expiresAt) - Date.now()), { summary: `the time held for a move (${hold.bookingId}) expires at ${hold.expiresAt}` });
        this.inbox.push({ kind: 'hold_expired', bookingId: hold.bookingId });
      })
      .catch(() => undefined); // cancelled: the move was confirmed, declined or replaced
  }

  /**
   * The turn budget (business policies): words within `firstWordsSeconds` — the turn's own replies, or a "still
   * working on it" sent early enough to land within it — and the turn stopped at `capSeconds`, which drainInbox turns
   * into an apology and a hand-off.
   */
  private async withinTurnBudget<T>(messageId: string, turn: () => Promise<T>): Promise<T> {
    const budget = this.business!.policies.turnBudget;
    const acknowledge = new CancellationScope();
    acknowledge
      .run(async () => {
        await sleep(acknowledgeAfterMs(this.business!), { summary: 'say "still working" if the turn is slow' });
        await this.send([templates.stillWorking(null, this.templateOptions())], `ack:${messageId}`);
      })
      .catch(() => undefined); // cancelled: the turn answered in time
    try {
      return await CancellationScope.withTimeout(budget.capSeconds * 1000, turn);
    } finally {
      acknowledge.cancel();
    }
  }

  /**
   * Search attributes, memo and current details: what operators see in the Web UI's list and detail views. Each
   * upsert is a command in history and work for the server's visibility store, so only what changed is written.
   */
  private publish(): void {
    const s = this.state();
    const attributes = { needsHuman: s.needsHuman, status: s.status, service: s.hold?.service ?? s.slots.service ?? null };
    // Histories written before this rule wrote on every publish; they replay the way they were written.
    const onlyChanges = this.publishPatch.decide();
    const key = JSON.stringify(attributes);
    if (!onlyChanges || key !== this.published.attributes) {
      upsertSearchAttributes([
        { key: NeedsHumanKey, value: attributes.needsHuman },
        { key: BookingStatusKey, value: attributes.status },
        { key: ServiceIdKey, value: attributes.service },
      ]);
      this.published.attributes = key;
    }
    const details = describeConversation(s, this.party.channel, this.conversation.operator, this.business);
    const memo = JSON.stringify({ details, usage: s.usage });
    if (!onlyChanges || memo !== this.published.memo) {
      upsertMemo({ summary: details, usage: s.usage });
      this.published.memo = memo;
    }
    if (details !== this.published.details) {
      setCurrentDetails(details);
      this.published.details = details;
    }
  }

  private turnDeps(): TurnDeps {
    return {
      business: this.business!,
      conversation: this.conversation,
      customerKey: this.party.customerKey,
      channel: this.party.channel,
      conversationKey: this.party.key,
      address: this.party.address,
      zone: this.zone,
      keys: this.keys,
      localModel: this.localModel,
      confirmsChanges: () => this.confirmChangesPatch.decide(),
      toolsFinish: () => this.toolsFinishPatch.decide(),
      ledgerLocal: () => this.localLedgerPatch.decide(),
      detached: this.detached,
    };
  }

  private templateOptions() {
    return templateOptions(this.turnDeps());
  }
}
