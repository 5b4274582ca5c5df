import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, reachable } from '../../src/adapters/temporal/provision';
import { TEST_HANG_MS, waitFor } from '../support/patience';

/**
 * `npm start` as a user runs it: the whole product in one command, with its own dev server and Web UI, stopped by
 * Ctrl-C without leaving a process behind, and keeping conversations across a restart. Bad configuration ends with
 * one line naming the problem and the fix.
 */
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) signalGroup(child, 'SIGKILL');
});

/**
 * The command package.json's `start` script runs, as node arguments: `tsx …` through tsx's CLI, `node …` as it is.
 * (npm itself is left out: it only adds a shell in between.)
 */
function startCommand(): string[] {
  const script = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [bin, ...args] = script.trim().split(/\s+/);
  if (bin === 'tsx') return [path.resolve('node_modules/tsx/dist/cli.mjs'), ...args];
  if (bin === 'node') return args;
  throw new Error(`npm start runs "${script}": teach this test how to run that`);
}

/**
 * Each run in a process group of its own, as in a terminal. Ctrl-C signals the whole group: the launcher and the
 * program both get SIGINT. (Signalling tsx's CLI alone is not Ctrl-C: it relays the signal and, when the busy
 * program has not acknowledged it within 30 ms, kills it and exits 130. The group signal narrows that race but
 * cannot close it — only a start script without the relay, `node --import tsx src/main.ts`, does.)
 */
function npmStart(env: Record<string, string>) {
  const child = spawn(process.execPath, startCommand(), {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { child, exited, output: () => output, ctrlC: () => signalGroup(child, 'SIGINT') };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

/** Until `/healthz` answers: start-up takes what it takes on a busy machine; only an exit or a hang ends the wait. */
function healthy(base: string, run: ReturnType<typeof npmStart>) {
  return waitFor(
    async () => {
      if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode} before answering /healthz: ${run.output()}`);
      return (await fetch(`${base}/healthz`).catch(() => null))?.ok ?? false;
    },
    () => `/healthz; output: ${run.output()}`,
    { intervalMs: 250 },
  );
}

async function ports() {
  return { PORT: String(await freePort()), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()) };
}

describe('npm start', () => {
  it('runs everything, answers a chat through a listed workflow, stops cleanly and keeps it across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
    const env = { ...(await ports()), DATA_DIR: dataDir, OPS_TOKEN: 'ops-token' };
    const base = `http://127.0.0.1:${env.PORT}`;
    const first = npmStart(env);
    await healthy(base, first);
    expect(first.output()).toContain(`Web chat      http://localhost:${env.PORT}/`);
    expect(first.output()).toContain(`Temporal UI   http://localhost:${env.TEMPORAL_UI_PORT}/`);
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);

    const { sessionId } = (await (await fetch(`${base}/api/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { sessionId: string };
    // A first turn on a just-started worker may outlast the gateway's wait (202); the same message id is asked again
    // for the same turn, as the chat page does.
    const turn = await waitFor(async () => {
      const res = await fetch(`${base}/api/chat/sessions/${sessionId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello', clientMessageId: 'first' }),
      });
      return res.status !== 202 && res;
    }, 'the first turn');
    expect(turn.status).toBe(200);
    // The operator list reads visibility, which catches up a moment after the turn: asked until the conversation is
    // there, then it must be the only one.
    const listed = await waitFor(async () => {
      const body = (await (await fetch(`${base}/api/ops/conversations`, { headers: { authorization: 'Bearer ops-token' } })).json()) as { conversations: unknown[] };
      return body.conversations.length > 0 && body;
    }, 'the conversation in the operator list', { intervalMs: 250 });
    expect(listed.conversations).toHaveLength(1);

    first.ctrlC();
    expect(await first.exited).toBe(0);
    expect(await reachable('127.0.0.1', Number(env.TEMPORAL_PORT), 500)).toBe(false);
    expect(await reachable('127.0.0.1', Number(env.PORT), 500)).toBe(false);

    // The same DATA_DIR on fresh ports: a port freed a moment ago can be taken by any other process on a busy machine
    // (CI once found TEMPORAL_PORT listened on by someone else at the restart), and what must survive is the data.
    const again = { ...env, ...(await ports()) };
    const second = npmStart(again);
    await healthy(`http://127.0.0.1:${again.PORT}`, second);
    const view = (await (await fetch(`http://127.0.0.1:${again.PORT}/api/chat/sessions/${sessionId}`)).json()) as { transcript: unknown[] };
    expect(view.transcript[0]).toMatchObject({ role: 'customer', text: 'hello' });
    second.ctrlC();
    expect(await second.exited).toBe(0);
  }, TEST_HANG_MS);

  it.each([
    ['an invalid business file', async () => ({ BUSINESS_CONFIG: writeTemp('{"name":"x","timezone":"Nowhere/Land","services":[],"providers":[]}') }), /^error: .*timezone: must be an IANA time zone/],
    ['an unreachable TEMPORAL_ADDRESS', async () => ({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }), /^error: cannot reach Temporal at 127\.0\.0\.1:\d+ .*unset it to let `npm start` run its own dev server/],
    ['a port in use', async () => ({ PORT: String(await busyPort()) }), /^error: PORT \d+ is already in use — stop the other process or choose another port/],
  ])('ends with one clear line for %s', async (_what, makeEnv, message) => {
    const run = npmStart({ ...(await ports()), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bad-')), ...(await makeEnv()) });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Starting'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

function writeTemp(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'business.json');
  fs.writeFileSync(file, text);
  return file;
}

const holders: import('node:net').Server[] = [];
async function busyPort(): Promise<number> {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  holders.push(server);
  return (server.address() as { port: number }).port;
}
afterAll(() => holders.forEach((s) => s.close()));
