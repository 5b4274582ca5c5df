import type { Logger } from 'pino';
import type { Business } from '../domain/booking/business';
import type { Conversations } from '../adapters/temporal/conversations';
import type { OutboxStore } from '../adapters/outbox/outbox-store';
import type { CodecServerSettings } from './codec/routes';

/** What the HTTP layer needs from the rest of the system; built once by the composition root. */
export interface GatewayDeps {
  conversations: Conversations;
  business: Business;
  keySecret: string;
  logger: Logger;
  /** How long a chat POST waits for the assistant before answering 202. */
  turnWaitMs: number;
  /** Bearer token of the operator API; unset: the operator API refuses every request. */
  opsToken?: string;
  /** Operator API: list conversations from Temporal visibility. */
  visibility?: {
    list(query: string, limit: number): Promise<{ workflowId: string; channel: string; status: string; needsHuman: boolean; updatedAt: string }[]>;
  };
  twilio?: { authToken?: string; publicBaseUrl?: string };
  /** Where Twilio delivery status callbacks are recorded (the worker's database); unset: acknowledged only. */
  outbox?: Pick<OutboxStore, 'recordStatus'>;
  /** Server-sent events poll the transcript this often. */
  eventsPollMs?: number;
  /** The codec server for the Temporal Web UI (/codec); unset: /codec answers 404. */
  codecServer?: CodecServerSettings;
}
