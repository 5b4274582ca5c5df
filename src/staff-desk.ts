import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createClosureCalendar } from './adapters/closures';
import type { Ledger } from './adapters/ledger';
import { Conversations } from './adapters/temporal/conversations';
import { createStaffTemporal } from './adapters/temporal/staff-desk';
import type { Config } from './config';
import { parseStaffPasswords } from './gateway/staff/session';
import type { StaffDeskDeps } from './gateway/staff/routes';

/**
 * The staff desk's part of the composition root: the ledger's staff calendar, the business file's closed days and
 * Temporal, handed to the /staff routes as the ports they declare. Needs the ledger in this process: `npm start`
 * (PGlite or PostgreSQL) or a lone gateway with DATABASE_URL; without it the page says why it is off.
 */
export function staffDeskDeps(config: Config, client: Client, ledger: Ledger, logger: Logger, options: { taskQueue?: string; eventsPollMs?: number } = {}): StaffDeskDeps {
  return {
    business: config.business,
    ledger,
    closures: createClosureCalendar(config.business),
    temporal: createStaffTemporal(client, new Conversations(client, options.taskQueue ?? config.temporal.taskQueue), { taskQueue: options.taskQueue }),
    credentials: { opsToken: config.env.OPS_TOKEN, passwords: parseStaffPasswords(config.env.STAFF_PASSWORDS) },
    logger,
    eventsPollMs: options.eventsPollMs,
  };
}
