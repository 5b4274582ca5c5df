import type { Topic } from '../support/conversation-script';
import type { ScriptResult } from './runner';

/**
 * The two numbers to track over the scripted conversations:
 * - slot-fill accuracy: of the slots the scripts expect the conversation state to hold after a turn (service, date,
 *   time, provider), the share it got right;
 * - booking completion rate: of the scripts whose goal is a booking, the share that end with a confirmed ledger row.
 */

export interface Ratio {
  hits: number;
  total: number;
  rate: number | null;
}

export interface Figures {
  scripts: number;
  passed: number;
  slotFill: Ratio;
  bookingCompletion: Ratio;
  /** Slot-fill per field, to see which slot goes wrong. */
  slotFillByField: Record<string, Ratio>;
}

export interface TopicRow extends Figures {
  topic: Topic | 'all';
}

const ratio = (hits: number, total: number): Ratio => ({ hits, total, rate: total === 0 ? null : Math.round((hits / total) * 1000) / 1000 });

export function figures(results: readonly ScriptResult[]): Figures {
  const checks = results.flatMap((r) => r.slotChecks);
  const booking = results.filter((r) => r.completed !== null);
  const byField: Record<string, Ratio> = {};
  for (const field of ['service', 'date', 'time', 'provider']) {
    const mine = checks.filter((c) => c.field === field);
    byField[field] = ratio(mine.filter((c) => c.actual === c.expected).length, mine.length);
  }
  return {
    scripts: results.length,
    passed: results.filter((r) => r.failures.length === 0).length,
    slotFill: ratio(checks.filter((c) => c.actual === c.expected).length, checks.length),
    bookingCompletion: ratio(booking.filter((r) => r.completed).length, booking.length),
    slotFillByField: byField,
  };
}

/** One row per topic, then the total. */
export function figuresByTopic(results: readonly ScriptResult[]): TopicRow[] {
  const topics = [...new Set(results.map((r) => r.script.topic))];
  return [...topics.map((topic) => ({ topic, ...figures(results.filter((r) => r.script.topic === topic)) })), { topic: 'all' as const, ...figures(results) }];
}

/** The table the eval command prints. */
export function formatTable(rows: readonly TopicRow[]): string {
  const pct = (r: Ratio) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}% (${r.hits}/${r.total})`);
  const header = ['topic', 'scripts', 'passed', 'slot-fill accuracy', 'booking completion'];
  const body = rows.map((r) => [r.topic, String(r.scripts), String(r.passed), pct(r.slotFill), pct(r.bookingCompletion)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
