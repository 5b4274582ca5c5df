import type { Business } from '../booking/business';
import type { ChatMessage, ModelRequest } from '../model';
import type { BookingView, SlotView, ToolName, ToolResult } from '../tools';
import { TOOL_NAMES } from '../tools';
import { renderToolResult } from './templates/tool-results';

/**
 * What the offline interpreter reads from the conversation history, the way a chat model would: the message it is
 * answering, what the customer saw last (so "yes" or "the second one" make sense), the tool calls already made in
 * this turn with their results, and the earlier messages of the current request ("a haircut" … "next Friday").
 */

/** One tool call of the current turn and what came back. */
export interface Step {
  id: string;
  name: ToolName;
  args: Record<string, unknown>;
  /** Parsed JSON of the tool message, or undefined when it has not come back (yet). */
  result?: ToolResult | { ok: false; error: string; message: string };
}

/** A list on the customer's screen: offered slots or their bookings (what "the first one" refers to). */
export type ListShown = { kind: 'slots'; items: SlotView[] } | { kind: 'bookings'; items: BookingView[] } | null;

/** One customer message of the current request and the list it was answering. */
export interface EpisodeTurn {
  text: string;
  answering: ListShown;
  /** Its position in the request's messages (what was being discussed when it was written lies before it). */
  index: number;
}

export interface DialogueState {
  /** The customer message this turn answers. */
  userText: string;
  /** Customer messages of the current request (since the last booking, cancellation or move), oldest first. */
  episode: EpisodeTurn[];
  /** What the customer was shown before `userText`: facts rendered from tool results and the assistant's text. */
  previousShown: string;
  /** Tool calls already made in this turn, in order. */
  steps: Step[];
  /** The last list the customer saw before this message. */
  lastList: ListShown;
  /**
   * The last free times found in this request, shown or not (a hold made in the same turn hides the list it came
   * from): a time the customer names ("make it 4pm") can be matched against them; a position ("the second one")
   * only against {@link lastList}.
   */
  lastFound: SlotView[];
  /** The last tool outcome before this message (e.g. a refusal that offered a person). */
  lastOutcome: { name: string; ok: boolean; error?: string } | null;
  /** How many model calls this turn has had already (assistant messages after the user message). */
  callsSoFar: number;
  /** How many tool calls the whole history holds, to keep call ids unique. */
  toolCallsSoFar: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as string[]).includes(name);
}

/** A numbered list line ("1. Fri 4 Dec, 9:00 AM with Alex"), or one grouped by day ("Fri 4 Dec: 1. 9:00 AM, 2. …"). */
const NUMBERED_LIST = /(?:^|\n)(?:[^\n]*?:\s+)?1\.\s/;

/** Tool results that close a request: after them a new message starts a new one, and old lists are stale. */
const CLOSING = new Set<ToolName>(['confirm_booking', 'confirm_change', 'keep_booking', 'cancel_booking', 'reschedule_booking']);

export function readDialogue(request: ModelRequest, business: Business): DialogueState {
  const { messages, context } = request;
  const lastUser = findLastIndex(messages, (m) => m.role === 'user');
  const userText = lastUser >= 0 ? (messages[lastUser] as Extract<ChatMessage, { role: 'user' }>).content : '';
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  let toolCallsSoFar = 0;
  for (const m of messages) {
    if (m.role === 'assistant' && m.toolCalls) {
      for (const c of m.toolCalls) {
        toolCallsSoFar += 1;
        calls.set(c.id, { name: c.name, args: (parseJson(c.arguments) as Record<string, unknown>) ?? {} });
      }
    }
  }

  // This turn's steps.
  const steps: Step[] = [];
  let callsSoFar = 0;
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role === 'assistant') {
      callsSoFar += 1;
      for (const c of m.toolCalls ?? []) {
        if (isToolName(c.name)) steps.push({ id: c.id, name: c.name, args: calls.get(c.id)?.args ?? {} });
      }
    }
    if (m.role === 'tool') {
      const step = steps.find((s) => s.id === m.toolCallId);
      if (step) step.result = parseJson(m.content) as Step['result'];
    }
  }

  // What the customer saw between the previous customer message and this one.
  const opts = { locale: context.locale, zone: context.zone, business };
  const prevUser = findLastIndex(messages.slice(0, Math.max(lastUser, 0)), (m) => m.role === 'user');
  const shown: string[] = [];
  for (const m of messages.slice(prevUser + 1, Math.max(lastUser, 0))) {
    if (m.role === 'assistant' && m.content && !m.toolCalls?.length) shown.push(m.content);
    if (m.role === 'tool' && isToolName(m.name)) {
      const result = parseJson(m.content) as ToolResult | undefined;
      if (result && typeof result === 'object') {
        const text = renderToolResult(m.name, result, opts);
        if (text) shown.push(text);
      }
    }
  }

  // Walk the history once: the list on screen before each customer message, and where the request began.
  let onScreen: ListShown = null;
  // The list a turn's availability check found, until the turn ends: a hold or a move in the same turn means the
  // customer was told what happened, not shown the menu (workflows/turn.ts drops it), so it was never on screen.
  let listBeforeThisTurn: ListShown = null;
  let found: SlotView[] = [];
  const turns: EpisodeTurn[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'user') {
      if (i <= lastUser) turns.push({ text: m.content, answering: onScreen, index: i });
      listBeforeThisTurn = onScreen;
      return;
    }
    if (m.role === 'assistant' && !m.toolCalls?.length && m.content && i < lastUser && NUMBERED_LIST.test(m.content) && context.offered.length) {
      // A notice from the appointment workflow (the no-show follow-up) listing times: those are on screen now.
      onScreen = { kind: 'slots', items: context.offered };
      return;
    }
    if (m.role !== 'tool' || i > lastUser) return;
    const result = parseJson(m.content) as Record<string, unknown> | undefined;
    if (!result || typeof result !== 'object') return;
    if (m.name === 'get_availability' && result.ok === true) {
      const exact = result.exact as SlotView | null;
      onScreen = { kind: 'slots', items: [...(exact ? [exact] : []), ...((result.alternatives as SlotView[]) ?? [])] };
    } else if (result.ok === false && Array.isArray(result.alternatives) && result.alternatives.length) {
      onScreen = { kind: 'slots', items: result.alternatives as SlotView[] };
    } else if (m.name === 'list_my_bookings' && result.ok === true) {
      const bookings = (result.bookings as BookingView[]) ?? [];
      onScreen = { kind: 'bookings', items: bookings.filter((b) => b.status === 'confirmed').sort((a, b) => Date.parse(a.start) - Date.parse(b.start)) };
    }
    if (onScreen?.kind === 'slots') found = onScreen.items;
    // A hold, or a move held and read back, in the same turn as the search: the customer saw the read-back, not the list.
    if ((m.name === 'hold_slot' || m.name === 'reschedule_booking') && result.ok === true && onScreen !== listBeforeThisTurn) onScreen = null;
    // A cancellation or move read back (`proposed`) is still open: the customer's answer belongs to the same request.
    if (CLOSING.has(m.name as ToolName) && result.ok === true && !('proposed' in result)) {
      onScreen = null;
      found = [];
      turns.length = 0;
    }
  });
  const lastOutcome = lastToolOutcome(messages.slice(0, Math.max(lastUser, 0)));
  const episode = turns.slice(-6);
  const lastList = episode[episode.length - 1]?.answering ?? null;

  return { userText, episode, previousShown: shown.join('\n'), steps, lastList, lastFound: found, lastOutcome, callsSoFar, toolCallsSoFar };
}

function lastToolOutcome(messages: ChatMessage[]): DialogueState['lastOutcome'] {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i]!;
    if (m.role === 'user') return null;
    if (m.role === 'tool') {
      const r = parseJson(m.content) as { ok?: boolean; error?: string } | undefined;
      return { name: m.name, ok: r?.ok === true, ...(r?.error ? { error: r.error } : {}) };
    }
  }
  return null;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (predicate(items[i]!)) return i;
  return -1;
}
