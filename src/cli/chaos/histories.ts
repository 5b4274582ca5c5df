import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import type proto from '@temporalio/proto';

/**
 * Where a chaos run's time went, from the conversations' workflow histories: how many workflow tasks waited out
 * their timeout on a killed worker, how many activities needed another attempt and why the last one before success
 * failed (a start-to-close timeout is an attempt that died with its worker; otherwise the model or the ledger said
 * no), and the longest a task sat in the queue with no worker to take it.
 */

export interface HistoryFindings {
  conversations: number;
  /** Workflow tasks started on a worker that died: the server waited out the task's start-to-close timeout. */
  workflowTaskTimeouts: number;
  /** Workflow tasks left on a dead worker's sticky queue until its schedule-to-start timeout moved them on. */
  stickyTimeouts: number;
  workflowTaskFailures: number;
  /** Activities cancelled by their workflow: a turn stopped at the turn budget's cap. */
  activitiesCancelled: number;
  /** Activity retries by activity type: attempts beyond the first, and how many ended in a start-to-close timeout. */
  retries: Map<string, { retried: number; extraAttempts: number; timedOut: number; failedForGood: number; lastError?: string }>;
  /** Longest schedule-to-start of a workflow task, ms. */
  longestWorkflowTaskWaitMs: number;
  /** Why reading stopped early, if it did (the figures above are then partial). */
  error?: string;
}

type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
const at = (ts: Ts) => (ts ? Number(ts.seconds ?? 0) * 1000 + (ts.nanos ?? 0) / 1e6 : Number.NaN);

type Failure = proto.temporal.api.failure.v1.IFailure | null | undefined;

/** A failure's message: encrypted in the history (the product's failure converter), so read through the codec. */
async function messageOf(failure: Failure, codec?: PayloadCodec): Promise<string | undefined> {
  if (failure?.encodedAttributes && codec) {
    try {
      const [decoded] = await codec.decode([failure.encodedAttributes]);
      return (defaultPayloadConverter.fromPayload(decoded!) as { message?: string }).message;
    } catch {
      // Fall back to what the history shows.
    }
  }
  return failure?.message ?? undefined;
}

/** `codec`: the run's payload codec, to read failure messages (they are encrypted like every payload). */
export async function readHistories(address: string, codec?: PayloadCodec): Promise<HistoryFindings> {
  const found: HistoryFindings = { conversations: 0, workflowTaskTimeouts: 0, stickyTimeouts: 0, workflowTaskFailures: 0, activitiesCancelled: 0, retries: new Map(), longestWorkflowTaskWaitMs: 0 };
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
    // The histories' memos are encrypted too: listing decodes them.
    const client = new Client({ connection, dataConverter: { payloadCodecs: codec ? [codec] : [] } });
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: 'WorkflowType = "conversationWorkflow"' })) ids.push(wf.workflowId);
    for (const id of ids) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      found.conversations += 1;
      const scheduledType = new Map<string, string>();
      const wftScheduled = new Map<string, number>();
      for (const e of history.events ?? []) {
        const eventId = String(e.eventId ?? '');
        if (e.workflowTaskScheduledEventAttributes) wftScheduled.set(eventId, at(e.eventTime as Ts));
        else if (e.workflowTaskStartedEventAttributes) {
          const waited = at(e.eventTime as Ts) - (wftScheduled.get(String(e.workflowTaskStartedEventAttributes.scheduledEventId ?? '')) ?? Number.NaN);
          if (waited > found.longestWorkflowTaskWaitMs) found.longestWorkflowTaskWaitMs = waited;
        } else if (e.workflowTaskTimedOutEventAttributes) {
          // TimeoutType 2 is SCHEDULE_TO_START: only sticky queues have one.
          if (Number(e.workflowTaskTimedOutEventAttributes.timeoutType) === 2) found.stickyTimeouts += 1;
          else found.workflowTaskTimeouts += 1;
        }
        else if (e.workflowTaskFailedEventAttributes) found.workflowTaskFailures += 1;
        else if (e.activityTaskCancelRequestedEventAttributes) found.activitiesCancelled += 1;
        else if (e.activityTaskScheduledEventAttributes) scheduledType.set(eventId, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
        else if (e.activityTaskStartedEventAttributes) {
          const a = e.activityTaskStartedEventAttributes;
          const attempt = a.attempt ?? 1;
          if (attempt <= 1) continue;
          const type = scheduledType.get(String(a.scheduledEventId ?? '')) ?? '?';
          const row = found.retries.get(type) ?? { retried: 0, extraAttempts: 0, timedOut: 0, failedForGood: 0 };
          row.retried += 1;
          row.extraAttempts += attempt - 1;
          if (a.lastFailure?.timeoutFailureInfo) row.timedOut += 1;
          found.retries.set(type, row);
        } else if (e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
          // Retries spent: the turn fails (apology and hand-off) unless the workflow handles it.
          const a = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes!;
          const type = scheduledType.get(String(a.scheduledEventId ?? '')) ?? '?';
          const row = found.retries.get(type) ?? { retried: 0, extraAttempts: 0, timedOut: 0, failedForGood: 0 };
          row.failedForGood += 1;
          const failure = a.failure?.cause ?? a.failure;
          row.lastError = (await messageOf(failure, codec))?.slice(0, 160);
          found.retries.set(type, row);
        }
      }
    }
  } catch (error) {
    found.error = (error as Error).message.split('\n')[0];
  } finally {
    await connection?.close().catch(() => undefined);
  }
  return found;
}

export function printHistories(found: HistoryFindings): void {
  console.log(`\nWhere the time went (${found.conversations} conversation histories${found.error ? `; reading stopped: ${found.error}` : ''}):`);
  console.log(
    `  workflow tasks that waited out their timeout (started on a worker that died): ${found.workflowTaskTimeouts}; ` +
      `left on a dead worker's sticky queue until it timed out: ${found.stickyTimeouts}; failed: ${found.workflowTaskFailures}; ` +
      `longest wait for a worker to take one: ${(found.longestWorkflowTaskWaitMs / 1000).toFixed(1)} s`,
  );
  console.log(`  activities cancelled by their workflow (a turn stopped at the turn budget's cap): ${found.activitiesCancelled}`);
  const rows = [...found.retries.entries()].sort((a, b) => b[1].extraAttempts - a[1].extraAttempts);
  if (rows.length === 0) console.log('  activities: every one succeeded at its first attempt');
  for (const [type, r] of rows) {
    console.log(
      `  activity ${type}: ${r.retried} succeeded after more attempts (${r.extraAttempts} extra; ${r.timedOut} after a start-to-close timeout, i.e. its worker died); ` +
        `${r.failedForGood} failed for good${r.lastError ? ` (last: ${r.lastError})` : ''}`,
    );
  }
}
