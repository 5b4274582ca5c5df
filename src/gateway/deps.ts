import type { Logger } from 'pino';
import type { Business } from '../domain/booking/business';
import type { PhoneConversationsPort } from '../domain/messaging/inbound';
import type { Addressing, ConversationFinder, ManageLinks, ConversationsPort, DeliveryStatusRecorder } from './ports';
import type { CodecServerSettings } from './codec/routes';
import type { StaffDeskDeps } from './staff/routes';
import type { CustomerRecordsPort, HistoryErasurePort } from './ops/forget';

/**
 * What the HTTP layer needs from the rest of the system, as the ports it declares (./ports.ts); built once by the
 * composition root, where the adapters are checked against them by shape.
 */
export interface GatewayDeps {
  conversations: ConversationsPort;
  /** SMS, WhatsApp and voice into conversations: the Twilio routes' door. */
  phoneConversations: PhoneConversationsPort;
  addressing: Addressing;
  /** Signed "manage my booking" links back into a chat session. */
  manageLinks: ManageLinks;
  business: Business;
  logger: Logger;
  /** How long a chat POST waits for the assistant before answering 202. */
  turnWaitMs: number;
  /** Bearer token of the operator API; unset: the operator API refuses every request. */
  opsToken?: string;
  /** Operator API: list conversations from Temporal visibility. */
  visibility?: ConversationFinder;
  twilio?: { authToken?: string; publicBaseUrl?: string };
  /** Where Twilio delivery status callbacks are recorded (the worker's database); unset: acknowledged only. */
  outbox?: DeliveryStatusRecorder;
  /** Server-sent events poll the transcript this often. */
  eventsPollMs?: number;
  /** The codec server for the Temporal Web UI (/codec); unset: /codec answers 404. */
  codecServer?: CodecServerSettings;
  /** The staff desk (/staff); unset where the ledger is out of reach (a lone gateway on PGlite): the page says so. */
  staffDesk?: StaffDeskDeps;
  /** Forgetting a customer: their rows in the worker's database; unset (a lone gateway on PGlite): refused with 503. */
  customerRecords?: CustomerRecordsPort;
  /** Forgetting a customer: their workflow histories in Temporal. */
  histories?: HistoryErasurePort;
}
