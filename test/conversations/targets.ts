import { BOOKING_WORKER_DEFAULTS } from '../../src/worker';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { openLedger } from '../../src/adapters/ledger/ledger-factory';
import { createLocalSender } from '../../src/adapters/outbox/local-sender';
import { createOutboxStore } from '../../src/adapters/outbox/outbox-store';
import { gatewayPorts } from '../../src/composition';
import { freePort } from '../../src/adapters/temporal/provision';
import { registerSearchAttributes } from '../../src/adapters/temporal/search-attributes';
import { startSystem } from '../../src/system';
import { loadConfig } from '../../src/config';
import type { Business } from '../../src/domain/booking/business';
import { createApp } from '../../src/gateway/app';
import type { Target } from './runner';

/**
 * Where the scripted conversations run: live, on the whole product as src/system.ts's startSystem() starts it (under
 * vitest against the shared dev server through test/support/system.ts; for the eval command on a dev server of its
 * own); or, for scripts that wait on timers, on the time-skipping server behind the same gateway app.
 */

const KEY_SECRET = 'conversation-scripts-key-secret-0123456789';
const silent = pino({ level: 'silent' });

function gateway(client: Client, taskQueue: string, business: Business) {
  return createApp({
    ...gatewayPorts(client, taskQueue, KEY_SECRET),
    business,
    logger: silent,
    // Generous: two busy cores and a dozen conversations at once. A slower turn answers 202 and is asked again.
    turnWaitMs: 30_000,
    eventsPollMs: 100,
  });
}

export interface RunningTarget extends Target {
  stop(): Promise<void>;
}

/**
 * The whole product against a Temporal dev server this process starts the way `npm start` does (the provisioned
 * CLI, our search attributes, its log in a file), for the eval command.
 */
export async function startLiveTarget(options: { workflowBundle: WorkflowBundleOption; log?: (line: string) => void }): Promise<RunningTarget> {
  const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-conversations-temporal-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-conversations-'));
  // No LLM_MODEL and no TEMPORAL_ADDRESS: the offline interpreter on a dev server of its own, as a fresh clone runs.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', KEY_SECRET });
  const system = await startSystem(config, silent, {
    devServer: { dataDir: serverDir, port: await freePort(), uiPort: await freePort(), log: options.log ?? (() => undefined) },
    taskQueue: `eval-${randomUUID()}`,
    workflowBundle: options.workflowBundle,
    // Generous: two busy cores and a dozen conversations at once. A slower turn answers 202 and is asked again.
    gateway: { turnWaitMs: 30_000, eventsPollMs: 100 },
  });
  return {
    app: system.app,
    ledger: system.infra.ledger,
    keySecret: KEY_SECRET,
    business: config.business,
    // What staff were sent about this customer (a hand-off, "running late"): the outbox rows addressed to staff.
    staffNotes: async (customerKey: string) =>
      (await system.infra.outbox.listByScope(`conversation:${customerKey}`)).filter((m) => m.toAddress === 'staff').map((m) => m.body ?? ''),
    async stop() {
      await system.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(serverDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `fn` with a target on Temporal's time-skipping server (timers of minutes pass in milliseconds when a script
 * waits), the real activities over an in-memory ledger and the offline interpreter, behind the real gateway app.
 * Skipping time moves the server's clock for every workflow on it, so runScripts runs the scripts of this target one
 * at a time; the ledger's clock (the hold expiries the workflow's timers end at) moves with the server's.
 */
export async function withTimeSkippingTarget<T>(
  options: { testServerPath: string; workflowBundle: WorkflowBundleOption; business: Business },
  fn: (target: Target) => Promise<T>,
): Promise<T> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: options.testServerPath } } });
  // The server's clock runs ahead of the real one by what has been skipped; the ledger and the booking rules read it
  // too, so a hold made after a skip expires when the workflow's timer says.
  let skippedMs = 0;
  const clock = () => new Date(Date.now() + skippedMs);
  const ledger = await openLedger({ memory: true, clock });
  try {
    await registerSearchAttributes(env.connection);
    const outbox = createOutboxStore(ledger.sql);
    const model = createOfflineModel(options.business);
    const activities = createActivities({ ledger, outbox, sender: createLocalSender(silent), model, business: options.business, logger: silent, clock });
    const taskQueue = `timers-${randomUUID()}`;
    const worker = await Worker.create({ ...BOOKING_WORKER_DEFAULTS, connection: env.nativeConnection, taskQueue, activities, workflowBundle: options.workflowBundle });
    const target: Target = {
      app: gateway(env.client, taskQueue, options.business),
      ledger,
      keySecret: KEY_SECRET,
      business: options.business,
      async advance(ms) {
        await env.sleep(ms);
        skippedMs = (await env.currentTimeMs()) - Date.now();
      },
    };
    return await worker.runUntil(fn(target));
  } finally {
    await env.teardown();
    await ledger.close();
  }
}
