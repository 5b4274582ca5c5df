import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Script } from '../support/conversation-script';
import { TEST_HANG_MS } from '../support/patience';
import { startSystem, type TestSystem } from '../support/system';
import { demoBusiness } from '../support/time-skipping';
import { workflowBundle } from '../support/bundle';
import { CalendarPlan } from './calendar';
import { figures, figuresByTopic, formatTable } from './metrics';
import { runScripts, transcriptOf, type ScriptResult } from './runner';
import { buildScripts } from './scripts';
import { withTimeSkippingTarget } from './targets';

/**
 * The scripted conversations on the real workflow: the offline interpreter (no model configured), the real worker,
 * activities and embedded ledger, driven through the real gateway chat API. `beforeAll` starts the system and sets
 * every script going (a few at a time; timer scripts one at a time on the time-skipping server); each script is one
 * test, which waits for that script's result alone and fails with its transcript. Nothing here guesses how long a
 * run takes on this machine: the time limits are hang detectors.
 */
const business = demoBusiness();
const plan = new CalendarPlan(business);
/**
 * CONVERSATION_TOPICS=front_desk,spanish runs only those topics' scripts (to try one area without the other ninety);
 * unset, every script runs.
 */
const topics = process.env.CONVERSATION_TOPICS?.split(',').map((t) => t.trim()).filter(Boolean);
const allBuilt = buildScripts(plan);
const scripts = topics?.length ? allBuilt.filter((s) => topics.includes(s.topic)) : allBuilt;
const outcomes = scripts.map(() => deferred<ScriptResult>());
let system: TestSystem | undefined;
let running: Promise<void> | undefined;

beforeAll(async () => {
  system = await startSystem();
  const outbox = system.infra.outbox;
  const staffNotes = async (customerKey: string) =>
    (await outbox.listByScope(`conversation:${customerKey}`)).filter((m) => m.toAddress === 'staff').map((m) => m.body ?? '');
  const live = { app: system.app, ledger: system.infra.ledger, keySecret: system.keySecret, business: system.config.business, staffNotes };
  const indexed = scripts.map((script, index) => ({ script, index }));
  const onLive = indexed.filter(({ script }) => script.needs !== 'time-skipping');
  const onTimers = indexed.filter(({ script }) => script.needs === 'time-skipping');
  const report = (of: { index: number }[]) => (result: ScriptResult, i: number) => outcomes[of[i]!.index]!.resolve(result);
  const scriptsOf = (of: { script: Script }[]) => of.map(({ script }) => script);
  running = Promise.all([
    runScripts(scriptsOf(onLive), live, plan, { onResult: report(onLive) }),
    withTimeSkippingTarget({ testServerPath: inject('testServerPath'), workflowBundle: workflowBundle(), business }, (target) =>
      runScripts(scriptsOf(onTimers), target, plan, { onResult: report(onTimers) }),
    ),
  ]).then(
    ([a, b]) => {
      const all = [...a, ...b];
      const f = figures(all);
      const unavailable = all.reduce((n, r) => n + (r.unavailableRetries ?? 0), 0);
      console.log(`${formatTable(figuresByTopic(all))}\n${JSON.stringify({ slotFillAccuracy: f.slotFill.rate, bookingCompletionRate: f.bookingCompletion.rate, unavailableRetries: unavailable })}`);
    },
    (error: unknown) => {
      for (const outcome of outcomes) outcome.reject(error);
    },
  );
}, TEST_HANG_MS);

afterAll(async () => {
  await running; // the system stays up until every script has finished
  await system?.stop();
}, TEST_HANG_MS);

it('has at least 60 scripted conversations covering every topic and every service', () => {
  expect(allBuilt.length).toBeGreaterThanOrEqual(60);
  const booked = new Set(allBuilt.filter((s) => s.goal === 'book').flatMap((s) => (s.ledger ?? []).map((r) => r.service)));
  for (const service of business.services) expect(booked, `no booking script for ${service.id}`).toContain(service.id);
});

for (const topic of [...new Set(scripts.map((s) => s.topic))]) {
  describe(topic, () => {
    for (const [index, script] of scripts.entries()) {
      if (script.topic !== topic) continue;
      it(
        script.name,
        async () => {
          const result = await outcomes[index]!.promise;
          // A script built again for a later instant may have said other words: its transcript says which.
          const rebuilt = result.script.name !== script.name ? `(run as "${result.script.name}")\n` : '';
          expect(result.failures, `\n${rebuilt}${transcriptOf(result)}\n`).toEqual([]);
        },
        TEST_HANG_MS,
      );
    }
  });
}

/** A promise with its settle functions outside (Promise.withResolvers needs Node 22). */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a run that failed to start is reported by each test that awaits it
  return { promise, resolve, reject };
}
