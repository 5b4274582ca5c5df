import type { Logger } from 'pino';
import type { OutboxStore } from './adapters/outbox/outbox-store';
import type { Client } from '@temporalio/client';
import { Conversations } from './adapters/temporal/conversations';
import { createVisibility } from './adapters/temporal/visibility';
import { loadKeySecret } from './adapters/key-secret';
import { createAddressing } from './adapters/addressing';
import { createManageLinks } from './adapters/manage-links';
import { createPhoneConversations } from './adapters/temporal/phone-conversations';
import type { GatewayDeps } from './gateway/deps';
import { codecServerSettings } from './codec-server-settings';
import { createHistoryEraser } from './adapters/temporal/history-eraser';
import type { Config } from './config';
import { chatTurnWaitMs } from './gateway/chat/acknowledgement';

/**
 * The composition root: the worker's half (the ledger, the vendor adapters and the activities) is in
 * ./infrastructure.ts, which the worker imports alone; the gateway's half (Temporal clients, addressing, visibility) is
 * here, and would cost a restarted worker the whole workflow module graph to load.
 */
export { openInfrastructure, type Infrastructure } from './infrastructure';

/** The gateway's ports into Temporal, under one key secret (tests that build a second gateway use this too). */
export function gatewayPorts(client: Client, taskQueue: string, keySecret: string) {
  const conversations = new Conversations(client, taskQueue);
  const addressing = createAddressing(keySecret);
  return {
    conversations,
    phoneConversations: createPhoneConversations(conversations, addressing),
    addressing,
    manageLinks: createManageLinks(keySecret),
    visibility: createVisibility(client, taskQueue),
  } satisfies Partial<GatewayDeps>;
}

/**
 * What the gateway needs, from the configuration and a Temporal client: the same in `npm start` and `npm run gateway`.
 * `outbox` is where Twilio delivery statuses are stored (the worker's database), when this process can reach it.
 */
export function gatewayDeps(
  config: Config,
  client: Client,
  logger: Logger,
  outbox?: OutboxStore,
  taskQueue: string = config.temporal.taskQueue,
): GatewayDeps {
  return {
    ...gatewayPorts(client, taskQueue, loadKeySecret(config.env.KEY_SECRET, config.env.DATA_DIR)),
    business: config.business,
    logger,
    turnWaitMs: chatTurnWaitMs(config.business),
    opsToken: config.env.OPS_TOKEN,
    // Signatures are computed over the public URL; locally that is this gateway's own port.
    twilio: { authToken: config.twilio.authToken, publicBaseUrl: config.twilio.publicBaseUrl ?? `http://localhost:${config.env.PORT}` },
    outbox,
    codecServer: codecServerSettings(config),
    histories: createHistoryEraser(client),
  };
}
