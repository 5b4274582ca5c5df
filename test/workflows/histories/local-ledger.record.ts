import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { createOfflineModel } from '../../../src/adapters/offline-model';
import { conversationWorkflow } from '../../../workflows/conversation';
import { postMessageUpdate, type UserMessage } from '../../../workflows/messages';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../../support/time-skipping';

/**
 * Records `local-ledger.history.pb` for test/workflows/replay.test.ts (`npm run record:histories -- local-ledger`;
 * not part of `npm test`), on the code whose tool ledger calls and appointment starts are local activities (patch
 * tool-ledger-calls-local), with the model in the worker as `npm start` runs it: a booking asked for, confirmed, then
 * a move read back and not answered yet (its new time held under its timer), so the run is still open.
 */
let h: TimeSkippingHarness;
beforeAll(async () => {
  h = await startTimeSkipping({ model: createOfflineModel(demoBusiness()), localModel: true });
});
afterAll(async () => h?.teardown());

const zone = 'America/New_York';
const message = (text: string): UserMessage => ({ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'chat' });
/** A Tuesday at least a week ahead, and the Thursday after it: open days of the demo business. */
const tuesday = () => {
  let d = DateTime.now().setZone(zone).plus({ days: 7 });
  while (d.weekday !== 2) d = d.plus({ days: 1 });
  return d;
};
const phrase = (d: DateTime) => d.setLocale('en-US').toFormat('LLLL d');

it('records a booking made and a move read back, on local ledger calls', async () => {
  const key = randomUUID().replace(/-/g, '');
  const workflowId = `conversation:chat:${key}`;
  const day = tuesday();
  const lines = [`A haircut on ${phrase(day)} at 10am please`, 'yes', `can you move it to ${phrase(day.plus({ days: 2 }))} at 2pm?`];
  const replies = await h.withWorker(async (taskQueue) => {
    const handle = await h.env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId, args: [{ channel: 'chat', key, customerKey: `chat:${key}`, address: null, zone }] });
    const out: string[] = [];
    for (const line of lines) out.push(...(await handle.executeUpdate(postMessageUpdate, { args: [message(line)] })).replies.map((r) => r.text));
    return out;
  });
  expect(replies.join('\n')).toMatch(/Move your haircut/);
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  const patches = history.events!.flatMap((e) =>
    e.markerRecordedEventAttributes?.markerName === 'core_patch'
      ? Object.values(e.markerRecordedEventAttributes.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data!).toString('utf8')))
      : [],
  );
  expect(patches.join('\n')).toContain('tool-ledger-calls-local');
  fs.writeFileSync(new URL('./local-ledger.history.pb', import.meta.url), temporal.api.history.v1.History.encode(history!).finish());
});
