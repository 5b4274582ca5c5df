import path from 'node:path';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { openLedger } from './adapters/ledger/ledger-factory';
import { createOutboxStore } from './adapters/outbox/outbox-store';
import { createLocalSender } from './adapters/outbox/local-sender';
import { createLocalEmailSender } from './adapters/email/local-email-sender';
import { createOfflineModel } from './adapters/offline-model';
import type { Config } from './config';
import type { LanguageModel } from './domain/model';

/**
 * The composition root: the one place that picks adapters from the configuration (PGlite or Postgres, Twilio or the
 * local outbox, an OpenAI-compatible model or the offline interpreter) and hands them to the activities. The vendor
 * clients (twilio, openai, googleapis) are loaded only when configured: together they cost seconds at start-up,
 * and a worker restarted after a crash should be polling in as little time as it can. For the same reason this file
 * imports nothing of the gateway's or of the workflows' module graph (src/composition.ts has the gateway's half).
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
