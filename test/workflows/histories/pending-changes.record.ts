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
 * Records the conversation histories test/workflows/replay.test.ts replays (`npm run record:histories --
 * pending-changes`; not part of `npm test`). The
 * `immediate-*` ones were recorded on commit 3171b87, before changes were confirmed (this file, run there); the
 * `pending-*` ones on the code that reads changes back, stopped while the customer has not answered yet.
 */
let h: TimeSkippingHarness;
beforeAll(async () => {
  h = await startTimeSkipping({ model: createOfflineModel(demoBusiness()) });
});
afterAll(async () => h?.teardown());

const zone = 'America/New_York';
const message = (text: string): UserMessage => ({ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'chat' });
function workday(after: DateTime): DateTime {
  let d = after.plus({ days: 1 });
  while (![1, 2, 5].includes(d.weekday)) d = d.plus({ days: 1 });
  return d;
}
const phrase = (d: DateTime) => d.setLocale('en-US').toFormat('LLLL d');

let seeded = 0;
async function seed(customerKey: string, day: DateTime): Promise<string> {
  const start = day.set({ hour: 10 + seeded++, minute: 0 }).toUTC().toISO()!;
  const held = await h.ledger.hold({ customerKey, serviceId: 'haircut', providerId: 'alex', start, end: DateTime.fromISO(start).plus({ minutes: 30 }).toUTC().toISO()!, bufferMinutes: 10, expiresAt: DateTime.now().plus({ minutes: 10 }).toUTC().toISO()!, idempotencyKey: `${randomUUID()}:hold` });
  if (!held.ok) throw new Error('seed');
  const ok = await h.ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `${randomUUID()}:confirm` });
  if (!ok.ok) throw new Error('seed confirm');
  return ok.value.id;
}

async function record(name: string, lines: (d: DateTime, to: DateTime) => string[], check: RegExp) {
  const key = `chat:${randomUUID().replace(/-/g, '')}`;
  const d = workday(DateTime.now().setZone(zone).plus({ days: 8 }));
  const to = workday(d);
  await seed(key, d);
  const workflowId = `conversation:chat:${key.replace(/[^a-z0-9]/gi, '')}`;
  const replies = await h.withWorker(async (taskQueue) => {
    const handle = await h.env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId, args: [{ channel: 'chat', key, customerKey: key, address: null, zone }] });
    const out: string[] = [];
    for (const line of lines(d, to)) out.push(...(await handle.executeUpdate(postMessageUpdate, { args: [message(line)] })).replies.map((r) => r.text));
    return out;
  });
  expect(replies.join('\n')).toMatch(check);
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(new URL(`./${name}.history.pb`, import.meta.url), temporal.api.history.v1.History.encode(history!).finish());
}

it('records a cancellation read back and not answered yet', async () => {
  await record('pending-cancel', () => ['please cancel my appointment'], /Cancel this appointment\?/);
});

it('records a move read back (its new time held) and not answered yet', async () => {
  await record('pending-move', (_d, to) => [`can you move my haircut to ${phrase(to)} at 2pm?`], /Move your haircut/);
});
