/**
 * `npm start`: the whole product on one machine — the Temporal dev server (unless TEMPORAL_ADDRESS is set), the
 * worker, and the gateway, with the embedded ledger and the shipped demo business. Ctrl-C stops everything.
 */
import { serve, type ServerType } from '@hono/node-server';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { gatewayDeps, openInfrastructure } from './composition';
import { ConfigError, loadConfig } from './config';
import { connectClient, connectWorker } from './adapters/temporal/connect';
import { startDevServer, type DevServer } from './adapters/temporal/dev-server';
import { reachable } from './adapters/temporal/provision';
import { createApp } from './gateway/app';
import { createLogger } from './logger';
import { createBookingWorker } from './worker';
import { reportStartupError } from './cli/run';

const stoppers: (() => Promise<unknown>)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  // The SDK's own INFO lines (bundler output, worker state) bury the URLs; keep its warnings and errors.
  Runtime.install({ logger: new DefaultLogger(config.env.LOG_LEVEL === 'debug' || config.env.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });
  const port = config.env.PORT;
  if (port !== 0 && (await reachable('127.0.0.1', port, 500))) {
    throw new ConfigError(`PORT ${port} is already in use — stop the other process or choose another port, e.g. PORT=${port + 1} npm start`);
  }
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  let address = config.temporal.address;
  let devServer: DevServer | undefined;
  if (!address) {
    console.log('Starting the Temporal dev server…');
    devServer = await startDevServer({
      dataDir: config.env.DATA_DIR,
      port: config.env.TEMPORAL_PORT,
      uiPort: config.env.TEMPORAL_UI_PORT,
      log: (line) => logger.info(line),
    });
    stoppers.push(() => devServer!.stop());
    address = devServer.address;
  }
  const target = { ...config.temporal, address };
  const client = await connectClient(target);
  stoppers.push(() => client.connection.close());

  const infra = await openInfrastructure(config, logger);
  stoppers.push(() => infra.close());

  const connection = await connectWorker(target);
  const worker: Worker = await createBookingWorker({
    connection,
    namespace: target.namespace,
    taskQueue: target.taskQueue,
    activities: infra.activities,
  });
  const running = worker.run();
  stoppers.push(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
  running.catch((error) => {
    logger.error({ err: error }, 'worker stopped');
    void stopAll(1);
  });

  const app = createApp(gatewayDeps(config, client, logger, infra.outbox));
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, () => resolve(s));
    s.once('error', reject);
  });
  stoppers.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  const actualPort = (server.address() as { port: number }).port;

  console.log(
    [
      '',
      `  ${config.business.name} booking assistant is running`,
      `  Web chat      http://localhost:${actualPort}/`,
      `  API           http://localhost:${actualPort}/openapi.json`,
      devServer ? `  Temporal UI   ${devServer.uiUrl}/namespaces/${target.namespace}/workflows` : `  Temporal      ${address}`,
      `  Ledger        ${config.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.env.DATA_DIR}/ledger`}`,
      `  Model         ${config.model.kind === 'offline' ? 'offline interpreter (set LLM_MODEL for a model)' : config.model.model}`,
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (error) => {
  reportStartupError(error);
  await stopAll(1);
});
