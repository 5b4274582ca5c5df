import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Activity option presets, declared once. Business refusals come back as values, so retries here only ever
 * repeat infrastructure failures; every mutation carries an idempotency key, so a repeat changes nothing.
 */

/**
 * Every activity heartbeats while it runs (activities/heartbeat.ts, a worker interceptor; the worker sends at least
 * every 2 s): on the presets that wait on a remote service, a worker that dies mid-call is noticed after this long
 * and the call retried on another, instead of after the start-to-close timeout. Generous enough that a loaded
 * machine's stalls never time out a live call (a spurious retry costs a second model call).
 */
const HEARTBEAT_TIMEOUT = '15 seconds';

/** Ledger reads and writes: quick, retried briskly, but never for long — the customer is waiting. */
export const ledgerOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 8 },
};

/** One model call: bounded so a turn stays answerable; 429/5xx retried with backoff, 4xx not at all. */
export const modelOptions: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '250 milliseconds',
    backoffCoefficient: 1.6,
    maximumInterval: '4 seconds',
    // A model failing half its calls would fail one turn in sixteen at 4 attempts; the turn budget (capSeconds) is
    // what bounds the time, so the attempts need not.
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['ModelRequestRejected'],
  },
};

/** Outbound messages: idempotent by (scope, purpose), so they may retry for a while before giving up. */
export const messagingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
};

/** Google Calendar sync: a remote API with its own rate limits; patient, and never on the customer's critical path. */
export const calendarSyncOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
};

/**
 * In-process work with no side effects beyond this worker (configuration, the offline interpreter, quick reads):
 * local activities, recorded in history without a server round trip each.
 */
export const localOptions: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 5 },
};

/**
 * How long one worker may hold a workflow task before the server hands it to another, for every workflow of this
 * product, set where each is started (src/adapters/temporal/conversations.ts, activities/detached-workflows.ts) and inherited
 * across continue-as-new. Temporal's 10 s, on purpose. Shorter recovers sooner from a worker that died holding a task
 * (chaos measured 5 s), but a task that really takes that long — a loaded machine replaying a long history into a cold
 * cache — times out, is retried from scratch, and can time out again and again: with 5 s, `.ci/run` on a loaded
 * two-core machine hung a lifecycle test for its full 10 minutes ("Workflow task duration exceeded 5 seconds", three
 * tasks at once), and chaos at load average 14–16 saw task run times up to 6.5 s. Faster recovery has to come from
 * workers that start fast and from more than one worker, not from a timeout a slow machine can hit.
 */
export const WORKFLOW_TASK_TIMEOUT = '10 seconds';
