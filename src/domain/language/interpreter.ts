import { DateTime } from 'luxon';
import type { Business } from '../booking/business';
import type { ModelReply, ModelRequest } from '../model';
import type { BookingView, SlotView, ToolArgs, ToolCall, ToolName, ToolResults } from '../tools';
import { readDialogue, type DialogueState, type EpisodeTurn, type Step } from './dialogue-state';
import { detectLocale } from './locale';
import * as ask from './questions';
import type { Unresolved } from './resolve';
import { activeBookings, type RenderOptions } from './templates/format';
import { fallback, greeting, optedOut, outOfScope } from './templates/messages';
import { understand, type Understanding } from './understand';
import { afterBooking, frontDeskReply } from './front-desk-turn';
import { invitedToWaitlist, wantsWaitlist } from './intents';
import { waitlistWindow } from '../booking/waitlist';
import { bookedJustBefore, discussedBefore } from './discussed';
import { anchorOf, positionByTime, readReferences, type Anchor, type ReferenceWords } from './references';
import { inContext } from './in-context';
import { WEEKDAYS, type Weekday } from '../booking/business';

/**
 * The offline interpreter: a deterministic stand-in for a tool-calling chat model. Each call reads the whole
 * history like a model would and answers with either tool calls or a final text, so the conversation workflow's
 * agent loop cannot tell it from an OpenAI-compatible model. Facts are never in its text: the workflow renders
 * every tool result with the templates, and the interpreter only adds questions. A turn ends within 4 calls.
 */

/** The workflow allows 5 model calls a turn; the interpreter always ends by the 4th. */
const LAST_CALL = 4;

/** What the customer wants, gathered over the messages of the current request. */
interface Wanted {
  service?: string;
  provider?: string;
  date?: string;
  time?: string;
  window?: { start: string; end: string };
  /** Last day of a span ("next week", "in the next two weeks"); `date` is the first. */
  dateTo?: string;
  /** Only these weekdays ("weekday mornings", "Thursday or Friday"; "not Monday" leaves the other six). */
  weekdays?: Weekday[];
  /** Dates ruled out ("except the 24th"). */
  excludeDates?: string[];
  soonest?: boolean;
  /** The time was said without am/pm and nothing settled it. */
  meridiem?: Unresolved;
}

type Reply = ModelReply;

export function interpret(request: ModelRequest, business: Business): ModelReply {
  const state = readDialogue(request, business);
  const ctx = request.context;
  const locale = detectLocale(state.userText) ?? ctx.locale;
  const opts: RenderOptions = { locale, zone: ctx.zone, business };
  const out = new ReplyBuilder(state, request.tools, ctx.now);
  if (!state.userText.trim()) return out.text(greeting(null, opts));

  const said = understand(state.userText, { now: ctx.now, zone: ctx.zone, business, previous: state.previousShown, locale });
  // "the same day", "an hour later", "no, I said Tuesday": read against what was being discussed.
  const words = readReferences(state.userText);
  const anchor = discussedBefore(request.messages, state.episode[state.episode.length - 1]?.index ?? request.messages.length, ctx.zone);
  const u = inContext(said, words, anchor, state.lastList);
  const turn: Turn = { state, u, said, words, anchor, opts, out, request, business };
  // "no, I said Tuesday" right after a booking was confirmed: that booking is on the wrong day, so move it.
  const corrected = words.correction && !ctx.hold && (u.date || u.time) ? bookedJustBefore(request.messages, state.episode[state.episode.length - 1]?.index ?? 0) : null;
  if (corrected) return reschedule({ ...turn, correcting: corrected });
  const action = actionOf(turn);
  // The front desk first: "how much is a colour?", "I'm running late", a name given when asked.
  const desk = frontDeskReply(turn, action);
  if (desk) return desk;
  // "Put me on the waitlist", or "yes" to the invitation that followed a full day; never while a hold awaits a yes.
  const affirmsInvitation = (action === 'confirm' || action === 'book') && !ctx.hold && invitedToWaitlist(state.previousShown) && !u.date && !u.time && u.choice === undefined;
  if (out.step('join_waitlist') || ((wantsWaitlist(state.userText) || affirmsInvitation) && action !== 'cancel' && action !== 'opt_out')) return joinWaitlist(turn);
  switch (action) {
    case 'opt_out':
      return out.text(optedOut(null, opts));
    case 'out_of_scope':
      return out.text(outOfScope(null, opts));
    case 'human':
      return escalate(turn, `customer asked for a person: "${state.userText.slice(0, 200)}"`);
    case 'greeting':
      return out.text(greeting({ name: ctx.customer?.name ?? null }, opts));
    case 'confirm':
      return confirm(turn);
    case 'decline':
      return decline(turn);
    case 'list':
      return out.once('list_my_bookings', {}) ?? out.text(null);
    case 'cancel':
      return cancel(turn);
    case 'reschedule':
      return reschedule(turn);
    case 'book':
    case 'availability':
      return book(turn);
    default:
      return other(turn);
  }
}

interface Turn {
  state: DialogueState;
  /** This message's understanding with its references to the conversation filled in. */
  u: Understanding;
  /** The same, as the words alone say it. */
  said: Understanding;
  words: ReferenceWords;
  /** What was being discussed when the customer wrote this message (a booking being moved, once known). */
  anchor: Anchor | null;
  /** Set while moving a booking: the booking is what every message of the request refers to. */
  moving?: boolean;
  /** The id of the booking just confirmed that this message corrects ("no, I said Tuesday"). */
  correcting?: string;
  opts: RenderOptions;
  out: ReplyBuilder;
  request: ModelRequest;
  business: Business;
}

type Action = Understanding['intent'];

/**
 * The intent of this message, read in the light of the request it belongs to: "the first one" or "Friday at 3"
 * continue a cancellation or a move the customer started earlier; "yes" after an offer of a person asks for one.
 */
function actionOf({ state, u }: Turn): Action {
  let intent = u.intent;
  if (intent === 'confirm' && state.lastOutcome?.error === 'inside_cancellation_window') return 'human';
  // "pm", "in the afternoon": the answer to "Did you mean 3:00 AM or 3:00 PM?" continues the request.
  if (intent === 'other' && state.episode.length > 1 && ANSWER_AM_PM.test(state.userText)) intent = 'book';
  if (intent !== 'book') return intent;
  const explicitBooking = /\b(?:book|reserv\w*|new appointment|another appointment|cita nueva|otra cita)\b/i.test(state.userText);
  if (explicitBooking) return 'book';
  for (let i = state.episode.length - 2; i >= 0; i -= 1) {
    const earlier = quickIntent(state.episode[i]!);
    if (earlier === 'cancel' || earlier === 'reschedule') return earlier;
    if (earlier === 'book' || earlier === 'availability') break;
  }
  return 'book';
}

/** The intent words of an earlier message of the request (keywords only: that message was already answered). */
function quickIntent(turn: EpisodeTurn): Action {
  return /\b(?:cancel\w*|cancelar|anular|can'?t make it)\b/i.test(turn.text) && !/^\s*cancel\s*[.!]?\s*$/i.test(turn.text)
    ? 'cancel'
    : /\b(?:re-?schedul\w*|move|moving|postpone|push|change (?:my|the) (?:appointment|booking)|reprogramar|cambiar|mover)\b/i.test(turn.text)
      ? 'reschedule'
      : /\b(?:book|reserv\w*|appointment|cita)\b/i.test(turn.text)
        ? 'book'
        : 'other';
}

// ---------------------------------------------------------------------------------------------------------------
// Booking and availability
// ---------------------------------------------------------------------------------------------------------------

/** Merges what the customer said over the request (later messages win), starting from the conversation's slots. */
function gather(turn: Turn): Wanted {
  const { state, request, business, u } = turn;
  const ctx = request.context;
  const wanted: Wanted = {};
  if (ctx.slots.service) wanted.service = ctx.slots.service;
  if (ctx.slots.provider) wanted.provider = ctx.slots.provider;
  if (ctx.slots.date && ctx.slots.date >= today(turn)) wanted.date = ctx.slots.date;
  const earlier = state.episode.slice(0, -1).map((t) => ({ text: t.text, said: earlierInContext(turn, t) }));
  for (const { text, said } of [...earlier, { text: state.userText, said: u }]) {
    if (said.service) wanted.service = said.service;
    if (said.provider) wanted.provider = said.provider;
    const newDay = said.date ?? said.range?.start;
    if (newDay) {
      wanted.date = newDay;
      if (said.range && !said.date) wanted.dateTo = said.range.end;
      else delete wanted.dateTo;
      delete wanted.soonest;
    }
    if (said.weekdays || said.excludeWeekdays) {
      // "weekdays", "Thursday or Friday", and "not Monday" (the other days): narrows the days, never pins one.
      const allowed = (said.weekdays ?? wanted.weekdays ?? WEEKDAYS).filter((d) => !said.excludeWeekdays?.includes(d));
      if (allowed.length) wanted.weekdays = [...allowed];
      if (!newDay && !wanted.date) spanFromTomorrow(turn, wanted, said.weekdays ? 14 : 7);
      delete wanted.soonest;
    }
    if (said.excludeDates) {
      wanted.excludeDates = [...new Set([...(wanted.excludeDates ?? []), ...said.excludeDates])].sort();
      if (!newDay && !wanted.date && !wanted.weekdays) spanFromTomorrow(turn, wanted, 7);
    }
    if (said.soonest) {
      wanted.soonest = true;
      delete wanted.date;
      delete wanted.dateTo;
    }
    if (said.time) {
      wanted.time = said.time;
      wanted.meridiem = said.unresolved?.find((x) => x.kind === 'meridiem');
      if (!said.window) delete wanted.window;
    } else if (wanted.meridiem && (said.window || MERIDIEM_WORD.test(text))) {
      // "Did you mean 3 AM or 3 PM?" … "the afternoon": the answer settles the earlier time.
      const pm = said.window ? said.window.start >= '12:00' : PM_WORD.test(text);
      wanted.time = pm ? wanted.meridiem.candidates?.[1] : wanted.meridiem.candidates?.[0];
      delete wanted.meridiem;
      continue;
    }
    if (said.window) wanted.window = said.window;
  }
  // A time on a span of days is looked for on its first allowed day; the span still bounds the alternatives.
  if (wanted.time && wanted.date && wanted.weekdays) wanted.date = firstAllowed(wanted.date, wanted.weekdays, wanted.excludeDates) ?? wanted.date;
  return wanted;
}

/** Days from tomorrow (today is mostly past), for a request that narrows the days without naming any. */
function spanFromTomorrow(turn: Turn, wanted: Wanted, days: number): void {
  const start = DateTime.fromISO(turn.request.context.now, { zone: turn.request.context.zone }).startOf('day').plus({ days: 1 });
  wanted.date = start.toFormat('yyyy-MM-dd');
  wanted.dateTo = start.plus({ days: days - 1 }).toFormat('yyyy-MM-dd');
}

/** The first date from `from` on an allowed weekday and not ruled out (within two weeks). */
function firstAllowed(from: string, weekdays: readonly Weekday[], excluded: readonly string[] = []): string | undefined {
  let d = DateTime.fromISO(from);
  for (let i = 0; i < 14; i += 1, d = d.plus({ days: 1 })) {
    const iso = d.toFormat('yyyy-MM-dd');
    if (weekdays.includes(WEEKDAYS[d.weekday - 1]!) && !excluded.includes(iso)) return iso;
  }
  return undefined;
}

const ANSWER_AM_PM = /^\s*(?:the\s|in the\s|de la\s|por la\s)?(?:am|pm|a\.m\.|p\.m\.|morning|afternoon|evening|night|manana|mañana|tarde|noche)(?:\sone|\splease|\spor favor)?[\s.!]*$/i;
const MERIDIEM_WORD = /\b(?:am|pm|a\.m\.|p\.m\.|morning|afternoon|evening|night|manana|mañana|tarde|noche)\b/i;
const PM_WORD = /\b(?:pm|p\.m\.|afternoon|evening|night|tarde|noche)\b/i;

function today(turn: Turn): string {
  return DateTime.fromISO(turn.request.context.now, { zone: turn.request.context.zone }).toFormat('yyyy-MM-dd');
}

/**
 * An earlier message of the request, with its references read against what was discussed when it was written (or
 * against the booking being moved, which stays the same over the request).
 */
function earlierInContext(turn: Turn, t: EpisodeTurn): Understanding {
  const ctx = turn.request.context;
  const said = understand(t.text, { now: ctx.now, zone: ctx.zone, business: turn.business, locale: turn.opts.locale });
  const anchor = turn.moving ? turn.anchor : discussedBefore(turn.request.messages, t.index, ctx.zone);
  return inContext(said, readReferences(t.text), anchor, t.answering);
}

/** What this message leaves open that must be asked, never guessed. */
function blocking(turn: Turn, wanted: Wanted): Unresolved | undefined {
  const current = (turn.u.unresolved ?? []).find((x) =>
    ['nonexistent_time', 'repeated_time', 'ambiguous_weekend', 'alternatives', 'weekday_mismatch', 'invalid_date', 'past'].includes(x.kind),
  );
  if (current) return current;
  return wanted.meridiem;
}

function book(turn: Turn): Reply {
  const { out, state, opts, request } = turn;
  const ctx = request.context;

  // "the first one" right after their bookings were listed, with no cancel or move in sight: ask what to do.
  if (state.lastList?.kind === 'bookings' && turn.u.choice !== undefined) return out.text(ask.moveOrCancel(opts));
  // Picking from the slots just offered: by number, or by time and provider ("the 10:30 with Sam"). Only from a
  // list the customer was shown in this request; "the second one" with none on screen is asked about, never guessed.
  const offered = state.lastList?.kind === 'slots' ? state.lastList.items : [];
  const picked = pickOffered(turn, turn.u.choice === undefined && offered.length === 0 ? state.lastFound : offered);
  if (picked === 'out_of_range') return out.text(ask.pickFromList(offered.length, opts));
  if (picked) return holdSlot(turn, picked);
  if (turn.u.choice !== undefined && offered.length === 0 && !turn.u.date && !turn.u.time) return out.text(ask.noListShown(opts, Boolean(ctx.hold)));

  const wanted = gather(turn);
  if (!wanted.service) return out.text(ask.askService(opts));
  const unclear = blocking(turn, wanted);
  if (unclear) return out.text(ask.askAboutUnresolved(unclear, opts));

  const availability = out.step('get_availability');
  if (!availability) return out.call('get_availability', availabilityArgs(wanted, wanted.service, wanted.provider));
  const result = availability.result as ToolResults['get_availability'] | undefined;
  if (result?.ok && result.exact && wanted.time && wanted.date) {
    // The customer named a day and a time and it is free: hold it and read it back.
    return holdSlot(turn, result.exact);
  }
  if (result && !result.ok && result.error === 'unknown_service') return out.text(ask.askService(opts));
  // Only a question for availability without a day: the facts (the free times) are rendered by the workflow.
  return out.text(assumption(turn));
}

function availabilityArgs(wanted: Wanted, service: string, provider: string | undefined, forBooking?: string): ToolArgs<'get_availability'> {
  const args: ToolArgs<'get_availability'> = { service };
  if (wanted.date && !wanted.soonest) args.date = wanted.date;
  if (wanted.dateTo && args.date && wanted.dateTo > args.date) args.dateTo = wanted.dateTo;
  if (wanted.time) args.time = wanted.time;
  if (wanted.window) args.window = wanted.window;
  // Every day allowed is no restriction at all.
  if (wanted.weekdays && wanted.weekdays.length < 7) args.weekdays = [...wanted.weekdays];
  if (wanted.excludeDates?.length) args.excludeDates = wanted.excludeDates.slice(0, 31);
  if (provider) args.provider = provider;
  if (forBooking) args.forBooking = forBooking;
  return args;
}

/** Holds a slot, letting go of a different slot on hold first. */
function holdSlot(turn: Turn, slot: SlotView): Reply {
  const { out, request } = turn;
  const hold = request.context.hold;
  if (out.step('hold_slot')) return out.text(assumption(turn));
  if (hold && Date.parse(hold.start) === Date.parse(slot.start) && hold.provider === slot.provider) return out.text(ask.confirmOrRelease(turn.opts));
  if (hold && !out.step('release_hold')) return out.call('release_hold', { bookingId: hold.bookingId });
  return out.call('hold_slot', { service: slot.service, provider: slot.provider, start: slot.start });
}

/** The offered slot this message picks, 'out_of_range' for a number past the list, or null. */
function pickOffered(turn: Turn, offered: SlotView[]): SlotView | 'out_of_range' | null {
  const { u, opts } = turn;
  if (offered.length === 0) return null;
  if (u.choice !== undefined) {
    const i = u.choice === -1 ? offered.length - 1 : u.choice - 1;
    return offered[i] ?? 'out_of_range';
  }
  // "3pm works", "the 10:30 with Sam", "Sam's": a time or a provider that matches what was offered.
  if (!u.time && !u.provider) return null;
  if (u.service && !offered.some((s) => s.service === u.service)) return null;
  const matches = offered.filter((s) => {
    const local = DateTime.fromISO(s.start).setZone(opts.zone);
    if (u.time && local.toFormat('HH:mm') !== u.time) return false;
    if (u.date && local.toFormat('yyyy-MM-dd') !== u.date) return false;
    if (u.provider && s.provider !== u.provider) return false;
    return true;
  });
  if (!u.time && matches.length !== 1) return null;
  return matches[0] ?? null;
}

/**
 * Joins the waitlist for what the customer asked: the day and window (or time) of this message, else of the last
 * availability check that found them full; service and provider likewise.
 */
function joinWaitlist(turn: Turn): Reply {
  const { out, opts, request } = turn;
  if (out.step('join_waitlist')) return out.text(null);
  const wanted = gather(turn);
  const lastCheck = lastAvailabilityArgs(request);
  const service = turn.u.service ?? lastCheck?.service ?? wanted.service;
  if (!service) return out.text(ask.askService(opts));
  const fromMessage = Boolean(turn.u.date || turn.u.range);
  const date = fromMessage ? (turn.u.date ?? turn.u.range?.start) : (lastCheck?.date ?? wanted.date);
  if (!date) return out.text(ask.askNewTime(service, opts));
  const dateTo = fromMessage && turn.u.range ? turn.u.range.end : date;
  const window = fromMessage ? waitlistWindow({ time: turn.u.time, window: turn.u.window }) : waitlistWindow({ time: lastCheck?.time ?? wanted.time, window: lastCheck?.window ?? wanted.window });
  const provider = turn.u.provider ?? lastCheck?.provider ?? wanted.provider;
  return out.call('join_waitlist', { service, dateFrom: date, dateTo, ...(provider ? { provider } : {}), ...(window ? { window } : {}) });
}

/** The arguments of the last availability check in the history (what the customer was told is full). */
function lastAvailabilityArgs(request: ModelRequest): ToolArgs<'get_availability'> | null {
  for (let i = request.messages.length - 1; i >= 0; i -= 1) {
    const m = request.messages[i]!;
    const call = m.role === 'assistant' ? m.toolCalls?.find((c) => c.name === 'get_availability') : undefined;
    if (!call) continue;
    try {
      return JSON.parse(call.arguments) as ToolArgs<'get_availability'>;
    } catch {
      return null;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Confirm, decline, other
// ---------------------------------------------------------------------------------------------------------------

function confirm(turn: Turn): Reply {
  const { out, request, state, opts } = turn;
  const hold = request.context.hold;
  if (out.step('confirm_change')) return out.text(null);
  // A "yes" answers the last read-back: a change to a booking, or a hold, whichever the customer saw last (a hold
  // read back since — even one booked or let go — means the change's read-back is not what this yes is about).
  const pending = request.context.pendingChange;
  if (pending && lastReadBack(request) !== 'hold') return out.call('confirm_change', { bookingId: pending.booking.id, change: pending.change });
  if (hold) return out.once('confirm_booking', { bookingId: hold.bookingId }) ?? out.text(afterBooking(turn));
  if (out.step('confirm_booking')) return out.text(afterBooking(turn));
  // The last thing that happened was a hold that is no longer there: it expired or was let go, so a "yes" now has
  // nothing to confirm (and the list it came from is stale). Likewise a move whose held time ran out.
  const lastTool = [...request.messages].reverse().find((m) => m.role === 'tool');
  if (lastTool?.role === 'tool' && lastTool.name === 'hold_slot' && /"ok":true/.test(lastTool.content)) return out.text(ask.nothingToConfirm(opts));
  if (lastTool?.role === 'tool' && (lastTool.name === 'reschedule_booking' || lastTool.name === 'cancel_booking') && /"proposed"/.test(lastTool.content)) {
    return out.text(ask.nothingToConfirm(opts));
  }
  // Only a list the customer was shown in this request: "yes" to times from an earlier request means nothing now.
  const offered = state.lastList?.kind === 'slots' ? state.lastList.items : [];
  if (offered.length === 1) return holdSlot(turn, offered[0]!);
  if (offered.length > 1) return out.text(ask.askWhichOffered(offered.length, opts));
  return out.text(ask.nothingToConfirm(opts));
}

function decline(turn: Turn): Reply {
  const { out, request, state, opts } = turn;
  const hold = request.context.hold;
  if (out.step('keep_booking')) return out.text(ask.anythingElse(opts));
  // "No" to a change read back keeps the booking (and lets a move's held time go).
  const pending = request.context.pendingChange;
  if (pending && lastReadBack(request) !== 'hold') return out.call('keep_booking', { bookingId: pending.booking.id });
  if (hold) return out.once('release_hold', { bookingId: hold.bookingId }) ?? out.text(ask.anotherTime(opts));
  if (out.step('release_hold')) return out.text(ask.anotherTime(opts));
  if (state.lastList?.kind === 'slots') return out.text(ask.anotherTime(opts));
  return out.text(ask.anythingElse(opts));
}

function other(turn: Turn): Reply {
  const { out, request, state, opts } = turn;
  if (request.context.hold) return out.text(ask.confirmOrRelease(opts));
  if (state.lastList?.kind === 'slots' && state.lastList.items.length) return out.text(ask.pickFromList(state.lastList.items.length, opts));
  return out.text(fallback(null, opts));
}

function escalate(turn: Turn, reason: string): Reply {
  return turn.out.once('escalate_to_human', { reason: reason.slice(0, 500) }) ?? turn.out.text(null);
}

// ---------------------------------------------------------------------------------------------------------------
// Cancel and reschedule
// ---------------------------------------------------------------------------------------------------------------

/** The customer's upcoming bookings: from a list fetched this turn, else what the conversation knows. */
function knownBookings(turn: Turn): BookingView[] | null {
  const listed = turn.out.step('list_my_bookings')?.result as ToolResults['list_my_bookings'] | undefined;
  if (listed?.ok) {
    // An empty list is an answer ("you have none"), not a reason to ask which one.
    const active = activeBookings(listed.bookings);
    return active.length ? active : null;
  }
  const known = activeBookings(turn.request.context.bookings) as BookingView[];
  return known.length ? known : null;
}

/** Which booking the customer means: picked from a list, named by day, service or provider, or the only one. */
function targetBooking(turn: Turn, bookings: BookingView[], useDate: boolean): BookingView | null {
  const { state, u, opts } = turn;
  const corrected = turn.correcting ? bookings.find((b) => b.id === turn.correcting) : undefined;
  if (corrected) return corrected;
  // A pick from a bookings list, in this message or earlier in the request.
  for (let i = state.episode.length - 1; i >= 0; i -= 1) {
    const t = state.episode[i]!;
    if (t.answering?.kind !== 'bookings') continue;
    const said = i === state.episode.length - 1 ? u : understand(t.text, { now: turn.request.context.now, zone: opts.zone, business: turn.business, previous: '1. ', locale: opts.locale });
    if (said.choice !== undefined) {
      const list = t.answering.items;
      const pick = said.choice === -1 ? list[list.length - 1] : list[said.choice - 1];
      if (pick) return bookings.find((b) => b.id === pick.id) ?? pick;
    }
  }
  if (bookings.length === 1) return bookings[0]!;
  // "move the earlier one": of the customer's bookings, by time.
  if (turn.words.pick) {
    const position = positionByTime(bookings, turn.words.pick);
    if (position !== undefined) return bookings[position - 1]!;
  }
  const matches = bookings.filter((b) => {
    const local = DateTime.fromISO(b.start).setZone(opts.zone);
    if (useDate && u.date && local.toFormat('yyyy-MM-dd') !== u.date) return false;
    if (u.service && b.service !== u.service) return false;
    if (u.provider && b.provider !== u.provider) return false;
    return Boolean((useDate && u.date) || u.service || u.provider);
  });
  return matches.length === 1 ? matches[0]! : null;
}

function cancel(turn: Turn): Reply {
  const { out, opts, request } = turn;
  // Only a read-back: the cancellation itself waits for the customer's yes in their next message.
  if (out.step('cancel_booking') || out.step('confirm_change')) return out.text(null);
  const bookings = knownBookings(turn);
  if (!bookings) {
    if (!out.step('list_my_bookings')) return out.call('list_my_bookings', {});
    return out.text(null); // the list says there are none
  }
  const target = targetBooking(turn, bookings, true);
  // "Yes, cancel it" in answer to the read-back of this very cancellation is the yes.
  const pending = request.context.pendingChange;
  if (pending?.change === 'cancel' && (!target || target.id === pending.booking.id) && bookings.some((b) => b.id === pending.booking.id)) {
    return out.call('confirm_change', { bookingId: pending.booking.id, change: 'cancel' });
  }
  if (target) return out.call('cancel_booking', { bookingId: target.id });
  if (!out.step('list_my_bookings')) return out.call('list_my_bookings', {});
  return out.text(ask.askWhichBooking('cancel', opts));
}

function reschedule(turn: Turn): Reply {
  const { out, opts, state, request } = turn;
  // A move is held and read back; the booking moves on the customer's yes in their next message.
  const done = out.step('reschedule_booking') ?? out.step('confirm_change');
  if (done) return out.text(assumption(turn));
  const bookings = knownBookings(turn);
  if (!bookings) {
    if (!out.step('list_my_bookings')) return out.call('list_my_bookings', {});
    return out.text(ask.noBookings(opts));
  }
  const target = targetBooking(turn, bookings, false);
  if (!target) {
    if (!out.step('list_my_bookings')) return out.call('list_my_bookings', {});
    return out.text(ask.askWhichBooking('reschedule', opts));
  }
  // "11am the same day", "an hour later", "with Sam instead": said of the booking being moved.
  const moving = movingTurn(turn, target);

  // A pick from the new times just offered.
  const offered = state.lastList?.kind === 'slots' ? state.lastList.items : [];
  const picked = pickOffered(moving, offered);
  if (picked === 'out_of_range') return out.text(ask.pickFromList(offered.length, opts));
  if (picked) return out.call('reschedule_booking', moveArgs(target, picked));
  if (moving.u.choice !== undefined && offered.length === 0 && state.lastList?.kind !== 'bookings') return out.text(ask.noListShown(opts));

  const wanted = gather(moving);
  // "Yes, move it" in answer to the read-back of this very move, with no new time in it, is the yes.
  const pending = request.context.pendingChange;
  const said = moving.u;
  if (pending?.change === 'move' && pending.booking.id === target.id && !said.date && !said.time && !said.window && !said.soonest) {
    return out.call('confirm_change', { bookingId: target.id, change: 'move' });
  }
  if (!wanted.date && !wanted.time && !wanted.window && !wanted.soonest) return out.text(ask.askNewTime(target.service, opts));
  const unclear = blocking(moving, wanted);
  if (unclear) return out.text(ask.askAboutUnresolved(unclear, opts));
  const availability = out.step('get_availability');
  // The booking's own time is not busy for its move (an hour later the same day can overlap it).
  if (!availability) return out.call('get_availability', availabilityArgs(wanted, target.service, moving.u.provider, target.id));
  const result = availability.result as ToolResults['get_availability'] | undefined;
  if (result?.ok && result.exact && wanted.time && wanted.date) return out.call('reschedule_booking', moveArgs(target, result.exact));
  return out.text(assumption(moving));
}

/** The turn as it reads while moving `target`: the booking is what "the same day" or "an hour later" refer to. */
function movingTurn(turn: Turn, target: BookingView): Turn {
  const anchor = anchorOf(target, turn.opts.zone);
  return { ...turn, moving: true, anchor, u: inContext(turn.said, turn.words, anchor, turn.state.lastList) };
}

/** "I took 3 as 3:00 PM": said whenever the opening hours settled a time given without am/pm. */
function assumption(turn: Turn): string | null {
  const assumed = turn.u.assumedMeridiem;
  return assumed && turn.u.time === assumed.time ? ask.assumedMeridiem(assumed.time, turn.opts) : null;
}

/** Which read-back the customer saw last: a hold (hold_slot) or a change to a booking (cancel_booking, reschedule_booking). */
function lastReadBack(request: ModelRequest): 'hold' | 'change' | null {
  for (let i = request.messages.length - 1; i >= 0; i -= 1) {
    const m = request.messages[i]!;
    if (m.role !== 'tool' || !/"ok":true/.test(m.content)) continue;
    if (m.name === 'hold_slot') return 'hold';
    if ((m.name === 'cancel_booking' || m.name === 'reschedule_booking') && /"proposed"/.test(m.content)) return 'change';
  }
  return null;
}

function moveArgs(target: BookingView, slot: SlotView): ToolArgs<'reschedule_booking'> {
  const args: ToolArgs<'reschedule_booking'> = { bookingId: target.id, start: slot.start };
  if (slot.provider !== target.provider) args.provider = slot.provider;
  return args;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------------------------

/** Builds replies: one tool call (with a unique id) or a final text; knows this turn's steps and the call cap. */
class ReplyBuilder {
  private readonly nowTag: string;

  constructor(
    private readonly state: DialogueState,
    private readonly tools: ToolName[],
    now: string,
  ) {
    const ms = Date.parse(now);
    this.nowTag = Number.isFinite(ms) ? ms.toString(36) : 'x';
  }

  /** This turn's call of a tool, if it was made. */
  step(name: ToolName): Step | undefined {
    return [...this.state.steps].reverse().find((s) => s.name === name);
  }

  text(text: string | null): Reply {
    return { text, toolCalls: [] };
  }

  call<N extends ToolName>(name: N, args: ToolArgs<N>): Reply {
    if (!this.tools.includes(name) || this.state.callsSoFar >= LAST_CALL - 1) return this.text(null);
    // Unique within any window of the history: the turn's clock plus the running count of calls.
    const id = `call_${this.nowTag}_${this.state.toolCallsSoFar + 1}`;
    const toolCall: ToolCall = { id, name, arguments: JSON.stringify(args) };
    return { text: null, toolCalls: [toolCall] };
  }

  /** Calls a tool unless this turn already did; null when it did. */
  once<N extends ToolName>(name: N, args: ToolArgs<N>): Reply | null {
    return this.step(name) ? null : this.call(name, args);
  }
}
