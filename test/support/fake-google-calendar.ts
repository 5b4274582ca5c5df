import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking the slice of the Google Calendar v3 REST API the CalendarSync adapter uses (events list with
 * paging, insert with client ids and 409 on a duplicate, get, update, delete with 410 for a deleted event). It stands
 * in for Google, not for our code: the adapter's real googleapis client talks to it over HTTP via `rootUrl`.
 */
export interface FakeEvent {
  id: string;
  status?: string;
  summary?: string;
  transparency?: string;
  start: { dateTime?: string; date?: string };
  end: { dateTime?: string; date?: string };
  extendedProperties?: { private?: Record<string, string> };
}

export interface FakeGoogleCalendar {
  rootUrl: string;
  calendarId: string;
  events: Map<string, FakeEvent>;
  /** Every request as "METHOD path", for assertions. */
  requests: string[];
  close(): Promise<void>;
}

const PAGE_SIZE = 2;

export async function startFakeGoogleCalendar(calendarId = 'studio@example.com'): Promise<FakeGoogleCalendar> {
  const events = new Map<string, FakeEvent>();
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => resolve(text));
    });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const error = (status: number, message: string) => send(status, { error: { code: status, message, errors: [{ message }] } });
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match || decodeURIComponent(match[1]!) !== calendarId) return error(404, 'Not Found');
    const eventId = match[2] ? decodeURIComponent(match[2]) : undefined;

    if (req.method === 'GET' && !eventId) {
      const timeMin = Date.parse(url.searchParams.get('timeMin') ?? '1970-01-01T00:00:00Z');
      const timeMax = Date.parse(url.searchParams.get('timeMax') ?? '2100-01-01T00:00:00Z');
      const at = (t: { dateTime?: string; date?: string }) => Date.parse(t.dateTime ?? `${t.date}T00:00:00Z`);
      const matching = [...events.values()]
        .filter((e) => e.status !== 'cancelled' && at(e.start) < timeMax && at(e.end) > timeMin)
        .sort((a, b) => at(a.start) - at(b.start));
      const offset = Number(url.searchParams.get('pageToken') ?? 0);
      const page = matching.slice(offset, offset + PAGE_SIZE);
      const next = offset + PAGE_SIZE < matching.length ? String(offset + PAGE_SIZE) : undefined;
      return send(200, { kind: 'calendar#events', items: page, ...(next ? { nextPageToken: next } : {}) });
    }
    if (req.method === 'POST' && !eventId) {
      const event = JSON.parse(body) as FakeEvent;
      if (!/^[a-v0-9]{5,1024}$/.test(event.id)) return error(400, 'Invalid resource id value.');
      if (events.has(event.id)) return error(409, 'The requested identifier already exists.');
      events.set(event.id, { status: 'confirmed', ...event });
      return send(200, events.get(event.id));
    }
    const existing = eventId ? events.get(eventId) : undefined;
    if (req.method === 'GET' && eventId) return existing ? send(200, existing) : error(404, 'Not Found');
    if (req.method === 'PUT' && eventId) {
      if (!existing) return error(404, 'Not Found');
      events.set(eventId, { ...(JSON.parse(body) as FakeEvent), id: eventId });
      return send(200, events.get(eventId));
    }
    if (req.method === 'DELETE' && eventId) {
      if (!existing) return error(404, 'Not Found');
      if (existing.status === 'cancelled') return error(410, 'Resource has been deleted');
      existing.status = 'cancelled'; // Google keeps deleted events as cancelled: their ids stay taken
      res.writeHead(204);
      return res.end();
    }
    return error(405, 'Method not allowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    rootUrl: `http://127.0.0.1:${port}/`,
    calendarId,
    events,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
