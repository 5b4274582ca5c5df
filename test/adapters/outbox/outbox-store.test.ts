import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/ledger/ledger-factory';
import { migrate } from '../../../src/adapters/ledger/migrate';
import type { Database } from '../../../src/adapters/ledger/database';
import { createOutboxStore, type OutboxStore } from '../../../src/adapters/outbox/outbox-store';
import { startTestPostgres, type TestPostgres } from '../../support/postgres';

/**
 * The outbox's guarantees on both drivers: embedded PGlite and a real PostgreSQL server (Debian's `postgresql`,
 * started for the run, or TEST_DATABASE_URL), through the same migrations the product runs.
 */
let postgres: TestPostgres | undefined;
const drivers: [string, () => Promise<Database>][] = [
  ['PGlite', () => migrated(openDatabase({ memory: true }))],
  ['PostgreSQL', async () => migrated(openDatabase({ databaseUrl: (postgres ??= await startTestPostgres()).url }))],
];
afterAll(async () => {
  await postgres?.stop();
});

async function migrated(opening: Promise<Database>): Promise<Database> {
  const db = await opening;
  await migrate(db);
  return db;
}

for (const [driver, open] of drivers) {
describe(`outbox store on ${driver}`, () => {
let db: Database;
let outbox: OutboxStore;

beforeAll(async () => {
  db = await open();
  outbox = createOutboxStore(db);
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.exec('TRUNCATE outbox_messages RESTART IDENTITY');
});

const base = { scope: 'conversation:sms:abc', purpose: 'turn:1:0', channel: 'sms' as const, toAddress: '+15551234567', body: 'Hi' };

describe('outbox store', () => {
  it('keeps one row per (scope, purpose); the first content wins', async () => {
    const first = await outbox.enqueue(base);
    const again = await outbox.enqueue({ ...base, body: 'Different text' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(again.message.body).toBe('Hi');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_messages');
    expect(rows[0]?.n).toBe(1);
  });

  it('keeps the row unique under concurrent enqueues', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => outbox.enqueue(base)));
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('stores templates and refuses a message with no content', async () => {
    const { message } = await outbox.enqueue({ ...base, purpose: 'reminder:PT24H', channel: 'whatsapp', body: null, templateSid: 'HX1', templateVars: { '1': 'Ana' } });
    expect(message.templateVars).toEqual({ '1': 'Ana' });
    await expect(outbox.enqueue({ ...base, purpose: 'x', body: null })).rejects.toThrow(/neither a body nor a template/);
  });

  it('lets exactly one caller claim a pending row', async () => {
    const { message } = await outbox.enqueue(base);
    const claims = await Promise.all(Array.from({ length: 5 }, () => outbox.claim(message.id)));
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ status: 'submitting', attempts: 1 });
    expect(won[0]?.submitStartedAt).not.toBeNull();
  });

  it('reclaims a stuck submission only after it is old enough, and releases only unsent rows', async () => {
    const { message } = await outbox.enqueue(base);
    await outbox.claim(message.id);
    expect(await outbox.reclaimStale(message.id, 60_000)).toBeNull();
    await new Promise((r) => setTimeout(r, 30));
    expect(await outbox.reclaimStale(message.id, 10)).toMatchObject({ status: 'submitting', attempts: 2 });
    expect(await outbox.release(message.id, { message: 'connection refused' })).toMatchObject({ status: 'pending', errorMessage: 'connection refused' });
    await outbox.claim(message.id);
    await outbox.recordSubmitted(message.id, { providerSid: 'SM1', status: 'queued' });
    expect(await outbox.release(message.id)).toBeNull();
    expect(await outbox.reclaimStale(message.id, 0)).toBeNull();
  });

  it('stores the MessageSid and moves the status forward only', async () => {
    const { message } = await outbox.enqueue(base);
    await outbox.claim(message.id);
    expect(await outbox.recordSubmitted(message.id, { providerSid: 'SM1', status: 'queued' })).toMatchObject({ providerSid: 'SM1', status: 'queued' });
    expect((await outbox.recordStatus({ providerSid: 'SM1', status: 'sent' })).changed).toBe(true);
    expect((await outbox.recordStatus({ providerSid: 'SM1', status: 'delivered' })).message?.status).toBe('delivered');
    const late = await outbox.recordStatus({ providerSid: 'SM1', status: 'sent' });
    expect(late).toMatchObject({ changed: false, message: { status: 'delivered' } });
    expect((await outbox.recordStatus({ providerSid: 'SM1', status: 'failed', errorCode: 30003 })).message?.status).toBe('delivered');
    expect((await outbox.recordStatus({ providerSid: 'SM-unknown', status: 'sent' })).message).toBeNull();
  });

  it('accepts a callback that beats the MessageSid to the database, found by row id', async () => {
    const { message } = await outbox.enqueue(base);
    await outbox.claim(message.id);
    const early = await outbox.recordStatus({ id: message.id, providerSid: 'SM9', status: 'sent' });
    expect(early).toMatchObject({ changed: true, message: { providerSid: 'SM9', status: 'sent' } });
    // The REST response arrives afterwards with an older status: the sid stays, the status does not go back.
    expect(await outbox.recordSubmitted(message.id, { providerSid: 'SM9', status: 'queued' })).toMatchObject({ status: 'sent' });
    // A callback naming this row with someone else's sid changes nothing.
    expect((await outbox.recordStatus({ id: message.id, providerSid: 'SMother', status: 'delivered' })).changed).toBe(false);
  });

  it('records failures with the error code and keeps them terminal', async () => {
    const { message } = await outbox.enqueue(base);
    await outbox.claim(message.id);
    await outbox.recordSubmitted(message.id, { providerSid: 'SM2', status: 'queued' });
    const failed = await outbox.recordStatus({ providerSid: 'SM2', status: 'undelivered', errorCode: 30005, errorMessage: 'Unknown destination' });
    expect(failed.message).toMatchObject({ status: 'undelivered', errorCode: 30005 });
    expect((await outbox.recordStatus({ providerSid: 'SM2', status: 'delivered' })).changed).toBe(false);
    expect(await outbox.markFailed(message.id, { code: 1, message: 'x' })).toBeNull();
  });

  it('lists a scope in order from a cursor and reports claimed sids', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await outbox.enqueue({ ...base, purpose: `turn:${i}:0`, body: `m${i}` })).message.id);
    await outbox.enqueue({ ...base, scope: 'other', body: 'elsewhere' });
    expect((await outbox.listByScope(base.scope)).map((m) => m.body)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect((await outbox.listByScope(base.scope, { afterId: ids[1] })).map((m) => m.body)).toEqual(['m2', 'm3']);
    await outbox.claim(ids[0]!);
    await outbox.recordSubmitted(ids[0]!, { providerSid: 'SMa', status: 'queued' });
    expect(await outbox.claimedProviderSids(['SMa', 'SMb'])).toEqual(new Set(['SMa']));
    expect(await outbox.claimedProviderSids([])).toEqual(new Set());
  });
});
});
}
