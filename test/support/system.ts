import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import { openInfrastructure, type Infrastructure } from '../../src/composition';
import { loadConfig, type Config } from '../../src/config';
import { Conversations } from '../../src/adapters/temporal/conversations';
import { createVisibility } from '../../src/adapters/temporal/visibility';
import { createApp, type App } from '../../src/gateway/app';
import { workflowBundle } from './bundle';

/**
 * The whole product in one test process against the shared real dev server: a worker on its own task queue (so test
 * files never steal each other's tasks), a fresh embedded ledger, the real gateway app driven with app.request().
 */
export interface TestSystem {
  app: App;
  client: Client;
  config: Config;
  infra: Infrastructure;
  taskQueue: string;
  worker: Worker;
  keySecret: string;
  stop(): Promise<void>;
}

/** `address`: another Temporal server than the shared dev server (e.g. one with the Web UI for browser tests). */
export async function startSystem(env: Record<string, string> = {}, options: { address?: string } = {}): Promise<TestSystem> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', OPS_TOKEN: 'test-ops-token', ...env });
  const logger = pino({ level: 'silent' });
  const address = options.address ?? inject('devServerAddress');
  const taskQueue = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const infra = await openInfrastructure(config, logger);
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    activities: infra.activities,
    workflowBundle: workflowBundle(),
  });
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
    outbox: infra.outbox,
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
