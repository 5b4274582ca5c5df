import path from 'node:path';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { openLedger } from './adapters/ledger/ledger-factory';
import { createOutboxStore, type OutboxStore } from './adapters/outbox/outbox-store';
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
import { createLocalSender } from './adapters/outbox/local-sender';
import { createLocalEmailSender } from './adapters/email/local-email-sender';
import { createOfflineModel } from './adapters/offline-model';
import type { Config } from './config';
import type { LanguageModel } from './domain/model';

/**
 * The composition root: the one place that picks adapters from the configuration (PGlite or Postgres, Twilio or the
 * local outbox, an OpenAI-compatible model or the offline interpreter) and hands them to the activities. The vendor
 * clients (twilio, openai, googleapis) are loaded only when configured: together they cost seconds at start-up,
 * and a worker restarted after a crash should be polling in as little time as it can.
 */
export async function openInfrastructure(config: Config, logger: Logger) {
  const ledger = await openLedger({ databaseUrl: config.env.DATABASE_URL, dataDir: path.join(config.env.DATA_DIR, 'ledger') });
  const outbox = createOutboxStore(ledger.sql);
  const { accountSid, authToken, from, apiBaseUrl } = config.twilio;
  const sender =
    accountSid && authToken && from
      ? (await import('./adapters/twilio/twilio-sender')).createTwilioSender({
          accountSid,
          authToken,
          from,
          baseUrl: apiBaseUrl,
          logger,
          statusCallbackUrl: config.twilio.publicBaseUrl ? new URL('/webhooks/twilio/status', config.twilio.publicBaseUrl).toString() : undefined,
        })
      : createLocalSender(logger);
  const model: LanguageModel =
    config.model.kind === 'openai'
      ? (await import('./adapters/openai-model')).createOpenAiModel({ baseURL: config.model.baseURL, apiKey: config.model.apiKey, model: config.model.model })
      : createOfflineModel(config.business);
  const calendarSync = config.env.GOOGLE_CALENDAR_ID
    ? (await import('./adapters/google-calendar')).createGoogleCalendarSync({ calendarId: config.env.GOOGLE_CALENDAR_ID, zone: config.business.timezone })
    : undefined;
  // Email: SMTP when SMTP_URL is set, otherwise the local outbox (nodemailer loads only when configured).
  const email = config.email.smtpUrl
    ? (await import('./adapters/email/smtp-sender')).createSmtpSender({ url: config.email.smtpUrl, from: config.email.from, logger })
    : createLocalEmailSender(logger);
  const activities = createActivities({
    ledger,
    outbox,
    sender,
    model,
    localModel: config.model.kind === 'offline',
    business: config.business,
    logger,
    calendarSync,
    email,
    mailFrom: config.email.from,
  });
  return {
    ledger,
    outbox,
    activities,
    close: () => ledger.close(),
  };
}

export type Infrastructure = Awaited<ReturnType<typeof openInfrastructure>>;

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
    turnWaitMs: 15_000,
    opsToken: config.env.OPS_TOKEN,
    // Signatures are computed over the public URL; locally that is this gateway's own port.
    twilio: { authToken: config.twilio.authToken, publicBaseUrl: config.twilio.publicBaseUrl ?? `http://localhost:${config.env.PORT}` },
    outbox,
    codecServer: codecServerSettings(config),
    histories: createHistoryEraser(client),
  };
}
