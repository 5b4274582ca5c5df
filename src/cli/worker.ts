/** `npm run worker`: only the worker, as production runs it (needs TEMPORAL_ADDRESS; DATABASE_URL for a shared ledger). */
import { openInfrastructure } from '../infrastructure';
import { loadConfig } from '../config';
import { connectWorker } from '../adapters/temporal/connect';
import { dataConverterFor } from '../adapters/temporal/data-converter';
import { createLogger } from '../logger';
import { createBookingWorker } from '../worker';
import { runCli } from './run';

await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  const target = { ...config.temporal, address: config.temporal.address ?? 'localhost:7233' };
  const connection = await connectWorker(target);
  const infra = await openInfrastructure(config, logger);
  const worker = await createBookingWorker({ connection, namespace: target.namespace, taskQueue: target.taskQueue, activities: infra.activities, dataConverter: dataConverterFor(config.env) });
  logger.info({ address: target.address, taskQueue: target.taskQueue }, 'worker running');
  await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
  await infra.close();
  await connection.close();
});
