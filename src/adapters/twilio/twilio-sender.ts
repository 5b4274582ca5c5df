import twilio from 'twilio';
import type { Logger } from 'pino';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { fromTwilioStatus } from '../../domain/messaging/delivery-status';
import { formatAddress } from '../../domain/messaging/address';
import type { MessageSender, OutboundMessage, Submitted } from '../outbox/message-sender';
import { classifyTwilioError } from './twilio-errors';

/**
 * Sends SMS and WhatsApp through Twilio's REST API with the official client. Its automatic retry is off (the
 * activity decides about retries, after reconciling), every call has a bounded timeout, and `baseUrl` redirects
 * every request to another host — a local fake in tests. (`edge`/`region` only rewrite `*.twilio.com` hostnames,
 * so the redirect is done in the HTTP client the twilio package lets us supply.)
 */

export interface TwilioSenderConfig {
  accountSid: string;
  authToken: string;
  /** E.164 sender number, or a Messaging Service SID (`MG…`). */
  from: string;
  /** WhatsApp sender (`whatsapp:+1…`); default: `whatsapp:` + `from` when `from` is a number. */
  whatsappFrom?: string;
  /** Send every API request here instead of `https://*.twilio.com` (scheme, host, port, optional path prefix). */
  baseUrl?: string;
  /** Full URL of the status-callback webhook; `?outboxId=<id>` is appended per message. */
  statusCallbackUrl?: string;
  /** Per request, default 10 s. Keep it well under the activity's start-to-close timeout. */
  timeoutMs?: number;
  logger?: Logger;
}

/** The twilio package's own HTTP client, with every request's origin swapped for `target`. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly target: URL,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const uri = new URL(options.uri);
    uri.protocol = this.target.protocol;
    uri.host = this.target.host;
    uri.pathname = this.target.pathname.replace(/\/+$/, '') + uri.pathname;
    return super.request<TData>({ ...options, uri: uri.href });
  }
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** A {@link MessageSender} over Twilio. Construction makes no request. */
export function createTwilioSender(config: TwilioSenderConfig): MessageSender {
  const timeout = config.timeoutMs ?? 10_000;
  const clientOptions = { timeout, autoRetry: false, keepAlive: false };
  const target = config.baseUrl ? new URL(config.baseUrl) : null;
  const httpClient =
    target && target.hostname !== 'api.twilio.com'
      ? new RedirectingRequestClient(target, clientOptions)
    : new twilio.RequestClient(clientOptions);
  const client = twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false, timeout });
  const viaService = MESSAGING_SERVICE_SID.test(config.from);

  function sender(message: OutboundMessage): { from?: string; messagingServiceSid?: string } {
    if (viaService) return { messagingServiceSid: config.from };
    if (message.channel === 'whatsapp') return { from: config.whatsappFrom ?? `whatsapp:${config.from.replace(/^whatsapp:/, '')}` };
    return { from: config.from };
  }

  function statusCallback(message: OutboundMessage): string | undefined {
    if (!config.statusCallbackUrl) return undefined;
    const url = new URL(config.statusCallbackUrl);
    url.searchParams.set('outboxId', String(message.outboxId));
    return url.href;
  }

  return {
    mode: 'twilio',

    async submit(message) {
      const to = formatAddress({ channel: message.channel, e164: message.to });
      const content = message.template
        ? { contentSid: message.template.contentSid, contentVariables: JSON.stringify(message.template.variables) }
        : { body: message.body ?? '' };
      try {
        const created = await client.messages.create({ to, ...sender(message), ...content, statusCallback: statusCallback(message) });
        return {
          providerSid: created.sid,
          status: fromTwilioStatus(created.status) ?? 'queued',
          createdAt: created.dateCreated?.toISOString(),
        };
      } catch (error) {
        const failure = classifyTwilioError(error);
        config.logger?.warn({ outboxId: message.outboxId, kind: failure.kind, code: failure.code }, failure.message);
        throw failure;
      }
    },

    async findSubmitted(message, since) {
      const to = formatAddress({ channel: message.channel, e164: message.to });
      const { from } = sender(message);
      let listed;
      try {
        listed = await client.messages.list({ to, ...(from ? { from } : {}), limit: 50 });
      } catch (error) {
        throw classifyTwilioError(error);
      }
      // Twilio's dates have one-second resolution.
      const earliest = since.getTime() - 1000;
      return listed
        .filter((m) => m.direction !== 'inbound' && m.dateCreated && m.dateCreated.getTime() >= earliest)
        .filter((m) => message.template !== undefined || (m.body ?? '') === (message.body ?? ''))
        .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
        .map(
          (m): Submitted & { providerSid: string } => ({
            providerSid: m.sid,
            status: fromTwilioStatus(m.status) ?? 'queued',
            createdAt: m.dateCreated.toISOString(),
          }),
        );
    },
  };
}
