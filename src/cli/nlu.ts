/**
 * `npm run -s nlu -- --now <ISO-8601 local time> --zone <IANA> [--explain]`
 *
 * The offline interpreter's understanding step, for evaluation and for debugging ("why did it think next Friday was
 * the 8th?"). Reads JSON lines `{id, text, previous?}` on stdin — `previous` is the assistant's message before this
 * one, as a string (or an object with `text`) — and writes one JSON line per input:
 * `{id, intent, date?, time?, window?: {start, end}, service?, provider?}` (DESIGN.md, command-line tools).
 * `--explain` adds `choice`, `range`, `weekdays`, `locale` and `unresolved` (what could not be pinned down).
 * The business comes from BUSINESS_CONFIG or config/business.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DateTime, IANAZone } from 'luxon';
import { parseBusiness, type Business } from '../domain/booking/business';
import { understand, type Understanding } from '../domain/language/understand';

const USAGE = 'usage: npm run -s nlu -- --now 2019-03-01T09:00 --zone America/Los_Angeles [--explain] < input.jsonl';

function fail(message: string): never {
  process.stderr.write(`nlu: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

function loadBusiness(): Business {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const path = process.env.BUSINESS_CONFIG ? resolve(process.env.BUSINESS_CONFIG) : resolve(repoRoot, 'config/business.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`cannot read the business configuration at ${path} (${(error as Error).message}); set BUSINESS_CONFIG to a valid JSON file`);
  }
  try {
    return parseBusiness(raw, path);
  } catch (error) {
    fail((error as Error).message);
  }
}

/** The contract's fields, in the contract's order; `explain` adds the rest. */
export function toOutputLine(id: unknown, u: Understanding, explain: boolean): Record<string, unknown> {
  const line: Record<string, unknown> = { id, intent: u.intent };
  if (u.date) line.date = u.date;
  if (u.time) line.time = u.time;
  if (u.window) line.window = u.window;
  if (u.service) line.service = u.service;
  if (u.provider) line.provider = u.provider;
  if (explain) {
    if (u.choice !== undefined) line.choice = u.choice;
    if (u.range) line.range = u.range;
    if (u.weekdays) line.weekdays = u.weekdays;
    if (u.locale) line.locale = u.locale;
    if (u.unresolved) line.unresolved = u.unresolved;
  }
  return line;
}

function previousText(previous: unknown): string | undefined {
  if (typeof previous === 'string') return previous;
  if (previous && typeof previous === 'object') {
    const p = previous as Record<string, unknown>;
    for (const key of ['text', 'assistant', 'content']) if (typeof p[key] === 'string') return p[key] as string;
  }
  return undefined;
}

async function main(): Promise<void> {
  const now = argument('now');
  const zone = argument('zone');
  if (!now) fail('--now is required (an ISO-8601 local time such as 2019-03-01T09:00)');
  if (!zone) fail('--zone is required (an IANA zone such as America/New_York)');
  if (!IANAZone.isValidZone(zone)) fail(`--zone "${zone}" is not an IANA time zone; use one such as America/New_York or Europe/Madrid`);
  if (!DateTime.fromISO(now, { zone }).isValid) fail(`--now "${now}" is not an ISO-8601 time; use e.g. 2019-03-01T09:00`);
  const explain = process.argv.includes('--explain');
  const business = loadBusiness();

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    let input: { id?: unknown; text?: unknown; previous?: unknown };
    try {
      input = JSON.parse(raw) as typeof input;
    } catch {
      process.stdout.write(`${JSON.stringify({ id: null, error: 'not a JSON object; send one {"id", "text"} per line' })}\n`);
      continue;
    }
    if (typeof input.text !== 'string') {
      process.stdout.write(`${JSON.stringify({ id: input.id ?? null, error: '"text" must be a string' })}\n`);
      continue;
    }
    const u = understand(input.text, { now, zone, business, previous: previousText(input.previous) });
    process.stdout.write(`${JSON.stringify(toOutputLine(input.id ?? null, u, explain))}\n`);
  }
}

await main();
