import { serve, type ServerType } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { Worker, WorkflowBundleOption } from '@temporalio/worker';
import type net from 'node:net';
import type { Logger } from 'pino';
import { gatewayDeps, openInfrastructure, type Infrastructure } from './composition';
import type { Config } from './config';
import { connectClient, connectWorker } from './adapters/temporal/connect';
import { dataConverterFor } from './adapters/temporal/data-converter';
import { loadCodecUiKey } from './adapters/temporal/codec-ui-key';
import { uiCodecEndpoint } from './codec-server-settings';
import { createCustomerRecords } from './adapters/customer-records';
import { startDevServer, type DevServer } from './adapters/temporal/dev-server';
import { staffDeskDeps } from './staff-desk';
import { createApp, type App } from './gateway/app';
import type { GatewayDeps } from './gateway/deps';
import { createBookingWorker } from './worker';

/**
 * What differs between `npm start`, the bench and the tests; everything else is the one start-up sequence below.
 */
export interface SystemOverrides {
  /** A Temporal server to use instead of config.temporal.address (tests share one dev server). */
  temporalAddress?: string;
  /** With no address anywhere: start a dev server here, its log going to `devServerLog`. */
  devServer?: { dataDir: string; port: number; uiPort: number; log: (line: string) => void };
  /** Another task queue than the configured one (each test file and bench run gets its own). */
  taskQueue?: string;
  /** Another workflow bundle (tests' prebuilt one, the bench's product + baseline bundle); default the cached one. */
  workflowBundle?: WorkflowBundleOption;
  /** Gateway settings that tests tune (shorter SSE poll, their own key secret, a longer turn wait). */
  gateway?: Partial<GatewayDeps>;
  /** Serve the gateway on this port and host; unset: the app is built but not served (tests call app.request()). */
  listen?: { port: number; hostname: string };
}

export interface RunningSystem {
  config: Config;
  client: Client;
  infra: Infrastructure;
  worker: Worker;
  /** Settles when the worker stops: on shutdown, or with the error that stopped it. */
  workerRunning: Promise<void>;
  taskQueue: string;
  app: App;
  gateway: GatewayDeps;
  /** The gateway's URL when it listens. */
  url?: string;
  devServer?: DevServer;
  /** Temporal's address, whichever server it is. */
  temporalAddress: string;
  /** Stops everything this started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The whole product in this process: a Temporal dev server when no address is given, the ledger and adapters, the
 * worker, and the gateway. `npm start`, `npm run bench` and the tests' systems all start through here, so a step
 * added to start-up (a codec, a migration, a new adapter) reaches all three at once.
 */
export async function startSystem(config: Config, logger: Logger, overrides: SystemOverrides = {}): Promise<RunningSystem> {
  const stoppers: (() => Promise<unknown>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const step of stoppers.reverse()) await step().catch((error) => logger.warn({ err: error }, 'a shutdown step failed'));
    })());
  try {
    let address = overrides.temporalAddress ?? config.temporal.address;
    let devServer: DevServer | undefined;
    if (!address) {
      if (!overrides.devServer) throw new Error('no Temporal address: set TEMPORAL_ADDRESS, or let startSystem start a dev server');
      // The dev server's Web UI decodes through this gateway's codec server (when its port is known in advance).
      const codecEndpoint = overrides.listen?.port ? uiCodecEndpoint(`http://localhost:${overrides.listen.port}`, loadCodecUiKey(config.env.CODEC_UI_KEY, config.env.DATA_DIR)) : undefined;
      devServer = await startDevServer({ ...overrides.devServer, codecEndpoint });
      stoppers.push(() => devServer!.stop());
      address = devServer.address;
    }
    const target = { ...config.temporal, address };
    const taskQueue = overrides.taskQueue ?? target.taskQueue;

    // Every payload this system writes to Temporal is encrypted (PAYLOAD_KEYS, or the key generated under DATA_DIR).
    const dataConverter = dataConverterFor(config.env);
    const client = await connectClient(target, { dataConverter });
    stoppers.push(() => client.connection.close());
    const infra = await openInfrastructure(config, logger);
    stoppers.push(() => infra.close());

    const connection = await connectWorker(target);
    stoppers.push(() => connection.close());
    const worker = await createBookingWorker({
      connection,
      namespace: target.namespace,
      taskQueue,
      activities: infra.activities,
      workflowBundle: overrides.workflowBundle,
      dataConverter,
    });
    const workerRunning = worker.run();
    workerRunning.catch(() => undefined); // callers that care (npm start) attach their own handler to workerRunning
    stoppers.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRunning.catch(() => undefined);
    });

    const gateway = { ...gatewayDeps(config, client, logger, infra.outbox, taskQueue), staffDesk: staffDeskDeps(config, client, infra.ledger, logger, { taskQueue }), customerRecords: createCustomerRecords(infra.ledger), ...overrides.gateway };
    const app = createApp(gateway);
    let url: string | undefined;
    if (overrides.listen) {
      const { port, hostname } = overrides.listen;
      const server: ServerType = await new Promise((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port, hostname }, () => resolve(s));
        s.once('error', reject);
      });
      stoppers.push(
        () =>
          new Promise((resolve) => {
            // Server-sent event streams stay open; closing their sockets is what lets close() finish.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => resolve(undefined));
          }),
      );
      const actual = (server.address() as net.AddressInfo).port;
      url = `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${actual}`;
    }
    return { config, client, infra, worker, workerRunning, taskQueue, app, gateway, url, devServer, temporalAddress: address, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
