/**
 * `npm run chaos [-- --customers 20 --seconds 90 --kill-every-ms 5000]`: fault injection that shows whether any
 * customer turn is lost while things fail (DESIGN.md, command-line tools).
 *
 * On this machine, loopback only: a throwaway PostgreSQL ledger (or a scratch database on CHAOS_DATABASE_URL), a
 * Temporal dev server with its state in a SQLite file, the worker (`node src/cli/start-worker.mjs`, as `npm run worker`) and the gateway
 * (`tsx src/cli/gateway.ts`) as separate processes, and a model server that fails half its calls (500 or 429) and
 * answers the rest with the offline interpreter. N web-chat customers book distinct slots through the gateway while
 * the worker is SIGKILLed every few seconds and replaced at once, and the dev server is killed and restarted once on
 * the same state. Then the faults stop, turns already sent get time to finish, and the run is judged from the final
 * transcripts and the ledger.
 *
 * Everything it starts is stopped and its temporary directory removed on exit, Ctrl-C included (and by a watchdog if
 * this process is killed outright). Human-readable figures first; the last line is one JSON object:
 * {customers, turns, lost_turns, duplicate_bookings, duplicate_sends, ledger_state_mismatches, first_reply_p50_ms,
 * first_reply_p95_ms, over_budget_turns}. The exit code is 0 only when nothing was lost, doubled or mismatched and
 * the first-reply p95 is within the 10 s budget.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config';
import { acknowledgementTexts } from '../gateway/chat/acknowledgement';
import type { Database } from '../adapters/ledger/database';
import { openDatabase } from '../adapters/ledger/ledger-factory';
import { migrate } from '../adapters/ledger/migrate';
import { freshDatabaseOn, startThrowawayCluster } from '../adapters/ledger/throwaway-postgres';
import { auditLedger, finalViews, judgeTurns } from './chaos/audit';
import { Children } from './chaos/children';
import { Http, runCustomer, type SessionRecord } from './chaos/customer';
import { printHistories, readHistories } from './chaos/histories';
import { AesGcmPayloadCodec } from '../adapters/temporal/payload-codec';
import { loadPayloadKeys } from '../adapters/temporal/payload-keys';
import { startFlakyModel } from './chaos/flaky-model';
import { parseChaosOptions, seededRandom, UsageError, USAGE, type ChaosOptions } from './chaos/options';
import { checkPromptRoundTrip } from './chaos/prompt-context';
import { figuresOf, printReport, verdictOf, type RunFacts } from './chaos/report';
import { planSlots } from './chaos/slots';
import { Supervisor } from './chaos/supervisor';
import { startChaosTemporal } from './chaos/temporal-server';
import { freePort } from '../adapters/free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SERVICE = 'haircut';
const PROVIDER = 'alex';

/** Shutdown steps, run last-first, once; also on Ctrl-C. */
const stoppers: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const stop of stoppers.reverse()) await stop().catch((e) => console.error(`chaos: a shutdown step failed: ${(e as Error).message}`));
  })();
  return stopping;
}


/** The process environment without anything that would point the children at real services or other state. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const foreign = /^(TWILIO_|GOOGLE_|LLM_|OPENAI_|TEMPORAL_|SMTP_|MAIL_|PAYLOAD_KEYS$|DATABASE_URL$|PORT$|DATA_DIR$|KEY_SECRET$|OPS_TOKEN$|PUBLIC_BASE_URL$|TRUST_PROXY$)/;
  for (const [k, v] of Object.entries(process.env)) if (!foreign.test(k)) env[k] = v;
  return { ...env, LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'info', ...extra };
}

async function main(options: ChaosOptions): Promise<number> {
  const config = loadConfig({ BUSINESS_CONFIG: process.env.BUSINESS_CONFIG });
  const business = config.business;
  checkPromptRoundTrip(business);
  // "Still working on it", from the gateway or the workflow, in either language: first words, not the answer.
  const acknowledgements = acknowledgementTexts(business);
  const isAcknowledgement = (text: string) => acknowledgements.has(text);
  const slots = planSlots(business, { serviceId: SERVICE, providerId: PROVIDER });
  if (slots.length < options.customers) {
    throw new UsageError(`only ${slots.length} distinct slots 2–4 weeks ahead; run with --customers ${slots.length} or fewer`);
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-chaos-'));
  const children = new Children(runDir);
  // Registered first, so it runs last: the logs stay until every process has stopped.
  stoppers.push(async () => {
    if (options.keep) {
      children.finish();
      console.log(`chaos: kept ${runDir} (logs: worker.log, gateway.log, temporal.log; the dev server's temporal.sqlite)`);
    } else {
      fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
  process.once('exit', () => children.killAllNow());

  console.log(
    `Chaos: ${options.customers} customers for ${options.seconds} s; worker SIGKILLed ${options.killEveryMs ? `every ${options.killEveryMs / 1000} s` : 'never'}; ` +
      `dev server ${options.restartServerAtS >= 0 ? `killed and restarted at ${options.restartServerAtS} s` : 'never restarted'}; ` +
      `model fails ${Math.round(options.modelFailureRate * 100)}% of calls. Starting…`,
  );

  const given = process.env.CHAOS_DATABASE_URL;
  const postgres = given ? await freshDatabaseOn(given, 'chaos') : await startThrowawayCluster();
  stoppers.push(() => postgres.stop());
  const db: Database = await openDatabase({ databaseUrl: postgres.url, poolSize: 4 });
  stoppers.push(() => db.close());
  // Migrated here, once, before worker and gateway start side by side.
  await migrate(db);

  const model = await startFlakyModel({ business, failureRate: options.modelFailureRate, retryAfterSeconds: 1, random: seededRandom(options.seed) });
  stoppers.push(() => model.close());

  const temporal = await startChaosTemporal({ children, runDir, port: await freePort(), uiPort: await freePort(), cwd: ROOT });
  stoppers.push(() => temporal.stop());
  stoppers.push(() => children.stopAll());

  const port = await freePort();
  const keySecret = randomBytes(32).toString('hex');
  const env = childEnv({
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: postgres.url,
    KEY_SECRET: keySecret,
    OPS_TOKEN: randomBytes(16).toString('hex'),
    PORT: String(port),
    DATA_DIR: path.join(runDir, 'data'),
    LLM_BASE_URL: model.baseURL,
    LLM_MODEL: 'chaos-model',
    LLM_API_KEY: 'chaos',
    // Every simulated customer has its own address (X-Forwarded-For), as behind a proxy, so per-address limits apply per customer.
    TRUST_PROXY: 'true',
    ...(process.env.BUSINESS_CONFIG ? { BUSINESS_CONFIG: path.resolve(process.env.BUSINESS_CONFIG) } : {}),
  });
  const startedAt = { value: Date.now() };
  // The worker starts as `npm run worker` starts it (the compiled copy, built here once before the faults begin);
  // the gateway under tsx.
  const launchWorker = () => children.start('worker', process.execPath, ['src/cli/start-worker.mjs'], { env, cwd: ROOT, logName: 'worker' });
  const launchGateway = () => children.start('gateway', TSX, ['src/cli/gateway.ts'], { env, cwd: ROOT, logName: 'gateway' });
  const gateway = new Supervisor('gateway', launchGateway, /gateway listening/, () => startedAt.value);
  const worker = new Supervisor('worker', launchWorker, /worker running/, () => startedAt.value);
  stoppers.push(async () => {
    gateway.stop();
    worker.stop();
  });
  await Promise.all([gateway.start(120_000), worker.start(120_000)]);
  const baseUrl = `http://127.0.0.1:${port}`;
  console.log(
    `  PostgreSQL ${postgres.source === 'url' ? 'scratch database on CHAOS_DATABASE_URL' : 'throwaway cluster'}; Temporal dev server ${temporal.address} (UI ${temporal.uiUrl}); ` +
      `gateway ${baseUrl}; model ${model.baseURL}; ${os.cpus().length} CPU cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );

  // The customers, and the faults around them.
  const t0 = Date.now();
  startedAt.value = t0;
  const cpu0 = process.cpuUsage();
  const load0 = os.loadavg()[0]!;
  const atS = () => (Date.now() - t0) / 1000;
  const events: RunFacts['events'] = [];
  const loadEndsAt = t0 + options.seconds * 1000;
  const drainEndsAt = loadEndsAt + options.drainSeconds * 1000;
  const abort = new AbortController();
  // Every customer's requests and pauses listen to it at once: dozens of listeners are expected, not a leak.
  setMaxListeners(10 * options.customers + 100, abort.signal);
  stoppers.push(async () => abort.abort());
  const reads: Record<string, number> = {};
  const slotUse: RunFacts['slots'] = { planned: slots.length, used: 0 };
  const takeSlot = () => {
    const slot = slots[slotUse.used];
    if (slot) slotUse.used += 1;
    else slotUse.ranOutAtS ??= atS();
    return slot;
  };
  const customers = Array.from({ length: options.customers }, (_, index) =>
    runCustomer({ baseUrl, index, slots: takeSlot, loadEndsAt, drainEndsAt, zone: business.timezone, signal: abort.signal, reads, isAcknowledgement }),
  );

  const killer =
    options.killEveryMs > 0
      ? setInterval(() => {
          if (Date.now() >= loadEndsAt) return;
          events.push({ atS: atS(), what: 'worker SIGKILL' });
          worker.killAndReplace();
        }, options.killEveryMs)
      : undefined;
  stoppers.push(async () => clearInterval(killer));
  let serverRestart: RunFacts['serverRestart'];
  const restart =
    options.restartServerAtS >= 0
      ? (async () => {
          await new Promise((r) => setTimeout(r, options.restartServerAtS * 1000));
          if (abort.signal.aborted) return;
          const at = atS();
          events.push({ atS: at, what: 'dev server killed' });
          try {
            const downMs = await temporal.restart();
            serverRestart = { atS: at, downMs };
            events.push({ atS: atS(), what: 'dev server serving again' });
          } catch (error) {
            serverRestart = { atS: at, downMs: Date.now() - t0 - at * 1000, error: (error as Error).message };
          }
        })()
      : Promise.resolve();

  const progress = setInterval(() => console.log(`  … ${Math.round(atS())} s: ${worker.stats.kills} worker kills, model ${model.stats.calls} calls`), 15_000);
  stoppers.push(async () => clearInterval(progress));
  await new Promise((r) => setTimeout(r, Math.max(0, loadEndsAt - Date.now())));
  clearInterval(killer);
  console.log(`  faults stopped at ${Math.round(atS())} s (load average ${os.loadavg()[0]!.toFixed(1)}); turns already sent may finish for up to ${options.drainSeconds} s`);
  await restart;
  const sessions: SessionRecord[] = (await Promise.all(customers)).flat();
  clearInterval(progress);

  // Judged after the faults: the final transcripts, then the ledger.
  const http = (customer: number) => new Http(baseUrl, { 'x-forwarded-for': `10.88.${(customer >> 8) & 255}.${customer & 255}` }, abort.signal);
  const views = await finalViews(sessions, http, Date.now() + 30_000);
  const verdicts = judgeTurns(sessions, views, Date.now(), isAcknowledgement);
  const ledger = await auditLedger(db, sessions, views, keySecret, {
    providerId: PROVIDER,
    reread: async (s) => (s.sessionId ? http(s.customer).get(`/api/chat/sessions/${s.sessionId}`) : null),
  });
  const cpu = process.cpuUsage(cpu0);
  const harness = { cpuS: (cpu.user + cpu.system) / 1e6, wallS: (Date.now() - t0) / 1000, loadBefore: load0, loadAfter: os.loadavg()[0]!, cores: os.cpus().length };
  const facts: RunFacts = { options, sessions, verdicts, ledger, worker: worker.stats, gateway: gateway.stats, model: model.stats, serverRestart, events, startedAt: t0, slots: slotUse, harness, reads };
  const figures = figuresOf(facts);
  printReport(facts, figures);
  // The worker and gateway share the payload key generated in their data folder; failure messages need it.
  printHistories(await readHistories(temporal.address, new AesGcmPayloadCodec(loadPayloadKeys(undefined, path.join(runDir, 'data')))));
  const verdict = verdictOf(figures, model.stats);
  console.log(`\n${verdict.ok ? 'PASS' : 'FAIL'}${verdict.why.length ? `: ${verdict.why.join('; ')}` : ': no turn lost, nothing doubled, the ledger agrees, first words within budget'}`);
  await stopAll();
  console.log(JSON.stringify(figures));
  return verdict.ok ? 0 : 1;
}

const KNOWN = ['UsageError', 'ConfigError', 'BusinessConfigError', 'SlotPlanError', 'PromptFormatError', 'ChildFailedError', 'TemporalServerError', 'TemporalProvisioningError'];

let options: ChaosOptions | 'help';
try {
  options = parseChaosOptions(process.argv.slice(2));
} catch (error) {
  console.error(`chaos: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\nchaos: ${signal}: stopping everything…`);
    void stopAll().then(() => process.exit(130));
  });
}
main(options).then(
  (code) => process.exit(code),
  async (error) => {
    console.error(KNOWN.includes((error as Error)?.name) ? `chaos: ${(error as Error).message}` : error);
    await stopAll();
    process.exit(1);
  },
);
