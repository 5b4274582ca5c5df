import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionKey } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import { waitFor } from '../support/patience';
import { startSystem, type TestSystem } from '../support/system';
import { listedIds, workflowsStartedBy } from '../support/visibility';

/**
 * The thin slice on the real dev server: a chat message through the gateway, update-with-start into a conversation
 * workflow, the model activity (offline interpreter), and back as the reply; the workflow is listed by visibility.
 */
describe('web chat through a real Temporal dev server', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const post = (path: string, body?: unknown) =>
    system.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('answers a chat message from a real workflow and keeps the transcript', async () => {
    const created = await post('/api/chat/sessions', { timezone: 'America/Chicago' });
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const answered = await post(`/api/chat/sessions/${sessionId}/messages`, { text: 'Hi there', clientMessageId: 'm1' });
    expect(answered.status).toBe(200);
    const turn = (await answered.json()) as { replies: { text: string; at: string }[]; state: { status: string } };
    expect(turn.replies.length).toBeGreaterThan(0);
    expect(turn.replies[0]!.text.length).toBeGreaterThan(0);
    expect(turn.state.status).toBe('open');

    const view = await system.app.request(`/api/chat/sessions/${sessionId}`);
    const body = (await view.json()) as { transcript: { role: string; text: string }[] };
    expect(body.transcript.map((l) => l.role)).toEqual(['customer', ...turn.replies.map(() => 'assistant')]);
    expect(body.transcript[0]!.text).toBe('Hi there');

    // A client retry of the same message is answered from the first turn, not processed twice.
    const retried = await post(`/api/chat/sessions/${sessionId}/messages`, { text: 'Hi there', clientMessageId: 'm1' });
    expect(retried.status).toBe(200);
    const again = await (await system.app.request(`/api/chat/sessions/${sessionId}`)).json();
    expect((again as { transcript: unknown[] }).transcript).toHaveLength(body.transcript.length);

    // The workflow is a real execution the Web UI lists (same visibility API), once visibility has caught up: this
    // task queue is this file's own, so the first conversation listed on it is this one.
    const ids = await waitFor(async () => {
      const listed = await listedIds(system);
      return listed.some((id) => /^conversation:chat:[0-9a-f]{32}$/.test(id)) && listed;
    }, 'the conversation to be listed');
    expect(ids.join(' ')).not.toContain(sessionId);
  });

  it('writes search attributes and memo only when what they show changes', async () => {
    const created = await post('/api/chat/sessions', {});
    const { sessionId } = (await created.json()) as { sessionId: string };
    // Small talk changes nothing operators filter on; the service asked for does.
    for (const [i, text] of ['Hi there', 'thanks', 'ok', 'I would like a haircut'].entries()) {
      expect((await post(`/api/chat/sessions/${sessionId}/messages`, { text, clientMessageId: `p${i}` })).status).toBe(200);
    }
    const workflowId = conversationWorkflowId('chat', chatSessionKey(system.keySecret, sessionId));
    const { events } = await system.client.workflow.getHandle(workflowId).fetchHistory();
    const upserts = (events ?? [])
      .filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes?.indexedFields ?? {}))
      .filter((keys) => !keys.includes('TemporalChangeVersion')); // the SDK's own marker of a patch
    // One at the start (state loaded), one when the service became known: not one per turn.
    expect(upserts).toHaveLength(2);
    expect(upserts[1]).toContain('ServiceId');
  });

  it('refuses bad input with a 4xx and starts no workflow', async () => {
    const started = await workflowsStartedBy(system, async () => {
      const unknown = await post('/api/chat/sessions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/messages', { text: 'hello' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'session_not_found' } });
      const empty = await post('/api/chat/sessions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/messages', { text: '' });
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('text') } });
      const badZone = await post('/api/chat/sessions', { timezone: 'Mars/Olympus' });
      expect(badZone.status).toBe(400);
      const notJson = await system.app.request('/api/chat/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"timezone":' });
      expect(notJson.status).toBe(400);
    });
    expect(started).toEqual([]);
  });
});
