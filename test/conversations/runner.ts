import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { chatSessionKey } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import type { Ledger } from '../../src/adapters/ledger/ledger';
import type { Business } from '../../src/domain/booking/business';
import type { Booking } from '../../src/domain/booking/types';
import { renderToolResult } from '../../src/domain/language/templates';
import type { BookingView, HoldView } from '../../src/domain/tools';
import type { App } from '../../src/gateway/app';
import type { ConversationState } from '../../workflows/messages';
import type { LedgerRowExpectation, Script, ScriptWorld, SlotValues, Step, TurnExpectation } from '../support/conversation-script';
import type { CalendarPlan } from './calendar';
import { ChatClient, type Turn } from './chat-client';
import { familiesOf, familyOf, type Family } from './families';
import { isPlanned } from './scripts';
import { waitFor } from '../support/patience';

/**
 * Runs scripted conversations through the real gateway chat API against a running system (worker, workflows,
 * ledger) and checks what each script expects. Failures are collected, not thrown, so one run reports every
 * conversation; the transcript comes with them.
 */

/** What the runner drives: the gateway app and the ledger behind the same worker. */
export interface Target {
  app: App;
  ledger: Ledger;
  keySecret: string;
  business: Business;
  /** What was sent to staff about this customer's conversation (the outbox's staff notes); absent where unreadable. */
  staffNotes?: (customerKey: string) => Promise<string[]>;
  /** Moves the workflow clock forward (the time-skipping harness); absent on the real dev server. */
  advance?: (ms: number) => Promise<void>;
}

export interface SlotCheck {
  step: number;
  field: keyof SlotValues;
  expected: string;
  actual: string | undefined;
}

export interface TurnRecord {
  say: string | null;
  /** An `elsewhere` step: what happened outside the conversation. */
  event?: string;
  replies: string[];
  families: (Family | null)[];
  state: ConversationState;
}

export interface ScriptResult {
  script: Script;
  customerKey: string;
  turns: TurnRecord[];
  failures: string[];
  slotChecks: SlotCheck[];
  /** Booking scripts: whether the customer ends with a confirmed ledger row; null for other scripts. */
  completed: boolean | null;
  ms: number;
  /** Requests the gateway answered 503 and the client asked again (see ChatClient): shown, not failed. */
  unavailableRetries?: number;
}

let addressCounter = 0;

/** Replies that state a booking fact; each is checked against the ledger. */
const FACT_FAMILIES = new Set<Family>(['held', 'booked', 'cancelled', 'moved']);

/** Runs one script on `target`. Never throws: problems (including setup errors) are failures in the result. */
export async function runScript(script: Script, target: Target, plan: CalendarPlan): Promise<ScriptResult> {
  const started = Date.now();
  const client = new ChatClient(target.app, `198.51.100.${(addressCounter++ % 250) + 1}:${randomUUID().slice(0, 8)}`);
  const result: ScriptResult = { script, customerKey: '', turns: [], failures: [], slotChecks: [], completed: script.goal === 'book' ? false : null, ms: 0 };
  const seededForOthers: Booking[] = [];
  const zone = script.timezone ?? target.business.timezone;
  try {
    const sessionId = await client.open(script.timezone);
    const customerKey = `chat:${chatSessionKey(target.keySecret, sessionId)}`;
    result.customerKey = customerKey;
    const scriptWorld = world(target, plan, customerKey, seededForOthers);
    if (script.setup) await script.setup(scriptWorld);
    const workflowId = conversationWorkflowId('chat', chatSessionKey(target.keySecret, sessionId));

    const steps = typeof script.steps === 'function' ? script.steps() : script.steps;
    for (const [index, step] of steps.entries()) {
      // A wait step reads what the workflow sends on its own: whatever the transcript gains after this point.
      const seenLines = step.waitMs !== undefined ? (await client.view(sessionId)).transcript.length : 0;
      const turn = step.elsewhere ? await happenElsewhere(client, sessionId, step.elsewhere, target, scriptWorld, workflowId) : await play(client, sessionId, step, target, seenLines);
      const record: TurnRecord = { say: step.say ?? null, replies: turn.replies, families: turn.replies.map(familyOf), state: turn.state };
      if (step.elsewhere) record.event = step.elsewhere.what;
      result.turns.push(record);
      const statesFacts = record.families.some((f) => f !== null && FACT_FAMILIES.has(f));
      const rows = statesFacts ? await target.ledger.listCustomerBookings(customerKey) : [];
      const where = `turn ${index + 1} (${step.say !== undefined ? JSON.stringify(step.say) : step.elsewhere ? `elsewhere: ${step.elsewhere.what}` : `wait ${step.waitMs} ms`})`;
      for (const problem of checkTurn(record, step.expect ?? {}, plan)) result.failures.push(`${where}: ${problem}`);
      for (const problem of checkFacts(record, rows, { locale: turn.state.locale, zone, business: target.business })) result.failures.push(`${where}: ${problem}`);
      for (const [field, expected] of Object.entries(step.expect?.slots ?? {}) as [keyof SlotValues, string][]) {
        result.slotChecks.push({ step: index + 1, field, expected, actual: turn.state.slots[field] });
      }
    }

    const rows = await target.ledger.listCustomerBookings(customerKey);
    if (script.ledger) {
      for (const problem of checkLedger(rows, script.ledger, plan)) result.failures.push(`ledger: ${problem}`);
    }
    if (script.goal === 'book') result.completed = rows.some((r) => r.status === 'confirmed');
    if (script.staffTold?.length) {
      if (!target.staffNotes) result.failures.push('staff notes: this target cannot read what staff were sent');
      else {
        const notes = await target.staffNotes(customerKey);
        for (const re of script.staffTold) if (!notes.some((n) => re.test(n))) result.failures.push(`staff notes: none matches ${re} (were ${JSON.stringify(notes)})`);
      }
    }
    if (script.customerName !== undefined) {
      const { name } = await target.ledger.getCustomer(customerKey);
      if (name !== script.customerName) result.failures.push(`ledger: the customer's name is ${JSON.stringify(name)}, expected ${JSON.stringify(script.customerName)}`);
    }
    for (const seeded of seededForOthers) {
      const now = await target.ledger.getBooking(seeded.id);
      if (now?.status !== seeded.status) result.failures.push(`another customer's booking ${seeded.id} is now ${now?.status ?? 'gone'} (was ${seeded.status})`);
    }
  } catch (error) {
    result.failures.push(`aborted: ${error instanceof Error ? error.message : String(error)}`);
  }
  result.ms = Date.now() - started;
  result.unavailableRetries = client.unavailable;
  return result;
}

async function play(client: ChatClient, sessionId: string, step: Step, target: Target, seenLines: number): Promise<Turn> {
  if (step.say !== undefined) return client.say(sessionId, step.say);
  if (step.waitMs === undefined) throw new Error('a step needs `say` or `waitMs`');
  if (!target.advance) throw new Error('this script waits for timers: run it on the time-skipping harness');
  await target.advance(step.waitMs);
  // What the workflow sent on its own (e.g. a hold ran out): new assistant lines, once the worker has got to them.
  return waitFor(
    async () => {
      const view = await client.view(sessionId);
      const fresh = view.transcript.slice(seenLines).filter((l) => l.role === 'assistant');
      return fresh.length > 0 && { replies: fresh.map((l) => l.text), state: view.state };
    },
    `a message from the workflow after ${step.waitMs} ms passed`,
    { intervalMs: 250 },
  );
}

/**
 * An `elsewhere` step: the act happens (another customer, staff), then what the workflows leave this conversation as
 * notices — on the web chat they reach the transcript only when the customer writes again — are this turn's replies.
 */
async function happenElsewhere(client: ChatClient, sessionId: string, step: NonNullable<Step['elsewhere']>, target: Target, scriptWorld: ScriptWorld, workflowId: string): Promise<Turn> {
  const before = await target.ledger.listConversationNotices(workflowId, 0);
  const cursor = before.reduce((max, n) => Math.max(max, n.id), 0);
  await step.act(scriptWorld);
  const notices = await waitFor(
    async () => {
      const fresh = await target.ledger.listConversationNotices(workflowId, cursor);
      return fresh.length > 0 && fresh;
    },
    `a message to this customer after: ${step.what}`,
    { intervalMs: 250 },
  );
  return { replies: notices.map((n) => n.text), state: (await client.view(sessionId)).state };
}

function world(target: Target, plan: CalendarPlan, customerKey: string, seededForOthers: Booking[]): ScriptWorld {
  // The other customers' chats, by the booking they made: so one can come back and cancel it.
  const others = new Map<string, { client: ChatClient; sessionId: string; said: string[] }>();
  return {
    plan,
    customerKey,
    async otherCustomerBooks(lines) {
      const other = new ChatClient(target.app, `203.0.113.${(addressCounter++ % 250) + 1}:${randomUUID().slice(0, 8)}`);
      const sessionId = await other.open();
      const said: string[] = [];
      for (const line of lines) {
        const turn = await other.say(sessionId, line);
        said.push(`customer: ${line}`, ...turn.replies.map((r) => `assistant: ${r}`));
      }
      const rows = await target.ledger.listCustomerBookings(`chat:${chatSessionKey(target.keySecret, sessionId)}`);
      const booked = rows.find((r) => r.status === 'confirmed');
      if (!booked) throw new Error(`setup: the other customer's booking did not happen:\n${said.join('\n')}`);
      seededForOthers.push(booked);
      others.set(booked.id, { client: other, sessionId, said });
      return booked;
    },
    async otherCustomerCancels(booking) {
      const other = others.get(booking.id);
      if (!other) throw new Error(`booking ${booking.id} was not made through otherCustomerBooks`);
      // A cancellation is read back and done on the customer's yes.
      for (const line of ['cancel my appointment', 'yes']) {
        const turn = await other.client.say(other.sessionId, line);
        other.said.push(`customer: ${line}`, ...turn.replies.map((r) => `assistant: ${r}`));
      }
      const now = await target.ledger.getBooking(booking.id);
      if (now?.status !== 'cancelled') throw new Error(`the other customer's booking is ${now?.status ?? 'gone'}, not cancelled:\n${other.said.join('\n')}`);
      const i = seededForOthers.findIndex((b) => b.id === booking.id);
      if (i >= 0) seededForOthers[i] = now; // from now on it stays cancelled
    },
    async seed({ who, service, provider, start }) {
      const svc = target.business.services.find((s) => s.id === service);
      if (!svc) throw new Error(`setup: unknown service ${service}`);
      const owner = who === 'self' ? customerKey : `chat:seeded-${randomUUID()}`;
      const key = `script-seed:${randomUUID()}`;
      const held = await target.ledger.hold({
        customerKey: owner,
        serviceId: service,
        providerId: provider,
        start,
        end: DateTime.fromISO(start).plus({ minutes: svc.durationMinutes }).toUTC().toISO()!,
        bufferMinutes: svc.bufferMinutes,
        expiresAt: DateTime.now().plus({ minutes: 10 }).toUTC().toISO()!,
        idempotencyKey: `${key}:hold`,
      });
      if (!held.ok) throw new Error(`setup: seeding ${service} with ${provider} at ${start} was refused (${held.rejection.code})`);
      const confirmed = await target.ledger.confirm({ bookingId: held.value.id, customerKey: owner, idempotencyKey: `${key}:confirm` });
      if (!confirmed.ok) throw new Error(`setup: confirming the seeded booking was refused (${confirmed.rejection.code})`);
      if (who === 'other') seededForOthers.push(confirmed.value);
      return confirmed.value;
    },
    async knownAs(name) {
      await target.ledger.setCustomerPreferences({ customerKey, name });
    },
  };
}

/** The problems with one turn against its expectation (empty when it is as expected). */
export function checkTurn(turn: TurnRecord, expect: TurnExpectation, plan: CalendarPlan): string[] {
  const problems: string[] = [];
  const { state, replies } = turn;
  const families = familiesOf(replies);
  const shown = () => `replies were ${families.length ? families.join(', ') : 'none'}`;
  if (!expect.silent && replies.length === 0) problems.push('the assistant said nothing (a turn must never end in silence)');
  if (expect.silent && replies.length > 0) problems.push(`expected silence, got ${replies.length} replies`);
  replies.forEach((text, i) => {
    if (turn.families[i] === null) problems.push(`reply ${i + 1} is no known template: ${JSON.stringify(text)}`);
  });
  for (const f of expect.families ?? []) if (!families.includes(f)) problems.push(`expected a "${f}" reply; ${shown()}`);
  for (const f of expect.notFamilies ?? []) if (families.includes(f)) problems.push(`expected no "${f}" reply; ${shown()}`);
  for (const re of expect.text ?? []) if (!replies.some((r) => re.test(r))) problems.push(`no reply matches ${re}`);
  for (const re of expect.notText ?? []) {
    const hit = replies.find((r) => re.test(r));
    if (hit) problems.push(`a reply matches ${re}: ${JSON.stringify(hit)}`);
  }
  if (expect.status !== undefined && state.status !== expect.status) problems.push(`status is ${state.status}, expected ${expect.status}`);
  if (expect.needsHuman !== undefined && state.needsHuman !== expect.needsHuman) problems.push(`needsHuman is ${state.needsHuman}, expected ${expect.needsHuman}`);
  if (expect.locale !== undefined && state.locale !== expect.locale) problems.push(`locale is ${state.locale}, expected ${expect.locale}`);
  if (expect.hold === null && state.hold) problems.push(`expected nothing on hold, but ${describeHold(state.hold, plan)} is`);
  if (expect.hold) {
    if (!state.hold) problems.push(`expected a hold (${JSON.stringify(expect.hold)}), there is none`);
    else {
      const local = plan.local(state.hold.start);
      const actual: SlotValues = { service: state.hold.service, provider: state.hold.provider, date: local.date, time: local.time };
      for (const [field, value] of Object.entries(expect.hold) as [keyof SlotValues, string][]) {
        if (actual[field] !== value) problems.push(`hold ${field} is ${actual[field]}, expected ${value}`);
      }
    }
  }
  for (const [field, value] of Object.entries(expect.slots ?? {}) as [keyof SlotValues, string][]) {
    if (state.slots[field] !== value) problems.push(`slot ${field} is ${state.slots[field] ?? 'unset'}, expected ${value}`);
  }
  if (expect.confirmedBookings !== undefined) {
    const n = state.bookings.filter((b) => b.status === 'confirmed').length;
    if (n !== expect.confirmedBookings) problems.push(`state lists ${n} confirmed bookings, expected ${expect.confirmedBookings}`);
  }
  return problems;
}

function describeHold(hold: NonNullable<ConversationState['hold']>, plan: CalendarPlan): string {
  const local = plan.local(hold.start);
  return `${hold.service} with ${hold.provider} on ${local.date} ${local.time}`;
}

/**
 * Every reply that states a booking fact (held, booked, cancelled, moved) must state what the ledger holds: it is
 * compared with the template rendered from this customer's ledger rows after the turn.
 */
export function checkFacts(turn: TurnRecord, rows: Booking[], opts: Parameters<typeof renderToolResult>[2]): string[] {
  const problems: string[] = [];
  const view = (r: Booking, status: BookingView['status'] = 'confirmed'): BookingView => ({ id: r.id, service: r.serviceId, provider: r.providerId, start: r.start, end: r.end, status });
  const holdView = (r: Booking): HoldView => ({ bookingId: r.id, service: r.serviceId, provider: r.providerId, start: r.start, end: r.end, expiresAt: r.expiresAt ?? r.start });
  turn.replies.forEach((text, i) => {
    const family = turn.families[i];
    let candidates: string[] = [];
    if (family === 'booked') candidates = rows.filter((r) => r.status === 'confirmed').map((r) => renderToolResult('confirm_booking', { ok: true, booking: view(r) }, opts)!);
    else if (family === 'held') candidates = rows.filter((r) => r.status === 'held' || r.status === 'released' || r.status === 'confirmed').map((r) => renderToolResult('hold_slot', { ok: true, hold: holdView(r) }, opts)!);
    else if (family === 'cancelled') candidates = rows.filter((r) => r.status === 'cancelled').map((r) => renderToolResult('cancel_booking', { ok: true, booking: view(r, 'cancelled') }, opts)!);
    else if (family === 'moved') {
      for (const next of rows.filter((r) => r.status === 'confirmed')) {
        for (const previous of rows.filter((r) => r.status === 'cancelled')) {
          candidates.push(renderToolResult('reschedule_booking', { ok: true, booking: view(next), previous: view(previous, 'cancelled') }, opts)!);
        }
      }
    } else return;
    if (!candidates.includes(text)) problems.push(`reply states a "${family}" fact the ledger does not hold: ${JSON.stringify(text)}`);
  });
  return problems;
}

/** This customer's rows (released holds aside) must be exactly the expected ones, in any order. */
export function checkLedger(rows: Booking[], expected: LedgerRowExpectation[], plan: CalendarPlan): string[] {
  const actual = rows.filter((r) => r.status !== 'released');
  const describe = (r: Booking) => {
    const l = plan.local(r.start);
    return `${r.status} ${r.serviceId} with ${r.providerId} on ${l.date} ${l.time}`;
  };
  const remaining = [...actual];
  const missing: LedgerRowExpectation[] = [];
  for (const want of expected) {
    const i = remaining.findIndex((r) => {
      const l = plan.local(r.start);
      return (
        r.status === want.status &&
        (want.service === undefined || r.serviceId === want.service) &&
        (want.provider === undefined || r.providerId === want.provider) &&
        (want.date === undefined || l.date === want.date) &&
        (want.time === undefined || l.time === want.time)
      );
    });
    if (i >= 0) remaining.splice(i, 1);
    else missing.push(want);
  }
  if (missing.length === 0 && remaining.length === 0) return [];
  return [
    `expected rows ${expected.length ? expected.map((e) => JSON.stringify(e)).join(', ') : '(none)'}; ` +
      `the ledger holds ${actual.length ? actual.map(describe).join('; ') : 'nothing'}` +
      (missing.length ? `; missing ${missing.map((m) => JSON.stringify(m)).join(', ')}` : '') +
      (remaining.length ? `; unexpected ${remaining.map(describe).join('; ')}` : ''),
  ];
}

/**
 * How many scripts run at once on a live target. The worker, the gateway and the embedded ledger share one Node
 * thread (the dev server is the only other process), so more scripts at once than that thread can serve only make
 * every turn wait longer; a few overlap the waits on the dev server.
 */
export const DEFAULT_CONCURRENCY = 4;

/** A script is built again and rerun at most this often when it ran past the instant it was planned for. */
const MAX_RUNS = 3;

/**
 * Runs scripts concurrently (at most `concurrency` at a time), never two at once that lock the same day. Results
 * come back in the order of `scripts`; `onResult` hears of each as it is final, with its index in `scripts`.
 *
 * Scripts from buildScripts carry the instant they were planned for: one that would start after it (the next
 * business day, or past the plan's margin) is built again for now first, and one that failed after running past it
 * is built again and rerun — what it said means another day now. A real fault fails the new run too.
 *
 * A target whose clock the scripts move (the time-skipping server) runs one script at a time: skipping time for
 * one script would skip it under every other one too.
 */
export async function runScripts(
  scripts: Script[],
  target: Target,
  plan: CalendarPlan,
  options: { concurrency?: number; onResult?: (r: ScriptResult, index: number) => void } = {},
): Promise<ScriptResult[]> {
  const concurrency = target.advance ? 1 : (options.concurrency ?? DEFAULT_CONCURRENCY);
  const results = new Array<ScriptResult>(scripts.length);
  const pending = scripts.map((script, index) => ({ script, index, runs: 0 }));
  const lockedDays = new Set<string>();
  let running = 0;
  const settle = (result: ScriptResult, index: number) => {
    results[index] = result;
    options.onResult?.(result, index);
  };
  return new Promise((resolve) => {
    const pump = () => {
      const now = new Date();
      for (const [i, p] of [...pending.entries()].reverse()) {
        if (!isPlanned(p.script) || p.script.holdsAt(now)) continue;
        try {
          p.script = p.script.rebuild(now, { unused: true });
        } catch (error) {
          pending.splice(i, 1);
          settle(notBuilt(p.script, error), p.index);
        }
      }
      if (pending.length === 0 && running === 0) return resolve(results);
      while (running < concurrency) {
        const next = pending.findIndex(({ script }) => !(script.locks ?? []).some((d) => lockedDays.has(d)));
        if (next < 0) break;
        const [{ script, index, runs }] = pending.splice(next, 1) as [{ script: Script; index: number; runs: number }];
        const locks = script.locks ?? [];
        for (const d of locks) lockedDays.add(d);
        running += 1;
        void runScript(script, target, plan).then((result) => {
          for (const d of locks) lockedDays.delete(d);
          running -= 1;
          const outran = isPlanned(script) && !script.holdsAt(new Date());
          if (result.failures.length > 0 && outran && runs + 1 < MAX_RUNS) {
            try {
              pending.push({ script: script.rebuild(new Date()), index, runs: runs + 1 });
            } catch (error) {
              settle(notBuilt(script, error), index);
            }
          } else settle(result, index);
          pump();
        });
      }
    };
    pump();
  });
}

/** The result of a script that could not be built again for the current instant. */
function notBuilt(script: Script, error: unknown): ScriptResult {
  return {
    script,
    customerKey: '',
    turns: [],
    failures: [`building the script again for the current instant failed: ${error instanceof Error ? error.message : String(error)}`],
    slotChecks: [],
    completed: script.goal === 'book' ? false : null,
    ms: 0,
  };
}

/** A script's transcript as text, for failure messages and the report. */
export function transcriptOf(result: ScriptResult): string {
  const lines: string[] = [];
  for (const turn of result.turns) {
    lines.push(turn.event !== undefined ? `(elsewhere: ${turn.event})` : turn.say === null ? '(time passes)' : `customer: ${turn.say}`);
    turn.replies.forEach((r, i) => lines.push(`assistant [${turn.families[i] ?? '?'}]: ${r.replace(/\n/g, ' | ')}`));
    const s = turn.state;
    lines.push(`  state: ${s.status}, slots ${JSON.stringify(s.slots)}, hold ${s.hold ? `${s.hold.service}/${s.hold.provider}@${s.hold.start}` : 'none'}, needsHuman ${s.needsHuman}`);
  }
  return lines.join('\n');
}
