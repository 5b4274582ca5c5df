/**
 * `npm run eval:nlu [-- <folder>]` — measures the offline understanding on third-party corpora read at run time
 * from ../shared/eval-data (or the folder given, or EVAL_DATA_DIR): Schema-Guided Dialogue appointment turns (dates, times,
 * booking intents) and Duckling's English time corpus (instants, interval starts, texts that must not parse).
 * Prints a table, then the kinds of phrase that still fail, then where the assistant deliberately differs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { parseBusiness } from '../domain/booking/business';
import { resolveWhen, type WhenResult } from '../domain/language/resolve';
import { understand, type Intent } from '../domain/language/understand';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The corpora folder: the first argument, else EVAL_DATA_DIR, else ../shared/eval-data beside the repository. */
const dataArg = process.argv.slice(2).find((a) => !a.startsWith('-'));
const dataDir = resolve(dataArg ?? process.env.EVAL_DATA_DIR ?? resolve(repoRoot, '../shared/eval-data'));

interface SgdTurn {
  id: string;
  service_kind: string;
  previous_system_utterance: string | null;
  utterance: string;
  expected: { intent: string; date?: string; time?: string };
}

interface DucklingVector {
  text: string;
  reference_time: string;
  kind: 'instant' | 'interval' | 'open_interval' | 'none';
  value?: string;
  grain?: string;
  from?: string;
  to_exclusive?: string;
  direction?: 'after' | 'before';
  holiday?: string;
}

function readJson<T>(file: string): T {
  const path = join(dataDir, file);
  if (!existsSync(path)) {
    console.error(`eval:nlu: ${path} is missing. Put the corpora in ../shared/eval-data beside the project, pass their folder as an argument, or set EVAL_DATA_DIR.`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A rough label for a phrase, so failures can be grouped into kinds worth fixing. */
function phraseKind(text: string): string {
  const t = text.toLowerCase();
  const kinds: [RegExp, string][] = [
    [/\b(gmt|pst|cet|bst|ist|cst|utc)\b/, 'time zone'],
    [/\b(ago|back|hence|from now|in \d|in (a|an|one|two|three|few|couple))\b/, 'duration'],
    [/\b(week|month|year|quarter|season|summer|winter)s?\b/, 'week/month/year'],
    [/\b(morning|afternoon|evening|night|tonight|lunch)\b/, 'part of day'],
    [/\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b/, 'weekday'],
    [/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/, 'month name'],
    [/\d+\s?[/.-]\s?\d+/, 'numeric date'],
    [/\b(half|quarter|past|to|till)\b/, 'relative time'],
    [/\d(:|h)\d\d|\d\s?(am|pm|a|p)\b|o'?clock|noon|midnight/, 'clock time'],
    [/\b(today|tomorrow|yesterday)\b/, 'relative day'],
    [/\d(st|nd|rd|th)\b/, 'ordinal day'],
  ];
  for (const [re, kind] of kinds) if (re.test(t)) return kind;
  return 'other';
}

// ---------------------------------------------------------------------------------------------------------------
// SGD
// ---------------------------------------------------------------------------------------------------------------

const sgd = readJson<{ meta: { reference_time: string; zone: string }; turns: SgdTurn[] }>('sgd-appointments-train.json');
const business = parseBusiness(JSON.parse(readFileSync(process.env.BUSINESS_CONFIG ?? join(repoRoot, 'config/business.json'), 'utf8')));

const sgdStats = { date: [0, 0], time: [0, 0], book: [0, 0], find: [0, 0] };
const sgdFailures = new Map<string, { n: number; example: string }>();
const sgdDeliberate = new Map<string, { n: number; example: string }>();
const fail = (map: Map<string, { n: number; example: string }>, kind: string, example: string) => {
  const e = map.get(kind) ?? { n: 0, example };
  e.n += 1;
  map.set(kind, e);
};

for (const turn of sgd.turns) {
  const u = understand(turn.utterance, {
    now: sgd.meta.reference_time,
    zone: sgd.meta.zone,
    business,
    previous: turn.previous_system_utterance ?? undefined,
  });
  if (turn.expected.date) {
    sgdStats.date[1]! += 1;
    if (u.date === turn.expected.date) sgdStats.date[0]! += 1;
    else fail(sgdFailures, `date: ${phraseKind(turn.utterance)}`, `${turn.utterance} → ${u.date ?? '∅'} (want ${turn.expected.date})`);
  }
  if (turn.expected.time) {
    sgdStats.time[1]! += 1;
    if (u.time === turn.expected.time) sgdStats.time[0]! += 1;
    else if (!u.time && (u.window?.start === turn.expected.time || u.window?.end === turn.expected.time)) fail(sgdDeliberate, '"after X"/"before X" is a window bounded by X (SGD labels X as the time)', `${turn.utterance} → window ${u.window.start}–${u.window.end}`);
    else fail(sgdFailures, `time: ${phraseKind(turn.utterance)}`, `${turn.utterance} → ${u.time ?? '∅'} (want ${turn.expected.time})`);
  }
  // SGD's intents are dialogue states: BookAppointment maps to our "book"; FindProvider (search for a dentist,
  // doctor or salon) has no twin here, so it counts as right when read as book or availability.
  const okIntents: Intent[] = turn.expected.intent === 'BookAppointment' ? ['book'] : ['book', 'availability'];
  const bucket = turn.expected.intent === 'BookAppointment' ? sgdStats.book : sgdStats.find;
  bucket[1]! += 1;
  if (okIntents.includes(u.intent)) bucket[0]! += 1;
  else fail(sgdFailures, `intent ${turn.expected.intent} read as ${u.intent}`, turn.utterance);
}

// ---------------------------------------------------------------------------------------------------------------
// Duckling
// ---------------------------------------------------------------------------------------------------------------

const duckling = readJson<{ vectors: DucklingVector[] }>('duckling-time-en.json');
const GRAINS = new Set(['day', 'hour', 'minute']);

/** Duckling's zone for a reference such as 2013-02-12T04:30:00-02:00 is a fixed offset. */
function zoneOf(reference: string): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(reference);
  if (!m) return 'UTC';
  const hours = Number(m[2]) + Number(m[3]) / 60;
  return hours === 0 ? 'UTC' : `UTC${m[1]}${hours}`;
}

/** Local wall time "YYYY-MM-DDTHH:MM" of an expected value (they are written in the reference offset). */
const wall = (iso: string) => iso.slice(0, 16);

/**
 * The instant our result denotes, as Duckling would read it: a time without a day is its next occurrence, a day
 * without a time is its midnight.
 */
function ourStart(r: WhenResult, reference: DateTime): { day?: string; wall?: string } {
  const today = reference.toFormat('yyyy-MM-dd');
  const startTime = r.time ?? (r.window && r.window.start !== '00:00' ? r.window.start : r.window ? '00:00' : undefined);
  if (r.date) return { day: r.date, wall: startTime ? `${r.date}T${startTime}` : undefined };
  if (r.range) return { day: r.range.start, wall: `${r.range.start}T${startTime ?? '00:00'}` };
  if (startTime) {
    // Duckling's reading of a time without a day: its next occurrence (counted by the hour), and of a time
    // without am/pm the next of its two readings. We report that ambiguity; here we score the candidate Duckling
    // would pick.
    const hour = reference.toFormat('HH');
    const meridiem = r.unresolved.find((u) => u.kind === 'meridiem')?.candidates;
    const time = meridiem ? (meridiem.find((c) => c.slice(0, 2) >= hour) ?? meridiem[0]!) : startTime;
    const day = r.time && time.slice(0, 2) < hour && !r.window ? reference.plus({ days: 1 }).toFormat('yyyy-MM-dd') : today;
    return { day, wall: `${day}T${r.time ? time : startTime}` };
  }
  return {};
}

const dk = { instant: [0, 0], instantNoHoliday: [0, 0], interval: [0, 0], none: [0, 0] };
const dkFailures = new Map<string, { n: number; example: string }>();
const deliberate = new Map<string, { n: number; example: string }>();

/** Where our reading differs from Duckling's on purpose (a booking assistant needs the other answer). */
function deliberateDifference(v: DucklingVector, r: WhenResult): string | null {
  const t = v.text.toLowerCase();
  if (v.grain === 'hour' && /\b(days?|fortnight)\b.*\b(ago|hence)\b|\bin (7|a) days?\b|\ba day from now\b/.test(t) && r.date) {
    return 'a number of days is a day to book, not an hour (Duckling: "in 7 days" = 04:00 that day)';
  }
  if (/week-?end|wkend/.test(t) && r.range) return 'a weekend is Saturday–Sunday (Duckling: from Friday 18:00)';
  if (/^(this|tonight|this evening|this afternoon|this morning)\b.*\bat (12|3)\b/.test(t)) {
    return '"this morning/afternoon at N" stays on today, and "afternoon 12" is noon as in SGD (Duckling: midnight)';
  }
  if (v.holiday && /yom|purim|tisha|lag b|tu bishvat|shemini|simchat|holocaust|hashoah|rosh|chanukah|hanuk|hannuk|passover|succos|shavuot|ingathering/.test(t)) {
    return 'Jewish holidays are dated by the day itself (Duckling: from the evening before)';
  }
  return null;
}

for (const v of duckling.vectors) {
  const zone = zoneOf(v.reference_time);
  const reference = DateTime.fromISO(v.reference_time, { zone });
  const r = resolveWhen(v.text, { now: v.reference_time, zone });
  if (v.kind === 'none') {
    dk.none[1]! += 1;
    const parsed = Boolean(r.date || r.time || r.window || r.range || r.weekdays);
    if (!parsed) dk.none[0]! += 1;
    else fail(dkFailures, 'must not parse', `${v.text} → ${JSON.stringify({ date: r.date, time: r.time, window: r.window })}`);
    continue;
  }
  if (!v.grain || !GRAINS.has(v.grain)) continue;
  const ours = ourStart(r, reference);
  let ok: boolean;
  let want: string;
  if (v.kind === 'instant') {
    want = v.grain === 'day' ? (v.value ?? '').slice(0, 10) : wall(v.value ?? '');
    ok = v.grain === 'day' ? ours.day === want : ours.wall === want;
    dk.instant[1]! += 1;
    if (ok) dk.instant[0]! += 1;
    if (!v.holiday) {
      dk.instantNoHoliday[1]! += 1;
      if (ok) dk.instantNoHoliday[0]! += 1;
    }
  } else {
    const bound = v.kind === 'open_interval' && v.direction === 'before' ? v.to_exclusive : v.from;
    want = v.grain === 'day' ? (bound ?? '').slice(0, 10) : wall(bound ?? '');
    let got = v.grain === 'day' ? ours.day : ours.wall;
    if (v.kind === 'open_interval' && v.direction === 'before' && r.window) got = `${r.date ?? reference.toFormat('yyyy-MM-dd')}T${r.window.end}`;
    ok = got === want;
    dk.interval[1]! += 1;
    if (ok) dk.interval[0]! += 1;
  }
  if (!ok) {
    const why = deliberateDifference(v, r);
    const got = `${ours.wall ?? ours.day ?? '∅'}`;
    if (why) fail(deliberate, why, `${v.text} → ${got} (Duckling ${want})`);
    else {
      const kind = !v.holiday ? phraseKind(v.text) : got === '∅' ? 'holiday not covered (Hindu/Sikh/Buddhist lunisolar, seasonal)' : 'holiday a day off (calendar tables differ)';
      fail(dkFailures, `${v.kind}: ${kind}`, `${v.text} → ${got} (want ${want})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const pct = ([a, b]: number[]) => (b ? `${((100 * (a ?? 0)) / b).toFixed(1)}%` : 'n/a');
const row = (corpus: string, measure: string, s: number[], target = '') =>
  `| ${corpus.padEnd(8)} | ${measure.padEnd(44)} | ${`${s[0]}/${s[1]}`.padStart(9)} | ${pct(s).padStart(6)} | ${target.padEnd(6)} |`;

console.log(`Understanding, measured on ${dataDir}\n`);
console.log('| corpus   | measure                                      |     right |  share | target |');
console.log('| -------- | -------------------------------------------- | --------- | ------ | ------ |');
console.log(row('SGD', 'dates (turns that state one)', sgdStats.date, '≥95%'));
console.log(row('SGD', 'times (turns that state one)', sgdStats.time, '≥95%'));
console.log(row('SGD', 'intent BookAppointment → book', sgdStats.book));
console.log(row('SGD', 'intent FindProvider → book/availability', sgdStats.find));
console.log(row('Duckling', 'instants, grain day/hour/minute', dk.instant, '≥80%'));
console.log(row('Duckling', '  of which not holidays', dk.instantNoHoliday));
console.log(row('Duckling', 'interval starts, grain day/hour/minute', dk.interval));
console.log(row('Duckling', 'must-not-parse texts left alone', dk.none));

const top = (map: Map<string, { n: number; example: string }>, n: number) =>
  [...map.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, n);
console.log('\nTop failing phrase kinds (count, kind, one example):');
for (const [kind, { n, example }] of top(sgdFailures, 8)) console.log(`  SGD      ${String(n).padStart(4)}  ${kind}: ${example}`);
for (const [kind, { n, example }] of top(dkFailures, 12)) console.log(`  Duckling ${String(n).padStart(4)}  ${kind}: ${example}`);
if (deliberate.size || sgdDeliberate.size) {
  console.log('\nDeliberate differences (counted as failures in the table):');
  for (const [why, { n, example }] of top(sgdDeliberate, 5)) console.log(`  SGD      ${String(n).padStart(4)}  ${why}; e.g. ${example}`);
  for (const [why, { n, example }] of top(deliberate, 10)) console.log(`  Duckling ${String(n).padStart(4)}  ${why}; e.g. ${example}`);
}
if (process.env.EVAL_VERBOSE) {
  console.log('\nAll failures:');
  for (const [k, { n, example }] of [...sgdFailures, ...dkFailures]) console.log(`  ${n}  ${k}: ${example}`);
}
