/**
 * `npm run bench:engine`: how fast the booking engine is. Availability over 30 days and 10 providers (pure domain
 * code), then hold+confirm throughput and a 50-way race on the embedded ledger (PGlite) and on PostgreSQL — the server
 * at BENCH_DATABASE_URL / DATABASE_URL (in a scratch database), or a throwaway cluster when the server programs are
 * installed. A benchmark, not a test: it prints figures; the last line is one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { openLedger, type Ledger } from '../adapters/ledger';
import { freshDatabaseOn, startThrowawayCluster, type ThrowawayPostgres } from '../adapters/ledger/throwaway-postgres';
import { findSlots, nearestAlternatives, type BusyInterval } from '../domain/booking/availability';
import { parseBusiness, type Business } from '../domain/booking/business';

const ZONE = 'America/New_York';
const PROVIDERS = 10;
const DAYS = 30;

interface Timing {
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
}

function summarize(samples: number[], wallMs: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { ops: samples.length, opsPerSec: round((samples.length / wallMs) * 1000), p50Ms: round(at(0.5)), p95Ms: round(at(0.95)) };
}

/** A deterministic pseudo-random sequence, so every run measures the same calendar. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function benchBusiness(): Business {
  const day: [string, string][] = [['09:00', '13:00'], ['14:00', '19:00']];
  return parseBusiness({
    name: 'Benchmark Salon',
    timezone: ZONE,
    services: [
      { id: 'haircut', name: 'Haircut', durationMinutes: 30, bufferMinutes: 10 },
      { id: 'color', name: 'Colour', durationMinutes: 90, bufferMinutes: 15 },
      { id: 'consult', name: 'Consultation', durationMinutes: 60, bufferMinutes: 0 },
    ],
    providers: Array.from({ length: PROVIDERS }, (_, i) => ({
      id: `p${i + 1}`,
      name: `Provider ${i + 1}`,
      serviceIds: ['haircut', 'color', 'consult'],
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [['10:00', '16:00']], sun: [] },
    })),
    policies: { maxDaysAhead: 60 },
  });
}

/** About half of every provider's open time booked, at random quarter-hours. */
function busyCalendar(now: DateTime): BusyInterval[] {
  const next = random(42);
  const busy: BusyInterval[] = [];
  for (let p = 1; p <= PROVIDERS; p++) {
    for (let d = 0; d < DAYS; d++) {
      let cursor = now.plus({ days: d }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
      const close = cursor.set({ hour: 19 });
      while (cursor < close) {
        cursor = cursor.plus({ minutes: 15 * Math.floor(next() * 6) });
        const length = [40, 70, 105][Math.floor(next() * 3)]!;
        busy.push({ providerId: `p${p}`, start: cursor.toUTC().toISO()!, end: cursor.plus({ minutes: length }).toUTC().toISO()! });
        cursor = cursor.plus({ minutes: length });
      }
    }
  }
  return busy;
}

function benchAvailability(): { availability: Timing & { slotsPerOp: number; busyIntervals: number }; alternatives: Timing } {
  const business = benchBusiness();
  const now = DateTime.fromISO('2030-01-06T08:00:00', { zone: ZONE });
  const busy = busyCalendar(now);
  const search = { business, serviceId: 'haircut', customerZone: ZONE, now: now.toUTC().toISO()!, busy };
  const from = now.toISODate()!;
  const to = now.plus({ days: DAYS - 1 }).toISODate()!;
  let slotsPerOp = 0;
  const run = (op: () => void, budgetMs: number): Timing => {
    for (let i = 0; i < 5; i++) op(); // warm up
    const samples: number[] = [];
    const started = performance.now();
    while (performance.now() - started < budgetMs) {
      const t = performance.now();
      op();
      samples.push(performance.now() - t);
    }
    return summarize(samples, performance.now() - started);
  };
  const availability = run(() => {
    slotsPerOp = findSlots({ ...search, date: from, toDate: to }).length;
  }, 4000);
  const requested = now.plus({ days: 3 }).set({ hour: 15 }).toUTC().toISO()!;
  const alternatives = run(() => nearestAlternatives(requested, search, { limit: 5 }), 2000);
  return { availability: { ...availability, slotsPerOp, busyIntervals: busy.length }, alternatives };
}

interface LedgerFigures {
  holdConfirmPairs: number;
  pairsPerSec: number;
  hold: Timing;
  confirm: Timing;
  race50Winners: number;
}

/** `pairs` hold+confirm pairs on distinct slots, `concurrency` at a time; then 50 holds racing for one slot. */
async function benchLedger(ledger: Ledger, pairs: number, concurrency: number): Promise<LedgerFigures> {
  const holdMs: number[] = [];
  const confirmMs: number[] = [];
  const base = Date.parse('2031-01-01T14:00:00Z');
  let nextIndex = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = nextIndex++; i < pairs; i = nextIndex++) {
      const provider = `p${(i % PROVIDERS) + 1}`;
      const start = base + Math.floor(i / PROVIDERS) * 45 * 60_000;
      const customerKey = `bench-${i}`;
      let t = performance.now();
      const held = await ledger.hold({
        customerKey,
        serviceId: 'haircut',
        providerId: provider,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
        bufferMinutes: 10,
        expiresAt: new Date(Date.now() + 90_000).toISOString(),
        idempotencyKey: `bench:hold:${i}`,
      });
      holdMs.push(performance.now() - t);
      if (!held.ok) throw new Error(`benchmark hold ${i} was refused: ${held.rejection.code}`);
      t = performance.now();
      const confirmed = await ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `bench:confirm:${i}` });
      confirmMs.push(performance.now() - t);
      if (!confirmed.ok) throw new Error(`benchmark confirm ${i} was refused: ${confirmed.rejection.code}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - started;

  const raceStart = Date.parse('2032-01-01T14:00:00Z');
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      ledger.hold({
        customerKey: `racer-${i}`,
        serviceId: 'haircut',
        providerId: 'p1',
        start: new Date(raceStart).toISOString(),
        end: new Date(raceStart + 30 * 60_000).toISOString(),
        bufferMinutes: 10,
        expiresAt: new Date(Date.now() + 90_000).toISOString(),
        idempotencyKey: `bench:race:${i}`,
      }),
    ),
  );
  return {
    holdConfirmPairs: pairs,
    pairsPerSec: Math.round((pairs / wall) * 1000 * 10) / 10,
    hold: summarize(holdMs, wall),
    confirm: summarize(confirmMs, wall),
    race50Winners: outcomes.filter((o) => o.ok).length,
  };
}

async function scratchPostgres(): Promise<ThrowawayPostgres> {
  const url = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  return url ? freshDatabaseOn(url, 'ledger_bench') : startThrowawayCluster();
}

function print(label: string, t: Timing): void {
  console.log(`${label.padEnd(34)} ${String(t.opsPerSec).padStart(9)} ops/s   p50 ${t.p50Ms.toFixed(3)} ms   p95 ${t.p95Ms.toFixed(3)} ms   (${t.ops} ops)`);
}

async function main(): Promise<void> {
  const pairs = Number(process.env.BENCH_PAIRS ?? 400);
  console.log(`availability: ${DAYS} days x ${PROVIDERS} providers, about half booked`);
  const { availability, alternatives } = benchAvailability();
  print('findSlots (30 days, 10 providers)', availability);
  console.log(`  ${availability.slotsPerOp} free slots per answer, ${availability.busyIntervals} busy intervals`);
  print('nearestAlternatives (5)', alternatives);

  console.log(`ledger: ${pairs} hold+confirm pairs on distinct slots, then 50 holds racing for one slot`);
  const pglite = await openLedger({ memory: true });
  let pgliteFigures: LedgerFigures;
  try {
    pgliteFigures = await benchLedger(pglite, pairs, 8);
  } finally {
    await pglite.close();
  }
  console.log(`PGlite (in memory, concurrency 8)   ${pgliteFigures.pairsPerSec} pairs/s   race: ${pgliteFigures.race50Winners} winner(s) of 50`);
  print('  hold', pgliteFigures.hold);
  print('  confirm', pgliteFigures.confirm);

  let postgres: LedgerFigures | { skipped: string };
  let server: ThrowawayPostgres | undefined;
  try {
    server = await scratchPostgres();
    const ledger = await openLedger({ databaseUrl: server.url, poolSize: 16 });
    try {
      postgres = await benchLedger(ledger, pairs, 16);
    } finally {
      await ledger.close();
    }
    console.log(`PostgreSQL (${server.source}, concurrency 16)  ${postgres.pairsPerSec} pairs/s   race: ${postgres.race50Winners} winner(s) of 50`);
    print('  hold', postgres.hold);
    print('  confirm', postgres.confirm);
  } catch (error) {
    postgres = { skipped: (error as Error).message.split('\n')[0]! };
    console.log(`PostgreSQL skipped: ${postgres.skipped}`);
  } finally {
    await server?.stop().catch(() => {});
  }

  console.log(JSON.stringify({ availability, alternatives, pglite: pgliteFigures, postgres }));
}

main().catch((error) => {
  console.error(`bench:engine failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
