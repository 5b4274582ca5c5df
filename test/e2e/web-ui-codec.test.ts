import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/adapters/temporal/provision';
import { launchBrowser } from '../support/browser';
import { TEST_HANG_MS, waitFor } from '../support/patience';

/**
 * The Temporal Web UI of `npm start` shows customers' words decoded, through the gateway's codec server, to the
 * person running it; the same endpoint refuses anyone without staff credentials. The product runs exactly as
 * package.json's start script runs it (as in npm-start.test.ts), the UI in headless Chromium. A screenshot of the
 * decoded history is kept under .test-artifacts/.
 */
const ARTIFACTS = path.resolve('.test-artifacts');
const started: ChildProcess[] = [];
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  for (const child of started) {
    if (child.exitCode !== null) continue;
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // gone already
    }
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

function npmStart(env: Record<string, string>) {
  const script = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [bin, ...args] = script.trim().split(/\s+/);
  if (bin !== 'node') throw new Error(`npm start runs "${script}": teach this test how to run that (see npm-start.test.ts)`);
  const child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

describe('the Web UI of npm start', () => {
  it('shows a customer message decoded in a conversation history; the codec endpoint answers 401 without staff credentials', async () => {
    const env = {
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'web-ui-codec-')),
      OPS_TOKEN: 'ops-token',
    };
    const base = `http://127.0.0.1:${env.PORT}`;
    const ui = `http://localhost:${env.TEMPORAL_UI_PORT}`;
    const run = npmStart(env);
    await waitFor(
      async () => {
        if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode}: ${run.output()}`);
        return (await fetch(`${base}/healthz`).catch(() => null))?.ok ?? false;
      },
      () => `/healthz; output: ${run.output()}`,
      { intervalMs: 250 },
    );

    // The UI was started pointing at this gateway's codec server.
    const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
    expect(settings.Codec.Endpoint).toMatch(new RegExp(`^http://localhost:${env.PORT}/codec/ui/[0-9a-f]{64}$`));

    // A customer writes; their words are what the UI must show.
    const words = 'Hello, I am Rosa Quintanilla and I would like a haircut';
    const { sessionId } = (await (await fetch(`${base}/api/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { sessionId: string };
    await waitFor(async () => {
      const res = await fetch(`${base}/api/chat/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: words, clientMessageId: 'first' }) });
      return res.status === 200;
    }, 'the first turn');
    const listed = await waitFor(async () => {
      const body = (await (await fetch(`${base}/api/ops/conversations`, { headers: { authorization: 'Bearer ops-token' } })).json()) as { conversations: { workflowId: string }[] };
      return body.conversations[0];
    }, 'the conversation in the operator list', { intervalMs: 250 });

    // Without the codec, Temporal holds ciphertext: the same history read raw has no trace of the words.
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_PORT}` });
    const history = await new Client({ connection }).workflow.getHandle(listed.workflowId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain('Quintanilla');
    await connection.close();

    // Staff open the history in the Web UI and expand the message's update: decoded, in their browser.
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const codecAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/codec/')) codecAnswers.push(response.status());
    });
    await page.goto(`${ui}/namespaces/default/workflows/${encodeURIComponent(listed.workflowId)}`);
    await page.getByText('Event History').first().click();
    const accepted = page.getByText('Workflow Execution Update Accepted').first();
    await accepted.waitFor({ timeout: TEST_HANG_MS });
    await accepted.click();
    const decoded = page.getByText('Rosa Quintanilla').first();
    await decoded.waitFor({ timeout: TEST_HANG_MS });
    await decoded.scrollIntoViewIfNeeded();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-decoded-history.png') });
    expect(codecAnswers.length).toBeGreaterThan(0);
    expect(codecAnswers.every((status) => status === 200)).toBe(true);

    // Anyone else: the codec endpoint refuses.
    const payloads = { payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') }, data: '' }] };
    const post = (url: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payloads) });
    expect((await post(`${base}/codec/decode`)).status).toBe(401);
    expect((await post(`${base}/codec/decode`, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(`${base}/codec/ui/${'0'.repeat(64)}/decode`)).status).toBe(401);
    // A browser page on another origin gets no CORS grant either.
    const preflight = await fetch(`${base}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    process.kill(-run.child.pid!, 'SIGINT');
    expect(await new Promise((resolve) => run.child.once('exit', resolve))).toBe(0);
  }, TEST_HANG_MS);
});
