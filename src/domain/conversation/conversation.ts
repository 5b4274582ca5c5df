import type { ChatMessage, OfferedSlot, TokenUsage } from '../model';
import type { BookingView, ChangeProposal, HoldView, ToolName, ToolResult } from '../tools';
import { keepReadings, type WhenReading } from './date-provenance';

/**
 * The conversation as an entity: transcript, model history, what was offered, the hold and the customer's bookings.
 * A plain class with no I/O (workflows/conversation-run.ts feeds it what handlers and activities bring), so it is
 * deterministic and can be carried across continue-as-new as a compact snapshot, or remembered in the ledger when a
 * run idles out and resumed by the customer's next run ({@link Conversation.resumeFrom}).
 */

export type Role = 'customer' | 'assistant' | 'operator';
export type Locale = 'en' | 'es';

export interface TranscriptLine {
  seq: number;
  role: Role;
  text: string;
  at: string;
}

export interface Slots {
  service?: string;
  date?: string;
  time?: string;
  provider?: string;
}

/** Everything continue-as-new carries forward. Bounded in size by construction. */
export interface ConversationSnapshot {
  transcript: TranscriptLine[];
  history: ChatMessage[];
  seenMessageIds: string[];
  slots: Slots;
  hold: HoldView | null;
  offered: OfferedSlot[];
  bookings: BookingView[];
  needsHuman: boolean;
  operator: string | null;
  locale: Locale | null;
  usage: TokenUsage & { modelCalls: number };
  turn: number;
  nextSeq: number;
  lastInboundAt: string | null;
  /** The name the customer gave (kept in the ledger with them; read at the start of a run). */
  customerName?: string | null;
  /** The turn in which the assistant asked for the name: it asks once, ever. */
  nameAskedTurn?: number;
  /** The id of the last appointment notice taken in (see {@link ConversationNotice}). */
  noticeCursor?: number;
  /** A waitlist offer held for the customer (see {@link WaitlistOffer}); null or absent when none is open. */
  waitlistOffer?: WaitlistOffer | null;
  /** A cancellation or move read back and waiting for the customer's answer (see {@link PendingChange}). */
  pendingChange?: PendingChange | null;
  /** Our code's reading of the dates in the last few customer messages (model path; see date-provenance.ts). */
  whenReadings?: WhenReading[];
}

/**
 * A change to a booking read back to the customer, and the turn that read it back. It runs (confirm_change) only in
 * a later turn: the customer must have answered the read-back, so nothing is cancelled or moved on the message that
 * asked for it, however it was (mis)heard. One at a time: a new read-back replaces the last.
 */
export type PendingChange = ChangeProposal & { proposedTurn: number };

/**
 * A freed slot the waitlist holds for this customer while they answer. Kept apart from `hold`: the waitlist offer
 * workflow owns its timer (and releases it), so the conversation neither watches it nor stays open for it; "yes"
 * confirms it like any hold, "no" lets it go, and the offer workflow is told either way.
 */
export interface WaitlistOffer {
  hold: HoldView;
  /** The `waitlist-offer:<bookingId>` workflow that made the offer. */
  workflowId: string;
}

/** Something the appointment workflow sent the customer, kept in the ledger for the conversation to take in. */
export interface ConversationNotice {
  id: number;
  text: string;
  at: string;
  /** Times the notice offered (the no-show follow-up), pickable like any list the assistant showed. */
  offered?: OfferedSlot[];
  /** A waitlist offer: the slot held for the customer until the offer ends. */
  waitlistOffer?: WaitlistOffer;
  /** The waitlist offer with this hold id ended (lapsed or taken): forget it. */
  offerEnded?: string;
}

/** Keep the model's context and the carried state small; the full record lives in the workflow history. */
const MAX_HISTORY = 40;
const MAX_TRANSCRIPT = 200;
const MAX_SEEN_IDS = 500;

export class Conversation {
  private data: ConversationSnapshot;

  constructor(snapshot?: ConversationSnapshot) {
    this.data = snapshot ?? {
      transcript: [],
      history: [],
      seenMessageIds: [],
      slots: {},
      hold: null,
      offered: [],
      bookings: [],
      needsHuman: false,
      operator: null,
      locale: null,
      usage: { promptTokens: 0, completionTokens: 0, modelCalls: 0 },
      turn: 0,
      nextSeq: 1,
      lastInboundAt: null,
    };
  }

  get hold(): HoldView | null {
    return this.data.hold;
  }
  get bookings(): BookingView[] {
    return this.data.bookings;
  }
  get offered(): OfferedSlot[] {
    return this.data.offered;
  }
  get slots(): Slots {
    return this.data.slots;
  }
  get needsHuman(): boolean {
    return this.data.needsHuman;
  }
  get operator(): string | null {
    return this.data.operator;
  }
  get locale(): Locale | null {
    return this.data.locale;
  }
  get usage(): TokenUsage & { modelCalls: number } {
    return this.data.usage;
  }
  get turn(): number {
    return this.data.turn;
  }
  get history(): ChatMessage[] {
    return this.data.history;
  }
  get lastInboundAt(): string | null {
    return this.data.lastInboundAt;
  }
  get waitlistOffer(): WaitlistOffer | null {
    return this.data.waitlistOffer ?? null;
  }
  get pendingChange(): PendingChange | null {
    return this.data.pendingChange ?? null;
  }
  /** The new time held for a move read back to the customer: its own timer lets it go (workflows/conversation-run.ts). */
  get moveHold(): HoldView | null {
    const pending = this.data.pendingChange;
    return pending?.change === 'move' ? pending.hold : null;
  }

  /**
   * A new run for a customer who was here before (the previous run idled out): the transcript, the model's context,
   * the language, the turn counter and the message ids seen carry over, so "move it to Friday" reads in context and
   * a webhook repeated across the gap is still ignored. What was only true for that visit does not: offers and
   * half-filled slots are stale, a hold cannot outlive its run, and a hand-off ended with the run (staff were told).
   * The bookings come fresh from the ledger. Messages this run has already taken in stay; returns the ids of those
   * that the previous run had already seen (repeats to drop).
   */
  resumeFrom(remembered: ConversationSnapshot): Set<string> {
    const previous = new Set(remembered.seenMessageIds);
    const takenIn = this.data.seenMessageIds;
    this.data = {
      ...structuredCloneJson(remembered),
      slots: {},
      hold: null,
      offered: [],
      bookings: [],
      // A read-back belongs to the visit that made it (a move's held time cannot outlive its run): ask again.
      pendingChange: null,
      // "Next Friday" said on an earlier visit meant a day relative to then.
      ...(remembered.whenReadings ? { whenReadings: [] } : {}),
      needsHuman: this.data.needsHuman,
      operator: this.data.operator,
      seenMessageIds: [...remembered.seenMessageIds, ...takenIn.filter((id) => !previous.has(id))].slice(-MAX_SEEN_IDS),
    };
    return new Set(takenIn.filter((id) => previous.has(id)));
  }

  /** True once per id: duplicate webhooks and client retries are ignored. */
  firstSighting(messageId: string): boolean {
    if (this.data.seenMessageIds.includes(messageId)) return false;
    this.data.seenMessageIds.push(messageId);
    if (this.data.seenMessageIds.length > MAX_SEEN_IDS) this.data.seenMessageIds.shift();
    return true;
  }

  setLocale(locale: Locale): void {
    this.data.locale = locale;
  }

  get customerName(): string | null {
    return this.data.customerName ?? null;
  }
  /**
   * Whether this turn should end by asking the customer's name: the business wants names, none is known, and it was
   * not asked on an earlier turn (asked on this one, it still shows, so the question follows the booking it asked at).
   */
  shouldAskName(wanted: boolean): boolean {
    if (!wanted || this.data.customerName) return false;
    return this.data.nameAskedTurn === undefined || this.data.nameAskedTurn === this.data.turn;
  }
  /** The customer's record as the ledger has it now (a name set elsewhere, or forgotten, shows here). */
  knowCustomer(name: string | null): void {
    this.data.customerName = name;
  }

  /** The customer gave their name (already kept in the ledger). */
  nameGiven(name: string): void {
    this.data.customerName = name;
  }

  /** This turn asks for the name (after a booking); later turns never ask again. */
  markNameAsked(): void {
    this.data.nameAskedTurn ??= this.data.turn;
  }

  /** Starts a turn for a customer message; returns the turn number (part of every idempotency key). */
  beginTurn(text: string, at: string): number {
    this.data.turn += 1;
    this.data.lastInboundAt = at;
    this.append('customer', text, at);
    this.pushHistory({ role: 'user', content: text });
    return this.data.turn;
  }

  /** Our code's reading of the dates in recent customer messages, oldest first. */
  get whenReadings(): readonly WhenReading[] {
    return this.data.whenReadings ?? [];
  }

  /** Keeps our code's reading of this turn's message (bounded: the newest few only). */
  rememberWhen(reading: WhenReading): void {
    this.data.whenReadings = keepReadings(this.data.whenReadings ?? [], reading);
  }

  /** Records a customer message that the assistant will not answer (a human has the conversation). */
  recordCustomerMessage(text: string, at: string): void {
    this.data.lastInboundAt = at;
    this.append('customer', text, at);
    this.pushHistory({ role: 'user', content: text });
  }

  addAssistantReply(text: string, at: string): TranscriptLine {
    return this.append('assistant', text, at);
  }

  addOperatorMessage(text: string, operator: string, at: string): TranscriptLine {
    this.data.operator = operator;
    this.data.needsHuman = true;
    // The model sees what staff said, so it can pick up the thread after hand-back.
    this.pushHistory({ role: 'assistant', content: `(staff member ${operator}) ${text}` });
    return this.append('operator', text, at);
  }

  /** The assistant's final text of a turn goes into the model's history too. */
  rememberAssistantText(text: string): void {
    this.pushHistory({ role: 'assistant', content: text });
  }

  rememberToolCalls(message: Extract<ChatMessage, { role: 'assistant' }>): void {
    this.pushHistory(message);
  }

  rememberToolResult(toolCallId: string, name: string, result: ToolResult | { ok: false; error: string; message: string }): void {
    this.pushHistory({ role: 'tool', toolCallId, name, content: JSON.stringify(result) });
  }

  addUsage(usage: TokenUsage | undefined): void {
    this.data.usage.modelCalls += 1;
    if (!usage) return;
    this.data.usage.promptTokens += usage.promptTokens;
    this.data.usage.completionTokens += usage.completionTokens;
  }

  takeOver(operator: string): void {
    this.data.needsHuman = true;
    this.data.operator = operator;
  }

  /** The assistant asked for a human; nobody has picked it up yet. */
  requestHuman(): void {
    this.data.needsHuman = true;
  }

  handBack(): void {
    this.data.needsHuman = false;
    this.data.operator = null;
  }

  /** Updates what the conversation knows from a tool's result: the ledger's answer is the only source of facts. */
  applyToolResult<N extends ToolName>(name: N, args: Record<string, unknown>, result: ToolResult<N>): void {
    if (!result.ok) {
      if (result.alternatives?.length) this.data.offered = result.alternatives;
      if (name === 'confirm_change' || name === 'keep_booking' || ((name === 'reschedule_booking' || name === 'cancel_booking') && this.moveHold)) {
        // The change failed, or a new read-back was tried (which lets a move's held time go first): ask afresh.
        this.data.pendingChange = null;
        return;
      }
      if (result.error === 'hold_expired' || result.error === 'not_confirmable') {
        this.data.hold = null;
        this.data.waitlistOffer = null;
      }
      return;
    }
    switch (name) {
      case 'get_availability': {
        const r = result as Extract<ToolResult<'get_availability'>, { ok: true }>;
        this.data.offered = [...(r.exact ? [r.exact] : []), ...r.alternatives];
        this.data.slots = {
          ...this.data.slots,
          service: typeof args.service === 'string' ? args.service : this.data.slots.service,
          date: r.requested.date ?? this.data.slots.date,
          time: r.requested.time ?? this.data.slots.time,
          provider: typeof args.provider === 'string' ? args.provider : this.data.slots.provider,
        };
        break;
      }
      case 'hold_slot': {
        const { hold } = result as Extract<ToolResult<'hold_slot'>, { ok: true }>;
        this.data.hold = hold;
        // The customer moved on to a new booking: a cancellation read back before waits for nothing now (a move's
        // held time stays under its own timer until it runs out).
        if (this.data.pendingChange?.change === 'cancel') this.data.pendingChange = null;
        this.data.slots = { ...this.data.slots, service: hold.service, provider: hold.provider };
        break;
      }
      case 'confirm_booking': {
        const { booking } = result as Extract<ToolResult<'confirm_booking'>, { ok: true }>;
        this.data.hold = null;
        this.data.waitlistOffer = null;
        this.data.offered = [];
        this.data.slots = {};
        this.upsertBooking(booking);
        break;
      }
      case 'release_hold':
        if (this.data.waitlistOffer?.hold.bookingId === args.bookingId) this.data.waitlistOffer = null;
        else this.data.hold = null;
        break;
      case 'join_waitlist':
        // The request is settled: the waitlist carries it from here.
        this.data.slots = {};
        this.data.offered = [];
        break;
      case 'get_booking': {
        const { booking } = result as Extract<ToolResult<'get_booking'>, { ok: true }>;
        this.upsertBooking(booking);
        break;
      }
      case 'cancel_booking': {
        const r = result as Extract<ToolResult<'cancel_booking'>, { ok: true }>;
        if ('proposed' in r) this.data.pendingChange = { ...r.proposed, proposedTurn: this.data.turn };
        else this.upsertBooking(r.booking); // cancelled at once (a history from before read-backs)
        break;
      }
      case 'list_my_bookings': {
        const { bookings } = result as Extract<ToolResult<'list_my_bookings'>, { ok: true }>;
        for (const booking of bookings) this.upsertBooking(booking);
        break;
      }
      case 'reschedule_booking': {
        const r = result as Extract<ToolResult<'reschedule_booking'>, { ok: true }>;
        if ('proposed' in r) {
          this.data.pendingChange = { ...r.proposed, proposedTurn: this.data.turn };
          break;
        }
        // Moved at once (a history from before read-backs).
        this.upsertBooking(r.previous);
        this.upsertBooking(r.booking);
        this.data.offered = [];
        break;
      }
      case 'confirm_change': {
        const r = result as Extract<ToolResult<'confirm_change'>, { ok: true }>;
        this.data.pendingChange = null;
        if (r.change === 'move') {
          this.upsertBooking(r.previous);
          this.data.offered = [];
        }
        this.upsertBooking(r.booking);
        break;
      }
      case 'keep_booking':
        this.data.pendingChange = null;
        break;
      case 'escalate_to_human':
        this.requestHuman();
        break;
    }
  }

  /** The hold timer fired: forget the hold if it is still the current one. Returns whether it was. */
  expireHold(bookingId: string): HoldView | null {
    if (this.moveHold?.bookingId === bookingId) {
      // The move was not confirmed in time: its held time goes, the booking stays as it is.
      const expired = this.moveHold;
      this.data.pendingChange = null;
      return expired;
    }
    if (this.data.hold?.bookingId !== bookingId) return null;
    const expired = this.data.hold;
    this.data.hold = null;
    return expired;
  }

  /**
   * The ledger's current list of the customer's bookings replaces what this conversation believed: a change made by
   * staff, by the appointment workflow or from another channel shows from the next turn on.
   */
  replaceBookings(bookings: BookingView[]): void {
    this.data.bookings = bookings.map((b) => ({ ...b }));
    this.forgetChangeUnlessConfirmed();
  }

  /**
   * Something the appointment workflow sent the customer (a reminder, the no-show follow-up, a staff change): it is
   * part of this conversation, so the transcript and the model's context show it, and times it offered can be picked
   * ("the second one") like any list the assistant showed.
   */
  takeInNotice(notice: ConversationNotice): void {
    if (notice.id <= (this.data.noticeCursor ?? 0)) return;
    this.data.noticeCursor = notice.id;
    this.append('assistant', notice.text, notice.at);
    this.pushHistory({ role: 'assistant', content: notice.text });
    if (notice.offered?.length) {
      this.data.offered = notice.offered;
      this.data.slots = { service: notice.offered[0]!.service };
    }
    if (notice.waitlistOffer) this.data.waitlistOffer = notice.waitlistOffer;
    if (notice.offerEnded && this.data.waitlistOffer?.hold.bookingId === notice.offerEnded) this.data.waitlistOffer = null;
  }

  /**
   * The hold a "yes" or "no" is about: the customer's own, else an open waitlist offer — even one whose time ran out
   * and passed to the next customer, because a late "yes" still wins the slot if nobody else holds it (the ledger
   * decides). An offer is forgotten when the slot is gone.
   */
  currentHold(): HoldView | null {
    return this.data.hold ?? this.data.waitlistOffer?.hold ?? null;
  }

  get noticeCursor(): number {
    return this.data.noticeCursor ?? 0;
  }

  /** The appointment workflow reports a change (cancelled, attended, no-show). */
  upsertBooking(booking: BookingView): void {
    const i = this.data.bookings.findIndex((b) => b.id === booking.id);
    if (i >= 0) this.data.bookings[i] = booking;
    else this.data.bookings.push(booking);
    this.forgetChangeUnlessConfirmed();
  }

  /**
   * A cancellation read back for a booking that staff (or another channel) has since cancelled or moved has nothing
   * left to ask about. A move's held time stays with it until its timer lets it go.
   */
  private forgetChangeUnlessConfirmed(): void {
    const pending = this.data.pendingChange;
    if (pending?.change !== 'cancel') return;
    const now = this.data.bookings.find((b) => b.id === pending.booking.id);
    if (now && now.status !== 'confirmed') this.data.pendingChange = null;
  }

  transcriptAfter(afterSeq = 0): TranscriptLine[] {
    return this.data.transcript.filter((line) => line.seq > afterSeq);
  }

  snapshot(): ConversationSnapshot {
    return structuredCloneJson(this.data);
  }

  private append(role: Role, text: string, at: string): TranscriptLine {
    const line = { seq: this.data.nextSeq++, role, text, at };
    this.data.transcript.push(line);
    if (this.data.transcript.length > MAX_TRANSCRIPT) this.data.transcript.shift();
    return line;
  }

  private pushHistory(message: ChatMessage): void {
    this.data.history.push(message);
    // Trim from the front, but never leave a tool result without the call that produced it.
    while (this.data.history.length > MAX_HISTORY || this.data.history[0]?.role === 'tool') this.data.history.shift();
  }
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
