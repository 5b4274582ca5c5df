/**
 * `npm run bench [-- --conversations 50 --race 5 --baseline-updates 10]`: how long a booking turn takes through the
 * real product, and how that compares with a bare Temporal round trip on the same server.
 *
 * It starts what `npm start` starts (a Temporal dev server unless TEMPORAL_ADDRESS is set, the worker, the gateway
 * on a free port, the embedded ledger in a temporary DATA_DIR, the offline interpreter as the model), or drives the
 * gateway at BENCH_URL (then TEMPORAL_ADDRESS must name its server). N customers chat at once, each booking a haircut
 * at a day and time; every `--race` of them ask for the same slot, so the losers are offered alternatives and pick
 * one. In the same run and on the same server, the baseline: updates to a trivial workflow (workflows/bench.ts) at the
 * same concurrency. Then it reads the conversations' workflow histories to say where the time went.
 *
 * Simulated customers each come from their own address (X-Forwarded-For with TRUST_PROXY=true, as behind a proxy),
 * so the per-address rate limits apply to each of them as they would to real visitors.
 *
 * Then the scaling table (`--scaling 1,10,50,100,200`, the default): the same customers at each concurrency, each
 * row after a bare-update baseline at its own concurrency, with the whole machine's CPU time per turn.
 *
 * Human-readable figures first; the last line is one JSON object: {"conversations", "turns", "turn_p50_ms",
 * "turn_p95_ms", "baseline_p50_ms", "overhead_ratio_p50", "turns_per_s", "double_bookings"} for the main run, plus
 * "cpu_ms_per_turn" and "scaling": [{concurrency, turns_per_s, turn_p50_ms, turn_p95_ms, baseline_p50_ms,
 * cpu_ms_per_turn}].
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import pino from 'pino';
import { benchEchoUpdate, benchStopSignal } from '../../workflows/bench';
import { stateQuery } from '../../workflows/messages';
import { startSystem } from '../system';
import { loadConfig } from '../config';
import { acknowledgementTexts } from '../gateway/chat/acknowledgement';
import { openDatabase } from '../adapters/ledger/ledger-factory';
import type { SqlPort } from '../adapters/ledger/database';
import { connectClient, connectWorker } from '../adapters/temporal/connect';
import { dataConverterFor } from '../adapters/temporal/data-converter';
import { freePort } from '../adapters/free-port';
import { stopIgnoringRetryAfterClose } from '../adapters/temporal/retry-after-close';

// ---------------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------------

interface Options {
  conversations: number;
  /** How many customers ask for each slot at once. */
  race: number;
  /** Sequential baseline updates per concurrent client. */
  baselineUpdates: number;
  benchUrl?: string;
  /** Concurrencies of the scaling table (the row at `conversations` reuses the main run). */
  scaling: number[];
}

const USAGE =
  'usage: npm run bench [-- --conversations 50 --race 5 --baseline-updates 10 --scaling 1,10,50,100,200|none]   (BENCH_URL=http://host:port to drive a running gateway)';

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number, min: number, max: number): number => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return fallback;
    const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max} (got ${raw ?? 'nothing'})`);
    return n;
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const scalingAt = argv.findIndex((a) => a === '--scaling' || a.startsWith('--scaling='));
  const scalingRaw = scalingAt < 0 ? '1,10,50,100,200' : argv[scalingAt]!.includes('=') ? argv[scalingAt]!.split('=')[1]! : (argv[scalingAt + 1] ?? '');
  const scaling = scalingRaw === 'none' ? [] : scalingRaw.split(',').map(Number);
  if (scaling.some((n) => !Number.isInteger(n) || n < 1 || n > 500)) fail(`--scaling must be "none" or whole numbers from 1 to 500, comma-separated (got ${scalingRaw})`);
  return {
    scaling,
    conversations: value('conversations', 50, 1, 1000),
    race: value('race', 5, 1, 100),
    baselineUpdates: value('baseline-updates', 10, 1, 1000),
    benchUrl: process.env.BENCH_URL?.replace(/\/+$/, '') || undefined,
  };
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// The system under test
// ---------------------------------------------------------------------------------------------------------------

interface Target {
  url: string;
  client: Client;
  /** Task queue of the baseline's trivial workflow. */
  echoQueue: string;
  /** A visibility clause that narrows to this run's conversations. */
  scope: string;
  /** The ledger's SQL, when this process can reach it. */
  ledgerSql?: SqlPort;
  /** The business's zone: scaling rows say their dates in it. */
  zone: string;
  /** The Temporal dev server's process when this bench started it (its CPU is reported apart). */
  serverPid?: number;
  describe: string;
  stop(): Promise<void>;
}

const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
const here = path.dirname(fileURLToPath(import.meta.url));


/** Everything in this process, as src/main.ts starts it, on free ports and a temporary data directory. */
async function startInProcess(): Promise<Target> {
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch((e) => console.error(`bench: shutdown step failed: ${(e as Error).message}`));
  };
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-bench-'));
    stoppers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    // The offline interpreter: the benchmark measures our system, not a remote model.
    const { LLM_MODEL: _m, LLM_BASE_URL: _b, LLM_API_KEY: _k, OPENAI_API_KEY: _o, ...env } = process.env;
    const config = loadConfig({ ...env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
    const logger = pino({ level: 'warn' }, pino.destination(2));
    process.env.TRUST_PROXY = 'true';

    // One worker for the product and the baseline: same process, same server, same task queue.
    const taskQueue = `bench-${randomUUID()}`;
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(here, 'bench-workflows.ts'), logger: quietBundler });
    const system = await startSystem(config, logger, {
      devServer: { dataDir, port: await freePort(), uiPort: await freePort(), log: () => undefined },
      taskQueue,
      workflowBundle: { code },
      gateway: { twilio: { authToken: config.twilio.authToken, publicBaseUrl: config.twilio.publicBaseUrl } },
      listen: { port: 0, hostname: '127.0.0.1' },
    });
    stoppers.push(() => system.stop());
    const { client, infra, devServer } = system;
    const where = devServer
      ? `Temporal dev server ${devServer.address} (SQLite in ${dataDir}, UI ${devServer.uiUrl})`
      : `Temporal at ${system.temporalAddress}`;
    const url = system.url!;
    return {
      url,
      client,
      echoQueue: taskQueue,
      scope: `TaskQueue = "${taskQueue}"`,
      ledgerSql: infra.ledger.sql,
      zone: config.business.timezone,
      ...(devServer?.pid === undefined ? {} : { serverPid: devServer.pid }),
      describe: [
        `gateway ${url} (in this process)`,
        where,
        `worker in this process, task queue ${taskQueue}`,
        `ledger ${config.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (embedded)'}, model: offline interpreter`,
        `${os.cpus().length} CPU cores, Node ${process.version}`,
      ].join('\n  '),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A running gateway at BENCH_URL; the baseline runs its own worker on TEMPORAL_ADDRESS (the gateway's server). */
async function attach(url: string): Promise<Target> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  if (!config.temporal.address) fail('with BENCH_URL, set TEMPORAL_ADDRESS to the Temporal server behind that gateway (for the baseline and the timings)');
  const target = { ...config.temporal, address: config.temporal.address };
  const health = await fetch(`${url}/healthz`).catch((e: Error) => fail(`cannot reach ${url}/healthz (${e.message}); is the gateway running?`));
  if (!health.ok) fail(`${url}/healthz answered ${health.status}`);
  const stoppers: (() => Promise<unknown>)[] = [];
  // The product's keys (PAYLOAD_KEYS, shared with the gateway's workers): the baseline pays for encryption too.
  const dataConverter = dataConverterFor(config.env);
  const client = await connectClient(target, { dataConverter });
  stoppers.push(() => client.connection.close());
  const echoQueue = `bench-echo-${randomUUID()}`;
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(here, '../../workflows/bench.ts'), logger: quietBundler });
  const connection = await connectWorker(target);
  const worker = await Worker.create({ connection, namespace: target.namespace, taskQueue: echoQueue, workflowBundle: { code }, dataConverter });
  const running = worker.run();
  stoppers.push(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
  let ledgerSql: SqlPort | undefined;
  if (config.env.DATABASE_URL) {
    const db = await openDatabase({ databaseUrl: config.env.DATABASE_URL, poolSize: 2 });
    stoppers.push(() => db.close());
    ledgerSql = db;
  }
  return {
    url,
    client,
    echoQueue,
    scope: `StartTime >= "${new Date().toISOString()}"`,
    ledgerSql,
    zone: config.business.timezone,
    describe: [
      `gateway ${url} (BENCH_URL; it must run with TRUST_PROXY=true or its per-address limits refuse most customers)`,
      `Temporal at ${target.address}; baseline worker in this process on ${echoQueue}`,
      ledgerSql ? 'ledger: PostgreSQL at DATABASE_URL' : 'ledger: not reachable from here (double bookings counted from the conversations\' states)',
    ].join('\n  '),
    stop: async () => {
      for (const s of stoppers.reverse()) await s().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------------

function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const ms = (n: number) => Math.round(n * 10) / 10;
const pad = (s: string | number, n: number) => String(s).padStart(n);

// ---------------------------------------------------------------------------------------------------------------
// Baseline: bare Temporal round trips
// ---------------------------------------------------------------------------------------------------------------

/** `clients` echo workflows, each sent `rounds` updates one after another; returns every round trip in ms. */
async function baseline(client: Client, taskQueue: string, clients: number, rounds: number): Promise<number[]> {
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const handle = await client.workflow.start('benchEchoWorkflow', { taskQueue, workflowId: `bench-echo:${randomUUID()}`, args: [] });
      try {
        for (let i = 0; i < rounds; i++) {
          const t0 = performance.now();
          const answer = await handle.executeUpdate(benchEchoUpdate, { args: [i] });
          samples.push(performance.now() - t0);
          if (answer !== i) throw new Error(`the echo workflow answered ${answer} to ${i}`);
        }
      } finally {
        await handle.signal(benchStopSignal).catch(() => undefined);
      }
    }),
  );
  return samples;
}

// ---------------------------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------------------------

interface State {
  status: string;
  hold: { bookingId: string } | null;
  bookings: { id: string; service: string; provider: string; start: string; end: string; status: string }[];
  needsHuman: boolean;
}
interface Turn {
  replies: { text: string; at: string }[];
  state: State;
}

interface CustomerRun {
  index: number;
  asked: string;
  sessionId?: string;
  openMs?: number;
  turns: { text: string; ms: number; status: number }[];
  offeredAlternatives: boolean;
  pickedAlternative: boolean;
  booking?: State['bookings'][number];
  state?: State;
  failure?: string;
}

/** A customer gives up after this many messages. */
const MAX_TURNS = 10;
/** "Still working on it" in either language: words while a turn runs, not its answer. */
const ACKNOWLEDGEMENTS = acknowledgementTexts(loadConfig({ BUSINESS_CONFIG: process.env.BUSINESS_CONFIG }).business);
const DAYS = ['Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['1pm', '2pm', '3pm', '4pm', '11am'];

/** Customer i's request: every `race` customers ask for the same slot (a weekday afternoon both stylists work). */
function requestOf(i: number, race: number): string {
  const slot = Math.floor(i / race);
  return `A haircut next ${DAYS[slot % DAYS.length]} at ${TIMES[Math.floor(slot / DAYS.length) % TIMES.length]}`;
}

/** Distinct (day, time) requests in one week. */
const SLOTS_PER_WEEK = DAYS.length * TIMES.length;

/**
 * The same request pattern in a given week from now (scaling rows): each row books weeks of its own, so a later row
 * does not find the calendar already full of the earlier rows' bookings. Dates are said as a customer would say them.
 */
function datedRequestOf(i: number, race: number, firstWeek: number, zone: string): string {
  const slot = Math.floor(i / race);
  const week = firstWeek + Math.floor(slot / SLOTS_PER_WEEK);
  const nextMonday = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 1 });
  const day = nextMonday.plus({ weeks: week, days: 1 + (slot % DAYS.length) }); // Tuesday … Friday
  return `A haircut on ${day.toFormat('cccc, LLLL d')} at ${TIMES[Math.floor(slot / DAYS.length) % TIMES.length]}`;
}

/** Weeks a row of `n` customers books into. */
const weeksFor = (n: number, race: number) => Math.ceil(Math.ceil(n / race) / SLOTS_PER_WEEK);

class Customer {
  private readonly headers: Record<string, string>;
  readonly run: CustomerRun;
  /** Every text this customer sent, in order. */
  private readonly sent: string[] = [];

  constructor(
    private readonly base: string,
    index: number,
    race: number,
    asked = requestOf(index, race),
  ) {
    // A distinct address per simulated visitor (TEST-NET-ish private range), as a trusted proxy would report it.
    this.headers = { 'content-type': 'application/json', 'x-forwarded-for': `10.77.${(index >> 8) & 255}.${index & 255}` };
    this.run = { index, asked, turns: [], offeredAlternatives: false, pickedAlternative: false };
  }

  /** Opens a session, asks, picks an alternative if the slot went to someone else, confirms. */
  async book(): Promise<CustomerRun> {
    const run = this.run;
    try {
      const t0 = performance.now();
      const opened = await fetch(`${this.base}/api/chat/sessions`, { method: 'POST', headers: this.headers, body: '{}' });
      if (opened.status !== 201) throw new Error(`opening a session: HTTP ${opened.status} ${await opened.text()}`);
      run.sessionId = ((await opened.json()) as { sessionId: string }).sessionId;
      run.openMs = performance.now() - t0;

      let text = run.asked;
      let last = '';
      for (let step = 0; step < MAX_TURNS; step++) {
        const turn = await this.say(text);
        run.state = turn.state;
        last = turn.replies.map((r) => r.text).join(' / ') || '(no reply)';
        const booked = turn.state.bookings.find((b) => b.status === 'confirmed');
        if (booked) {
          run.booking = booked;
          return run;
        }
        if (turn.state.hold) {
          text = 'yes';
        } else if (turn.replies.some((r) => /reply with a number/i.test(r.text))) {
          // Someone else got the slot first: take one of the times offered (spread over the first three, so the
          // losers of one race do not all start the next one).
          run.offeredAlternatives = true;
          run.pickedAlternative = true;
          text = ['the first one', 'the second one', 'the third one'][(run.index + step) % 3]!;
        } else if (turn.replies.some((r) => /ran out|was just taken|check it again|another time/i.test(r.text))) {
          // The hold lapsed or the slot went between offer and pick: ask again, as a person would.
          text = run.asked;
        } else {
          throw new Error(`no way forward after "${text}": ${last}`);
        }
      }
      throw new Error(`not booked after ${MAX_TURNS} turns; last reply: ${last}`);
    } catch (error) {
      run.failure = (error as Error).message;
      return run;
    }
  }

  /** One customer message; the latency is the customer's: until the replies are back (202: until they arrive). */
  private async say(text: string): Promise<Turn> {
    this.sent.push(text);
    const t0 = performance.now();
    const response = await fetch(`${this.base}/api/chat/sessions/${this.run.sessionId}/messages`, {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({ text, clientMessageId: randomUUID() }),
    });
    if (response.status === 200) {
      const turn = (await response.json()) as Turn;
      this.run.turns.push({ text, ms: performance.now() - t0, status: 200 });
      return turn;
    }
    if (response.status !== 202) throw new Error(`"${text}": HTTP ${response.status} ${await response.text()}`);
    // The turn outlived the gateway's wait: the replies follow in the transcript. Read it as the page's event stream
    // does (every 500 ms; a read the loaded gateway could not answer is tried again), and wait for the answer itself,
    // not the "still working on it" the workflow may add meanwhile.
    await response.body?.cancel();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      if (performance.now() - t0 > 120_000) throw new Error(`"${text}": no reply within 120 s`);
      const read = await fetch(`${this.base}/api/chat/sessions/${this.run.sessionId}`, { headers: this.headers }).catch(() => null);
      if (read?.status !== 200) {
        await read?.body?.cancel();
        continue;
      }
      const view = (await read.json()) as { transcript: { role: string; text: string; at: string }[]; state: State };
      // This message's own line: the n-th time this customer said this text (a second "yes" must not find the first's answer).
      const mine = nthIndex(view.transcript, (l) => l.role === 'customer' && l.text === text, this.sent.filter((t) => t === text).length);
      const replies = view.transcript.slice(mine + 1).filter((l) => l.role === 'assistant' && !ACKNOWLEDGEMENTS.has(l.text));
      if (mine >= 0 && replies.length > 0) {
        this.run.turns.push({ text, ms: performance.now() - t0, status: 202 });
        return { replies, state: view.state };
      }
    }
  }
}

/** The index of the n-th (1-based) element that matches, or -1. */
function nthIndex<T>(xs: readonly T[], matches: (x: T) => boolean, n: number): number {
  let seen = 0;
  for (const [i, x] of xs.entries()) if (matches(x) && ++seen === n) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Double bookings
// ---------------------------------------------------------------------------------------------------------------

/** Pairs of confirmed rows of one provider whose blocked time overlaps, counted by the ledger itself. */
async function doubleBookingsInLedger(sql: SqlPort): Promise<number> {
  const { rows } = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM bookings a JOIN bookings b
       ON a.provider_id = b.provider_id AND a.id < b.id AND a.during && b.during
     WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The same count over what the conversations say they booked (when the ledger is out of reach). */
function doubleBookingsInStates(runs: CustomerRun[]): number {
  const booked = runs.flatMap((r) => r.booking ?? []);
  let pairs = 0;
  for (let i = 0; i < booked.length; i++) {
    for (let j = i + 1; j < booked.length; j++) {
      const a = booked[i]!;
      const b = booked[j]!;
      if (a.provider === b.provider && Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end)) pairs++;
    }
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------------------------
// Where the time goes: the conversations' workflow histories
// ---------------------------------------------------------------------------------------------------------------

interface Timings {
  workflows: number;
  updates: number;
  updateMs: number[];
  workflowTasks: { queue: number[]; run: number[] };
  activities: Map<string, { queue: number[]; run: number[] }>;
  /** Local activities by type, counted from their markers (they run inside the workflow tasks, timed with them). */
  localActivities: Map<string, number>;
}

type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
const at = (ts: Ts) => (ts ? Number(ts.seconds ?? 0) * 1000 + (ts.nanos ?? 0) / 1e6 : Number.NaN);
const idOf = (v: unknown) => String(v ?? '');

async function readTimings(client: Client, scope: string): Promise<Timings> {
  const t: Timings = { workflows: 0, updates: 0, updateMs: [], workflowTasks: { queue: [], run: [] }, activities: new Map(), localActivities: new Map() };
  const ids: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = "conversationWorkflow" AND ${scope}` })) ids.push({ workflowId: wf.workflowId, runId: wf.runId });
  for (const { workflowId, runId } of ids) {
    let history;
    try {
      history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) continue;
      throw error;
    }
    t.workflows += 1;
    const scheduled = new Map<string, { type: string; at: number }>();
    const started = new Map<string, number>();
    const wftScheduled = new Map<string, number>();
    const wftStarted = new Map<string, number>();
    const accepted = new Map<string, number>();
    for (const e of history.events ?? []) {
      const time = at(e.eventTime as Ts);
      const id = idOf(e.eventId);
      if (e.activityTaskScheduledEventAttributes) scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: time });
      else if (e.activityTaskStartedEventAttributes) started.set(idOf(e.activityTaskStartedEventAttributes.scheduledEventId), time);
      else if (e.activityTaskCompletedEventAttributes) {
        const key = idOf(e.activityTaskCompletedEventAttributes.scheduledEventId);
        const s = scheduled.get(key);
        const st = started.get(key);
        if (s && st !== undefined) {
          const row = t.activities.get(s.type) ?? { queue: [], run: [] };
          row.queue.push(st - s.at);
          row.run.push(time - st);
          t.activities.set(s.type, row);
        }
      } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
        const data = e.markerRecordedEventAttributes.details?.['data']?.payloads?.[0]?.data;
        const type = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type ?? '?' : '?';
        t.localActivities.set(type, (t.localActivities.get(type) ?? 0) + 1);
      } else if (e.workflowTaskScheduledEventAttributes) wftScheduled.set(id, time);
      else if (e.workflowTaskStartedEventAttributes) wftStarted.set(id, time);
      else if (e.workflowTaskCompletedEventAttributes) {
        const a = e.workflowTaskCompletedEventAttributes;
        const s = wftScheduled.get(idOf(a.scheduledEventId));
        const st = wftStarted.get(idOf(a.startedEventId));
        if (s !== undefined && st !== undefined) {
          t.workflowTasks.queue.push(st - s);
          t.workflowTasks.run.push(time - st);
        }
      } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
        accepted.set(e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.meta?.updateId ?? '', time);
      } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
        const a = accepted.get(e.workflowExecutionUpdateCompletedEventAttributes.meta?.updateId ?? '');
        if (a !== undefined) {
          t.updates += 1;
          t.updateMs.push(time - a);
        }
      }
    }
  }
  return t;
}

function printTimings(t: Timings, turnP50: number, turnMean: number, turns: number): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const perTurn = (xs: number[]) => (turns ? sum(xs) / turns : 0);
  console.log(`\nWhere the time goes (${t.workflows} conversation histories, ${t.updates} turns as updates):`);
  console.log(`  update accepted → completed inside the workflow: p50 ${ms(percentile(t.updateMs, 0.5))} ms, p95 ${ms(percentile(t.updateMs, 0.95))} ms`);
  console.log(`  ${'step'.padEnd(34)} ${pad('count', 6)} ${pad('/turn', 6)} ${pad('queue p50', 10)} ${pad('run p50', 9)} ${pad('run p95', 9)} ${pad('ms/turn', 8)}`);
  const line = (name: string, x: { queue: number[]; run: number[] }) =>
    console.log(
      `  ${name.padEnd(34)} ${pad(x.run.length, 6)} ${pad((turns ? x.run.length / turns : 0).toFixed(2), 6)} ${pad(ms(percentile(x.queue, 0.5)), 10)} ${pad(ms(percentile(x.run, 0.5)), 9)} ${pad(ms(percentile(x.run, 0.95)), 9)} ${pad(ms(perTurn(x.queue) + perTurn(x.run)), 8)}`,
    );
  line('workflow tasks', t.workflowTasks);
  const acts = [...t.activities.entries()].sort((a, b) => sum(b[1].run) + sum(b[1].queue) - (sum(a[1].run) + sum(a[1].queue)));
  for (const [name, x] of acts) line(`activity ${name}`, x);
  // Local activities run inside the workflow tasks above: their time is the tasks' run time, not added again.
  for (const [name, count] of [...t.localActivities.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`    local ${name.padEnd(28)} ${pad(count, 6)} ${pad((turns ? count / turns : 0).toFixed(2), 6)}   (inside the workflow tasks)`);
  }
  const inside = perTurn(t.workflowTasks.queue) + perTurn(t.workflowTasks.run) + sum(acts.map(([, x]) => perTurn(x.queue) + perTurn(x.run)));
  console.log(
    `  per turn on average: ${ms(inside)} ms in workflow tasks and activities (queue + run), ` +
      `${ms(Math.max(0, turnMean - inside))} ms elsewhere (HTTP, gateway queries, update RPCs, server persistence); turn mean ${ms(turnMean)} ms, p50 ${ms(turnP50)} ms`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Scaling: the same customers at other concurrencies
// ---------------------------------------------------------------------------------------------------------------

/** Linux accounts CPU time in clock ticks of 1/100 s (USER_HZ, fixed at 100 on every architecture Node runs on). */
const USER_HZ = 100;

/**
 * Busy CPU time of the whole machine so far, in ms: every process (gateway, worker, ledger, the Temporal server), so
 * a figure per turn says what a turn costs the system, wherever the work runs. Run the bench on a quiet machine.
 * Undefined where /proc/stat does not exist.
 */
function machineBusyMs(): number | undefined {
  try {
    const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return ((user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far, in ms (utime + stime from /proc/<pid>/stat); undefined off Linux or when gone. */
function processBusyMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence from the last ')'); utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

interface ScalingRow {
  concurrency: number;
  turns_per_s: number;
  turn_p50_ms: number;
  turn_p95_ms: number;
  baseline_p50_ms: number;
  cpu_ms_per_turn: number | null;
}

/** N customers at once, after a baseline at the same concurrency; booking in weeks no other row uses. */
async function scalingRow(target: Target, n: number, options: Options, firstWeek: number, indexBase: number): Promise<{ row: ScalingRow; failures: string[] }> {
  const loaded = await baseline(target.client, target.echoQueue, n, options.baselineUpdates);
  const cpu0 = machineBusyMs();
  const t0 = performance.now();
  const runs = await Promise.all(
    Array.from({ length: n }, (_, i) => new Customer(target.url, indexBase + i, options.race, datedRequestOf(i, options.race, firstWeek, target.zone)).book()),
  );
  const wall = performance.now() - t0;
  const cpu1 = machineBusyMs();
  const turnMs = runs.flatMap((r) => r.turns.map((t) => t.ms));
  return {
    row: {
      concurrency: n,
      turns_per_s: Math.round((turnMs.length / (wall / 1000)) * 100) / 100,
      turn_p50_ms: ms(percentile(turnMs, 0.5)),
      turn_p95_ms: ms(percentile(turnMs, 0.95)),
      baseline_p50_ms: ms(percentile(loaded, 0.5)),
      cpu_ms_per_turn: cpu0 !== undefined && cpu1 !== undefined && turnMs.length ? ms((cpu1 - cpu0) / turnMs.length) : null,
    },
    failures: runs.flatMap((r) => (r.failure ? [r.failure] : [])),
  };
}

function printScaling(rows: ScalingRow[]): void {
  console.log('\nScaling (each row after a baseline at its own concurrency; CPU across all processes on this machine):');
  console.log(`  ${pad('customers', 9)} ${pad('turns/s', 8)} ${pad('turn p50', 9)} ${pad('turn p95', 9)} ${pad('bare p50', 9)} ${pad('CPU ms/turn', 12)}`);
  for (const r of rows) {
    console.log(
      `  ${pad(r.concurrency, 9)} ${pad(r.turns_per_s, 8)} ${pad(r.turn_p50_ms, 9)} ${pad(r.turn_p95_ms, 9)} ${pad(r.baseline_p50_ms, 9)} ${pad(r.cpu_ms_per_turn ?? 'n/a', 12)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // The SDK's own log lines would interleave with the figures: warnings only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log(`Booking benchmark: ${options.conversations} concurrent chat customers, ${options.race} per slot; starting…`);
  const target = options.benchUrl ? await attach(options.benchUrl) : await startInProcess();
  let exitCode = 0;
  let summary: Record<string, unknown> | undefined;
  try {
    console.log(`  ${target.describe}`);

    // Warm-up (not counted): the first workflow task of a fresh worker builds its sandbox; one customer books alone.
    await baseline(target.client, target.echoQueue, 1, 3);
    const cold = await new Customer(target.url, 100_000, 1, 'A haircut next Saturday at 10am').book();
    if (cold.failure) throw new Error(`the warm-up customer could not book: ${cold.failure}`);
    const lone = await new Customer(target.url, 100_001, 1, 'A haircut next Saturday at 11am').book();
    if (lone.failure) throw new Error(`the second warm-up customer could not book: ${lone.failure}`);
    const unloadedBaseline = await baseline(target.client, target.echoQueue, 1, 20);
    const queryMs: number[] = [];
    const loneWorkflow = await lastConversation(target.client, target.scope, 2);
    if (loneWorkflow) {
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await target.client.workflow.getHandle(loneWorkflow).query(stateQuery);
        queryMs.push(performance.now() - t0);
      }
    }

    // The baseline at the same concurrency as the customers.
    const b0 = performance.now();
    const loaded = await baseline(target.client, target.echoQueue, options.conversations, options.baselineUpdates);
    const baselineWall = performance.now() - b0;

    // The customers, all at once, watching how busy this process is meanwhile.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const machine0 = machineBusyMs();
    const server0 = processBusyMs(target.serverPid);
    const load0 = os.loadavg()[0]!;
    const t0 = performance.now();
    const runs = await Promise.all(Array.from({ length: options.conversations }, (_, i) => new Customer(target.url, i, options.race).book()));
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const machine1 = machineBusyMs();
    const server1 = processBusyMs(target.serverPid);
    loop.disable();

    const turnMs = runs.flatMap((r) => r.turns.map((t) => t.ms));
    const openMs = runs.flatMap((r) => (r.openMs === undefined ? [] : [r.openMs]));
    const booked = runs.filter((r) => r.booking);
    const failed = runs.filter((r) => r.failure);
    const doubleInLedger = target.ledgerSql ? await doubleBookingsInLedger(target.ledgerSql) : undefined;
    const doubleInStates = doubleBookingsInStates(runs);
    const byStep = (label: string, pick: (t: { text: string }) => boolean) => {
      const xs = runs.flatMap((r) => r.turns.filter(pick).map((t) => t.ms));
      return `${label} p50 ${ms(percentile(xs, 0.5))} ms (n=${xs.length})`;
    };

    console.log('\nUnloaded (one at a time):');
    console.log(`  bare round trip (update to a trivial workflow): p50 ${ms(percentile(unloadedBaseline, 0.5))} ms, p95 ${ms(percentile(unloadedBaseline, 0.95))} ms`);
    console.log(`  state query of a conversation: p50 ${ms(percentile(queryMs, 0.5))} ms`);
    console.log(`  first customer (cold worker): ${cold.turns.map((t) => `"${t.text}" ${ms(t.ms)} ms`).join(', ')}`);
    console.log(`  second customer alone:       ${lone.turns.map((t) => `"${t.text}" ${ms(t.ms)} ms`).join(', ')}`);
    if (loneWorkflow) await printTimeline(target.client, loneWorkflow);
    console.log(`\nBaseline at concurrency ${options.conversations}: ${loaded.length} updates in ${ms(baselineWall)} ms, p50 ${ms(percentile(loaded, 0.5))} ms, p95 ${ms(percentile(loaded, 0.95))} ms`);
    console.log(`\nCustomers (${options.conversations} at once, ${Math.ceil(options.conversations / options.race)} slots asked for):`);
    console.log(`  booked ${booked.length}, failed ${failed.length}; offered alternatives ${runs.filter((r) => r.offeredAlternatives).length}, picked one ${runs.filter((r) => r.pickedAlternative).length}`);
    console.log(`  open session p50 ${ms(percentile(openMs, 0.5))} ms; turns ${turnMs.length}: p50 ${ms(percentile(turnMs, 0.5))} ms, p95 ${ms(percentile(turnMs, 0.95))} ms, max ${ms(percentile(turnMs, 1))} ms; ${runs.flatMap((r) => r.turns).filter((t) => t.status === 202).length} answered 202`);
    console.log(`  ${byStep('ask', (t) => t.text.startsWith('A haircut'))}, ${byStep('pick', (t) => t.text.startsWith('the '))}, ${byStep('confirm', (t) => t.text === 'yes')}`);
    console.log(`  wall ${ms(wall)} ms, ${(turnMs.length / (wall / 1000)).toFixed(2)} turns/s`);
    console.log(
      `  this process (gateway${options.benchUrl ? '' : ', worker, ledger'}, customers): ${((cpu.user + cpu.system) / 1000 / wall).toFixed(2)} cores busy, ` +
        `event-loop delay p50 ${ms(loop.percentile(50) / 1e6)} ms, p99 ${ms(loop.percentile(99) / 1e6)} ms; machine load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
    );
    if (machine0 !== undefined && machine1 !== undefined && turnMs.length) {
      const perTurn = (x: number) => ms(x / turnMs.length);
      const here = (cpu.user + cpu.system) / 1000;
      const server = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
      console.log(
        `  CPU per turn: ${perTurn(machine1 - machine0)} ms on the machine = this process ${perTurn(here)} ms` +
          (server === undefined ? '' : ` + Temporal dev server ${perTurn(server)} ms`) +
          ` + the rest ${perTurn(Math.max(0, machine1 - machine0 - here - (server ?? 0)))} ms`,
      );
    }
    console.log(`  double bookings: ledger ${doubleInLedger ?? 'n/a'}, conversations' states ${doubleInStates}`);
    for (const f of failed.slice(0, 5)) console.log(`  ! customer ${f.index} (${f.asked}): ${f.failure}`);

    printTimings(await readTimings(target.client, target.scope), percentile(turnMs, 0.5), turnMs.reduce((a, b) => a + b, 0) / Math.max(1, turnMs.length), turnMs.length + lone.turns.length + cold.turns.length);

    const turnP50 = percentile(turnMs, 0.5);
    const baselineP50 = percentile(loaded, 0.5);
    const cpuMsPerTurn = machine0 !== undefined && machine1 !== undefined && turnMs.length ? ms((machine1 - machine0) / turnMs.length) : null;
    const headline: ScalingRow = {
      concurrency: options.conversations,
      turns_per_s: Math.round((turnMs.length / (wall / 1000)) * 100) / 100,
      turn_p50_ms: ms(turnP50),
      turn_p95_ms: ms(percentile(turnMs, 0.95)),
      baseline_p50_ms: ms(baselineP50),
      cpu_ms_per_turn: cpuMsPerTurn,
    };
    const scaling: ScalingRow[] = [];
    // The main run said "next Tuesday" and so on: the coming week or the one after; the rows start after both.
    let week = 1 + weeksFor(options.conversations, options.race);
    for (const [row, n] of [...new Set(options.scaling)].sort((a, b) => a - b).entries()) {
      if (n === options.conversations) {
        scaling.push(headline);
        continue;
      }
      const { row: measured, failures } = await scalingRow(target, n, options, week, 10_000 * (row + 1));
      week += weeksFor(n, options.race);
      scaling.push(measured);
      if (failures.length > 0) {
        console.log(`  ! ${failures.length} of ${n} customers could not book in the scaling row at ${n}; the first: ${failures.slice(0, 3).join(' | ')}`);
        exitCode = 1;
      }
    }
    if (scaling.length > 0) printScaling(scaling);
    const doubleAfterAll = target.ledgerSql ? await doubleBookingsInLedger(target.ledgerSql) : undefined;
    if (doubleAfterAll) {
      console.log(`  ! double bookings in the ledger after the scaling rows: ${doubleAfterAll}`);
      exitCode = 1;
    }
    summary = {
      conversations: options.conversations,
      turns: turnMs.length,
      turn_p50_ms: ms(turnP50),
      turn_p95_ms: ms(percentile(turnMs, 0.95)),
      baseline_p50_ms: ms(baselineP50),
      overhead_ratio_p50: baselineP50 > 0 ? Math.round((turnP50 / baselineP50) * 100) / 100 : 0,
      turns_per_s: Math.round((turnMs.length / (wall / 1000)) * 100) / 100,
      double_bookings: doubleAfterAll ?? doubleInLedger ?? doubleInStates,
      cpu_ms_per_turn: cpuMsPerTurn,
      scaling,
    };
    if (failed.length > 0 || (doubleInLedger ?? doubleInStates) > 0) exitCode = 1;
  } finally {
    // Customers' calls still being retried by the client must not crash the bench before its JSON line.
    await stopIgnoringRetryAfterClose(() => target.stop());
  }
  console.log(JSON.stringify(summary));
  process.exit(exitCode);
}

/** The latest conversation once visibility lists `count` of them (eventually consistent: a few seconds at most). */
async function lastConversation(client: Client, scope: string, count: number): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found: { id: string; start: number }[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = "conversationWorkflow" AND ${scope}` })) found.push({ id: wf.workflowId, start: wf.startTime.getTime() });
    if (found.length >= count) return found.sort((a, b) => b.start - a.start)[0]!.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** One unloaded conversation, event by event: what a turn is made of. */
async function printTimeline(client: Client, workflowId: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const names = new Map<string, string>();
  let previous = Number.NaN;
  console.log(`  its history (${events.length} events; ms since the previous event):`);
  const line: string[] = [];
  for (const e of events) {
    const time = at(e.eventTime as Ts);
    const gap = Number.isNaN(previous) ? 0 : time - previous;
    previous = time;
    let label: string | undefined;
    if (e.workflowExecutionStartedEventAttributes) label = 'start';
    else if (e.workflowExecutionUpdateAcceptedEventAttributes) label = '\n    update accepted';
    else if (e.workflowExecutionUpdateCompletedEventAttributes) label = 'update completed';
    else if (e.workflowTaskScheduledEventAttributes) label = 'wft sched';
    else if (e.workflowTaskStartedEventAttributes) label = 'wft start';
    else if (e.workflowTaskCompletedEventAttributes) label = 'wft done';
    else if (e.activityTaskScheduledEventAttributes) {
      const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
      names.set(idOf(e.eventId), name);
      label = `${name} sched`;
    } else if (e.activityTaskStartedEventAttributes) label = `${names.get(idOf(e.activityTaskStartedEventAttributes.scheduledEventId)) ?? '?'} start`;
    else if (e.activityTaskCompletedEventAttributes) label = `${names.get(idOf(e.activityTaskCompletedEventAttributes.scheduledEventId)) ?? '?'} done`;
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) label = 'start child';
    else if (e.childWorkflowExecutionStartedEventAttributes) label = 'child started';
    else if (e.timerStartedEventAttributes) label = 'timer';
    if (label) line.push(`${label} +${Math.round(gap)}`);
  }
  console.log(`    ${line.join(', ').replace(/, \n/g, '\n')}`);
}

main().catch((error) => {
  const known = ['ConfigError', 'DevServerError', 'TemporalUnreachableError', 'TemporalProvisioningError', 'BusinessConfigError'];
  console.error(known.includes((error as Error).name) ? `bench: ${(error as Error).message}` : error);
  process.exit(1);
});
