import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A local HTTP server speaking enough of Twilio's Messages REST API (2010-04-01) for the real `twilio` client:
 * create (POST …/Messages.json, form-encoded → 201 JSON), fetch one, and list filtered by To/From, newest first.
 * It checks Basic auth, records every request, and can be scripted to fail the next create: a Twilio error
 * (21610, 500 …), a slow answer (the message is created at once but the response comes late — a client timeout
 * after sending), or a dropped connection before or after creating the message.
 */

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  contentSid: string | null;
  contentVariables: string | null;
  statusCallback: string | null;
  status: string;
  dateCreated: Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorized: boolean;
  at: Date;
}

/** What the next create request gets instead of a plain 201. */
export type CreateBehaviour =
  | { kind: 'error'; httpStatus: number; code: number; message?: string }
  | { kind: 'slow'; delayMs: number; createFirst?: boolean }
  | { kind: 'drop'; create: boolean };

export interface FakeTwilio {
  /** Base URL to point the client at, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: RecordedRequest[];
  readonly messages: FakeMessage[];
  /** Creates that actually made a message (requests minus errors and early drops). */
  createdCount(): number;
  /** Queues behaviours for the next create requests, in order. */
  script(...behaviours: CreateBehaviour[]): void;
  /** Forgets every request, message and scripted behaviour (between tests). */
  reset(): void;
  /** Adds a message as if created earlier (for reconciliation tests). */
  seed(message: Partial<FakeMessage> & { to: string; body: string }): FakeMessage;
  close(): Promise<void>;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Twilio's date format: `Tue, 01 Jan 2030 00:00:00 +0000`. */
function rfc2822(date: Date): string {
  return `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function toJson(m: FakeMessage) {
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateCreated),
    date_sent: null,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

function twilioError(res: ServerResponse, status: number, code: number, message: string): void {
  send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** Starts the fake on a free local port. */
export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? 'AC' + 'f'.repeat(32);
  const authToken = options.authToken ?? 'fake-auth-token-0123456789abcdef';
  const requests: RecordedRequest[] = [];
  const messages: FakeMessage[] = [];
  const queue: CreateBehaviour[] = [];
  let created = 0;
  const expectedAuth = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  const base = `/2010-04-01/Accounts/${accountSid}/Messages`;

  function create(form: Record<string, string>): FakeMessage {
    const message: FakeMessage = {
      sid: sid('SM'),
      accountSid,
      to: form.To!,
      from: form.From ?? null,
      messagingServiceSid: form.MessagingServiceSid ?? null,
      body: form.Body ?? (form.ContentSid ? `[template ${form.ContentSid}]` : ''),
      contentSid: form.ContentSid ?? null,
      contentVariables: form.ContentVariables ?? null,
      statusCallback: form.StatusCallback ?? null,
      status: form.MessagingServiceSid ? 'accepted' : 'queued',
      dateCreated: new Date(),
    };
    messages.push(message);
    created++;
    return message;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(raw));
    const authorized = req.headers.authorization === expectedAuth;
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), form, authorized, at: new Date() });
    if (!authorized) return twilioError(res, 401, 20003, 'Authenticate');

    if (req.method === 'POST' && url.pathname === `${base}.json`) {
      if (!form.To) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!form.From && !form.MessagingServiceSid) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
      if (!form.Body && !form.ContentSid) return twilioError(res, 400, 21602, 'Message body is required.');
      if ((form.Body ?? '').length > 1600) return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      const behaviour = queue.shift();
      if (!behaviour) return send(res, 201, toJson(create(form)));
      switch (behaviour.kind) {
        case 'error':
          return twilioError(res, behaviour.httpStatus, behaviour.code, behaviour.message ?? `Scripted error ${behaviour.code}`);
        case 'drop':
          if (behaviour.create) create(form);
          req.socket.destroy();
          return;
        case 'slow': {
          const message = behaviour.createFirst === false ? null : create(form);
          await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
          const late = message ?? create(form);
          if (!res.destroyed) send(res, 201, toJson(late));
          return;
        }
      }
    }

    if (req.method === 'GET' && url.pathname === `${base}.json`) {
      const to = url.searchParams.get('To');
      const from = url.searchParams.get('From');
      const pageSize = Math.min(Number(url.searchParams.get('PageSize') ?? 50) || 50, 1000);
      const found = messages
        .filter((m) => (!to || m.to === to) && (!from || m.from === from))
        .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
        .slice(0, pageSize);
      return send(res, 200, {
        messages: found.map(toJson),
        end: Math.max(found.length - 1, 0),
        first_page_uri: `${base}.json?PageSize=${pageSize}&Page=0`,
        next_page_uri: null,
        page: 0,
        page_size: pageSize,
        previous_page_uri: null,
        start: 0,
        uri: `${url.pathname}${url.search}`,
      });
    }

    const one = url.pathname.match(new RegExp(`^${base}/(SM[0-9a-f]{32})\\.json$`));
    if (req.method === 'GET' && one) {
      const message = messages.find((m) => m.sid === one[1]);
      return message ? send(res, 200, toJson(message)) : twilioError(res, 404, 20404, 'The requested resource was not found');
    }
    return twilioError(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) twilioError(res, 500, 20500, String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    messages,
    createdCount: () => created,
    script: (...behaviours) => void queue.push(...behaviours),
    reset() {
      requests.length = 0;
      messages.length = 0;
      queue.length = 0;
      created = 0;
    },
    seed(partial) {
      const message: FakeMessage = {
        sid: sid('SM'),
        accountSid,
        from: null,
        messagingServiceSid: null,
        contentSid: null,
        contentVariables: null,
        statusCallback: null,
        status: 'delivered',
        dateCreated: new Date(),
        ...partial,
      };
      messages.push(message);
      return message;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
