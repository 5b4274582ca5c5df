import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { chromium, type Browser } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import { openInfrastructure } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { Conversations } from '../../src/adapters/temporal/conversations';
import { createVisibility } from '../../src/adapters/temporal/visibility';
import { createApp } from '../../src/gateway/app';
import { AppointmentStartKey, BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey } from '../../workflows/search-attributes';
import { freePort } from './http-server';
import { workflowBundle } from './bundle';
import type { TestSystem } from './system';

/**
 * What the browser tests need beyond the shared test system: headless Chromium (Debian's, driven by playwright-core),
 * a Temporal dev server of their own with the Web UI switched on (the shared one from the global setup has none), and
 * the product started against that server.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with everything that would phone home switched off (the machines have no network). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface TemporalWithUi {
  env: TestWorkflowEnvironment;
  address: string;
  /** `http://localhost:<uiPort>` */
  uiUrl: string;
  teardown(): Promise<void>;
}

/** A private dev server with the Web UI and our search attributes, on free ports. */
export async function startTemporalWithUi(): Promise<TemporalWithUi> {
  const uiPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: inject('temporalCliPath') },
      ui: true,
      uiPort,
      searchAttributes: [BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey, AppointmentStartKey],
    },
  });
  const address = env.connection.options.address ?? '';
  return { env, address, uiUrl: `http://localhost:${uiPort}`, teardown: () => env.teardown() };
}

/**
 * The same system as test/support/system.ts startSystem (a worker on its own task queue, a fresh embedded ledger, the
 * real app), against the Temporal server at `address` instead of the shared one.
 */
export async function startSystemOn(address: string, env: Record<string, string> = {}): Promise<TestSystem> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-browser-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', OPS_TOKEN: 'test-ops-token', ...env });
  const logger = pino({ level: 'silent' });
  const taskQueue = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const infra = await openInfrastructure(config, logger);
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, activities: infra.activities, workflowBundle: workflowBundle() });
  const running = worker.run();
  const keySecret = 'test-key-secret-0123456789abcdef';
  const app = createApp({
    conversations: new Conversations(client, taskQueue),
    visibility: createVisibility(client),
    business: config.business,
    keySecret,
    logger,
    turnWaitMs: 20_000,
    opsToken: 'test-ops-token',
    eventsPollMs: 100,
    twilio: { authToken: config.twilio.authToken, publicBaseUrl: config.twilio.publicBaseUrl },
  });
  return {
    app,
    client,
    config,
    infra,
    taskQueue,
    worker,
    keySecret,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await infra.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
