import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { gatewayPorts } from '../../../src/composition';
import { dataConverterFor, payloadKeyringFor } from '../../../src/adapters/temporal/data-converter';
import { AesGcmPayloadCodec } from '../../../src/adapters/temporal/payload-codec';
import { BOOKING_WORKER_DEFAULTS } from '../../../src/worker';
import { createApp } from '../../../src/gateway/app';
import { workflowBundle } from '../../support/bundle';
import { startSystem, type TestSystem } from '../../support/system';
import { decryptHistory } from './decrypt';
import { firstTaskEndsOnLocalActivity } from './shape';

const { temporal } = proto;

/**
 * Records a conversation whose first workflow task ends on the setup local activity's marker, the code after it
 * running in the next task (`RECORD_HISTORIES=<name> npm run record:histories -- setup-split`; not part of `npm test`;
 * test/workflows/replay-chaos.test.ts replays the file).
 * As in the chaos run: the customer's message waits with no worker polling while a transcript read (a query) waits
 * too; the worker that comes back gets the first task with the query attached, answers it while the setup activity's
 * result is on its way to the workflow code, and core completes the task with the marker and asks for a new one.
 * That is a race, so it is tried until the history has that shape.
 */
const name = process.env.RECORD_HISTORIES;
/** RECORD_SHAPE=plain: the same conversation without the waiting query, its first task going on past the marker. */
const split = process.env.RECORD_SHAPE !== 'plain';
let system: TestSystem;
beforeAll(async () => {
  if (!name) throw new Error('set RECORD_HISTORIES=<file name without .history.pb> to say which history to record');
  system = await startSystem();
});
afterAll(async () => system?.stop());

it('records a conversation whose first task ends on the setup local activity marker', async () => {
  const post = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const codec = new AesGcmPayloadCodec(payloadKeyringFor(system.config.env));
  for (let attempt = 1; attempt <= 12; attempt++) {
    const taskQueue = `split-${randomUUID()}`;
    const app = createApp({
      ...gatewayPorts(system.client, taskQueue, system.keySecret),
      business: system.config.business,
      logger: pino({ level: 'silent' }),
      turnWaitMs: 500,
      opsToken: 'test-ops-token',
      twilio: { authToken: undefined, publicBaseUrl: undefined },
    });
    const { sessionId } = (await (await post(app, '/api/chat/sessions', {})).json()) as { sessionId: string };
    expect((await post(app, `/api/chat/sessions/${sessionId}/messages`, { text: 'hi there', clientMessageId: 'm-1' })).status).toBe(202);
    const read = split ? app.request(`/api/chat/sessions/${sessionId}`) : undefined; // a query, waiting for a worker
    await new Promise((resolve) => setTimeout(resolve, 300));
    const connection = await NativeConnection.connect({ address: inject('devServerAddress') });
    const worker = await Worker.create({ ...BOOKING_WORKER_DEFAULTS, connection, taskQueue, activities: system.infra.activities, workflowBundle: workflowBundle(), dataConverter: dataConverterFor(system.config.env) });
    let workflowId = '';
    await worker.runUntil(async () => {
      await read;
      for (;;) {
        const view = (await (await app.request(`/api/chat/sessions/${sessionId}`)).json()) as { transcript: { role: string }[] };
        if (view.transcript.some((l) => l.role === 'assistant')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      while (!workflowId) {
        for await (const wf of system.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) workflowId = wf.workflowId;
        if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    await connection.close();
    const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
    if (firstTaskEndsOnLocalActivity(history.events ?? []) !== split) continue;
    await decryptHistory(history, codec);
    fs.writeFileSync(new URL(`./${name}.history.pb`, import.meta.url), temporal.api.history.v1.History.encode(temporal.api.history.v1.History.fromObject(history as object)).finish());
    console.log(`recorded ${name} on attempt ${attempt}`);
    return;
  }
  throw new Error(`no attempt gave the shape asked for (first task ending on a local-activity marker: ${split})`);
});
