import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { redact } from './postgres-database';
import { freePort } from '../free-port';

/**
 * A PostgreSQL that exists only for a while, for tests and benchmarks: either a fresh database on a given server, or a
 * throwaway cluster (initdb + pg_ctl in a temp dir, on a free port, as the `postgres` user when running as root) that
 * is removed on stop. When the server programs are missing it fails and says how to install them.
 */

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** Connection string of a database that exists only until stop(). */
  url: string;
  /** Where it came from: a server given by URL, or a cluster this helper started. */
  source: 'url' | 'cluster';
  stop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the given server (the role needs CREATEDB) and drops it on stop. */
export async function freshDatabaseOn(serverUrl: string, prefix = 'ledger_test'): Promise<ThrowawayPostgres> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(
      `could not create a scratch database on ${redact(serverUrl)}: ${(error as Error).message}. ` +
        'Grant CREATEDB to that role, or unset the URL to start a throwaway PostgreSQL instead.',
    );
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    source: 'url',
    async stop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The directory holding initdb and pg_ctl: Debian keeps them under /usr/lib/postgresql/<major>/bin. */
export function findPostgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const majors = fs
      .readdirSync(debian)
      .filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return path.join(debian, majors[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL server programs (initdb, pg_ctl) were not found, and a real PostgreSQL server is needed here. ' +
      'Install them (Debian: apt-get install -y postgresql) or set TEST_DATABASE_URL=postgres://user@host:port/db ' +
      'to a server where that role may CREATE DATABASE.',
  );
}


export async function startThrowawayCluster(): Promise<ThrowawayPostgres> {
  const bin = findPostgresBinDir();
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server programs as the `postgres` system user the package created.
  const osUser = asRoot ? 'postgres' : null;
  if (osUser) {
    try {
      execFileSync('id', ['-u', osUser], { stdio: 'ignore' });
    } catch {
      throw new Error('running as root, but there is no "postgres" user to run PostgreSQL as; install the postgresql package');
    }
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-pg-'));
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'socket');
  fs.mkdirSync(socketDir);
  if (osUser) {
    fs.chmodSync(base, 0o755);
    execFileSync('chown', ['-R', osUser, base]);
  }
  const as = (program: string, args: string[]) =>
    osUser ? run('runuser', ['-u', osUser, '--', path.join(bin, program), ...args]) : run(path.join(bin, program), args);

  const port = await freePort();
  const logFile = path.join(base, 'server.log');
  try {
    await as('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await as('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    fs.rmSync(base, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL from ${bin}: ${(error as Error).message}\n${log}`);
  }

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (osUser) execFileSync('runuser', ['-u', osUser, '--', path.join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(path.join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // already gone
    }
    fs.rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  // A crashed or interrupted run must not leave a server behind: stop it on exit, and — for a process killed outright,
  // which runs no exit handlers — a detached watchdog stops it once this process is gone. It ends by itself (within
  // two seconds) once stop() has removed the data directory.
  process.once('exit', stopSync);
  const pgCtl = osUser ? `runuser -u ${osUser} -- ${path.join(bin, 'pg_ctl')}` : path.join(bin, 'pg_ctl');
  spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null && [ -d '${dataDir}' ]; do sleep 2; done; ` +
        `if [ -d '${dataDir}' ]; then ${pgCtl} -D '${dataDir}' -m immediate -w stop >/dev/null 2>&1; rm -rf '${base}'; fi`,
    ],
    { detached: true, stdio: 'ignore' },
  ).unref();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    source: 'cluster',
    async stop() {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}
