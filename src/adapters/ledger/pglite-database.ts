import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Database, SqlPort } from './database';

/**
 * The embedded driver: Postgres compiled to WebAssembly, in this process. `dataDir` persists it; without one it lives
 * in memory (tests). PGlite has one connection, so transactions run one after another, and only ONE process may open
 * a data directory: a lock file next to it makes a second opener fail with a clear message instead of corrupting it.
 */
export async function openPGliteDatabase(options: { dataDir?: string }): Promise<Database> {
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    if (dataDir) prepareDataDir(dataDir);
    db = await PGlite.create({ dataDir, extensions: { btree_gist } });
  } catch (error) {
    release();
    throw error;
  }
  const asPort = (q: { query: PGlite['query'] }): SqlPort => ({
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await q.query<T>(sql, params as unknown[])).rows }),
  });
  const database: Database = {
    driver: 'pglite',
    query: asPort(db).query,
    transaction: (work) => db.transaction((tx) => work(asPort(tx))),
    exec: async (script) => {
      await db.exec(script);
    },
    exclusively: (_key, work) => work(database),
    close: async () => {
      try {
        if (!db.closed) await db.close();
      } finally {
        release();
      }
    },
  };
  return database;
}

/** Creates the directory, refusing one that holds other files: PGlite must have a directory of its own. */
function prepareDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const entries = fs.readdirSync(dataDir);
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    throw new Error(
      `${dataDir} is not empty and is not a ledger database (no PG_VERSION); give the embedded ledger a directory of ` +
        `its own, e.g. ${path.join(dataDir, 'ledger')}`,
    );
  }
}

/** Takes `<dataDir>.lock` for this process; returns its release. A lock whose process is gone is taken over. */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new Error(
          `the embedded ledger at ${dataDir} is already open in process ${owner}` +
            (owner === process.pid ? ' (this process: close the other Ledger first)' : '') +
            '; PGlite allows one process per data directory — run the worker and gateway in one process (npm start), ' +
            'use another DATA_DIR, or set DATABASE_URL to a PostgreSQL server',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${lockPath}; remove it if no process is using the ledger`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
