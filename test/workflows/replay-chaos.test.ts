import fs from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/bundle';
import { firstTaskEndsOnLocalActivity } from './histories/shape';

const { temporal } = proto;

/**
 * A workflow task can be completed with a local activity's marker before the workflow code has seen the activity's
 * result (core answers a query that came with the task, or heartbeats the task); the code after the activity then
 * runs in the next task, but on replay in the earlier one. A patched() first asked there is not known yet on replay
 * (workflows/run-patch.ts has the SDK's rule). These histories have that shape; each must replay on today's code.
 *
 * - chaos-setup-marker-then-patch: from `npm run chaos` (worker SIGKILLed every few seconds; ./histories/extract.ts,
 *   payloads decrypted). The setup activity's marker ends the first task; publish-only-what-changed's marker starts
 *   the next. Failed on the code before the fix: "Non-deprecated patch marker encountered for change
 *   publish-only-what-changed, but there is no corresponding change command".
 * - old-code-setup-marker-ends-task: the same shape, recorded by ./histories/setup-split.record.ts on that code
 *   (commit 5db646d); failed the same way.
 * - old-code-plain: recorded on that code without the race (marker in the first task, after the activity's).
 * - new-code-setup-marker-ends-task: the race on today's code: the marker is the first task's first command.
 * - pre-patch-*: recorded on that code with publish() as it was before the patch (every publish written, no marker),
 *   with and without the race: conversations started before the patch must replay too.
 */
const histories = [
  { name: 'chaos-setup-marker-then-patch', endsOnLocalActivity: true },
  { name: 'old-code-setup-marker-ends-task', endsOnLocalActivity: true },
  { name: 'old-code-plain', endsOnLocalActivity: false },
  { name: 'new-code-setup-marker-ends-task', endsOnLocalActivity: true },
  { name: 'pre-patch-plain', endsOnLocalActivity: false },
  { name: 'pre-patch-setup-marker-ends-task', endsOnLocalActivity: true },
];

describe('replaying conversations whose first task ended on a local activity marker', () => {
  it.each(histories)('$name replays without non-determinism', async ({ name, endsOnLocalActivity }) => {
    const bytes = fs.readFileSync(new URL(`./histories/${name}.history.pb`, import.meta.url));
    const history = temporal.api.history.v1.History.decode(bytes);
    expect(firstTaskEndsOnLocalActivity(history.events)).toBe(endsOnLocalActivity);
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history);
  });
});
