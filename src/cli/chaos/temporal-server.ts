import { Connection } from '@temporalio/client';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { provision } from '../../adapters/temporal/provision';
import type { Child, Children } from './children';

/**
 * The Temporal dev server of a chaos run, started as src/adapters/temporal/dev-server.ts starts it (the provisioned
 * CLI, state in a SQLite file, our search attributes as start-up flags) but as a child this run supervises, so it can
 * be killed outright and started again on the same port and file — conversations must survive that — and so the
 * watchdog can stop it if the run itself is killed.
 */

export class TemporalServerError extends Error {
  override name = 'TemporalServerError';
}

export interface ChaosTemporal {
  address: string;
  uiUrl: string;
  /** Kills the server (SIGKILL: a crash, not a shutdown) and starts it again on the same state; returns the downtime in ms. */
  restart(): Promise<number>;
  stop(): Promise<void>;
}

export async function startChaosTemporal(options: { children: Children; runDir: string; port: number; uiPort: number; cwd: string }): Promise<ChaosTemporal> {
  const cli = await provision('cli');
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    path.join(options.runDir, 'temporal.sqlite'),
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
  ];
  const launch = async (): Promise<Child> => {
    const child = options.children.start('Temporal dev server', cli.path, args, { env: process.env, cwd: options.cwd, logName: 'temporal' });
    await serving(address, child, 60_000);
    return child;
  };
  let server = await launch();
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    async restart() {
      const t0 = Date.now();
      server.signal('SIGKILL');
      await server.exited;
      server = await launch();
      return Date.now() - t0;
    },
    async stop() {
      server.signal('SIGTERM');
      const killer = setTimeout(() => server.signal('SIGKILL'), 10_000);
      await server.exited;
      clearTimeout(killer);
    },
  };
}

/** Waits until the server answers a namespace lookup (listening is not enough: it opens the port before it serves). */
async function serving(address: string, child: Child, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = 'not listening yet';
  while (Date.now() < deadline) {
    if (child.done()) throw new TemporalServerError(`the Temporal dev server exited while starting; its log ends:\n${child.tail()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      last = (error as Error).message.split('\n')[0] ?? String(error);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.signal('SIGKILL');
  throw new TemporalServerError(`the Temporal dev server did not serve at ${address} within ${ms / 1000} s (${last}); its log ends:\n${child.tail()}`);
}
