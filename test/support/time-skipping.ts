import { BOOKING_WORKER_DEFAULTS } from '../../src/worker';
import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pino from 'pino';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import { openLedger, type Ledger } from '../../src/adapters/ledger/ledger-factory';
import { createOutboxStore, type OutboxStore } from '../../src/adapters/outbox/outbox-store';
import { createLocalSender } from '../../src/adapters/outbox/local-sender';
import type { MessageSender } from '../../src/adapters/outbox/message-sender';
import { parseBusiness, type Business } from '../../src/domain/booking/business';
import type { LanguageModel } from '../../src/domain/model';
import type { CalendarSync } from '../../src/domain/booking/calendar-sync';
import { workflowBundle } from './bundle';
import { registerSearchAttributes } from '../../src/adapters/temporal/search-attributes';

/**
 * Workflows on Temporal's time-skipping test server with the real activities over an in-memory ledger: timers of
 * days pass in milliseconds, everything else is real.
 */
export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  ledger: Ledger;
  outbox: OutboxStore;
  business: Business;
  /**
   * Skips time on the test server and moves the ledger's clock with it, so the hold expiries the ledger writes and
   * the workflow's timers read one clock (as on a real server). `env.sleep` alone leaves the ledger behind.
   */
  sleep(duration: string | number): Promise<void>;
  /**
   * Runs `fn` while a fresh worker (with these activities) serves a task queue of its own. It caches workflows as a
   * production worker does; `{ handOver: true }` for a worker whose workflows another takes over (withWorkerOn).
   */
  withWorker<T>(fn: (taskQueue: string) => Promise<T>, overrides?: Record<string, unknown>, options?: { handOver?: boolean }): Promise<T>;
  /** The same on a given task queue: a new worker taking over workflows another one started (a restart). */
  withWorkerOn<T>(taskQueue: string, fn: () => Promise<T>): Promise<T>;
  teardown(): Promise<void>;
}

export const demoBusiness = (): Business => parseBusiness(JSON.parse(fs.readFileSync('config/business.json', 'utf8')));

export async function startTimeSkipping(
  /** localModel: call the model as a local activity, as the product does with its offline interpreter. */
  options: { model?: LanguageModel; business?: Business; calendarSync?: CalendarSync; sender?: MessageSender; localModel?: boolean } = {},
): Promise<TimeSkippingHarness> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  // The ledger's clock is the test server's: moved on by every sleep, and by every activity, whose scheduled time is
  // the server's — a timer that fired inside a sleep runs its activities at the skipped time, not at the last sleep's.
  let skippedMs = 0;
  const clock = () => {
    const activity = activityContext.getStore();
    if (activity) skippedMs = Math.max(skippedMs, activity.info.currentAttemptScheduledTimestampMs - Date.now());
    return new Date(Date.now() + skippedMs);
  };
  const ledger = await openLedger({ memory: true, clock });
  const outbox = createOutboxStore(ledger.sql);
  const business = options.business ?? demoBusiness();
  const logger = pino({ level: 'silent' });
  const model: LanguageModel = options.model ?? { complete: async () => ({ text: 'ok', toolCalls: [] }) };
  const sender = options.sender ?? createLocalSender(logger);
  const activities = createActivities({ ledger, outbox, sender, model, business, logger, calendarSync: options.calendarSync, clock, localModel: options.localModel });
  await registerSearchAttributes(env.connection);
  return {
    env,
    ledger,
    outbox,
    business,
    async sleep(duration) {
      await env.sleep(duration);
      skippedMs = Math.max(skippedMs, (await env.currentTimeMs()) - Date.now());
    },
    async withWorker(fn, overrides = {}, { handOver = false } = {}) {
      const taskQueue = `ts-${randomUUID()}`;
      const worker = await Worker.create({
        ...BOOKING_WORKER_DEFAULTS,
        connection: env.nativeConnection,
        taskQueue,
        activities: { ...activities, ...overrides },
        workflowBundle: workflowBundle(),
        // A worker that hands over keeps no sticky cache: the test server never moves tasks off a dead worker's sticky
        // queue. Not the default: without a cache the test server lost a new workflow's first task now and then, and
        // each such task waited out its 10-s timeout.
        ...(handOver ? { maxCachedWorkflows: 0 } : {}),
      });
      return worker.runUntil(fn(taskQueue));
    },
    async withWorkerOn(taskQueue, fn) {
      const worker = await Worker.create({ ...BOOKING_WORKER_DEFAULTS, connection: env.nativeConnection, taskQueue, activities, workflowBundle: workflowBundle(), maxCachedWorkflows: 0 });
      return worker.runUntil(fn());
    },
    async teardown() {
      await env.teardown();
      await ledger.close();
    },
  };
}
