import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { AppointmentStartKey, BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey } from '../../workflows/search-attributes';
import { freePort } from './http-server';
import { startSystem, type TestSystem } from './system';

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

/**
 * A private dev server with the Web UI and our search attributes, on free ports. `codecEndpoint`: where the UI
 * decodes payloads (our gateway's /codec/ui/<key>), as `npm start` points its UI; without it the UI shows payloads,
 * summaries and details still encrypted.
 */
export async function startTemporalWithUi(options: { codecEndpoint?: string } = {}): Promise<TemporalWithUi> {
  const uiPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: inject('temporalCliPath') },
      ui: true,
      uiPort,
      searchAttributes: [BookingStatusKey, ChannelKey, NeedsHumanKey, ServiceIdKey, AppointmentStartKey],
      extraArgs: options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [],
    },
  });
  const address = env.connection.options.address ?? '';
  return { env, address, uiUrl: `http://localhost:${uiPort}`, teardown: () => env.teardown() };
}

/** The test system of test/support/system.ts against the Temporal server at `address` instead of the shared one. */
export function startSystemOn(address: string, env: Record<string, string> = {}): Promise<TestSystem> {
  return startSystem(env, { address });
}
