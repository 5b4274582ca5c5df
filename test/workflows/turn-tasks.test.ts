import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { conversationWorkflow } from '../../workflows/conversation';
import { postMessageUpdate, type UserMessage } from '../../workflows/messages';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';
import { activityTypes } from '../support/history';

/**
 * What a booking turn costs the server. With the offline interpreter in the worker, a turn's model call, ledger
 * steps and the start of the appointment workflow are all local activities: the turn runs inside the workflow task
 * that took the message, and the server sees one task per turn, not one more per step.
 */
let h: TimeSkippingHarness;
beforeEach(async () => {
  h = await startTimeSkipping({ model: createOfflineModel(demoBusiness()), localModel: true });
});
afterEach(async () => {
  await h?.teardown();
});

const message = (text: string): UserMessage => ({ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'chat' });
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const kind = (e: HistoryEvent) => Object.keys(e).find((k) => k.endsWith('EventAttributes'))!.replace(/EventAttributes$/, '');

/** The events from each update's acceptance to its completion. */
function turns(events: HistoryEvent[]): HistoryEvent[][] {
  const out: HistoryEvent[][] = [];
  let current: HistoryEvent[] | undefined;
  for (const e of events) {
    if (e.workflowExecutionUpdateAcceptedEventAttributes) current = [];
    current?.push(e);
    if (e.workflowExecutionUpdateCompletedEventAttributes && current) {
      out.push(current);
      current = undefined;
    }
  }
  return out;
}

const localActivities = (events: HistoryEvent[]) => activityTypes(events).local;

describe('a booking turn on the server', () => {
  it('asks, holds, confirms and starts the appointment inside the workflow task that took each message', async () => {
    const key = randomUUID().replace(/-/g, '');
    await h.withWorker(async (taskQueue) => {
      const handle = await h.env.client.workflow.start(conversationWorkflow, {
        taskQueue,
        workflowId: `conversation:chat:${key}`,
        args: [{ channel: 'chat', key, customerKey: `chat:${key}`, address: null, zone: 'America/New_York' }],
      });
      const held = await handle.executeUpdate(postMessageUpdate, { args: [message('A haircut next Tuesday at 10am please')] });
      expect(held.state.hold).not.toBeNull();
      const booked = await handle.executeUpdate(postMessageUpdate, { args: [message('yes')] });
      expect(booked.state.bookings.filter((b) => b.status === 'confirmed')).toHaveLength(1);

      const history = await handle.fetchHistory();
      const [ask, confirm] = turns(history.events!);
      expect(localActivities(ask!)).toEqual(expect.arrayContaining(['findAvailability', 'holdSlot']));
      expect(localActivities(confirm!)).toEqual(expect.arrayContaining(['confirmBooking', 'startDetachedWorkflow', 'closeWaitlistOnBooking']));
      // Accepted and completed by the same task's commands: nothing in between woke the workflow again.
      for (const turn of [ask!, confirm!]) {
        expect(turn.map(kind).filter((k) => k.startsWith('workflowTask') || k.startsWith('activityTask'))).toEqual([]);
      }
    });
  });
});
