import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionKey } from '../../src/adapters/addressing';
import * as templates from '../../src/domain/language/templates';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import { CalendarPlan } from '../conversations/calendar';
import { ChatClient } from '../conversations/chat-client';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { startSystem, type TestSystem } from '../support/system';

/**
 * One whole booking slice on PostgreSQL (DATABASE_URL), as production runs it: gateway, worker, the conversation and
 * appointment workflows on the real dev server, the ledger and outbox in a real PostgreSQL server.
 */
describe('a booking on PostgreSQL, end to end', () => {
  let pg: TestPostgres;
  let system: TestSystem;
  beforeAll(async () => {
    pg = await startTestPostgres();
    system = await startSystem({ DATABASE_URL: pg.url });
  });
  afterAll(async () => {
    await system?.stop();
    await pg?.stop();
  });

  it('holds, confirms, follows the appointment and cancels as the business, every row in PostgreSQL', async () => {
    expect(system.infra.ledger.driver).toBe('postgres');
    const chat = new ChatClient(system.app, '192.0.2.20');
    const id = await chat.open();
    const day = new CalendarPlan(system.config.business).uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const held = await chat.say(id, `haircut with Alex on ${day.en} at 10am`);
    expect(held.state.hold).not.toBeNull();
    const booked = await chat.say(id, 'yes');
    const booking = booked.state.bookings.find((b) => b.status === 'confirmed')!;
    expect(booking).toBeDefined();

    // The rows are in PostgreSQL itself.
    const { rows } = await system.infra.ledger.sql.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [booking.id]);
    expect(rows).toEqual([{ status: 'confirmed' }]);
    const appointment = await system.client.workflow.getHandle(`appointment:${booking.id}`).describe();
    expect(appointment.status.name).toBe('RUNNING');

    const cancel = await system.app.request(`/api/ops/bookings/${booking.id}/cancel`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-ops-token', 'content-type': 'application/json' },
      body: JSON.stringify({ operator: 'Dana' }),
    });
    expect(cancel.status).toBe(202);
    for (;;) {
      const view = await system.infra.outbox.listByScope(`appointment:${booking.id}`);
      const status = (await system.infra.ledger.getBooking(booking.id))?.status;
      if (status === 'cancelled' && view.some((r) => r.purpose.startsWith('cancelled-by-business'))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

/**
 * The turn budget's cap fires while the ledger is slow (another session holds a lock on the bookings table), in the
 * middle of the hold the customer asked for. The hold commits after the cap: the conversation must know it, show it,
 * and let it go at its expiry, never leave it in the ledger behind the customer's back (`npm run chaos` found such
 * orphan holds).
 */
describe('a turn cut at the cap while the ledger is slow', () => {
  let pgServer: TestPostgres;
  let system: TestSystem;
  beforeAll(async () => {
    pgServer = await startTestPostgres();
    const business = JSON.parse(fs.readFileSync('config/business.json', 'utf8'));
    business.policies = { ...business.policies, holdTtlSeconds: 10, turnBudget: { firstWordsSeconds: 1, capSeconds: 5 } };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slow-ledger-')), 'business.json');
    fs.writeFileSync(file, JSON.stringify(business));
    system = await startSystem({ DATABASE_URL: pgServer.url, BUSINESS_CONFIG: file });
  });
  afterAll(async () => {
    await system?.stop();
    await pgServer?.stop();
  });

  it('keeps the hold it made, shows it, and releases it when it expires', async () => {
    const chat = new ChatClient(system.app, '192.0.2.21');
    const id = await chat.open();
    const customerKey = `chat:${chatSessionKey(system.keySecret, id)}`;
    const workflowId = conversationWorkflowId('chat', chatSessionKey(system.keySecret, id));
    const day = new CalendarPlan(system.config.business).uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });

    // Reads go on; every write to bookings waits for this session's lock.
    const blocker = new pg.Client({ connectionString: pgServer.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE bookings IN SHARE ROW EXCLUSIVE MODE');
    const turn = chat.say(id, `haircut with Alex on ${day.en} at 10am`);
    try {
      // The hold is under way (its insert waits on the lock) and the cap has fired: only then may the ledger go on.
      for (;;) {
        // Inside a transaction pg_stat_activity is a snapshot taken at its first read: clear it to see the present.
        await blocker.query('SELECT pg_stat_clear_snapshot()');
        const { rows: waiting } = await blocker.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`);
        if (Number(waiting[0]!.n) > 0 && (await capFired(system, workflowId))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await blocker.query('COMMIT');
      await blocker.end();
    }
    const cut = await turn;
    expect(cut.replies.at(-1)).toBe(templates.apology(null, { locale: 'en', zone: system.config.business.timezone, business: system.config.business }));
    expect(cut.state.needsHuman).toBe(true);

    const rows = await system.infra.ledger.listCustomerBookings(customerKey);
    expect(rows).toEqual([expect.objectContaining({ status: 'held', providerId: 'alex' })]);
    expect(cut.state.hold?.bookingId).toBe(rows[0]!.id);

    // Its clock runs as any hold's does: at the expiry the conversation lets it go in the ledger and in its state.
    for (;;) {
      const row = await system.infra.ledger.getBooking(rows[0]!.id);
      const view = await chat.view(id);
      if (row?.status === 'released' && view.state.hold === null) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});

/** Whether the turn budget's cap (the business's 5 s) has fired in the conversation's history. */
async function capFired(system: TestSystem, workflowId: string): Promise<boolean> {
  const events = (await system.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const capTimers = new Set(
    events.filter((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) === 5).map((e) => e.timerStartedEventAttributes!.timerId),
  );
  return events.some((e) => e.timerFiredEventAttributes && capTimers.has(e.timerFiredEventAttributes.timerId));
}
