import type { App } from '../../src/gateway/app';
import type { ConversationState } from '../../workflows/messages';
import { HANG_MS } from '../support/patience';

/**
 * A web chat customer, through the real gateway app (`app.request`, no socket). Each client has its own network
 * address, as separate customers would, so the gateway's per-address rate limits apply to it alone.
 */

export interface Turn {
  replies: string[];
  state: ConversationState;
}

export interface TranscriptLine {
  role: 'customer' | 'assistant' | 'operator';
  text: string;
  at: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChatClient {
  private messageCount = 0;
  /** How many 503 answers were asked again (a figure for the report, not a failure). */
  unavailable = 0;

  constructor(
    private readonly app: App,
    private readonly address: string,
  ) {}

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    // The gateway reads the caller's address from the Node server's socket; hand it one.
    return Promise.resolve(this.app.request(path, init, { incoming: { socket: { remoteAddress: this.address } } }));
  }

  /**
   * One request, asked again the way a well-behaved client does: after a 429 (a long script hit the rate limit) when
   * the gateway says, and after a 503 ("temporarily unavailable; try again shortly": on a loaded machine the
   * Temporal client can fail a call the gateway does not retry itself) a moment later. A message keeps its id, so a
   * retried one is still one turn. The conversations test what the assistant does, not the gateway's error page.
   */
  private async send(path: string, init: RequestInit): Promise<Response> {
    const deadline = Date.now() + HANG_MS;
    for (;;) {
      const res = await this.request(path, init);
      if ((res.status !== 429 && res.status !== 503) || Date.now() > deadline) return res;
      this.unavailable += res.status === 503 ? 1 : 0;
      const seconds = res.status === 429 ? Number(res.headers.get('retry-after') ?? '1') : 1;
      await pause(Math.max(1, seconds) * 1000);
    }
  }

  async open(timezone?: string): Promise<string> {
    const res = await this.send('/api/chat/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(timezone ? { timezone } : {}),
    });
    if (res.status !== 201) throw new Error(`opening a chat session answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { sessionId: string }).sessionId;
  }

  /**
   * Sends a message and returns the turn's replies and the state after it. A turn that outlives the gateway's wait
   * (202) is asked for again with the same message id — the same turn, never a second one — for as long as it takes
   * on a busy machine; only a hang ends it.
   */
  async say(sessionId: string, text: string): Promise<Turn> {
    this.messageCount += 1;
    const clientMessageId = `m${this.messageCount}-${Date.now().toString(36)}`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, clientMessageId }) };
    const deadline = Date.now() + HANG_MS;
    for (let waits = 1; ; waits += 1) {
      const res = await this.send(`/api/chat/sessions/${sessionId}/messages`, init);
      if (res.status === 200) {
        const body = (await res.json()) as { replies: { text: string }[]; state: ConversationState };
        return { replies: body.replies.map((r) => r.text), state: body.state };
      }
      if (res.status !== 202) throw new Error(`POST message answered ${res.status}: ${await res.text()}`);
      if (Date.now() > deadline) throw new Error(`the turn for "${text}" was still running after ${waits} waits: stuck`);
      await pause(100); // a gateway that answers 202 at once is not asked in a busy loop
    }
  }

  async view(sessionId: string): Promise<{ transcript: TranscriptLine[]; state: ConversationState }> {
    const res = await this.send(`/api/chat/sessions/${sessionId}`, {});
    if (res.status !== 200) throw new Error(`GET session answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { transcript: TranscriptLine[]; state: ConversationState };
  }
}
