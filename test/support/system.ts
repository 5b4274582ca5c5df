import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import type { Infrastructure } from '../../src/composition';
import { loadConfig, type Config } from '../../src/config';
import type { App } from '../../src/gateway/app';
import { startSystem as startProductSystem } from '../../src/system';
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
  const keySecret = 'test-key-secret-0123456789abcdef';
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', OPS_TOKEN: 'test-ops-token', KEY_SECRET: keySecret, ...env });
  const system = await startProductSystem(config, pino({ level: 'silent' }), {
    temporalAddress: options.address ?? inject('devServerAddress'),
    taskQueue: `test-${randomUUID()}`,
    workflowBundle: workflowBundle(),
    gateway: { turnWaitMs: 20_000, eventsPollMs: 100 },
  });
  return {
    ...system,
    keySecret: config.env.KEY_SECRET ?? keySecret,
    async stop() {
      await system.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
