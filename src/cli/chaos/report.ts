import type { LedgerFindings, TurnVerdict } from './audit';
import type { SessionRecord } from './customer';
import type { FlakyModelStats } from './flaky-model';
import type { ChaosOptions } from './options';
import type { SupervisorStats } from './supervisor';

/** The figures of a chaos run: a readable account first, then the contract's JSON line (DESIGN.md, last line). */

/** First words (the answer or a "still working on it") later than this are over the turn budget (the issue's 10 s). */
export const FIRST_REPLY_BUDGET_MS = 10_000;

export interface ChaosFigures {
  customers: number;
  turns: number;
  lost_turns: number;
  duplicate_bookings: number;
  duplicate_sends: number;
  ledger_state_mismatches: number;
  first_reply_p50_ms: number;
  first_reply_p95_ms: number;
  over_budget_turns: number;
  /** The answer itself (not an acknowledgement), for what the customer waited for beyond the first words. */
  first_answer_p50_ms: number;
  first_answer_p95_ms: number;
}

export interface RunFacts {
  options: ChaosOptions;
  sessions: SessionRecord[];
  verdicts: TurnVerdict[];
  ledger: LedgerFindings;
  worker: SupervisorStats;
  gateway: SupervisorStats;
  model: FlakyModelStats;
  serverRestart?: { atS: number; downMs: number; error?: string };
  /** Faults in time order, in seconds from the customers' start, to place a lost turn among them. */
  events: { atS: number; what: string }[];
  startedAt: number;
  /** Answers to the customers' transcript reads while they waited, by status. */
  reads: Record<string, number>;
  /** This process's CPU time (customers, the model, the audit) and the machine's load, to judge the harness's own weight. */
  harness: { cpuS: number; wallS: number; loadBefore: number; loadAfter: number; cores: number };
  /** Distinct slots planned and taken; when they ran out, customers stopped starting bookings. */
  slots: { planned: number; used: number; ranOutAtS?: number };
}

export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function figuresOf(facts: RunFacts): ChaosFigures {
  const answeredTurns = facts.verdicts.filter((v) => !v.lost).map((v) => v.session.turns[v.turn]!);
  const firstReplies = answeredTurns.map((t) => t.firstWordsMs ?? t.firstAnswerMs!);
  const firstAnswers = answeredTurns.map((t) => t.firstAnswerMs!);
  return {
    customers: facts.options.customers,
    turns: facts.verdicts.length,
    lost_turns: facts.verdicts.filter((v) => v.lost).length,
    duplicate_bookings: facts.ledger.overlappingPairs + facts.ledger.extraConfirmedPerRequest,
    duplicate_sends: facts.verdicts.reduce((n, v) => n + v.duplicateLines, 0),
    ledger_state_mismatches: facts.ledger.mismatches.length,
    first_reply_p50_ms: percentile(firstReplies, 0.5),
    first_reply_p95_ms: percentile(firstReplies, 0.95),
    // A turn that never got words certainly took longer than the budget.
    over_budget_turns: facts.verdicts.filter((v) => v.lost || (v.session.turns[v.turn]!.firstWordsMs ?? Infinity) > FIRST_REPLY_BUDGET_MS).length,
    first_answer_p50_ms: percentile(firstAnswers, 0.5),
    first_answer_p95_ms: percentile(firstAnswers, 0.95),
  };
}

export function printReport(facts: RunFacts, figures: ChaosFigures): void {
  const { options, sessions, verdicts, ledger, worker, gateway, model } = facts;
  const s = (n: number) => (n / 1000).toFixed(1);
  const count = (outcome: SessionRecord['outcome']) => sessions.filter((x) => x.outcome === outcome).length;
  const turns = sessions.flatMap((x) => x.turns);
  const answers = new Map<string, number>();
  for (const t of turns) for (const [k, v] of Object.entries(t.answers)) answers.set(k, (answers.get(k) ?? 0) + v);
  const first = turns.flatMap((t) => (t.firstWordsMs === undefined ? [] : [t.firstWordsMs]));
  const answerTimes = turns.flatMap((t) => (t.firstAnswerMs === undefined ? [] : [t.firstAnswerMs]));
  const completed = turns.flatMap((t) => (t.completedMs === undefined ? [] : [t.completedMs]));

  console.log('\nFaults injected:');
  console.log(
    `  worker: ${worker.kills} SIGKILLs${options.killEveryMs ? ` (every ${s(options.killEveryMs)} s)` : ''}, ${worker.starts} starts; ` +
      `spawn → ready p50 ${s(percentile(worker.readyMs, 0.5))} s, max ${s(percentile(worker.readyMs, 1))} s; ${worker.killedBeforeReady} killed before ready; ` +
      `${worker.unexpectedExits.length} exits on its own`,
  );
  if (worker.kills > 0 && worker.killedBeforeReady >= worker.kills / 2) {
    console.log(
      `    ! ${worker.killedBeforeReady} of ${worker.kills} workers were killed before they were ready: a worker takes longer to start ` +
        `(p50 ${s(percentile(worker.readyMs, 0.5))} s) than the kill period, so little or nothing could progress while the faults lasted`,
    );
  }
  for (const e of worker.unexpectedExits.slice(0, 3)) console.log(`    ! worker exited by itself at ${s(e.at)} s (${e.how}):\n      ${e.tail.split('\n').join('\n      ')}`);
  if (facts.serverRestart) {
    const r = facts.serverRestart;
    console.log(`  dev server: killed at ${r.atS.toFixed(1)} s and serving again after ${s(r.downMs)} s${r.error ? ` — FAILED: ${r.error}` : ''}`);
  } else {
    console.log('  dev server: not restarted');
  }
  console.log(
    `  model: ${model.calls} calls, ${model.failed500 + model.failed429} failed on purpose (${model.failed500} × 500, ${model.failed429} × 429), ` +
      `${model.answered} answered (in p50 ${Math.round(percentile(model.answerMs, 0.5))} ms, p95 ${Math.round(percentile(model.answerMs, 0.95))} ms)${model.unreadable ? `, ${model.unreadable} UNREADABLE by the chaos model (harness problem: ${model.lastUnreadable})` : ''}`,
  );
  console.log(`  gateway: ${gateway.starts} starts, ${gateway.unexpectedExits.length} exits on its own`);
  for (const e of gateway.unexpectedExits.slice(0, 3)) console.log(`    ! gateway exited by itself at ${s(e.at)} s (${e.how}):\n      ${e.tail.split('\n').join('\n      ')}`);

  const h = facts.harness;
  console.log(
    `  machine: ${h.cores} cores, load average ${h.loadBefore.toFixed(1)} → ${h.loadAfter.toFixed(1)}; this harness used ${h.cpuS.toFixed(1)} CPU s in ${h.wallS.toFixed(0)} s ` +
      `(${((100 * h.cpuS) / Math.max(1, h.wallS)).toFixed(0)}% of one core)`,
  );
  console.log(`\nCustomers (${options.customers}, new turns for ${options.seconds} s):`);
  console.log(
    `  sessions ${sessions.length}: booked ${count('booked')}, handed off to staff ${count('handed_off')}, gave up ${count('gave_up')}, ` +
      `cut off by the end ${count('unfinished')}, failed ${count('failed')}`,
  );
  console.log(
    `  turns ${turns.length}: first words (the answer or "still working") p50 ${s(figures.first_reply_p50_ms)} s, p95 ${s(figures.first_reply_p95_ms)} s, max ${s(percentile(first, 1))} s; ` +
      `the answer itself p50 ${s(figures.first_answer_p50_ms)} s, p95 ${s(figures.first_answer_p95_ms)} s, max ${s(percentile(answerTimes, 1))} s; ` +
      `turn done (answer and state in hand) p50 ${s(percentile(completed, 0.5))} s, p95 ${s(percentile(completed, 0.95))} s`,
  );
  console.log(`  gateway answers to message posts: ${[...answers.entries()].sort().map(([k, v]) => `${k} × ${v}`).join(', ') || 'none'}`);
  console.log(`  gateway answers to transcript reads while waiting: ${Object.entries(facts.reads).sort().map(([k, v]) => `${k} × ${v}`).join(', ') || 'none'}`);
  console.log(`  over the ${s(FIRST_REPLY_BUDGET_MS)} s budget: ${figures.over_budget_turns}`);
  console.log(
    `  distinct slots: ${facts.slots.used} of ${facts.slots.planned} taken` +
      (facts.slots.ranOutAtS !== undefined ? ` — they ran out at ${facts.slots.ranOutAtS.toFixed(1)} s and customers stopped booking (fewer --customers or --seconds)` : ''),
  );

  console.log('\nChecks:');
  console.log(`  lost turns: ${figures.lost_turns}`);
  console.log(
    `  duplicate bookings: ${figures.duplicate_bookings} (overlapping confirmed pairs ${ledger.overlappingPairs}, extra confirmed rows for one request ${ledger.extraConfirmedPerRequest}); ` +
      `booked at a slot not asked for: ${ledger.wrongSlot}`,
  );
  const dupCustomer = verdicts.reduce((n, v) => n + v.duplicateCustomerLines, 0);
  console.log(`  duplicate sends: ${figures.duplicate_sends} (assistant lines repeated within a turn); customer lines recorded twice: ${dupCustomer}`);
  console.log(`  ledger/state mismatches: ${figures.ledger_state_mismatches}`);
  console.log(`  ledger rows of these customers: ${ledger.rows.confirmed} confirmed, ${ledger.rows.held} held, ${ledger.rows.released} released, ${ledger.rows.other} other`);

  const problems: string[] = [];
  const where = (x: SessionRecord) => `customer ${x.customer} session ${x.sessionId?.slice(0, 6) ?? '(none)'}…`;
  const near = (at: number) => {
    const close = facts.events.filter((e) => Math.abs(e.atS - at) <= 6).map((e) => `${e.what} at ${e.atS.toFixed(1)} s`);
    return close.length ? `; near ${close.join(', ')}` : '';
  };
  for (const v of verdicts.filter((x) => x.lost)) {
    const t = v.session.turns[v.turn]!;
    const at = (t.sentAt - facts.startedAt) / 1000;
    problems.push(`lost: ${where(v.session)} turn ${v.turn + 1} "${t.text}" sent at ${at.toFixed(1)} s, answers ${JSON.stringify(t.answers)}${t.refused ? `, refused: ${t.refused}` : ''}${near(at)}`);
  }
  for (const v of verdicts.filter((x) => x.duplicateLines > 0 || x.duplicateCustomerLines > 0)) {
    problems.push(`duplicate lines: ${where(v.session)} turn ${v.turn + 1}: ${v.duplicateLines} assistant, ${v.duplicateCustomerLines} customer`);
  }
  for (const m of ledger.mismatches) problems.push(`mismatch: ${where(m.session)}: ${m.difference}`);
  for (const x of sessions.filter((y) => y.outcome === 'failed')) problems.push(`failed: ${where(x)}: ${x.detail}`);
  for (const x of sessions.filter((y) => y.outcome === 'gave_up')) problems.push(`gave up: ${where(x)} (${x.slot.request}): ${x.detail}`);
  if (problems.length > 0) {
    console.log(`\nDetails (${problems.length}${problems.length > 15 ? ', first 15' : ''}):`);
    for (const p of problems.slice(0, 15)) console.log(`  ${p}`);
  }
}

/** Whether the run meets the issue's bar: nothing lost or doubled, the ledger agrees, p95 first words within budget. */
export function verdictOf(figures: ChaosFigures, model: FlakyModelStats): { ok: boolean; why: string[] } {
  const why: string[] = [];
  if (figures.turns === 0) why.push('no turn was sent');
  if (figures.lost_turns > 0) why.push(`${figures.lost_turns} lost turns`);
  if (figures.duplicate_bookings > 0) why.push(`${figures.duplicate_bookings} duplicate bookings`);
  if (figures.duplicate_sends > 0) why.push(`${figures.duplicate_sends} duplicate sends`);
  if (figures.ledger_state_mismatches > 0) why.push(`${figures.ledger_state_mismatches} ledger/state mismatches`);
  if (figures.first_reply_p95_ms > FIRST_REPLY_BUDGET_MS) why.push(`first-reply p95 ${(figures.first_reply_p95_ms / 1000).toFixed(1)} s is over the ${FIRST_REPLY_BUDGET_MS / 1000} s budget`);
  if (model.unreadable > 0) why.push(`the chaos model could not read ${model.unreadable} requests (a harness problem; see above)`);
  return { ok: why.length === 0, why };
}
