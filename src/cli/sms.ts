/**
 * `npm run -s sms -- --from <E.164> "<text>"`
 *
 * The SMS path without a Twilio account: sends one inbound SMS to the running gateway exactly as Twilio would
 * (form-encoded, `MessageSid` "SM" + 32 hex, `X-Twilio-Signature` over PUBLIC_BASE_URL + path under
 * TWILIO_AUTH_TOKEN), then prints the replies the conversation sends back, one per line on stdout, as they reach the
 * outbox. Diagnostics go to stderr, so `npm run -s sms -- … > replies.txt` keeps only the replies.
 *
 * It needs no database access: replies are read through the operator API (bearer OPS_TOKEN) — the conversation is
 * found by phone number (`GET /api/ops/conversations?address=`) and its transcript read
 * (`GET /api/ops/conversations/:workflowId`). Every assistant (or staff) line after this message is a reply that went
 * to the outbox.
 *
 * Environment: GATEWAY_URL (default `http://localhost:${PORT:-3000}`), PUBLIC_BASE_URL (default the gateway URL; must
 * be what the gateway checks signatures against), TWILIO_AUTH_TOKEN, OPS_TOKEN, TWILIO_FROM (the business number,
 * `To`), TWILIO_ACCOUNT_SID (optional).
 * Options: `--from` (required; `whatsapp:+…` sends a WhatsApp message instead), `--to`, `--wait <seconds>` (default 30).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { signTwilioRequest, webhookUrl } from '../gateway/twilio/signature';
import { formatAddress, tryParseAddress, type PhoneAddress } from '../domain/messaging/address';
import { classifyKeyword } from '../domain/messaging/opt-out';

const USAGE = 'usage: npm run -s sms -- --from +15551234567 [--to +15550001111] [--wait 30] "I\'d like a haircut on Friday at 3pm"';
const MESSAGING_PATH = '/webhooks/twilio/messaging';
/** Twilio's magic "from" test number: a sensible `To` when TWILIO_FROM is not set. */
const DEFAULT_BUSINESS_NUMBER = '+15005550006';

/** A problem the user can fix; printed as one line. `usage` failures also print the usage line. */
export class SmsCliError extends Error {
  override name = 'SmsCliError';
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

export interface SmsOptions {
  /** Where the gateway listens, e.g. `http://localhost:3000`. */
  gatewayUrl: string;
  /** What the gateway checks signatures against (its PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** True when PUBLIC_BASE_URL was not set and the gateway URL stands in for it (said in a signature error). */
  publicBaseUrlGuessed: boolean;
  authToken: string;
  opsToken: string;
  accountSid: string;
  from: PhoneAddress;
  /** The business number, formatted for the channel of `from`. */
  to: string;
  text: string;
  /** How long to wait for the conversation's replies. */
  waitMs: number;
  /** Replies are complete when the transcript has not changed for this long after the first one. */
  settleMs: number;
  /** Polling interval of the operator API. */
  pollMs: number;
}

/** Reads the command line and the environment; throws {@link SmsCliError} naming what is missing. */
export function parseSmsArgs(argv: readonly string[], env: Record<string, string | undefined>): SmsOptions {
  const values: Record<string, string> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = arg.match(/^--(from|to|wait)=(.*)$/s);
    if (inline) values[inline[1]!] = inline[2]!;
    else if (/^--(from|to|wait)$/.test(arg)) {
      const value = argv[i + 1];
      if (value === undefined) throw new SmsCliError(`${arg} needs a value`, true);
      values[arg.slice(2)] = value;
      i++;
    } else if (arg === '--') continue;
    else if (arg.startsWith('--')) throw new SmsCliError(`unknown option ${arg}`, true);
    else words.push(arg);
  }

  if (!values.from) throw new SmsCliError('--from is required: the customer number the SMS comes from, e.g. --from +15551234567', true);
  const from = tryParseAddress(values.from);
  if (!from) throw new SmsCliError(`--from ${JSON.stringify(values.from)} is not a phone number; use E.164 such as +15551234567 (or whatsapp:+15551234567)`, true);
  const text = words.join(' ').trim();
  if (text === '') throw new SmsCliError('no message text: put the text after the options, in quotes', true);
  if (text.length > 1600) throw new SmsCliError(`the text is ${text.length} characters; an SMS body is at most 1600`, true);

  const toRaw = values.to ?? env.TWILIO_FROM ?? DEFAULT_BUSINESS_NUMBER;
  const to = tryParseAddress(toRaw);
  if (!to) throw new SmsCliError(`--to/TWILIO_FROM ${JSON.stringify(toRaw)} is not a phone number; use E.164 such as +15550001111`, true);

  const waitSeconds = values.wait === undefined ? 30 : Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds <= 0 || waitSeconds > 600) throw new SmsCliError('--wait must be a number of seconds between 1 and 600', true);

  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  if (!authToken) throw new SmsCliError('TWILIO_AUTH_TOKEN is not set: use the same value the gateway runs with, so the request is signed as Twilio would sign it');
  const opsToken = env.OPS_TOKEN?.trim();
  if (!opsToken) throw new SmsCliError("OPS_TOKEN is not set: replies are read through the operator API; use the gateway's OPS_TOKEN");

  const gatewayUrl = (env.GATEWAY_URL?.trim() || `http://localhost:${env.PORT?.trim() || '3000'}`).replace(/\/+$/, '');
  if (!URL.canParse(gatewayUrl)) throw new SmsCliError(`GATEWAY_URL ${JSON.stringify(gatewayUrl)} is not a URL; e.g. http://localhost:3000`);
  const publicBaseUrl = env.PUBLIC_BASE_URL?.trim() || gatewayUrl;
  if (!URL.canParse(publicBaseUrl)) throw new SmsCliError(`PUBLIC_BASE_URL ${JSON.stringify(publicBaseUrl)} is not a URL; e.g. https://booking.example.com`);

  return {
    gatewayUrl,
    publicBaseUrl,
    publicBaseUrlGuessed: !env.PUBLIC_BASE_URL?.trim(),
    authToken,
    opsToken,
    accountSid: env.TWILIO_ACCOUNT_SID?.trim() || `AC${'0'.repeat(32)}`,
    from,
    to: formatAddress({ channel: from.channel, e164: to.e164 }),
    text,
    waitMs: waitSeconds * 1000,
    settleMs: 2000,
    pollMs: 250,
  };
}

/** A fresh Twilio message SID: "SM" + 32 hex digits. */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** The form fields Twilio posts for an inbound SMS (or WhatsApp) message without media. */
export function inboundSmsForm(fields: { messageSid: string; accountSid: string; from: string; to: string; body: string }): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: fields.messageSid,
    NumMedia: '0',
    SmsSid: fields.messageSid,
    SmsStatus: 'received',
    Body: fields.body,
    To: fields.to,
    NumSegments: '1',
    MessageSid: fields.messageSid,
    AccountSid: fields.accountSid,
    From: fields.from,
    ApiVersion: '2010-04-01',
  };
}

type Fetch = typeof fetch;

interface TranscriptLine {
  role: 'customer' | 'assistant' | 'operator';
  text: string;
  at: string;
}

/** Talks to the gateway; every failure becomes one readable {@link SmsCliError}. */
class Gateway {
  constructor(
    private readonly options: SmsOptions,
    private readonly fetchImpl: Fetch,
  ) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const url = `${this.options.gatewayUrl}${path}`;
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new SmsCliError(`cannot reach the gateway at ${this.options.gatewayUrl} (${why}): start it with \`npm start\`, or set GATEWAY_URL`);
    }
  }

  private async ops<T>(path: string): Promise<T | null> {
    const res = await this.call(path, { headers: { authorization: `Bearer ${this.options.opsToken}` } });
    if (res.status === 404) return null;
    if (res.status === 401) {
      const code = await errorCode(res);
      throw new SmsCliError(
        code === 'ops_disabled'
          ? 'the gateway has no OPS_TOKEN, so its operator API (used to read replies) is off: restart it with OPS_TOKEN set'
          : "the gateway refused OPS_TOKEN (401): use the OPS_TOKEN the gateway runs with",
      );
    }
    if (!res.ok) throw new SmsCliError(`the operator API answered ${res.status} for ${path}: ${await errorText(res)}`);
    return (await res.json()) as T;
  }

  /** The workflow id of this number's conversation on its channel, or null when there is none yet. */
  async findConversation(): Promise<string | null> {
    const address = formatAddress(this.options.from);
    const listing = await this.ops<{ conversations: { workflowId: string }[] }>(`/api/ops/conversations?address=${encodeURIComponent(address)}`);
    const prefix = `conversation:${this.options.from.channel}:`;
    return listing?.conversations.find((c) => c.workflowId.startsWith(prefix))?.workflowId ?? null;
  }

  async transcript(workflowId: string): Promise<TranscriptLine[] | null> {
    const view = await this.ops<{ transcript: TranscriptLine[] }>(`/api/ops/conversations/${encodeURIComponent(workflowId)}`);
    return view?.transcript ?? null;
  }

  /** Posts the signed webhook; returns the MessageSid. */
  async sendInbound(): Promise<{ messageSid: string; signedUrl: string }> {
    const { options } = this;
    const messageSid = newMessageSid();
    const params = inboundSmsForm({ messageSid, accountSid: options.accountSid, from: formatAddress(options.from), to: options.to, body: options.text });
    const signature = signTwilioRequest({ authToken: options.authToken, publicBaseUrl: options.publicBaseUrl, path: MESSAGING_PATH, params });
    const res = await this.call(MESSAGING_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'user-agent': 'TwilioProxy/1.1 (npm run sms)' },
      body: new URLSearchParams(params).toString(),
    });
    const signedUrl = webhookUrl(options.publicBaseUrl, MESSAGING_PATH);
    if (res.ok) return { messageSid, signedUrl };
    const code = res.status === 403 ? await errorCode(res.clone()) : null;
    if (code === 'invalid_signature') {
      const guessed = options.publicBaseUrlGuessed ? ' (PUBLIC_BASE_URL is not set here, so the gateway URL stood in for it)' : '';
      throw new SmsCliError(
        `the gateway refused the signature (403): it was computed for ${signedUrl}${guessed}; TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL must be the gateway's own`,
      );
    }
    if (code === 'twilio_not_configured') throw new SmsCliError('the gateway has no TWILIO_AUTH_TOKEN, so it refuses every Twilio webhook: restart it with TWILIO_AUTH_TOKEN set');
    throw new SmsCliError(`the gateway answered ${res.status}: ${await errorText(res)}`);
  }
}

async function errorCode(res: Response): Promise<string | null> {
  try {
    return ((await res.json()) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (parsed.error) return `${parsed.error.code}: ${parsed.error.message}`;
  } catch {
    // not JSON: show the start of it
  }
  return text.slice(0, 200) || '(empty body)';
}

/**
 * The lines that arrived after `baseline`, found by the baseline's last line (the transcript is capped, so positions
 * shift once it is full). When that line is gone — a new workflow run after the old one went idle — all are new.
 */
function linesAfter(current: TranscriptLine[], baseline: TranscriptLine[]): TranscriptLine[] {
  const last = baseline.at(-1);
  if (!last) return current;
  for (let i = current.length - 1; i >= 0; i--) {
    const line = current[i]!;
    if (line.role === last.role && line.text === last.text && line.at === last.at) return current.slice(i + 1);
  }
  return current;
}

export interface SmsRunResult {
  messageSid: string;
  workflowId: string | null;
  replies: string[];
  /** False when the message never showed up in the conversation within the wait. */
  delivered: boolean;
}

/**
 * Sends the SMS and waits for the replies, calling `onReply` for each as it appears. Ends when the replies have
 * settled, at once for an opt-out keyword (nothing is sent after STOP), or after `waitMs`.
 */
export async function runSms(
  options: SmsOptions,
  io: { onReply: (text: string) => void; onInfo: (text: string) => void; fetch?: Fetch; sleep?: (ms: number) => Promise<void> },
): Promise<SmsRunResult> {
  const gateway = new Gateway(options, io.fetch ?? fetch);
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const known = await gateway.findConversation();
  const baseline = (known ? await gateway.transcript(known) : null) ?? [];

  const { messageSid, signedUrl } = await gateway.sendInbound();
  io.onInfo(`sent ${messageSid} from ${formatAddress(options.from)} (signed for ${signedUrl}); waiting for replies…`);
  const expectNoReply = classifyKeyword(options.text, { optedOut: false }) === 'opt_out';

  const deadline = Date.now() + options.waitMs;
  let workflowId: string | null = known;
  let delivered = false;
  const replies: string[] = [];
  let lastChange = Date.now();
  while (Date.now() < deadline) {
    workflowId ??= await gateway.findConversation();
    const transcript = workflowId ? await gateway.transcript(workflowId) : null;
    if (transcript) {
      const fresh = linesAfter(transcript, baseline);
      const mine = fresh.findIndex((line) => line.role === 'customer' && line.text === options.text);
      if (mine >= 0) {
        if (!delivered) lastChange = Date.now();
        delivered = true;
        const answers = fresh.slice(mine + 1).filter((line) => line.role !== 'customer');
        for (const line of answers.slice(replies.length)) {
          const text = line.role === 'operator' ? `[staff] ${line.text}` : line.text;
          replies.push(text);
          io.onReply(text);
          lastChange = Date.now();
        }
        const settled = Date.now() - lastChange >= options.settleMs;
        if (settled && (replies.length > 0 || expectNoReply)) break;
      }
    }
    await sleep(options.pollMs);
  }
  return { messageSid, workflowId, replies, delivered };
}

async function main(): Promise<void> {
  let options: SmsOptions;
  try {
    options = parseSmsArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof SmsCliError && error.usage) {
      process.stderr.write(`sms: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  const result = await runSms(options, {
    onReply: (text) => process.stdout.write(`${text}\n`),
    onInfo: (text) => process.stderr.write(`${text}\n`),
  });
  const seconds = Math.round(options.waitMs / 1000);
  if (!result.delivered) {
    throw new SmsCliError(`the gateway took ${result.messageSid} but it did not reach a conversation within ${seconds} s: is the worker running?`);
  }
  if (result.replies.length === 0) {
    process.stderr.write(
      classifyKeyword(options.text, { optedOut: false }) === 'opt_out'
        ? 'opted out: no reply is sent after STOP (send START to opt back in)\n'
        : `no reply within ${seconds} s (the number may be opted out, or staff have the conversation)\n`,
    );
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  main().catch((error: unknown) => {
    if (error instanceof SmsCliError) process.stderr.write(`sms: ${error.message}\n`);
    else process.stderr.write(`sms: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
