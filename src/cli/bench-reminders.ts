/**
 * `npm run bench:reminders [-- --appointments 2000 --lead-seconds 240]`: a thundering herd of reminders. N confirmed
 * appointments start at the same minute, so their 2-hour reminders all fall due at once, on the real product (a
 * Temporal dev server, the worker with every activity, the embedded ledger and outbox). It prints how late the
 * reminders were (outbox row written − due time) and any appointment whose reminder was sent twice or not at all.
 *
 * Each appointment has a chair of its own in the ledger (`chair-<i>`), since the ledger rightly refuses two bookings of
 * one provider at one time; the business file stays the demo's (a file listing 2,000 providers would make every
 * workflow's copy of the business half a megabyte and measure that instead). The customers live in a zone where it is
 * midday now, so quiet hours never move a reminder. Last line: {"appointments", "reminders", "missing",
 * "duplicates", "lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms", "started_in_ms"}.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { appointmentWorkflow, type AppointmentInput } from '../../workflows/appointment';
import { freePort } from '../adapters/free-port';
import { loadConfig } from '../config';
import { toBookingView } from '../domain/booking/views';
import { appointmentWorkflowId } from '../domain/messaging/addressing';
import { startSystem } from '../system';

const USAGE = 'usage: npm run bench:reminders [-- --appointments 2000 --lead-seconds 240]';

function option(name: string, fallback: number, min: number, max: number): number {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`bench:reminders: --${name} must be a whole number from ${min} to ${max} (got ${raw ?? 'nothing'})\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

/** An `Etc/GMT±h` zone where the local hour is about 13:00 now: no quiet hours anywhere near. */
function middayZone(now: Date): string {
  let offset = 13 - now.getUTCHours(); // local = UTC + offset
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // IANA's Etc zones have the sign inverted (Etc/GMT-3 is UTC+3).
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const appointments = option('appointments', 2000, 1, 20_000);
  // Starting 2,000 workflows takes a minute or two on a small machine: the reminders fall due after that.
  const leadSeconds = option('lead-seconds', 240, 20, 3600);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-bench-reminders-'));

  const { LLM_MODEL: _m, LLM_BASE_URL: _b, LLM_API_KEY: _k, OPENAI_API_KEY: _o, TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, ...env } = process.env;
  const config = loadConfig({ ...env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  console.log(`Reminder benchmark: ${appointments} appointments whose 2-hour reminders fall due in the same minute; starting…`);
  const system = await startSystem(config, logger, {
    devServer: { dataDir, port: await freePort(), uiPort: await freePort(), log: () => undefined },
  });
  let exitCode = 0;
  try {
    const zone = middayZone(new Date());
    const service = config.business.services.find((s) => s.id === 'haircut') ?? config.business.services[0]!;
    // Due `leadSeconds` from now, at the top of a minute: the appointments start two hours after that.
    const due = Math.ceil((Date.now() + leadSeconds * 1000) / 60_000) * 60_000;
    const start = new Date(due + 2 * 3600_000).toISOString();
    const end = new Date(due + 2 * 3600_000 + service.durationMinutes * 60_000).toISOString();

    const t0 = performance.now();
    const bookingIds: string[] = [];
    const ledger = system.infra.ledger;
    const batch = 50;
    for (let from = 0; from < appointments; from += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, appointments - from) }, async (_, j) => {
          const i = from + j;
          const customerKey = `bench:${i}`;
          const held = await ledger.hold({
            customerKey,
            serviceId: service.id,
            providerId: `chair-${i}`,
            start,
            end,
            bufferMinutes: 0,
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
            idempotencyKey: `bench-reminders:hold:${i}`,
          });
          if (!held.ok) throw new Error(`hold ${i}: ${JSON.stringify(held.rejection)}`);
          const confirmed = await ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `bench-reminders:confirm:${i}` });
          if (!confirmed.ok) throw new Error(`confirm ${i}: ${JSON.stringify(confirmed.rejection)}`);
          const input: AppointmentInput = {
            booking: toBookingView(confirmed.value),
            customerKey,
            channel: 'chat',
            address: null,
            zone,
            locale: 'en',
            confirmationSent: true,
          };
          await system.client.workflow.start(appointmentWorkflow, {
            taskQueue: system.taskQueue,
            workflowId: appointmentWorkflowId(confirmed.value.id),
            args: [input],
          });
          bookingIds[i] = confirmed.value.id;
        }),
      );
    }
    const startedInMs = Math.round(performance.now() - t0);
    if (Date.now() >= due) {
      console.log(`  ! starting took ${startedInMs} ms, past the due time: use a larger --lead-seconds`);
      exitCode = 1;
    }
    console.log(`  ${appointments} appointments booked and their workflows started in ${startedInMs} ms; reminders due at ${new Date(due).toISOString()} (customers in ${zone})`);

    // Every reminder is one outbox row (scope = the appointment workflow, purpose reminder-PT2H@start): wait for all,
    // or until a minute past the due time has gone by with none new.
    const sql = ledger.sql;
    type Row = { scope: string; n: number | string; first: Date | string };
    let rows: Row[] = [];
    let lastCount = -1;
    let lastChange = Date.now();
    for (;;) {
      ({ rows } = await sql.query<Row>(
        `SELECT scope, count(*) AS n, min(created_at) AS first FROM outbox_messages WHERE purpose LIKE 'reminder-PT2H@%' GROUP BY scope`,
      ));
      if (rows.length !== lastCount) {
        lastCount = rows.length;
        lastChange = Date.now();
      }
      // Done when all are in, or a minute has passed since the due time and since the last new one.
      if (rows.length >= appointments || Date.now() - Math.max(lastChange, due) > 60_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seen = new Map(rows.map((r) => [r.scope, r]));
    const lateness = rows.map((r) => new Date(r.first).getTime() - due);
    const missing = bookingIds.filter((id) => !seen.has(appointmentWorkflowId(id))).length;
    const duplicates = rows.filter((r) => Number(r.n) > 1).length;
    const summary = {
      appointments,
      reminders: rows.length,
      missing,
      duplicates,
      lateness_p50_ms: Math.round(percentile(lateness, 0.5)),
      lateness_p99_ms: Math.round(percentile(lateness, 0.99)),
      lateness_max_ms: Math.round(percentile(lateness, 1)),
      started_in_ms: startedInMs,
    };
    console.log(`  reminders written: ${rows.length}; missing ${missing}; sent twice ${duplicates}`);
    console.log(`  lateness after the due minute: p50 ${summary.lateness_p50_ms} ms, p99 ${summary.lateness_p99_ms} ms, max ${summary.lateness_max_ms} ms`);
    console.log(`  ${os.cpus().length} CPU cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
    if (missing > 0 || duplicates > 0) exitCode = 1;
    console.log(JSON.stringify(summary));
  } finally {
    await system.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(`bench:reminders: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
