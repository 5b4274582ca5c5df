import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionKey, conversationKey } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import { signTwilioRequest } from '../../src/gateway/twilio/signature';
import { startSystem, type TestSystem } from '../support/system';
import { CalendarPlan } from '../conversations/calendar';
import { ChatClient } from '../conversations/chat-client';

/**
 * Operators end to end on the real dev server: a hand-off shows up in Temporal visibility and the operator API, staff
 * replies reach the customer while the assistant stays silent, hand-back returns the conversation to the assistant,
 * phone conversations are found by number, the token is required, and /openapi.json documents the HTTP contract.
 */

const TOKEN = 'test-ops-token';
const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
const PUBLIC_BASE_URL = 'https://booking.example.test';

interface Line {
  role: string;
  text: string;
  at: string;
}
interface State {
  status: string;
  needsHuman: boolean;
  hold: { bookingId: string } | null;
}
interface Listing {
  workflowId: string;
  channel: string;
  status: string;
  needsHuman: boolean;
  updatedAt: string;
}

describe('operators: hand-off, reply, hand-back, search, token', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    system.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ops = (method: string, path: string, body?: unknown) => json(method, path, body, { authorization: `Bearer ${TOKEN}` });
  const say = async (sessionId: string, text: string) => {
    const response = await json('POST', `/api/chat/sessions/${sessionId}/messages`, { text });
    expect(response.status).toBe(200);
    return (await response.json()) as { replies: { text: string }[]; state: State };
  };
  const transcript = async (sessionId: string) =>
    ((await (await system.app.request(`/api/chat/sessions/${sessionId}`)).json()) as { transcript: Line[]; state: State });
  const visible = async (query: string) => {
    const ids: string[] = [];
    for await (const wf of system.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  };
  const listed = async (query: string) => {
    const response = await ops('GET', `/api/ops/conversations?${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { conversations: Listing[] }).conversations;
  };

  it('refuses the operator API without the right bearer token', async () => {
    const wid = 'conversation:chat:00000000000000000000000000000000';
    const attempts: [string, string, unknown?][] = [
      ['GET', '/api/ops/conversations'],
      ['GET', `/api/ops/conversations/${wid}`],
      ['POST', `/api/ops/conversations/${wid}/messages`, { text: 'hi' }],
      ['POST', `/api/ops/conversations/${wid}/hand-back`],
      ['POST', '/api/ops/bookings/b1/attendance', { attended: true }],
      ['POST', '/api/ops/bookings/b1/cancel', { operator: 'Dana' }],
    ];
    for (const [method, path, body] of attempts) {
      const tries: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }];
      for (const headers of tries) {
        const response = await json(method, path, body, headers);
        expect(response.status, `${method} ${path} with ${JSON.stringify(headers)}`).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
      }
    }
    expect((await ops('GET', '/api/ops/conversations')).status).toBe(200);
  });

  it('cancels a booking as the business: the ledger, the customer and their open conversation all know', async () => {
    // A client that waits out a slow turn (202) by asking again with the same message id, as the chat page does.
    const customer = new ChatClient(system.app, '192.0.2.30');
    const sessionId = await customer.open('America/New_York');
    const day = new CalendarPlan(system.config.business).uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    expect((await customer.say(sessionId, `haircut with Alex on ${day.en} at 10am`)).state.hold).not.toBeNull();
    const booked = (await customer.say(sessionId, 'yes')).state;
    const id = booked.bookings[0]!.id;
    expect((await ops('POST', `/api/ops/bookings/${id}/cancel`, { operator: 'Dana' })).status).toBe(202);
    // Wait on the conversation's own view, the way the chat page reads it (as that customer: the rate limits are
    // per client address, and this test must not spend the other tests' allowance).
    for (;;) {
      const view = await customer.view(sessionId);
      if (view.state.bookings.find((b) => b.id === id)?.status === 'cancelled') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await system.infra.ledger.getBooking(id))?.status).toBe('cancelled');
    // The customer was told on their channel (web chat: the outbox, shown in the appointment's history).
    for (;;) {
      const rows = await system.infra.outbox.listByScope(`appointment:${id}`);
      if (rows.some((r) => r.purpose.startsWith('cancelled-by-business') && /had to cancel/.test(r.body ?? ''))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const unknown = await ops('POST', '/api/ops/bookings/no-such-booking/cancel', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('hands off to a person, relays the operator, stays silent, and answers again after hand-back', async () => {
    const created = await json('POST', '/api/chat/sessions', { timezone: 'America/New_York' });
    const { sessionId } = (await created.json()) as { sessionId: string };
    const workflowId = conversationWorkflowId('chat', chatSessionKey(system.keySecret, sessionId));

    // The customer asks for a person: the assistant says so, the conversation is flagged for staff.
    const handOff = await say(sessionId, 'I want to talk to a person');
    expect(handOff.replies.map((r) => r.text).join(' ')).toMatch(/member of our team/);
    expect(handOff.state).toMatchObject({ needsHuman: true, status: 'human' });

    // Visibility (what operators query in the Web UI) is eventually consistent: poll.
    await expect
      .poll(() => visible(`NeedsHuman = true AND ExecutionStatus = "Running" AND TaskQueue = "${system.taskQueue}"`), { timeout: 20_000, interval: 250 })
      .toContain(workflowId);
    await expect
      .poll(async () => (await listed('needsHuman=true&limit=500')).find((c) => c.workflowId === workflowId), { timeout: 20_000, interval: 250 })
      .toMatchObject({ channel: 'chat', needsHuman: true, status: 'human' });
    expect((await listed('needsHuman=false&limit=500')).map((c) => c.workflowId)).not.toContain(workflowId);
    expect((await listed('status=human&limit=500')).map((c) => c.workflowId)).toContain(workflowId);

    // The operator's view of the conversation, by workflow id.
    const viewed = await ops('GET', `/api/ops/conversations/${workflowId}`);
    expect(viewed.status).toBe(200);
    expect(((await viewed.json()) as { transcript: Line[] }).transcript.map((l) => l.text)).toContain('I want to talk to a person');

    // While waiting for staff the assistant stays silent.
    const waiting = await say(sessionId, 'Hello? Is anyone there?');
    expect(waiting.replies).toEqual([]);

    // The operator replies: it reaches the customer's chat as an operator line.
    const reply = await ops('POST', `/api/ops/conversations/${workflowId}/messages`, { text: 'Hi, this is Dana from the studio. How can I help?', operator: 'dana' });
    expect(reply.status).toBe(202);
    await expect
      .poll(async () => (await transcript(sessionId)).transcript.filter((l) => l.role === 'operator').map((l) => l.text), { timeout: 15_000, interval: 200 })
      .toEqual(['Hi, this is Dana from the studio. How can I help?']);

    // A customer message while staff have the conversation gets no assistant answer either.
    const duringTakeOver = await say(sessionId, 'I wanted to ask about a haircut next Tuesday at 10am');
    expect(duringTakeOver.replies).toEqual([]);
    expect(duringTakeOver.state).toMatchObject({ needsHuman: true, hold: null });
    const roles = (await transcript(sessionId)).transcript.map((l) => l.role);
    expect(roles.slice(-1)).toEqual(['customer']);
    // Nothing the assistant said after the hand-off announcement.
    const afterHandOff = roles.slice(roles.indexOf('assistant') + 1);
    expect(afterHandOff).not.toContain('assistant');

    // Hand-back: the assistant answers again (and holds the slot the customer asks for).
    const back = await ops('POST', `/api/ops/conversations/${workflowId}/hand-back`);
    expect(back.status).toBe(202);
    const again = await say(sessionId, 'A haircut next Tuesday at 10am');
    expect(again.replies.length).toBeGreaterThan(0);
    expect(again.state.needsHuman).toBe(false);
    expect(again.state.hold).not.toBeNull();
    await expect
      .poll(() => visible(`NeedsHuman = false AND WorkflowId = "${workflowId}"`), { timeout: 20_000, interval: 250 })
      .toEqual([workflowId]);

    // Operator actions on a conversation that does not exist are a 404, not a started workflow.
    const ghost = 'conversation:chat:ffffffffffffffffffffffffffffffff';
    expect((await ops('GET', `/api/ops/conversations/${ghost}`)).status).toBe(404);
    expect((await ops('POST', `/api/ops/conversations/${ghost}/messages`, { text: 'hello?' })).status).toBe(404);
    expect(await visible(`WorkflowId = "${ghost}"`)).toEqual([]);
  });

  it('finds an SMS conversation by the phone number, never showing the number in ids', async () => {
    const from = `+1555${String(randomBytes(3).readUIntBE(0, 3) % 10_000_000).padStart(7, '0')}`;
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: from, To: '+15550001111', Body: 'Hi, can I book a beard trim?' };
    const path = '/webhooks/twilio/messaging';
    const signature = signTwilioRequest({ authToken: TWILIO_AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL, path, params });
    const inbound = await system.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    expect(inbound.status).toBe(200);

    const expected = `conversation:sms:${conversationKey(system.keySecret, from)}`;
    await expect
      .poll(async () => (await listed(`address=${encodeURIComponent(from)}`)).map((c) => [c.workflowId, c.channel]), { timeout: 20_000, interval: 250 })
      .toEqual([[expected, 'sms']]);
    expect(expected).not.toContain(from.slice(1));
    // Formatting an operator might type finds the same conversation; another number finds nothing.
    const pretty = `${from.slice(0, 2)} (${from.slice(2, 5)}) ${from.slice(5, 8)}-${from.slice(8)}`;
    expect((await listed(`address=${encodeURIComponent(pretty)}`)).map((c) => c.workflowId)).toEqual([expected]);
    expect(await listed(`address=${encodeURIComponent('+15550009999')}`)).toEqual([]);
    const bad = await ops('GET', `/api/ops/conversations?address=${encodeURIComponent('not a number')}`);
    expect(bad.status).toBe(400);

    // The operator reads the SMS conversation through the API by its opaque id.
    await expect
      .poll(async () => ((await (await ops('GET', `/api/ops/conversations/${expected}`)).json()) as { transcript?: Line[] }).transcript?.[0]?.text, { timeout: 15_000 })
      .toBe('Hi, can I book a beard trim?');
  });

  it('documents every route of the HTTP contract in /openapi.json', async () => {
    const response = await system.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const contract: [string, string][] = [
      ['post', '/api/chat/sessions'],
      ['post', '/api/chat/sessions/{id}/messages'],
      ['get', '/api/chat/sessions/{id}'],
      ['get', '/api/chat/sessions/{id}/events'],
      ['get', '/api/chat/sessions/{id}/manage-link'],
      ['get', '/manage/{token}'],
      ['get', '/'],
      ['post', '/webhooks/twilio/messaging'],
      ['post', '/webhooks/twilio/voice'],
      ['get', '/api/ops/conversations'],
      ['get', '/api/ops/conversations/{workflowId}'],
      ['post', '/api/ops/conversations/{workflowId}/messages'],
      ['post', '/api/ops/conversations/{workflowId}/hand-back'],
      ['post', '/api/ops/bookings/{id}/attendance'],
      ['post', '/api/ops/bookings/{id}/cancel'],
      ['get', '/healthz'],
      ['get', '/openapi.json'],
    ];
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const missing = contract.map(([m, p]) => `${m.toUpperCase()} ${p}`).filter((route) => !documented.includes(route));
    expect(missing).toEqual([]);
    const listParams = (doc.paths['/api/ops/conversations']?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['status', 'needsHuman', 'address']));
  });
});
