import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../src/domain/booking/types';
import { renderToolResult } from '../../src/domain/language/templates';
import type { ConversationState } from '../../workflows/messages';
import { demoBusiness } from '../support/time-skipping';
import { CalendarPlan } from './calendar';
import { familyOf } from './families';
import { figures } from './metrics';
import { checkFacts, checkLedger, checkTurn, runScripts, type ScriptResult, type TurnRecord } from './runner';
import { buildScripts, type PlannedScript } from './scripts';

/** The checks the scripted conversations rely on must fail when the conversation is wrong. */
const business = demoBusiness();
const zone = business.timezone;
const plan = new CalendarPlan(business, DateTime.fromISO('2027-03-10T09:00', { zone }));
const opts = { locale: 'en' as const, zone, business };

const row = (over: Partial<Booking>): Booking => ({
  id: 'bk_1',
  customerKey: 'chat:me',
  serviceId: 'haircut',
  providerId: 'alex',
  start: plan.instant('2027-03-29', '10:00'),
  end: plan.instant('2027-03-29', '10:30'),
  status: 'confirmed',
  expiresAt: null,
  ...over,
});
const state = (over: Partial<ConversationState> = {}): ConversationState => ({
  status: 'open',
  slots: {},
  hold: null,
  bookings: [],
  needsHuman: false,
  locale: 'en',
  usage: { promptTokens: 0, completionTokens: 0, modelCalls: 0 },
  ...over,
});
const turn = (replies: string[], s: ConversationState = state()): TurnRecord => ({ say: 'x', replies, families: replies.map(familyOf), state: s });
const booked = (b: Booking) => renderToolResult('confirm_booking', { ok: true, booking: { id: b.id, service: b.serviceId, provider: b.providerId, start: b.start, end: b.end, status: 'confirmed' } }, opts)!;

describe('checkFacts', () => {
  it('accepts a confirmation that states the ledger row', () => {
    const b = row({});
    expect(checkFacts(turn([booked(b)]), [b], opts)).toEqual([]);
  });

  it('flags a confirmation of a time the ledger does not hold, or of a row that is not confirmed', () => {
    const b = row({});
    const other = row({ start: plan.instant('2027-03-29', '11:00'), end: plan.instant('2027-03-29', '11:30') });
    expect(checkFacts(turn([booked(other)]), [b], opts)).toEqual([expect.stringContaining('"booked" fact the ledger does not hold')]);
    expect(checkFacts(turn([booked(b)]), [row({ status: 'cancelled' })], opts)).toHaveLength(1);
  });
});

describe('checkTurn', () => {
  it('flags silence, unknown text, missing or unwanted families, wrong slots and state', () => {
    expect(checkTurn(turn([]), {}, plan)).toEqual([expect.stringContaining('said nothing')]);
    expect(checkTurn(turn(['Your appointment is booked for Friday!']), {}, plan)).toEqual([expect.stringContaining('no known template')]);
    const greeting = renderToolResult('list_my_bookings', { ok: true, bookings: [] }, opts)!;
    expect(checkTurn(turn([greeting]), { families: ['list'] }, plan)).toEqual([expect.stringContaining('expected a "list" reply')]);
    expect(checkTurn(turn([greeting]), { notFamilies: ['no_bookings'] }, plan)).toHaveLength(1);
    expect(checkTurn(turn([greeting]), { text: [/upcoming appointments/] }, plan)).toEqual([]);
    expect(checkTurn(turn([greeting]), { text: [/waitlist/] }, plan)).toEqual([expect.stringContaining('no reply matches /waitlist/')]);
    const s = state({ slots: { service: 'haircut', date: '2027-03-29' }, needsHuman: true });
    expect(checkTurn(turn([greeting], s), { slots: { service: 'haircut', date: '2027-03-30' }, needsHuman: false, hold: {} }, plan)).toEqual([
      expect.stringContaining('needsHuman is true'),
      expect.stringContaining('expected a hold'),
      expect.stringContaining('slot date is 2027-03-29, expected 2027-03-30'),
    ]);
  });

  it('reads a hold in the business zone', () => {
    const hold = { bookingId: 'bk_1', service: 'haircut', provider: 'sam', start: plan.instant('2027-03-29', '14:00'), end: plan.instant('2027-03-29', '14:30'), expiresAt: plan.instant('2027-03-10', '09:02') };
    const held = renderToolResult('hold_slot', { ok: true, hold }, opts)!;
    expect(checkTurn(turn([held], state({ hold })), { hold: { provider: 'sam', date: '2027-03-29', time: '14:00' } }, plan)).toEqual([]);
    expect(checkTurn(turn([held], state({ hold })), { hold: { time: '15:00' } }, plan)).toEqual(['hold time is 14:00, expected 15:00']);
  });
});

describe('checkLedger', () => {
  it('wants exactly the expected rows, released holds aside', () => {
    const rows = [row({}), row({ id: 'bk_2', status: 'released' })];
    expect(checkLedger(rows, [{ status: 'confirmed', service: 'haircut', date: '2027-03-29', time: '10:00' }], plan)).toEqual([]);
    expect(checkLedger(rows, [], plan)).toEqual([expect.stringContaining('unexpected confirmed haircut with alex on 2027-03-29 10:00')]);
    expect(checkLedger(rows, [{ status: 'cancelled' }], plan)).toEqual([expect.stringContaining('missing {"status":"cancelled"}')]);
  });
});

describe('figures', () => {
  it('counts slot checks and booking scripts', () => {
    const result = (over: Partial<ScriptResult>): ScriptResult => ({
      script: { name: 'x', topic: 'booking', steps: [] },
      customerKey: 'k',
      turns: [],
      failures: [],
      slotChecks: [],
      completed: null,
      ms: 0,
      ...over,
    });
    const f = figures([
      result({ completed: true, slotChecks: [{ step: 1, field: 'date', expected: 'a', actual: 'a' }, { step: 1, field: 'time', expected: '10:00', actual: undefined }] }),
      result({ completed: false, failures: ['x'] }),
      result({ completed: null }),
    ]);
    expect(f).toMatchObject({ scripts: 3, passed: 2, slotFill: { hits: 1, total: 2, rate: 0.5 }, bookingCompletion: { hits: 1, total: 2, rate: 0.5 } });
    expect(f.slotFillByField.time).toEqual({ hits: 0, total: 1, rate: 0 });
  });
});

/**
 * runScripts' scheduling, on a fake gateway (every turn answers one greeting) and an empty ledger: what matters here
 * is who runs when, not what the assistant says.
 */
describe('runScripts', () => {
  const greeting = renderToolResult('list_my_bookings', { ok: true, bookings: [] }, opts)!;
  function fakeTarget(options: { advance?: boolean } = {}) {
    const seen = { running: 0, most: 0, said: [] as string[] };
    const app = {
      async request(path: string, init: RequestInit = {}) {
        if (path === '/api/chat/sessions') return Response.json({ sessionId: `s${Math.random()}` }, { status: 201 });
        if (init.method === 'POST') {
          seen.running += 1;
          seen.most = Math.max(seen.most, seen.running);
          seen.said.push((JSON.parse(String(init.body)) as { text: string }).text);
          await new Promise((r) => setTimeout(r, 20));
          seen.running -= 1;
          return Response.json({ replies: [{ text: greeting }], state: state() });
        }
        return Response.json({ transcript: [], state: state() });
      },
    };
    const target = {
      app: app as never,
      ledger: { listCustomerBookings: async () => [] } as never,
      keySecret: 'k'.repeat(32),
      business,
      ...(options.advance ? { advance: async () => {} } : {}),
    };
    return { target, seen };
  }
  const script = (name: string, over: Partial<PlannedScript> = {}): PlannedScript => ({
    name,
    topic: 'list',
    steps: [{ say: name, expect: { families: ['no_bookings'] } }],
    holdsAt: () => true,
    rebuild: () => script(name),
    ...over,
  });

  it('runs scripts side by side on a live target, one at a time where scripts move the clock', async () => {
    const live = fakeTarget();
    await runScripts(['a', 'b', 'c', 'd'].map((n) => script(n)), live.target, plan, { concurrency: 4 });
    expect(live.seen.most).toBeGreaterThan(1);
    const timers = fakeTarget({ advance: true });
    await runScripts(['a', 'b', 'c', 'd'].map((n) => script(n)), timers.target, plan, { concurrency: 4 });
    expect(timers.seen.most).toBe(1);
  });

  it('plans a clock-bound script for the day it runs: built again after midnight, "tmrw" is the new tomorrow', () => {
    const saturdayNight = buildScripts(new CalendarPlan(business, DateTime.fromISO('2027-03-13T23:50', { zone })));
    const tmrw = saturdayNight.find((s) => s.name === '"tmrw" for tomorrow')!;
    const namedDay = saturdayNight.find((s) => s.name === 'haircut on a named day and time, confirmed with yes')!;
    const sunday = DateTime.fromISO('2027-03-14T00:10', { zone }).toJSDate();
    expect(tmrw.locks).toEqual(['2027-03-14']);
    expect(tmrw.holdsAt(sunday)).toBe(false);
    expect(namedDay.holdsAt(sunday)).toBe(true); // a unique day means the same day whenever it runs
    expect(tmrw.rebuild(sunday).locks).toEqual(['2027-03-15']);
  });

  it('builds a script again for now when its plan has gone stale, and reruns one that failed after outrunning it', async () => {
    const { target, seen } = fakeTarget();
    const fresh = script('built for now');
    const stale = script('stale', { holdsAt: () => false, rebuild: () => fresh });
    // Valid until it has run (it crossed midnight meanwhile), and failing: run again as built for now.
    const outran = script('outran', { steps: [{ say: 'outran', expect: { families: ['booked'] } }], holdsAt: () => !seen.said.includes('outran'), rebuild: () => script('rerun') });
    // Failing within its plan: a real failure, reported as it is.
    const failing = script('failing', { steps: [{ say: 'failing', expect: { families: ['booked'] } }] });
    const results = await runScripts([stale, outran, failing], target, plan, { concurrency: 1 });
    expect(results.map((r) => r.script.name)).toEqual(['built for now', 'rerun', 'failing']);
    expect(results.map((r) => r.failures.length)).toEqual([0, 0, 1]);
    expect(seen.said).toEqual(['built for now', 'outran', 'failing', 'rerun']);
  });
});
