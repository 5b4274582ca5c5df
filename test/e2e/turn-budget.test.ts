import { BOOKING_WORKER_DEFAULTS } from '../../src/worker';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { gatewayPorts } from '../../src/composition';
import { dataConverterFor } from '../../src/adapters/temporal/data-converter';
import { createApp, type App } from '../../src/gateway/app';
import * as templates from '../../src/domain/language/templates';
import { acknowledgementTexts, chatTurnWaitMs } from '../../src/gateway/chat/acknowledgement';
import { workflowBundle } from '../support/bundle';
import { demoBusiness } from '../support/time-skipping';
import { startSystem, type TestSystem } from '../support/system';

/**
 * Every customer message gets an answer within the gateway's wait, whatever the worker does, and one length rule
 * holds from the edge to the workflow. On the real dev server.
 */
describe('the gateway answers within its wait', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** A gateway whose task queue no worker polls (every worker crashed, or a deploy is under way). */
  function gatewayWithoutWorker(taskQueue: string, turnWaitMs: number): App {
    return createApp({
      ...gatewayPorts(system.client, taskQueue, system.keySecret),
      business: system.config.business,
      logger: pino({ level: 'silent' }),
      turnWaitMs,
      opsToken: 'test-ops-token',
      twilio: { authToken: undefined, publicBaseUrl: undefined },
    });
  }
  const render = (locale: 'en' | 'es') => ({ locale, zone: system.config.business.timezone, business: system.config.business, channel: 'chat' as const });
  const post = (app: App, path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('with no worker polling, answers 202 within the wait; the message is kept and answered once a worker is back', async () => {
    const taskQueue = `no-worker-${randomUUID()}`;
    const app = gatewayWithoutWorker(taskQueue, 1_500);
    const created = await post(app, '/api/chat/sessions', {});
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };

    const response = await post(app, `/api/chat/sessions/${sessionId}/messages`, { text: 'hi there', clientMessageId: 'm-1' });
    expect(response.status).toBe(202);
    // The customer's first words come from the gateway: no worker is alive to say them.
    expect(await response.json()).toMatchObject({ accepted: true, messageId: 'chat:m-1', acknowledgement: templates.stillWorking(null, render('en')) });
    const spanish = await post(app, `/api/chat/sessions/${sessionId}/messages`, { text: '¿tienen hora mañana?', clientMessageId: 'm-es' });
    expect(spanish.status).toBe(202);
    expect(await spanish.json()).toMatchObject({ acknowledgement: templates.stillWorking(null, render('es')) });
    // The client retries with the same id: still one message.
    expect((await post(app, `/api/chat/sessions/${sessionId}/messages`, { text: 'hi there', clientMessageId: 'm-1' })).status).toBe(202);

    // A worker comes back: the kept message is answered, once.
    const connection = await NativeConnection.connect({ address: inject('devServerAddress') });
    const worker = await Worker.create({ ...BOOKING_WORKER_DEFAULTS, connection, taskQueue, activities: system.infra.activities, workflowBundle: workflowBundle(), dataConverter: dataConverterFor(system.config.env) });
    await worker.runUntil(async () => {
      for (;;) {
        const view = (await (await app.request(`/api/chat/sessions/${sessionId}`)).json()) as { transcript: { role: string; text: string }[] };
        const customerLines = view.transcript.filter((l) => l.role === 'customer').map((l) => l.text);
        if (customerLines.length === 2 && view.transcript.at(-1)?.role === 'assistant') {
          expect(customerLines).toEqual(['hi there', '¿tienen hora mañana?']);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    await connection.close();
  });

  it('counts characters one way from the edge to the workflow: 1,500 emoji are a message, 2,001 are a 400', async () => {
    const created = await post(system.app, '/api/chat/sessions', {});
    const { sessionId } = (await created.json()) as { sessionId: string };
    const ok = await post(system.app, `/api/chat/sessions/${sessionId}/messages`, { text: '😀'.repeat(1500) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { replies: unknown[] }).replies.length).toBeGreaterThan(0);
    const tooLong = await post(system.app, `/api/chat/sessions/${sessionId}/messages`, { text: '😀'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { message: expect.stringMatching(/2000 characters/) } });
  });
});

describe("the chat's wait for a turn", () => {
  it('ends early enough for the 202 and its acknowledgement to land within the first-words budget', async () => {
    const demo = demoBusiness();
    const business = (budget: number) => ({ ...demo, policies: { ...demo.policies, turnBudget: { firstWordsSeconds: budget, capSeconds: 60 } } });
    expect(chatTurnWaitMs(business(10))).toBe(8_000);
    expect(chatTurnWaitMs(business(4))).toBe(2_000);
    expect(chatTurnWaitMs(business(1))).toBe(1_000);
  });

  it('knows every "still working" text, so the benchmarks tell it from an answer', () => {
    const demo = demoBusiness();
    const render = (locale: 'en' | 'es') => ({ locale, zone: demo.timezone, business: demo });
    expect(acknowledgementTexts(demo)).toEqual(new Set([templates.stillWorking(null, render('en')), templates.stillWorking(null, render('es'))]));
  });
});
