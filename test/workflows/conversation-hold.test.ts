import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { conversationWorkflow } from '../../workflows/conversation';
import { postMessageUpdate, stateQuery, transcriptQuery, type UserMessage } from '../../workflows/messages';
import { waitlistOfferWorkflowId } from '../../src/domain/messaging/addressing';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';

/** Holds as durable timers, on the time-skipping server with the offline interpreter and the real ledger. */
let h: TimeSkippingHarness;
beforeEach(async () => {
  h = await startTimeSkipping({ model: createOfflineModel(demoBusiness()) });
});
afterEach(async () => {
  await h?.teardown();
});

const customerKey = () => `chat:${randomUUID()}`;
const message = (text: string): UserMessage => ({ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'chat' });

async function open(taskQueue: string, key: string) {
  return h.env.client.workflow.start(conversationWorkflow, {
    taskQueue,
    workflowId: `conversation:chat:${key.replace(/[^a-z0-9]/gi, '')}`,
    args: [{ channel: 'chat', key, customerKey: key, address: null, zone: 'America/New_York' }],
  });
}

describe('slot holds in the conversation workflow', () => {
  it('releases an unconfirmed hold when its timer fires and tells the customer', async () => {
    const key = customerKey();
    const result = await h.withWorker(async (tq) => {
      const handle = await open(tq, key);
      const turn = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 10am please')] });
      expect(turn.state.hold).not.toBeNull();
      await h.sleep('91 seconds');
      return { handle, hold: turn.state.hold!, state: await handle.query(stateQuery), transcript: await handle.query(transcriptQuery) };
    });
    expect(result.state.hold).toBeNull();
    expect(result.state.status).toBe('open');
    expect((await h.ledger.getBooking(result.hold.bookingId))?.status).toBe('released');
    const last = result.transcript.at(-1)!;
    expect(last.role).toBe('assistant');
    expect(last.text).toMatch(/expired|no longer held|let (it|the slot) go|released/i);
    // The freed slot goes to the waitlist's offer round (which ends at once when nobody waits for it).
    const offer = await h.env.client.workflow.getHandle(waitlistOfferWorkflowId(result.hold.bookingId, 'hold_expired')).describe();
    expect(offer.type).toBe('waitlistOfferWorkflow');
  });

  it('starts no waitlist round for a hold that is confirmed in time', async () => {
    const key = customerKey();
    const hold = await h.withWorker(async (tq) => {
      const handle = await open(tq, key);
      const turn = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 11am please')] });
      await handle.executeUpdate(postMessageUpdate, { args: [message('yes')] });
      await h.sleep('91 seconds');
      return turn.state.hold!;
    });
    expect((await h.ledger.getBooking(hold.bookingId))?.status).toBe('confirmed');
    await expect(h.env.client.workflow.getHandle(waitlistOfferWorkflowId(hold.bookingId, 'hold_expired')).describe()).rejects.toThrow(/not found/i);
  });

  it('confirms inside the TTL: the booking is confirmed and the appointment workflow follows it', async () => {
    const key = customerKey();
    const { hold, turn } = await h.withWorker(async (tq) => {
      const handle = await open(tq, key);
      const first = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 10am please')] });
      // A third of the 90 s TTL: the server's clock also runs in real time, so the confirmation below has a full
      // minute of a busy machine's time before the hold's timer, not seconds.
      await h.sleep('30 seconds');
      const second = await handle.executeUpdate(postMessageUpdate, { args: [message('yes')] });
      await h.sleep('90 seconds'); // past the original TTL: the cancelled timer must not release anything
      return { hold: first.state.hold!, turn: second };
    });
    expect(turn.state.status).toBe('booked');
    expect(turn.state.bookings).toEqual([expect.objectContaining({ id: hold.bookingId, status: 'confirmed' })]);
    expect((await h.ledger.getBooking(hold.bookingId))?.status).toBe('confirmed');
    const appointment = await h.env.client.workflow.getHandle(`appointment:${hold.bookingId}`).describe();
    expect(appointment.status.name).toBe('RUNNING');
  });

  it('a worker that dies between hold and confirm leaves no orphan hold: the next worker fires the timer', async () => {
    const key = customerKey();
    let taskQueue = '';
    const hold = await h.withWorker(async (tq) => {
      taskQueue = tq;
      const handle = await open(tq, key);
      const turn = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 10am please')] });
      return turn.state.hold!;
    }, {}, { handOver: true });
    // The first worker is gone. A new one takes over the same task queue (a restarted process) and time passes:
    // the durable timer fires and the new worker releases the hold the old one made.
    expect((await h.ledger.getBooking(hold.bookingId))?.status).toBe('held');
    const state = await h.withWorkerOn(taskQueue, async () => {
      await h.sleep('3 minutes');
      const handle = h.env.client.workflow.getHandle(`conversation:chat:${key.replace(/[^a-z0-9]/gi, '')}`);
      return handle.query(stateQuery);
    });
    expect(state.hold).toBeNull();
    expect((await h.ledger.getBooking(hold.bookingId))?.status).toBe('released');
  });
});
