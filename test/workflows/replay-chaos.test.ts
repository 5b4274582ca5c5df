import fs from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, it } from 'vitest';
import { workflowBundle } from '../support/bundle';

const { temporal } = proto;

/**
 * Histories recorded by `npm run chaos` (worker SIGKILLed every few seconds) that the code of the day could not
 * replay. Payloads decrypted by ./histories/extract.ts.
 *
 * chaos-setup-marker-then-patch: the first workflow task ended on the setup local activity's marker (the task was
 * completed while the activity's result was still on its way to the workflow code), so the code after the activity —
 * publish(), which asks patched('publish-only-what-changed') — ran in the next task, whose first command is that
 * patch marker. On replay the local activity resolves inside the first task (its marker is in that task's commands),
 * before the patch marker is known: patched() returned false and the replay failed with "Non-deprecated patch marker
 * encountered for change publish-only-what-changed, but there is no corresponding change command".
 */
const histories = ['chaos-setup-marker-then-patch'];

describe('replaying conversations recorded under chaos', () => {
  it.each(histories)('%s replays without non-determinism', async (name) => {
    const bytes = fs.readFileSync(new URL(`./histories/${name}.history.pb`, import.meta.url));
    const history = temporal.api.history.v1.History.decode(bytes);
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history);
  });
});
