import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appointmentWorkflow, type AppointmentInput } from '../../workflows/appointment';
import { cancelAppointmentSignal } from '../../workflows/messages';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';

/**
 * A change that lands while the appointment workflow is between two steps must not be missed. Found by CI under
 * heavy load: a staff cancellation that arrived while the workflow read the customer's record was only noticed at
 * the next reminder — which went out, for a cancelled booking.
 */
let h: TimeSkippingHarness;
beforeEach(async () => {
  h = await startTimeSkipping();
});
afterEach(async () => {
  await h?.teardown();
});

async function booked(): Promise<AppointmentInput> {
  let day = DateTime.now().setZone('America/New_York').plus({ days: 5 }).startOf('day');
  while (day.weekday > 5) day = day.plus({ days: 1 });
  const start = day.set({ hour: 11 });
  const customerKey = `cust-${randomUUID()}`;
  const held = await h.ledger.hold({
    customerKey,
    serviceId: 'haircut',
    providerId: 'alex',
    start: start.toUTC().toISO()!,
    end: start.plus({ minutes: 30 }).toUTC().toISO()!,
    bufferMinutes: 10,
    expiresAt: DateTime.now().plus({ minutes: 5 }).toUTC().toISO()!,
    idempotencyKey: `${randomUUID()}:hold`,
  });
  if (!held.ok) throw new Error('hold refused');
  const confirmed = await h.ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `${randomUUID()}:confirm` });
  if (!confirmed.ok) throw new Error('confirm refused');
  const b = confirmed.value;
  return {
    booking: { id: b.id, service: b.serviceId, provider: b.providerId, start: b.start, end: b.end, status: 'confirmed' },
    customerKey,
    channel: 'sms',
    address: '+15555550199',
    zone: 'America/New_York',
    locale: 'en',
    confirmationSent: true,
  };
}

describe('appointment workflow races', () => {
  it('a staff cancellation that arrives while the customer record is read ends the appointment: no reminder goes out', async () => {
    const input = await booked();
    let reading!: () => void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const state = await h.withWorker(
      async (taskQueue) => {
        const handle = await h.env.client.workflow.start(appointmentWorkflow, { taskQueue, workflowId: `appointment:${input.booking.id}`, args: [input] });
        await readStarted;
        await handle.signal(cancelAppointmentSignal, { by: 'staff', operator: 'Dana' });
        release();
        return handle.result();
      },
      {
        // The customer's record is read at the top of every planning round; hold the first read until the signal is in.
        async getCustomer({ customerKey }: { customerKey: string }) {
          reading();
          await released;
          return h.ledger.getCustomer(customerKey);
        },
      },
    );
    expect(state.status).toBe('cancelled');
    expect(state.sent.map((s) => s.kind)).toEqual(['cancellation']);
    expect((await h.ledger.getBooking(input.booking.id))?.status).toBe('cancelled');
    const rows = await h.outbox.listByScope(`appointment:${input.booking.id}`);
    expect(rows.map((r) => r.purpose.split('@')[0])).toEqual(['cancelled-by-business']);
  });
});
