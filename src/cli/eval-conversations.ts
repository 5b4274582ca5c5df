/**
 * `npm run eval:conversations [-- --only <text>] [--concurrency <n>] [--transcripts <file.json>]` — runs the scripted
 * conversations (test/conversations/scripts) on the real workflow with the offline interpreter, through the real
 * gateway chat API, and prints the two numbers to track:
 * - slot-fill accuracy: of the slots (service, date, time, provider) the scripts expect the conversation state to
 *   hold, the share it got right;
 * - booking completion rate: of the booking scripts, the share that end with a confirmed row in the ledger.
 * It starts what it needs itself: a Temporal dev server from the provisioned CLI (as `npm start` does),
 * a worker, a fresh embedded ledger and the gateway app; timer scripts run on the time-skipping test server.
 * A table per topic, the failing scripts with their problems, then one JSON line of figures.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { provision } from '../adapters/temporal/provision';
import { loadConfig } from '../config';
import { bundleWorkflows } from '../worker';
import { CalendarPlan } from '../../test/conversations/calendar';
import { figures, figuresByTopic, formatTable } from '../../test/conversations/metrics';
import { runScripts, transcriptOf, type ScriptResult } from '../../test/conversations/runner';
import { buildScripts } from '../../test/conversations/scripts';
import { startLiveTarget, withTimeSkippingTarget } from '../../test/conversations/targets';
import { runCli } from './run';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      transcripts: { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a positive integer');
  // The SDK's warnings (slow workflow tasks on a busy machine) go to stderr, never into the figures on stdout.
  Runtime.install({
    logger: new DefaultLogger('ERROR', (entry) => process.stderr.write(`${entry.level} ${entry.message}\n`)),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const started = Date.now();

  const business = loadConfig({ LOG_LEVEL: 'silent' }).business;
  const plan = new CalendarPlan(business);
  const scripts = buildScripts(plan).filter((s) => !values.only || s.name.toLowerCase().includes(values.only.toLowerCase()) || s.topic === values.only);
  if (scripts.length === 0) throw new Error(`no script matches --only ${values.only}`);

  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`eval:conversations: ${scripts.length} scripts; starting Temporal, the worker and the gateway…`);
  const [testServer, workflowBundle] = await Promise.all([provision('test-server', log), bundleWorkflows()]);
  if (testServer.kind !== 'path') {
    throw new Error('eval:conversations needs the Temporal programs as files: run `npm run temporal:provision` or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH');
  }

  const live = scripts.filter((s) => s.needs !== 'time-skipping');
  const timed = scripts.filter((s) => s.needs === 'time-skipping');
  let done = 0;
  const progress = (r: ScriptResult) => {
    done += 1;
    log(`  [${done}/${scripts.length}] ${r.failures.length ? 'FAIL' : 'ok  '} ${r.script.topic}: ${r.script.name} (${r.ms} ms)`);
  };
  const target = await startLiveTarget({ workflowBundle, log });
  let results: ScriptResult[];
  try {
    const [onLive, onTimers] = await Promise.all([
      runScripts(live, target, plan, { concurrency, onResult: progress }),
      timed.length
        ? withTimeSkippingTarget({ testServerPath: testServer.path, workflowBundle, business }, (t) => runScripts(timed, t, plan, { concurrency, onResult: progress }))
        : Promise.resolve([]),
    ]);
    results = [...onLive, ...onTimers];
  } finally {
    await target.stop();
  }

  if (values.transcripts) {
    const dump = results.map((r) => ({ name: r.script.name, topic: r.script.topic, failures: r.failures, transcript: transcriptOf(r).split('\n') }));
    fs.writeFileSync(values.transcripts, `${JSON.stringify(dump, null, 2)}\n`);
  }

  const failed = results.filter((r) => r.failures.length > 0);
  console.log(formatTable(figuresByTopic(results)));
  if (failed.length) {
    console.log(`\n${failed.length} failing:`);
    for (const r of failed) console.log(`- [${r.script.topic}] ${r.script.name}\n    ${r.failures.join('\n    ')}`);
  }
  const f = figures(results);
  console.log(
    JSON.stringify({
      slotFillAccuracy: f.slotFill.rate,
      bookingCompletionRate: f.bookingCompletion.rate,
      slotFill: { hits: f.slotFill.hits, total: f.slotFill.total },
      bookingCompletion: { hits: f.bookingCompletion.hits, total: f.bookingCompletion.total },
      slotFillByField: Object.fromEntries(Object.entries(f.slotFillByField).map(([k, v]) => [k, v.rate])),
      scripts: f.scripts,
      passed: f.passed,
      failing: failed.map((r) => r.script.name),
      durationMs: Date.now() - started,
    }),
  );
}

void runCli(main);
