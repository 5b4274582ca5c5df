import type { DeliveryChannel } from '../../domain/messaging/channel';
import type { SqlPort } from './sql-port';
import { statusesBefore, type DeliveryStatus } from '../../domain/messaging/delivery-status';

/**
 * The outbox: every outbound message as one row per (scope, purpose), created before anything is sent so a retried
 * send finds its row instead of sending again. Status only moves forward; every update is one atomic statement
 * guarded by the statuses it may start from, so racing workers and late Twilio callbacks cannot move it backwards.
 * Table: `outbox_messages` (src/adapters/ledger/migrations/050.do.outbox.sql).
 */

export type OutboxChannel = DeliveryChannel;

/** One outbound message as stored. Times are ISO-8601 UTC. */
export interface OutboxMessage {
  id: number;
  /** Conversation workflow id or booking id. */
  scope: string;
  /** Why it is sent, unique within the scope: 'turn:3:0', 'confirmation', 'reminder:PT24H'. */
  purpose: string;
  channel: OutboxChannel;
  /** E.164 number for sms/whatsapp/voice; the session id prefix or customer key for chat. */
  toAddress: string;
  body: string | null;
  templateSid: string | null;
  templateVars: Record<string, string> | null;
  status: DeliveryStatus;
  /** Twilio MessageSid once known. */
  providerSid: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  /** API calls begun for this row. */
  attempts: number;
  submitStartedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A message to record. Exactly what a retry must reproduce: the first call's content wins. */
export interface NewOutboxMessage {
  scope: string;
  purpose: string;
  channel: OutboxChannel;
  toAddress: string;
  body?: string | null;
  templateSid?: string | null;
  templateVars?: Record<string, string> | null;
  /** `pending` (to be sent), `recorded` (chat, voice) or `suppressed` (opted out). */
  status?: 'pending' | 'recorded' | 'suppressed';
  errorMessage?: string | null;
}

/** A status report about a message: from the REST response or a signed status callback. */
export interface StatusReport {
  /** The outbox row id, when the callback URL carried it (it can arrive before the MessageSid is stored). */
  id?: number;
  providerSid: string;
  status: DeliveryStatus;
  errorCode?: number | null;
  errorMessage?: string | null;
}

export interface OutboxStore {
  /** Inserts the message unless (scope, purpose) exists; returns the stored row either way. */
  enqueue(message: NewOutboxMessage): Promise<{ message: OutboxMessage; created: boolean }>;
  find(scope: string, purpose: string): Promise<OutboxMessage | null>;
  get(id: number): Promise<OutboxMessage | null>;
  findByProviderSid(providerSid: string): Promise<OutboxMessage | null>;
  /** Takes a `pending` row for sending (→ `submitting`, stamps the start); null when someone else has it. */
  claim(id: number): Promise<OutboxMessage | null>;
  /**
   * Retakes a row stuck in `submitting` with no MessageSid whose call began more than `olderThanMs` ago (by the
   * database clock). Only after reconciliation found nothing: the caller is about to send again.
   */
  reclaimStale(id: number, olderThanMs: number): Promise<OutboxMessage | null>;
  /** Gives a `submitting` row back (→ `pending`) after a failure that certainly sent nothing. */
  release(id: number, error?: { code?: number | null; message?: string | null }): Promise<OutboxMessage | null>;
  /** Stores the MessageSid at once and advances the status (forward only). */
  recordSubmitted(id: number, result: { providerSid: string | null; status: DeliveryStatus }): Promise<OutboxMessage>;
  /** Applies a delivery report forward-only; `changed` is false for a duplicate, late or unknown report. */
  recordStatus(report: StatusReport): Promise<{ message: OutboxMessage | null; changed: boolean }>;
  /** Ends a row as `failed` with the provider's error (forward only: a delivered row stays delivered). */
  markFailed(id: number, error: { code?: number | null; message: string }): Promise<OutboxMessage | null>;
  /** The scope's messages in id order, after `afterId` when given (a cursor for transcripts and events). */
  listByScope(scope: string, options?: { afterId?: number; limit?: number }): Promise<OutboxMessage[]>;
  /** Which of these MessageSids already belong to a row (so reconciliation never adopts another row's message). */
  claimedProviderSids(providerSids: string[]): Promise<Set<string>>;
}

interface Row {
  id: number;
  scope: string;
  purpose: string;
  channel: OutboxChannel;
  to_address: string;
  body: string | null;
  template_sid: string | null;
  template_vars: Record<string, string> | string | null;
  status: DeliveryStatus;
  provider_sid: string | null;
  error_code: number | null;
  error_message: string | null;
  attempts: number;
  submit_started_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const TABLE = 'outbox_messages';

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toMessage(row: Row): OutboxMessage {
  return {
    id: Number(row.id),
    scope: row.scope,
    purpose: row.purpose,
    channel: row.channel,
    toAddress: row.to_address,
    body: row.body,
    templateSid: row.template_sid,
    templateVars: typeof row.template_vars === 'string' ? JSON.parse(row.template_vars) : row.template_vars,
    status: row.status,
    providerSid: row.provider_sid,
    errorCode: row.error_code === null ? null : Number(row.error_code),
    errorMessage: row.error_message,
    attempts: Number(row.attempts),
    submitStartedAt: row.submit_started_at === null ? null : iso(row.submit_started_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Builds the outbox over any {@link SqlPort} whose database has run migration 050. */
export function createOutboxStore(db: SqlPort): OutboxStore {
  async function one(sql: string, params: unknown[]): Promise<OutboxMessage | null> {
    const { rows } = await db.query<Row>(sql, params);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  const store: OutboxStore = {
    async enqueue(message) {
      if (!message.body && !message.templateSid) {
        throw new Error(`outbox message ${message.scope}/${message.purpose} has neither a body nor a template`);
      }
      const inserted = await one(
        `INSERT INTO ${TABLE} (scope, purpose, channel, to_address, body, template_sid, template_vars, status, error_message)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
         ON CONFLICT (scope, purpose) DO NOTHING
         RETURNING *`,
        [
          message.scope,
          message.purpose,
          message.channel,
          message.toAddress,
          message.body ?? null,
          message.templateSid ?? null,
          message.templateVars ? JSON.stringify(message.templateVars) : null,
          message.status ?? 'pending',
          message.errorMessage ?? null,
        ],
      );
      if (inserted) return { message: inserted, created: true };
      const existing = await store.find(message.scope, message.purpose);
      if (!existing) throw new Error(`outbox row ${message.scope}/${message.purpose} vanished between insert and read`);
      return { message: existing, created: false };
    },

    find(scope, purpose) {
      return one(`SELECT * FROM ${TABLE} WHERE scope = $1 AND purpose = $2`, [scope, purpose]);
    },

    get(id) {
      return one(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);
    },

    findByProviderSid(providerSid) {
      return one(`SELECT * FROM ${TABLE} WHERE provider_sid = $1`, [providerSid]);
    },

    claim(id) {
      return one(
        `UPDATE ${TABLE} SET status = 'submitting', attempts = attempts + 1, submit_started_at = now(), updated_at = now()
         WHERE id = $1 AND status = 'pending' RETURNING *`,
        [id],
      );
    },

    reclaimStale(id, olderThanMs) {
      return one(
        `UPDATE ${TABLE} SET attempts = attempts + 1, submit_started_at = now(), updated_at = now()
         WHERE id = $1 AND status = 'submitting' AND provider_sid IS NULL
           AND submit_started_at <= now() - make_interval(secs => $2::double precision / 1000)
         RETURNING *`,
        [id, olderThanMs],
      );
    },

    release(id, error) {
      return one(
        `UPDATE ${TABLE} SET status = 'pending', error_code = $2, error_message = $3, updated_at = now()
         WHERE id = $1 AND status = 'submitting' AND provider_sid IS NULL RETURNING *`,
        [id, error?.code ?? null, error?.message ?? null],
      );
    },

    async recordSubmitted(id, result) {
      const updated = await one(
        `UPDATE ${TABLE}
         SET provider_sid = COALESCE(provider_sid, $2),
             status = CASE WHEN status = ANY($4::text[]) THEN $3 ELSE status END,
             error_code = NULL, error_message = NULL, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, result.providerSid, result.status, statusesBefore(result.status)],
      );
      if (!updated) throw new Error(`outbox row ${id} does not exist; was the outbox table truncated?`);
      return updated;
    },

    async recordStatus(report) {
      const target =
        report.id !== undefined
          ? await one(`SELECT * FROM ${TABLE} WHERE id = $1 AND (provider_sid IS NULL OR provider_sid = $2)`, [
              report.id,
              report.providerSid,
            ])
          : await store.findByProviderSid(report.providerSid);
      if (!target) return { message: null, changed: false };
      const terminalError = report.status === 'failed' || report.status === 'undelivered';
      const updated = await one(
        `UPDATE ${TABLE}
         SET provider_sid = COALESCE(provider_sid, $2), status = $3,
             error_code = CASE WHEN $5 THEN $6 ELSE error_code END,
             error_message = CASE WHEN $5 THEN $7 ELSE error_message END,
             updated_at = now()
         WHERE id = $1 AND status = ANY($4::text[]) AND (provider_sid IS NULL OR provider_sid = $2)
         RETURNING *`,
        [
          target.id,
          report.providerSid,
          report.status,
          statusesBefore(report.status),
          terminalError,
          report.errorCode ?? null,
          report.errorMessage ?? null,
        ],
      );
      if (updated) return { message: updated, changed: true };
      // Not forward: keep what is there, but make sure the MessageSid is known.
      const sidStored = await one(
        `UPDATE ${TABLE} SET provider_sid = $2, updated_at = now() WHERE id = $1 AND provider_sid IS NULL RETURNING *`,
        [target.id, report.providerSid],
      );
      return { message: sidStored ?? (await store.get(target.id)), changed: false };
    },

    markFailed(id, error) {
      return one(
        `UPDATE ${TABLE} SET status = 'failed', error_code = $2, error_message = $3, updated_at = now()
         WHERE id = $1 AND status = ANY($4::text[]) RETURNING *`,
        [id, error.code ?? null, error.message, statusesBefore('failed')],
      );
    },

    async listByScope(scope, options = {}) {
      const limit = Math.min(Math.max(options.limit ?? 500, 1), 5000);
      const { rows } = await db.query<Row>(
        `SELECT * FROM ${TABLE} WHERE scope = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [scope, options.afterId ?? 0, limit],
      );
      return rows.map(toMessage);
    },

    async claimedProviderSids(providerSids) {
      if (providerSids.length === 0) return new Set();
      const { rows } = await db.query<{ provider_sid: string }>(
        `SELECT provider_sid FROM ${TABLE} WHERE provider_sid = ANY($1::text[])`,
        [providerSids],
      );
      return new Set(rows.map((row) => row.provider_sid));
    },
  };
  return store;
}
