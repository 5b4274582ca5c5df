import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { startSystem, type TestSystem } from '../support/system';

/**
 * Activities heartbeat while they run (activities/heartbeat.ts), so the presets can carry a short heartbeat timeout
 * that notices a dead worker in seconds. The other side of that bargain, tested here: a call that is merely slow —
 * a model taking longer than the heartbeat timeout — is alive, and completes on its first attempt.
 */
describe('heartbeats keep a slow activity alive', () => {
  let fake: FakeOpenAi;
  let system: TestSystem;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: 'test-key' });
    system = await startSystem({ LLM_MODEL: 'fake-model', LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'test-key' });
  });
  afterAll(async () => {
    await system?.stop();
    await fake?.close();
  });

  it('a model answering after 17 s (the heartbeat timeout is 15 s) is called once, and its words reach the customer', async () => {
    fake.script(reply.text('Sorry for the wait — how can I help?', { delayMs: 17_000 }));
    const post = (path: string, body: unknown) =>
      system.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { sessionId } = (await (await post('/api/chat/sessions', {})).json()) as { sessionId: string };
    await post(`/api/chat/sessions/${sessionId}/messages`, { text: 'hello', clientMessageId: 'slow-1' });
    // The gateway may answer 202 first on a busy machine: the reply is read from the transcript either way.
    for (;;) {
      const view = (await (await system.app.request(`/api/chat/sessions/${sessionId}`)).json()) as { transcript: { role: string; text: string }[] };
      const replies = view.transcript.filter((l) => l.role === 'assistant').map((l) => l.text);
      if (replies.includes('Sorry for the wait — how can I help?')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Without heartbeats the first attempt times out at 15 s and the call is made again.
    expect(fake.completions()).toHaveLength(1);
  });
});
