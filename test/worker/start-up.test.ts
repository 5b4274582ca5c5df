import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript on purpose (it starts without tsx); its exports are checked here
import { compiledWorker } from '../../src/cli/start-worker.mjs';

/**
 * A worker restarted after a crash serves nobody until it polls, so what it loads before polling is kept small: these
 * tests fail when the worker's module graph grows back the heavy parts it does not need.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Nothing that would configure a vendor, a database or a Temporal server of the caller's. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const foreign = /^(TWILIO_|GOOGLE_|LLM_|OPENAI_|TEMPORAL_|SMTP_|MAIL_|PAYLOAD_KEYS$|DATABASE_URL$|DATA_DIR$|KEY_SECRET$|BUSINESS_CONFIG$|NODE_OPTIONS$|VITEST)/;
  for (const [k, v] of Object.entries(process.env)) if (!foreign.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Starts a worker command against a Temporal address nobody serves; returns every module it loaded and its output. */
function startAgainstNothing(args: string[]): { loaded: string[]; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-graph-'));
  const log = path.join(dir, 'loaded.txt');
  fs.writeFileSync(
    path.join(dir, 'hook.mjs'),
    `import fs from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const resolved = await next(specifier, context);\n  fs.appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');\n  return resolved;\n}\n`,
  );
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});\n`);
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, ...args], {
    cwd: ROOT,
    env: bareEnv({ TEMPORAL_ADDRESS: '127.0.0.1:1', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' }),
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const loaded = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { loaded, status: run.status, stderr: run.stderr };
}

const packageOf = (url: string) => url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1];
const ownFile = (url: string) => (url.startsWith('file:') && !url.includes('/node_modules/') ? path.relative(ROOT, new URL(url).pathname) : undefined);

describe('worker start-up', () => {
  it('loads neither the workflows, the gateway, unconfigured vendors, holidays nor a database driver before it connects', () => {
    const { loaded, status, stderr } = startAgainstNothing(['--import', 'tsx', 'src/cli/worker.ts']);
    // It got as far as connecting, with the readable one-line failure of a Temporal server that is not there.
    expect(status).toBe(1);
    expect(stderr).toMatch(/^error: cannot reach Temporal at 127\.0\.0\.1:1/m);
    const packages = new Set(loaded.map(packageOf).filter(Boolean));
    expect(packages.has('@temporalio/worker')).toBe(true); // the check sees packages at all
    for (const heavy of ['googleapis', 'twilio', 'openai', 'nodemailer', 'date-holidays', '@electric-sql/pglite', 'pg', '@temporalio/workflow', 'hono']) {
      expect(packages.has(heavy), `${heavy} is loaded`).toBe(false);
    }
    const files = loaded.map(ownFile).filter((f): f is string => Boolean(f));
    expect(files).toContain(path.join('src', 'infrastructure.ts'));
    // The configuration's staff-password parser (src/gateway/staff/session.ts) is the one small file it shares with the gateway.
    const gateway = (f: string) => f.startsWith(path.join('src', 'gateway') + path.sep) && f !== path.join('src', 'gateway', 'staff', 'session.ts');
    expect(files.filter((f) => f.startsWith(`workflows${path.sep}`) || gateway(f))).toEqual([]);
  });

  it('`npm run worker` runs a compiled copy, built once per version of the code, and fails on bad settings as before', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-copy-'));
    const cold = await compiledWorker({ cacheDir });
    expect(cold.cached).toBe(false);
    const warm = await compiledWorker({ cacheDir });
    expect(warm).toEqual({ entry: cold.entry, cached: true });
    expect(fs.readdirSync(cacheDir)).toHaveLength(1); // no temporary folder left behind
    fs.rmSync(cacheDir, { recursive: true, force: true });

    const { loaded, status, stderr } = startAgainstNothing(['src/cli/start-worker.mjs']);
    expect(stderr).toMatch(/^error: cannot reach Temporal at 127\.0\.0\.1:1.*start that server/m);
    expect(status).toBe(1);
    // From the compiled copy: no TypeScript source went through a loader.
    expect(loaded.some((url) => /\/node_modules\/\.cache\/booking-orchestrator\/worker-[0-9a-f]+\/worker\.js$/.test(url))).toBe(true);
    expect(loaded.filter((url) => ownFile(url)?.endsWith('.ts'))).toEqual([]);
  });
});
