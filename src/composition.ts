import path from 'node:path';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { openLedger } from './adapters/ledger/ledger-factory';
import { createOutboxStore } from './adapters/outbox/outbox-store';
import { createLocalSender } from './adapters/outbox/local-sender';
import { createTwilioSender } from './adapters/twilio/twilio-sender';
import { createOfflineModel } from './adapters/offline-model';
import { createOpenAiModel } from './adapters/openai-model';
import type { Config } from './config';
import { createGoogleCalendarSync } from './adapters/google-calendar';
import type { LanguageModel } from './domain/model';

/**
 * The composition root: the one place that picks adapters from the configuration (PGlite or Postgres, Twilio or the
 * local outbox, an OpenAI-compatible model or the offline interpreter) and hands them to the activities.
 */
export async function openInfrastructure(config: Config, logger: Logger) {
  const ledger = await openLedger({ databaseUrl: config.env.DATABASE_URL, dataDir: path.join(config.env.DATA_DIR, 'ledger') });
  const outbox = createOutboxStore(ledger.sql);
  const { accountSid, authToken, from, apiBaseUrl } = config.twilio;
  const sender =
    accountSid && authToken && from
      ? createTwilioSender({
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
      ? createOpenAiModel({ baseURL: config.model.baseURL, apiKey: config.model.apiKey, model: config.model.model })
      : createOfflineModel(config.business);
  const calendarSync = config.env.GOOGLE_CALENDAR_ID
    ? createGoogleCalendarSync({ calendarId: config.env.GOOGLE_CALENDAR_ID, zone: config.business.timezone })
    : undefined;
  const activities = createActivities({ ledger, outbox, sender, model, business: config.business, logger, calendarSync });
  return {
    ledger,
    outbox,
    activities,
    close: () => ledger.close(),
  };
}

export type Infrastructure = Awaited<ReturnType<typeof openInfrastructure>>;
