/** `npm run gateway`: only the HTTP gateway, as production runs it (needs TEMPORAL_ADDRESS and a running worker). */
import { serve } from '@hono/node-server';
import { loadConfig } from '../config';
import { connectClient } from '../adapters/temporal/connect';
import { dataConverterFor } from '../adapters/temporal/data-converter';
import { createApp } from '../gateway/app';
import { gatewayDeps } from '../composition';
import { createLogger } from '../logger';
import { runCli } from './run';
import { openDatabase } from '../adapters/ledger/ledger-factory';
import { createOutboxStore } from '../adapters/outbox/outbox-store';
import { staffDeskDeps } from '../staff-desk';
import { createCustomerRecords } from '../adapters/customer-records';
import { createSqlLedger } from '../adapters/ledger/sql-ledger';

await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL);
  const target = { ...config.temporal, address: config.temporal.address ?? 'localhost:7233' };
  const client = await connectClient(target, { dataConverter: dataConverterFor(config.env) });
  // Delivery status callbacks land in the worker's outbox table: reachable from here only through PostgreSQL.
  const database = config.env.DATABASE_URL ? await openDatabase({ databaseUrl: config.env.DATABASE_URL }) : undefined;
  const app = createApp({
    ...gatewayDeps(config, client, logger, database ? createOutboxStore(database) : undefined),
    // Forgetting a customer needs their database; with PGlite only the worker's process can open it.
    customerRecords: database ? createCustomerRecords(createSqlLedger(database)) : undefined,
    // The staff desk reads and writes the ledger; with PGlite only the worker's process can open it.
    staffDesk: database ? staffDeskDeps(config, client, createSqlLedger(database), logger) : undefined,
  });
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.env.PORT, hostname: '0.0.0.0' }, () => {
      logger.info({ port: config.env.PORT }, 'gateway listening');
    });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`PORT ${config.env.PORT} is already in use — stop the other process or set PORT`) : error),
    );
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await client.connection.close();
  await database?.close();
});
