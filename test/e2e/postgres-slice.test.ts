import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
