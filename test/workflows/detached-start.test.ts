import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDetachedWorkflowActivities } from '../../activities/detached-workflows';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { waitlistOfferWorkflowId } from '../../src/domain/messaging/addressing';
import { conversationWorkflow } from '../../workflows/conversation';
import { cancelAppointmentSignal, postMessageUpdate, type UserMessage } from '../../workflows/messages';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';
import { waitFor } from '../support/patience';
import { activityTypes } from '../support/history';

/**
 * Appointments and waitlist rounds outlive the run that starts them: they are started by an activity with the
 * worker's client, never as children, so their end wakes no parent and no parent's end touches them.
 */
let h: TimeSkippingHarness;
beforeEach(async () => {
  h = await startTimeSkipping({ model: createOfflineModel(demoBusiness()) });
});
afterEach(async () => {
  await h?.teardown();
});

const message = (text: string): UserMessage => ({ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'chat' });

async function eventTypes(workflowId: string): Promise<string[]> {
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes'))!);
}

/** The activities a workflow ran: scheduled ones, and local ones by their markers. */
async function activityNames(workflowId: string): Promise<string[]> {
  const { scheduled, local } = activityTypes((await h.env.client.workflow.getHandle(workflowId).fetchHistory()).events!);
  return [...scheduled, ...local];
}

describe('workflows that outlive their starter', () => {
  it('a booking starts its appointment workflow, and a staff cancellation its waitlist round, with no parent', async () => {
    const key = randomUUID().replace(/-/g, '');
    const conversationId = `conversation:chat:${key}`;
    await h.withWorker(async (taskQueue) => {
      const handle = await h.env.client.workflow.start(conversationWorkflow, {
        taskQueue,
        workflowId: conversationId,
        args: [{ channel: 'chat', key, customerKey: `chat:${key}`, address: null, zone: 'America/New_York' }],
      });
      const held = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 10am please')] });
      expect(held.state.hold).not.toBeNull();
      const booked = await handle.executeUpdate(postMessageUpdate, { args: [message('yes')] });
      const booking = booked.state.bookings.find((b) => b.status === 'confirmed')!;

      const appointmentId = `appointment:${booking.id}`;
      const appointment = await h.env.client.workflow.getHandle(appointmentId).describe();
      expect(appointment.status.name).toBe('RUNNING');
      expect(appointment.parentExecution).toBeUndefined();
      expect(await activityNames(conversationId)).toContain('startDetachedWorkflow');
      expect((await eventTypes(conversationId)).filter((t) => t.startsWith('startChild') || t.startsWith('childWorkflow'))).toEqual([]);

      // Staff cancel: the appointment ends after starting the round for the freed slot; the round has no parent either.
      await h.env.client.workflow.getHandle(appointmentId).signal(cancelAppointmentSignal, { by: 'staff', operator: 'Dana' });
      await h.env.client.workflow.getHandle(appointmentId).result();
      const round = await waitFor(() => h.env.client.workflow.getHandle(waitlistOfferWorkflowId(booking.id, 'cancelled')).describe().catch(() => undefined), 'the waitlist round');
      expect(round.parentExecution).toBeUndefined();
      expect((await eventTypes(appointmentId)).filter((t) => t.startsWith('startChild') || t.startsWith('childWorkflow'))).toEqual([]);
      // The conversation was not woken by its appointment's end: nothing after the 'yes' turn but the staff notice.
      expect((await eventTypes(conversationId)).filter((t) => t.startsWith('childWorkflow'))).toEqual([]);
    });
  });

  it('a retried start starts nothing new, even when the first run has already ended', async () => {
    await h.withWorker(async (taskQueue) => {
      const env = new MockActivityEnvironment({ taskQueue }, { client: h.env.client });
      const { startDetachedWorkflow } = createDetachedWorkflowActivities();
      const freedBy = randomUUID();
      const start = {
        workflowType: 'waitlistOfferWorkflow' as const,
        workflowId: waitlistOfferWorkflowId(freedBy, 'cancelled'),
        args: [{ slot: { service: 'haircut', provider: 'alex', start: '2030-01-08T15:00:00.000Z', end: '2030-01-08T15:30:00.000Z' }, freedBy, reason: 'cancelled' }],
        staticSummary: 'test round',
        staticDetails: 'nobody waits, so it ends at once',
        workflowTaskTimeout: '10 seconds',
      };
      expect(await env.run(startDetachedWorkflow, start)).toEqual({ started: true });
      await h.env.client.workflow.getHandle(start.workflowId).result();
      expect(await env.run(startDetachedWorkflow, start)).toEqual({ started: false });
      // A malformed start is refused for good, with the field named.
      await expect(env.run(startDetachedWorkflow, { ...start, workflowType: 'nope' as never })).rejects.toThrow(/workflowType/);
    });
  });
});
