import { randomUUID } from 'node:crypto';
import { chatSessionKey } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import { waitFor } from './patience';
import type { TestSystem } from './system';

/**
 * Reading the Temporal visibility API in tests. Visibility is eventually consistent: a workflow started a moment ago
 * may not be listed yet, so one read proves nothing — neither that a workflow exists nor that none was started. These
 * helpers poll until the answer is one that cannot change any more.
 */

/** The workflow ids visibility lists on the system's task queue right now. */
export async function listedIds(system: TestSystem): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of system.client.workflow.list({ query: `TaskQueue = '${system.taskQueue}'` })) ids.push(wf.workflowId);
  return ids;
}

/** Polls until visibility lists every one of `ids` (workflows known to exist), then returns the whole list. */
export function listedWith(system: TestSystem, ids: string[]): Promise<string[]> {
  return waitFor(async () => {
    const listed = await listedIds(system);
    return ids.every((id) => listed.includes(id)) && listed;
  }, `visibility to list ${ids.join(', ')}`);
}

let markers = 0;

/**
 * Starts a marker: a real conversation (a chat session and one message through the gateway), and returns its
 * workflow id once visibility lists it.
 */
export async function visibleMarker(system: TestSystem): Promise<string> {
  // Each marker from an address of its own, so the gateway's per-address session limit never refuses one.
  const address = `203.0.113.${1 + (markers++ % 250)}:${randomUUID().slice(0, 8)}`;
  const post = (path: string, body: unknown) =>
    system.app.request(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: address } } },
    );
  const opened = await post('/api/chat/sessions', {});
  if (opened.status !== 201) throw new Error(`marker: opening a session answered ${opened.status}`);
  const { sessionId } = (await opened.json()) as { sessionId: string };
  // 200 (the reply) or 202 (still working): either way the workflow has started. A 503 ("try again shortly": a
  // Temporal call failed on a loaded machine) is asked again with the same message id; the marker only has to exist.
  const sent = await waitFor(async () => {
    const res = await post(`/api/chat/sessions/${sessionId}/messages`, { text: 'hello', clientMessageId: 'marker' });
    return res.status !== 503 && res;
  }, 'the marker message to be taken', { intervalMs: 1000 });
  if (sent.status !== 200 && sent.status !== 202) throw new Error(`marker: the message answered ${sent.status}`);
  const id = conversationWorkflowId('chat', chatSessionKey(system.keySecret, sessionId));
  await listedWith(system, [id]);
  return id;
}

/**
 * The workflows `act` started on the system's task queue, for asserting that it started none. A marker workflow is
 * started before and after `act` and waited for in visibility: the dev server writes visibility records in the order
 * the workflows started, so once the second marker is listed, whatever `act` started is listed too — an empty answer
 * is final, not just early. The markers themselves are left out.
 */
export async function workflowsStartedBy(system: TestSystem, act: () => Promise<void>): Promise<string[]> {
  const first = await visibleMarker(system);
  const before = await listedIds(system);
  await act();
  const second = await visibleMarker(system);
  const after = await listedWith(system, [...before, second]);
  return after.filter((id) => !before.includes(id) && id !== first && id !== second);
}
