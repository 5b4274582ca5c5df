import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
 * activities and embedded ledger, driven through the real gateway chat API. All scripts run concurrently against one
 * system in `beforeAll`; each script is then one test, failing with its transcript.
 */
const business = demoBusiness();
const plan = new CalendarPlan(business);
const scripts = buildScripts(plan);
const results = new Map<string, ScriptResult>();
let system: TestSystem | undefined;

beforeAll(async () => {
  system = await startSystem();
  const live = { app: system.app, ledger: system.infra.ledger, keySecret: system.keySecret, business: system.config.business };
  const timed = scripts.filter((s) => s.needs === 'time-skipping');
  const [onLive, onTimers] = await Promise.all([
    runScripts(scripts.filter((s) => s.needs !== 'time-skipping'), live, plan, { concurrency: 8 }),
    withTimeSkippingTarget({ testServerPath: inject('testServerPath'), workflowBundle: workflowBundle(), business }, (target) =>
      runScripts(timed, target, plan, { concurrency: timed.length }),
    ),
  ]);
  for (const r of [...onLive, ...onTimers]) results.set(r.script.name, r);
  const f = figures([...results.values()]);
  console.log(`${formatTable(figuresByTopic([...results.values()]))}\n${JSON.stringify({ slotFillAccuracy: f.slotFill.rate, bookingCompletionRate: f.bookingCompletion.rate })}`);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

it('has at least 60 scripted conversations covering every topic and every service', () => {
  expect(scripts.length).toBeGreaterThanOrEqual(60);
  const booked = new Set(scripts.filter((s) => s.goal === 'book').flatMap((s) => (s.ledger ?? []).map((r) => r.service)));
  for (const service of business.services) expect(booked, `no booking script for ${service.id}`).toContain(service.id);
});

for (const topic of [...new Set(scripts.map((s) => s.topic))]) {
  describe(topic, () => {
    for (const script of scripts.filter((s) => s.topic === topic)) {
      it(script.name, () => {
        const result = results.get(script.name);
        expect(result, 'the script did not run').toBeDefined();
        expect(result!.failures, `\n${transcriptOf(result!)}\n`).toEqual([]);
      });
    }
  });
}
