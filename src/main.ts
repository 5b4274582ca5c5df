/**
 * `npm start`: the whole product on one machine — the Temporal dev server (unless TEMPORAL_ADDRESS is set), the
 * worker, and the gateway, with the embedded ledger and the shipped demo business. Ctrl-C stops everything.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from './config';
import { reachable } from './adapters/temporal/provision';
import { createLogger } from './logger';
import { startSystem, type RunningSystem } from './system';
import { reportStartupError } from './cli/run';

let system: RunningSystem | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await system?.stop();
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

  if (!config.temporal.address) console.log('Starting the Temporal dev server…');
  system = await startSystem(config, logger, {
    devServer: { dataDir: config.env.DATA_DIR, port: config.env.TEMPORAL_PORT, uiPort: config.env.TEMPORAL_UI_PORT, log: (line) => logger.info(line) },
    listen: { port, hostname: '0.0.0.0' },
  });
  system.workerRunning.catch((error) => {
    logger.error({ err: error }, 'worker stopped');
    void stopAll(1);
  });
  const { devServer, url, temporalAddress } = system;
  console.log(
    [
      '',
      `  ${config.business.name} booking assistant is running`,
      `  Web chat      ${url}/`,
      `  API           ${url}/openapi.json`,
      devServer ? `  Temporal UI   ${devServer.uiUrl}/namespaces/${config.temporal.namespace}/workflows` : `  Temporal      ${temporalAddress}`,
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
