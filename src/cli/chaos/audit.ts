import type { SqlPort } from '../../adapters/ledger/database';
import { chatSessionKey } from '../../adapters/addressing';
import { linesByTurn, type ChatState, type Http, type SessionRecord, type TranscriptLine } from './customer';

/**
 * What a chaos run is judged by, read after the faults have stopped: every turn's replies from the final transcripts,
 * and the ledger's rows against what each conversation says it holds.
 */

export interface TurnVerdict {
  session: SessionRecord;
  turn: number;
  lost: boolean;
  /** Extra copies of an assistant line within this turn's replies. */
  duplicateLines: number;
  /** The message's customer line appears more than once (recorded twice). */
  duplicateCustomerLines: number;
}

export interface SessionView {
  transcript: TranscriptLine[];
  state: ChatState;
}

/** The final transcript of every session, read until the gateway answers (it may still be catching up). */
export async function finalViews(sessions: SessionRecord[], http: (customer: number) => Http, until: number): Promise<Map<SessionRecord, SessionView | null>> {
  const views = new Map<SessionRecord, SessionView | null>();
  await Promise.all(
    sessions.map(async (s) => {
      if (!s.sessionId) return views.set(s, null);
      for (;;) {
        const view = await http(s.customer).get(`/api/chat/sessions/${s.sessionId}`);
        if (view || Date.now() >= until) return views.set(s, view);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }),
  );
  return views;
}

export function judgeTurns(
  sessions: SessionRecord[],
  views: Map<SessionRecord, SessionView | null>,
  auditedAt: number,
  isAcknowledgement: (text: string) => boolean,
): TurnVerdict[] {
  const verdicts: TurnVerdict[] = [];
  for (const session of sessions) {
    const view = views.get(session);
    const byTurn = view ? linesByTurn(view.transcript, session.turns) : session.turns.map(() => ({ customerLines: 0, assistant: [] }));
    session.turns.forEach((turn, i) => {
      const lines = byTurn[i]!;
      // A reply that first showed in this final read came late, but it came: the turn is slow, not lost.
      const late = auditedAt - turn.sentAt;
      if (turn.firstWordsMs === undefined && lines.assistant.length > 0) turn.firstWordsMs = late;
      if (turn.firstAnswerMs === undefined && lines.assistant.some((line) => !isAcknowledgement(line))) turn.firstAnswerMs = late;
      verdicts.push({
        session,
        turn: i,
        // Only the answer counts: a turn that got "still working" and nothing after it was lost.
        lost: turn.firstAnswerMs === undefined,
        duplicateLines: lines.assistant.length - new Set(lines.assistant).size,
        duplicateCustomerLines: Math.max(0, lines.customerLines - 1),
      });
    });
  }
  return verdicts;
}

export interface LedgerFindings {
  /** Pairs of confirmed rows of one provider whose blocked times overlap. */
  overlappingPairs: number;
  /** Confirmed rows beyond the first for one session (one session asks for one slot). */
  extraConfirmedPerRequest: number;
  /** Confirmed rows at a time or with a provider the customer did not ask for. */
  wrongSlot: number;
  /** Sessions whose state.bookings or hold disagree with the ledger, with the difference. */
  mismatches: { session: SessionRecord; difference: string }[];
  rows: { confirmed: number; held: number; released: number; other: number };
}

interface Row {
  id: string;
  customer_key: string;
  provider_id: string;
  starts_at: Date | string;
  status: string;
  expires_at: Date | string | null;
}

/** The ledger against the conversations. `reread` gives a session's state again, to tell a settling state from a wrong one. */
export async function auditLedger(
  sql: SqlPort,
  sessions: SessionRecord[],
  views: Map<SessionRecord, SessionView | null>,
  keySecret: string,
  options: { providerId: string; reread: (s: SessionRecord) => Promise<SessionView | null> },
): Promise<LedgerFindings> {
  const { rows: overlap } = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM bookings a JOIN bookings b
       ON a.provider_id = b.provider_id AND a.id < b.id AND a.during && b.during
     WHERE a.status = 'confirmed' AND b.status = 'confirmed'`,
  );
  const keyOf = (s: SessionRecord) => `chat:${chatSessionKey(keySecret, s.sessionId!)}`;
  const opened = sessions.filter((s) => s.sessionId);
  const { rows } = await sql.query<Row>(`SELECT id, customer_key, provider_id, starts_at, status, expires_at FROM bookings WHERE customer_key = ANY($1)`, [opened.map(keyOf)]);
  const byKey = new Map<string, Row[]>();
  for (const r of rows) byKey.set(r.customer_key, [...(byKey.get(r.customer_key) ?? []), r]);
  const iso = (v: Date | string) => new Date(v).toISOString();

  const findings: LedgerFindings = {
    overlappingPairs: Number(overlap[0]?.n ?? 0),
    extraConfirmedPerRequest: 0,
    wrongSlot: 0,
    mismatches: [],
    rows: { confirmed: 0, held: 0, released: 0, other: 0 },
  };
  for (const r of rows) {
    if (r.status === 'confirmed' || r.status === 'held' || r.status === 'released') findings.rows[r.status] += 1;
    else findings.rows.other += 1;
  }
  for (const session of opened) {
    const mine = byKey.get(keyOf(session)) ?? [];
    const confirmed = mine.filter((r) => r.status === 'confirmed');
    findings.extraConfirmedPerRequest += Math.max(0, confirmed.length - 1);
    findings.wrongSlot += confirmed.filter((r) => iso(r.starts_at) !== new Date(session.slot.start).toISOString() || r.provider_id !== options.providerId).length;
    let difference = compare(mine, views.get(session)?.state);
    if (difference) {
      // The state may be a moment behind (a hold expiring, an appointment update in flight): read both again once.
      await new Promise((r) => setTimeout(r, 2000));
      const again = await options.reread(session);
      const { rows: fresh } = await sql.query<Row>(`SELECT id, customer_key, provider_id, starts_at, status, expires_at FROM bookings WHERE customer_key = $1`, [keyOf(session)]);
      difference = compare(fresh, again?.state);
    }
    if (difference) findings.mismatches.push({ session, difference });
  }
  return findings;
}

/** What differs between a customer's ledger rows and their conversation's state; empty when they agree. */
function compare(rows: Row[], state: ChatState | undefined): string {
  if (!state) return rows.length > 0 ? `the ledger has ${rows.length} rows but the conversation could not be read` : '';
  const iso = (v: Date | string) => new Date(v).toISOString();
  const ledger = rows
    .filter((r) => ['confirmed', 'cancelled', 'completed', 'no_show'].includes(r.status))
    .map((r) => `${r.id}:${r.status}:${iso(r.starts_at)}`)
    .sort();
  const said = state.bookings.map((b) => `${b.id}:${b.status}:${iso(b.start)}`).sort();
  const problems: string[] = [];
  if (ledger.join() !== said.join()) problems.push(`bookings: ledger [${ledger.join(', ')}] vs state [${said.join(', ')}]`);
  const now = Date.now();
  const liveHolds = rows.filter((r) => r.status === 'held' && r.expires_at !== null && Date.parse(iso(r.expires_at)) > now);
  if (state.hold) {
    const row = rows.find((r) => r.id === state.hold!.bookingId);
    if (!row || (row.status !== 'held' && row.status !== 'confirmed')) problems.push(`hold ${state.hold.bookingId} in state but ${row ? row.status : 'absent'} in the ledger`);
  } else if (liveHolds.length > 0) {
    problems.push(`ledger holds ${liveHolds.map((r) => r.id).join(', ')} unexpired, state shows no hold`);
  }
  return problems.join('; ');
}
