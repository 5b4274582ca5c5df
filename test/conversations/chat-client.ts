import type { App } from '../../src/gateway/app';
import type { ConversationState } from '../../workflows/messages';

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

/** How often a turn still running after the gateway's wait (202) is asked for again with the same message id. */
const MAX_PENDING_RETRIES = 6;

export class ChatClient {
  private messageCount = 0;

  constructor(
    private readonly app: App,
    private readonly address: string,
  ) {}

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    // The gateway reads the caller's address from the Node server's socket; hand it one.
    return Promise.resolve(this.app.request(path, init, { incoming: { socket: { remoteAddress: this.address } } }));
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const res = await this.request(path, init);
      if (res.status !== 429 || attempt >= 10) return res;
      // Rate limited (a long script): wait as the gateway asks, like a well-behaved client.
      const seconds = Number(res.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.max(1, seconds) * 1000));
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

  /** Sends a message and returns the turn's replies and the state after it. */
  async say(sessionId: string, text: string): Promise<Turn> {
    this.messageCount += 1;
    const clientMessageId = `m${this.messageCount}-${Date.now().toString(36)}`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, clientMessageId }) };
    for (let attempt = 0; attempt <= MAX_PENDING_RETRIES; attempt += 1) {
      const res = await this.send(`/api/chat/sessions/${sessionId}/messages`, init);
      if (res.status === 200) {
        const body = (await res.json()) as { replies: { text: string }[]; state: ConversationState };
        return { replies: body.replies.map((r) => r.text), state: body.state };
      }
      // 202: the turn outlived the gateway's wait; the same message id waits for the same turn, never a second one.
      if (res.status !== 202) throw new Error(`POST message answered ${res.status}: ${await res.text()}`);
    }
    throw new Error(`the turn for "${text}" did not finish after ${MAX_PENDING_RETRIES + 1} waits`);
  }

  async view(sessionId: string): Promise<{ transcript: TranscriptLine[]; state: ConversationState }> {
    const res = await this.send(`/api/chat/sessions/${sessionId}`, {});
    if (res.status !== 200) throw new Error(`GET session answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { transcript: TranscriptLine[]; state: ConversationState };
  }
}
