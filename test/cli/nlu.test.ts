import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function nlu(args: string[], input: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/nlu.ts', ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: run.status, lines: run.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), stderr: run.stderr };
}

describe('npm run nlu', () => {
  it('writes one line per input with exactly the contract fields', () => {
    const input = [
      { id: 1, text: 'I want a haircut next Friday at half past 3 in the afternoon' },
      { id: 'two', text: 'between 2 and 4 with Sam' },
      { id: 3, text: 'the second one', previous: 'Free times:\n1. Fri 8 Mar, 10:00 AM with Alex\n2. Fri 8 Mar, 10:30 AM with Sam' },
      { id: 4, text: 'STOP' },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n');
    const { status, lines } = nlu(['--now', '2019-03-01T09:00', '--zone', 'America/Los_Angeles'], `${input}\nnot json\n`);
    expect(status).toBe(0);
    expect(lines).toEqual([
      { id: 1, intent: 'book', date: '2019-03-08', time: '15:30', service: 'haircut' },
      { id: 'two', intent: 'book', window: { start: '14:00', end: '16:00' }, provider: 'sam' },
      { id: 3, intent: 'book' },
      { id: 4, intent: 'opt_out' },
      { id: null, error: 'not a JSON object; send one {"id", "text"} per line' },
    ]);
  });

  it('explains what it could not pin down with --explain', () => {
    const { lines } = nlu(['--now', '2019-03-01T09:00', '--zone', 'America/New_York', '--explain'], JSON.stringify({ id: 1, text: 'next weekend' }));
    expect(lines[0]).toMatchObject({ id: 1, intent: 'book', range: { start: '2019-03-09', end: '2019-03-10' } });
    expect((lines[0]!.unresolved as { kind: string }[]).map((u) => u.kind)).toContain('ambiguous_weekend');
  });

  it('refuses a bad zone and says what to pass', () => {
    const { status, stderr } = nlu(['--now', '2019-03-01T09:00', '--zone', 'Mars/Olympus'], '');
    expect(status).toBe(2);
    expect(stderr).toContain('not an IANA time zone');
  });

  it('reads the business from BUSINESS_CONFIG and says when it is missing', () => {
    const { status, stderr } = nlu(['--now', '2019-03-01T09:00', '--zone', 'UTC'], '', { BUSINESS_CONFIG: '/nonexistent/business.json' });
    expect(status).toBe(2);
    expect(stderr).toContain('BUSINESS_CONFIG');
  });
});
