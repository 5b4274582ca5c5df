import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, it } from 'vitest';
import { workflowBundle } from '../support/bundle';

/**
 * Conversations that were running when cancellations and moves became two-step (read back, then confirm_change) must
 * replay on the new code: the histories below were recorded on the code before it (offline interpreter, time-skipping
 * server), a cancellation and a move each made at once on the customer's first message. The executor takes the old
 * path for them (patched('customer-confirms-changes') is false where the history has no marker), so the same commands
 * come out; without it the replay fails with a non-determinism error. The `pending-*` ones stop mid-change (read
 * back, not answered; a move's new time held under its timer): changes to that path must replay them too. Recorded by
 * ./histories/pending-changes.record.ts (`npm run record:histories -- pending-changes`).
 */
const histories = ['immediate-cancel', 'immediate-move', 'pending-cancel', 'pending-move'];

describe('replaying conversations recorded before changes were confirmed', () => {
  it.each(histories)('%s replays without non-determinism', async (name) => {
    const bytes = fs.readFileSync(new URL(`./histories/${name}.history.pb`, import.meta.url));
    const history = temporal.api.history.v1.History.decode(bytes);
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history);
  });
});

/**
 * The path where a tool's ledger calls and the appointment start are local activities (patch tool-ledger-calls-local):
 * a booking confirmed and a move read back, recorded with the model in the worker (`npm start`'s way) by
 * ./histories/local-ledger.record.ts. Any change to those steps must still replay it.
 */
describe('replaying a conversation whose ledger calls are local activities', () => {
  it('local-ledger replays without non-determinism', async () => {
    const bytes = fs.readFileSync(new URL('./histories/local-ledger.history.pb', import.meta.url));
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, temporal.api.history.v1.History.decode(bytes));
  });
});
