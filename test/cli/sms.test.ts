import { serve, type ServerType } from '@hono/node-server';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSmsArgs, SmsCliError } from '../../src/cli/sms';
import { startSystem, type TestSystem } from '../support/system';
import { TWILIO_ENV, conversationIdOf, randomPhone, stateOf, transcriptOf } from '../support/twilio-webhook';
import { freePort } from '../../src/adapters/free-port';

/**
 * `npm run -s sms` against a running system: the real gateway on a real HTTP port, a worker on the shared dev
 * server. The command is run as a user runs it, in its own process; it only knows the gateway's URL and tokens.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runSms(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'sms', '--', ...args],
      // Only what the command needs: nothing leaks in from the test process's environment.
      { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}


const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('npm run -s sms against a running gateway', () => {
  let system: TestSystem;
  let server: ServerType;
  let env: Record<string, string>;
  beforeAll(async () => {
    system = await startSystem({ ...TWILIO_ENV });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: system.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    env = {
      GATEWAY_URL: `http://127.0.0.1:${port}`,
      PUBLIC_BASE_URL: TWILIO_ENV.PUBLIC_BASE_URL,
      TWILIO_AUTH_TOKEN: TWILIO_ENV.TWILIO_AUTH_TOKEN,
      OPS_TOKEN: 'test-ops-token',
    };
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await system?.stop();
  });

  it('books over SMS and prints exactly the replies that reached the outbox', async () => {
    const from = randomPhone();
    const workflowId = conversationIdOf(system, 'sms', from);

    const first = await runSms(['--from', from, "I'd like a haircut next Tuesday at 10am"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^sent SM[0-9a-f]{32} from \+1555\d{7} \(signed for https:\/\/booking\.example\.test\/webhooks\/twilio\/messaging\)/);
    expect((await stateOf(system, workflowId)).status).toBe('holding');
    const readBack = lines(first.stdout);
    expect(readBack.join('\n')).toMatch(/Reply YES to confirm/);

    const second = await runSms(['--from', from, 'yes'], env);
    expect(second.code, second.stderr).toBe(0);
    const confirmation = lines(second.stdout);
    expect(confirmation.join('\n')).toMatch(/booked/i);
    expect((await stateOf(system, workflowId)).status).toBe('booked');

    // What it printed is what left through the outbox, in order, and nothing from the first run was repeated.
    const outbox = (await system.infra.outbox.listByScope(workflowId)).map((r) => r.body ?? '');
    expect([...readBack, ...confirmation]).toEqual(outbox.flatMap(lines));
    const transcript = await transcriptOf(system, workflowId);
    expect(transcript.filter((l) => l.role === 'customer').map((l) => l.text)).toEqual(["I'd like a haircut next Tuesday at 10am", 'yes']);
  });

  it('STOP: returns promptly and says no reply is sent', async () => {
    const from = randomPhone();
    const started = Date.now();
    const run = await runSms(['--from', from, 'STOP'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/opted out/);
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('fails with one clear line when a token is missing, wrong, or the gateway is unreachable', async () => {
    const from = randomPhone();
    const closedPort = await freePort();
    const cases: [string, Record<string, string>, RegExp][] = [
      ['no auth token', { ...env, TWILIO_AUTH_TOKEN: '' }, /TWILIO_AUTH_TOKEN is not set/],
      ['no ops token', { ...env, OPS_TOKEN: '' }, /OPS_TOKEN is not set/],
      ['wrong ops token', { ...env, OPS_TOKEN: 'nope' }, /refused OPS_TOKEN/],
      ['wrong auth token', { ...env, TWILIO_AUTH_TOKEN: 'not-the-gateways' }, /refused the signature .*TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL/],
      ['wrong public URL', { ...env, PUBLIC_BASE_URL: 'https://elsewhere.example' }, /signed for https:\/\/elsewhere\.example\/webhooks\/twilio\/messaging|computed for https:\/\/elsewhere\.example/],
      ['gateway down', { ...env, GATEWAY_URL: `http://127.0.0.1:${closedPort}` }, new RegExp(`cannot reach the gateway at http://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\): start it`)],
    ];
    const runs = await Promise.all(cases.map(([, caseEnv]) => runSms(['--from', from, 'hello'], caseEnv)));
    runs.forEach((run, i) => {
      const [what, , pattern] = cases[i]!;
      expect(run.code, what).toBe(1);
      expect(lines(run.stderr), what).toHaveLength(1);
      expect(run.stderr, what).toMatch(/^sms: /);
      expect(run.stderr, what).toMatch(pattern);
      expect(run.stdout, what).toBe('');
    });
    const usage = await runSms(['hello'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--from is required/);
  });
});

describe('parseSmsArgs', () => {
  const env = { TWILIO_AUTH_TOKEN: 't', OPS_TOKEN: 'o' };
  it('defaults the gateway to localhost:$PORT and signs for it unless PUBLIC_BASE_URL says otherwise', () => {
    expect(parseSmsArgs(['--from', '+1 555 123 4567', 'hi', 'there'], { ...env, PORT: '4000' })).toMatchObject({
      gatewayUrl: 'http://localhost:4000',
      publicBaseUrl: 'http://localhost:4000',
      from: { channel: 'sms', e164: '+15551234567' },
      to: '+15005550006',
      text: 'hi there',
      waitMs: 30_000,
    });
    expect(parseSmsArgs(['--from=whatsapp:+34600111222', '--to', '+15550001111', '--wait', '5', 'hola'], { ...env, GATEWAY_URL: 'http://gw:8080/', PUBLIC_BASE_URL: 'https://pub.example' })).toMatchObject({
      gatewayUrl: 'http://gw:8080',
      publicBaseUrl: 'https://pub.example',
      from: { channel: 'whatsapp', e164: '+34600111222' },
      to: 'whatsapp:+15550001111',
      waitMs: 5_000,
    });
  });

  it('names what is wrong', () => {
    const fails = (argv: string[], e: Record<string, string> = env) => {
      try {
        parseSmsArgs(argv, e);
      } catch (error) {
        expect(error).toBeInstanceOf(SmsCliError);
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(fails(['hi'])).toMatch(/--from is required/);
    expect(fails(['--from', '12345', 'hi'])).toMatch(/not a phone number/);
    expect(fails(['--from', '+15551234567'])).toMatch(/no message text/);
    expect(fails(['--from', '+15551234567', '--bogus', 'hi'])).toMatch(/unknown option --bogus/);
    expect(fails(['--from', '+15551234567', 'x'.repeat(1601)])).toMatch(/at most 1600/);
    expect(fails(['--from', '+15551234567', '--wait', '0', 'hi'])).toMatch(/--wait/);
  });
});
