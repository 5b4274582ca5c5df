import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { provision, reachable } from './provision';

/**
 * The Temporal dev server (`temporal server start-dev`) that `npm start` runs when TEMPORAL_ADDRESS is unset:
 * Web UI included, state in a SQLite file so conversations survive a restart, our search attributes registered.
 */
export interface DevServer {
  address: string;
  uiUrl: string;
  /** The server's process, for measuring what it costs (npm run bench). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export class DevServerError extends Error {
  override name = 'DevServerError';
}

export async function startDevServer(options: {
  dataDir: string;
  port: number;
  uiPort: number;
  log: (line: string) => void;
  /** The codec server the Web UI decodes payloads through (`--ui-codec-endpoint`). */
  codecEndpoint?: string;
}): Promise<DevServer> {
  const { dataDir, port, uiPort, log, codecEndpoint } = options;
  for (const [what, p, variable] of [
    ['Temporal gRPC', port, 'TEMPORAL_PORT'],
    ['Temporal Web UI', uiPort, 'TEMPORAL_UI_PORT'],
  ] as const) {
    if (await reachable('127.0.0.1', p, 500)) {
      throw new DevServerError(
        `port ${p} (${what}) is already in use — stop the other process, choose another port with ${variable}, ` +
          (variable === 'TEMPORAL_PORT' ? `or use that server by setting TEMPORAL_ADDRESS=localhost:${p}` : ''),
      );
    }
  }
  const cli = await provision('cli', log);
  if (cli.kind !== 'path') throw new DevServerError('the Temporal CLI is needed as a file; set TEMPORAL_CLI_PATH');
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'temporal.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    path.join(dataDir, 'temporal.sqlite'),
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
    ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
  ];
  const child: ChildProcess = spawn(cli.path, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));

  const deadline = Date.now() + 60_000;
  while (!(await reachable('127.0.0.1', port, 500))) {
    if (exited !== null) {
      throw new DevServerError(`the Temporal dev server exited with code ${exited}; see ${logFile}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new DevServerError(`the Temporal dev server did not listen on ${port} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://localhost:${uiPort}`,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
