import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PlannedSlot } from './slots';

/**
 * One simulated web-chat customer: opens a session per booking, asks for its slot, says "yes" to the hold, and goes
 * on with the next slot while the run lasts. It behaves as the chat page does: each message has a client message id;
 * on a 5xx or a dropped connection it sends the same message again with the same id; on 202 (the turn outlived the
 * gateway's wait) it takes the gateway's "still working on it" as first words and reads the transcript until the
 * answer is there, as the page waits on its event stream. It watches the transcript from the first send, so the time
 * to the answer is measured whichever way it comes.
 */

export interface ChatState {
  status: string;
  hold: { bookingId: string; start: string; provider: string } | null;
  bookings: { id: string; service: string; provider: string; start: string; end: string; status: string }[];
  needsHuman: boolean;
}
export interface TranscriptLine {
  role: 'customer' | 'assistant' | 'operator';
  text: string;
  at: string;
}

export interface TurnRecord {
  text: string;
  clientMessageId: string;
  sentAt: number;
  /**
   * ms from the first send until the customer saw words for this turn: the answer, or a "still working on it" — the
   * gateway's (in a 202, when the turn outlives its wait) or the workflow's (in the transcript). The turn budget's measure.
   */
  firstWordsMs?: number;
  /** ms until the answer itself was seen (any assistant words other than an acknowledgement). */
  firstAnswerMs?: number;
  /** ms until the turn was done for the customer: a 200, or after a 202 its answer in the transcript. */
  completedMs?: number;
  /** HTTP answers to this message's sends, e.g. {202: 1, 503: 2, 200: 1, network: 1}. */
  answers: Record<string, number>;
  /** A refusal that retrying cannot fix (a 4xx other than 429). */
  refused?: string;
}

export interface SessionRecord {
  customer: number;
  sessionId?: string;
  slot: PlannedSlot;
  turns: TurnRecord[];
  outcome: 'booked' | 'handed_off' | 'gave_up' | 'unfinished' | 'failed';
  detail?: string;
  state?: ChatState;
}

export interface CustomerOptions {
  baseUrl: string;
  index: number;
  /** The slots this customer books, in order. */
  slots: () => PlannedSlot | undefined;
  /** No new turn starts after this instant (epoch ms). */
  loadEndsAt: number;
  /** A turn already sent is followed until this instant (epoch ms). */
  drainEndsAt: number;
  zone: string;
  signal: AbortSignal;
  /** Answers to transcript reads, by status, shared by all customers (a read that fails is no turn's fault). */
  reads: Record<string, number>;
  /** Whether an assistant line is a "still working on it" rather than the answer. */
  isAcknowledgement: (text: string) => boolean;
}

/** People read and type: a pause before each message after the first, and between one booking and the next. */
const THINK_MS = [1000, 3000] as const;
const BETWEEN_BOOKINGS_MS = [3000, 6000] as const;
const pause = ([min, max]: readonly [number, number]) => min + Math.random() * (max - min);

/** A customer gives a booking this many messages before it gives up on that slot. */
const MAX_TURNS_PER_SESSION = 6;
/** How often the transcript is read while the first reply is awaited. */
const WATCH_MS = 500;

export async function runCustomer(options: CustomerOptions): Promise<SessionRecord[]> {
  const sessions: SessionRecord[] = [];
  // Its own address, as a trusted proxy would report it, so per-address limits apply per customer.
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': `10.88.${(options.index >> 8) & 255}.${options.index & 255}` };
  const http = new Http(options.baseUrl, headers, options.signal, options.reads);
  // Customers arrive over the first seconds rather than all in the same millisecond.
  await sleep(Math.random() * BETWEEN_BOOKINGS_MS[1], options.signal);
  while (Date.now() < options.loadEndsAt && !options.signal.aborted) {
    if (sessions.length > 0) await sleep(pause(BETWEEN_BOOKINGS_MS), options.signal);
    if (Date.now() >= options.loadEndsAt) break;
    const slot = options.slots();
    if (!slot) break;
    const session: SessionRecord = { customer: options.index, slot, turns: [], outcome: 'unfinished' };
    sessions.push(session);
    try {
      await book(session, http, options);
    } catch (error) {
      if (options.signal.aborted) break;
      session.outcome = 'failed';
      session.detail = (error as Error).message;
    }
  }
  return sessions;
}

async function book(session: SessionRecord, http: Http, options: CustomerOptions): Promise<void> {
  const opened = await http.untilAnswered('POST', '/api/chat/sessions', { timezone: options.zone }, options.loadEndsAt);
  if (opened.status !== 201) throw new Error(`opening a session: HTTP ${opened.status} ${JSON.stringify(opened.body)}`);
  session.sessionId = (opened.body as { sessionId: string }).sessionId;
  let text = session.slot.request;
  let asked = 0;
  while (session.turns.length < MAX_TURNS_PER_SESSION) {
    if (session.turns.length > 0) await sleep(pause(THINK_MS), options.signal);
    if (Date.now() >= options.loadEndsAt) return;
    if (text === session.slot.request) asked += 1;
    const turn = await say(session, http, text, options);
    if (turn.refused) {
      session.outcome = 'failed';
      session.detail = `"${text}": ${turn.refused}`;
      return;
    }
    if (turn.completedMs === undefined) return; // not answered before the drain ended: the audit decides
    const state = session.state!;
    if (state.bookings.some((b) => b.status === 'confirmed' && Date.parse(b.start) === Date.parse(session.slot.start))) {
      session.outcome = 'booked';
      return;
    }
    if (state.needsHuman) {
      // Staff have the conversation now; the assistant stays silent by design, so the customer waits for a person.
      session.outcome = 'handed_off';
      return;
    }
    if (state.hold && Date.parse(state.hold.start) === Date.parse(session.slot.start)) text = 'yes';
    else if (asked < 3) text = session.slot.request;
    else break;
  }
  session.outcome = 'gave_up';
  session.detail = `not booked after ${session.turns.length} messages`;
}

/** Sends one message until the gateway answers 200 (same client message id every time), watching the transcript meanwhile. */
async function say(session: SessionRecord, http: Http, text: string, options: CustomerOptions): Promise<TurnRecord> {
  const turn: TurnRecord = { text, clientMessageId: `chaos-${randomUUID()}`, sentAt: Date.now(), answers: {} };
  const index = session.turns.length;
  session.turns.push(turn);
  const t0 = performance.now();
  const sawWords = () => {
    if (turn.firstWordsMs === undefined) turn.firstWordsMs = Math.round(performance.now() - t0);
  };
  const sawLines = (lines: string[]) => {
    if (lines.length > 0) sawWords();
    if (turn.firstAnswerMs === undefined && lines.some((line) => !options.isAcknowledgement(line))) turn.firstAnswerMs = Math.round(performance.now() - t0);
  };
  let answered = false;
  /** The state read with the transcript that first held the answer. */
  let stateWithAnswer: ChatState | undefined;
  const watching = (async () => {
    while (!answered && turn.firstAnswerMs === undefined && Date.now() < options.drainEndsAt && !options.signal.aborted) {
      await sleep(WATCH_MS, options.signal);
      const view = await http.get(`/api/chat/sessions/${session.sessionId}`);
      if (!view) continue;
      sawLines(repliesTo(view.transcript, session.turns, index));
      // A turn's replies reach the transcript together, at its end: the state beside them is the state after it.
      if (turn.firstAnswerMs !== undefined) stateWithAnswer = view.state;
    }
  })();
  try {
    while (Date.now() < options.drainEndsAt && !options.signal.aborted) {
      const { status, body, retryAfterS } = await http.send('POST', `/api/chat/sessions/${session.sessionId}/messages`, { text, clientMessageId: turn.clientMessageId });
      turn.answers[status] = (turn.answers[status] ?? 0) + 1;
      if (status === 200) {
        const result = body as { replies: { text: string }[]; state: ChatState };
        sawLines(result.replies.map((r) => r.text));
        session.state = result.state;
        turn.completedMs = Math.round(performance.now() - t0);
        return turn;
      }
      if (status === 202) {
        // The turn outlived the gateway's wait (or took the durable path at once). The page shows the gateway's "still
        // working on it" and waits for the replies on its event stream, posting nothing more; so does this customer,
        // reading the transcript until the answer is there.
        if ((body as { acknowledgement?: string }).acknowledgement) sawWords();
        await watching;
        if (!stateWithAnswer) return turn; // the drain ended first: the audit decides
        session.state = stateWithAnswer;
        turn.completedMs = Math.round(performance.now() - t0);
        return turn;
      }
      if (status === 429) await sleep(Math.max(1, retryAfterS ?? 1) * 1000, options.signal);
      else if (status === 'network' || (typeof status === 'number' && status >= 500)) await sleep(1000, options.signal);
      else {
        turn.refused = `HTTP ${status} ${JSON.stringify(body)}`;
        return turn;
      }
    }
    return turn;
  } finally {
    answered = true;
    await watching.catch(() => undefined);
  }
}

/**
 * The assistant lines that answer customer message `index` of this session: those after its line and before the next
 * customer line. Customer lines are matched to the messages sent in order; a line repeated right after itself (the
 * same message recorded twice) belongs to the same message.
 */
export function repliesTo(transcript: TranscriptLine[], turns: { text: string }[], index: number): string[] {
  return linesByTurn(transcript, turns)[index]?.assistant ?? [];
}

export function linesByTurn(transcript: TranscriptLine[], turns: { text: string }[]): { customerLines: number; assistant: string[] }[] {
  const out = turns.map(() => ({ customerLines: 0, assistant: [] as string[] }));
  let current = -1;
  for (const line of transcript) {
    if (line.role === 'customer') {
      const next = turns[current + 1];
      if (next && line.text.trim() === next.text.trim()) current += 1;
      if (current >= 0) out[current]!.customerLines += 1;
    } else if (line.role === 'assistant' && current >= 0) {
      out[current]!.assistant.push(line.text);
    }
  }
  return out;
}

type Status = number | 'network';

/** The gateway over HTTP, with this customer's headers; network failures are an answer, not an exception. */
export class Http {
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
    private readonly signal: AbortSignal,
    private readonly reads?: Record<string, number>,
  ) {}

  async send(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: Status; body: unknown; retryAfterS?: number }> {
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers: this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text for the report
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return { status: response.status, body: parsed, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}) };
    } catch (error) {
      if (this.signal.aborted) throw error;
      return { status: 'network', body: (error as Error).message };
    }
  }

  /** Repeats a request through 5xx, 429 and network failures until it gets another answer or `until` passes. */
  async untilAnswered(method: string, path: string, body: unknown, until: number): Promise<{ status: Status; body: unknown }> {
    for (;;) {
      const answer = await this.send(method, path, body);
      const again = answer.status === 'network' || answer.status === 429 || (typeof answer.status === 'number' && answer.status >= 500);
      if (!again || Date.now() >= until) return answer;
      await sleep(answer.status === 429 ? Math.max(1, answer.retryAfterS ?? 1) * 1000 : 1000, this.signal);
    }
  }

  /** A session's transcript and state, or null when the gateway could not say right now. */
  async get(path: string): Promise<{ transcript: TranscriptLine[]; state: ChatState } | null> {
    const answer = await this.send('GET', path, undefined, 15_000);
    if (this.reads) this.reads[answer.status] = (this.reads[answer.status] ?? 0) + 1;
    return answer.status === 200 ? (answer.body as { transcript: TranscriptLine[]; state: ChatState }) : null;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
