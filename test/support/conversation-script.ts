import type { Booking, BookingStatus } from '../../src/domain/booking/types';
import type { ConversationStatus } from '../../workflows/messages';
import type { CalendarPlan } from '../conversations/calendar';
import type { Family } from '../conversations/families';

/**
 * The format of a scripted conversation: what the customer types, turn by turn, and what must be TRUE after each
 * turn and at the end — the conversation state, the ledger's rows, and which template families the replies came
 * from. Never exact wording: a reworded template must not break a conversation that still does the right thing.
 *
 * ```ts
 * const script: ScriptFactory = (plan) => {
 *   const day = plan.uniqueDay('haircut', { times: ['10:00'] });
 *   return {
 *     name: 'haircut on a named day',
 *     topic: 'booking',
 *     goal: 'book',
 *     steps: [
 *       say(`a haircut on ${day.en} at ${day.enTime}`, { families: ['held'], slots: { service: 'haircut', date: day.date, time: day.time } }),
 *       say('yes', { families: ['booked'], status: 'booked' }),
 *     ],
 *     ledger: [{ status: 'confirmed', service: 'haircut', date: day.date, time: day.time }],
 *   };
 * };
 * ```
 */

export type Topic =
  | 'booking'
  | 'phrasing'
  | 'alternatives'
  | 'dates'
  | 'past'
  | 'cancel'
  | 'reschedule'
  | 'list'
  | 'out_of_scope'
  | 'handoff'
  | 'injection'
  | 'typos'
  | 'spanish'
  | 'unbounded'
  | 'timers'
  | 'front_desk'
  | 'waitlist'
  | 'changes'
  | 'references'
  | 'constraints';

export interface SlotValues {
  service?: string;
  date?: string;
  time?: string;
  provider?: string;
}

/** What must hold after one turn. Every field is optional; what is left out is not checked. */
export interface TurnExpectation {
  /** Each of these families appears among the turn's replies. */
  families?: Family[];
  /** None of these appears. */
  notFamilies?: Family[];
  /** The turn sends nothing at all (a person has the conversation). */
  silent?: boolean;
  status?: ConversationStatus;
  needsHuman?: boolean;
  locale?: 'en' | 'es';
  /** null: nothing on hold. An object: a hold with these values (date and time local to the business). */
  hold?: null | SlotValues;
  /** The conversation's slots: these are what slot-fill accuracy is measured on. */
  slots?: SlotValues;
  /** How many confirmed bookings the state lists. */
  confirmedBookings?: number;
  /** Each of these matches some reply (e.g. an invitation appended to another template's reply). */
  text?: RegExp[];
  /** No reply matches any of these (e.g. a claim the model must not make). */
  notText?: RegExp[];
}

export interface Step {
  /** What the customer types. */
  say?: string;
  /** Instead of a message: let this much time pass (time-skipping harness only), then read what was sent. */
  waitMs?: number;
  /**
   * Instead of a message: something happens outside this conversation (another customer or staff acts); then the
   * runner waits until the workflows leave this conversation a notice (what they sent the customer; the web chat
   * shows it once the customer writes again) and checks the new notices as this turn's replies.
   */
  elsewhere?: { what: string; act: (world: ScriptWorld) => Promise<void> };
  expect?: TurnExpectation;
}

/** A row of this customer's ledger at the end of the conversation (date and time local to the business). */
export interface LedgerRowExpectation extends SlotValues {
  status: Exclude<BookingStatus, 'released'>;
}

/** What a script may arrange before its first message. */
export interface ScriptWorld {
  plan: CalendarPlan;
  /** This conversation's customer in the ledger (derived from the chat session, as the gateway does). */
  customerKey: string;
  /**
   * Another customer books through their own chat session first (e.g. to take the slot this script wants).
   * Throws, with their transcript, when that conversation does not end with a confirmed booking.
   */
  otherCustomerBooks(lines: string[]): Promise<Booking>;
  /**
   * The customer who made `booking` through {@link otherCustomerBooks} cancels it in their own chat (through the
   * appointment workflow, as they would). Throws, with their transcript, when the ledger does not show it cancelled;
   * the end-of-script check then expects it cancelled.
   */
  otherCustomerCancels(booking: Booking): Promise<void>;
  /**
   * Writes a confirmed booking straight into the ledger: one this customer made earlier (`self`), or another
   * customer's (`other`). Another customer's seeded bookings are checked unchanged at the end of the script.
   */
  seed(row: { who: 'self' | 'other'; service: string; provider: string; start: string }): Promise<Booking>;
  /** This customer gave their name on an earlier visit: the ledger keeps it with them. */
  knownAs(name: string): Promise<void>;
}

export interface Script {
  name: string;
  topic: Topic;
  /** A booking script: counts in the booking completion rate (ends with a confirmed ledger row). */
  goal?: 'book';
  /** The chat session's timezone (the customer's zone); the business's when unset. */
  timezone?: string;
  /** Local dates this script books on that other scripts might use too: never run two such scripts at once. */
  locks?: string[];
  /** Scripts with timers run on the time-skipping harness. */
  needs?: 'time-skipping';
  setup?: (world: ScriptWorld) => Promise<void>;
  /** The turns; a function when they depend on what `setup` made (e.g. another customer's booking id). */
  steps: Step[] | (() => Step[]);
  /** This customer's ledger rows at the end, released holds aside: exactly these, in any order. */
  ledger?: LedgerRowExpectation[];
  /** The name the ledger keeps with this customer at the end (null: none). Unset: not checked. */
  customerName?: string | null;
  /** Each of these matches something sent to staff about this conversation by the end (hand-offs, late arrivals). */
  staffTold?: RegExp[];
}

/** Scripts are built against the calendar of the day they run. */
export type ScriptFactory = (plan: CalendarPlan) => Script;

/** A customer message and what must hold after it. */
export function say(text: string, expect?: TurnExpectation): Step {
  return expect ? { say: text, expect } : { say: text };
}

/** Something happens outside this conversation; what the workflows then tell this customer is checked. */
export function elsewhere(what: string, act: (world: ScriptWorld) => Promise<void>, expect?: TurnExpectation): Step {
  return expect ? { elsewhere: { what, act }, expect } : { elsewhere: { what, act } };
}

/** Time passes (on the time-skipping server) and what the workflow sends on its own is checked. */
export function wait(ms: number, expect?: TurnExpectation): Step {
  return expect ? { waitMs: ms, expect } : { waitMs: ms };
}
