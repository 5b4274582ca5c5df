import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/system';
import {
  TWILIO_ENV,
  callSid,
  conversationIdOf,
  customerKeyOf,
  postWebhook,
  randomPhone,
  stateOf,
  transcriptOf,
  voiceRequest,
  workflowExists,
  workflowIds,
} from '../support/twilio-webhook';

/**
 * A phone call end to end on the real dev server: Twilio posts to /webhooks/twilio/voice, we answer with
 * `<Gather input="speech">`, Twilio posts the recognised speech to the Gather's action URL, and so on — over the
 * same kind of conversation workflow as SMS (channel `voice`).
 */

const VOICE_PATH = '/webhooks/twilio/voice';

interface TwimlTurn {
  status: number;
  xml: string;
  /** What `<Say>` speaks, in order. */
  said: string[];
  /** The Gather's action (where Twilio posts the speech next), or a Redirect's URL. */
  next: URL | null;
  kind: 'gather' | 'redirect' | 'hangup' | 'other';
}

const unescapeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function readTwiml(res: Response): Promise<TwimlTurn> {
  const xml = await res.text();
  const said = [...xml.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => unescapeXml(m[1]!));
  const action = xml.match(/<Gather[^>]*\baction="([^"]+)"/)?.[1];
  const redirect = xml.match(/<Redirect[^>]*>([^<]+)<\/Redirect>/)?.[1];
  const url = action ?? redirect;
  const kind = action ? 'gather' : redirect ? 'redirect' : /<Hangup\s*\/>/.test(xml) ? 'hangup' : 'other';
  return { status: res.status, xml, said, next: url ? new URL(unescapeXml(url)) : null, kind };
}

/** One caller on one call, posting what Twilio would post to wherever our last TwiML pointed. */
class Caller {
  readonly call = callSid();
  private next: URL | null = null;
  constructor(
    private readonly system: TestSystem,
    readonly from: string,
  ) {}

  async dial(): Promise<TwimlTurn> {
    return this.take(await postWebhook(this.system, VOICE_PATH, voiceRequest(this.call, this.from)));
  }

  /** Says `speech` (empty string: silence) and follows "one moment" redirects until the assistant answers. */
  async say(speech: string): Promise<TwimlTurn> {
    let turn = await this.post(speech);
    for (let hops = 0; turn.kind === 'redirect' && hops < 5; hops++) turn = await this.post(undefined);
    return turn;
  }

  private async post(speech: string | undefined): Promise<TwimlTurn> {
    expect(this.next, 'the last TwiML gave Twilio nowhere to post').not.toBeNull();
    const url = this.next!;
    expect(url.origin).toBe(TWILIO_ENV.PUBLIC_BASE_URL);
    const res = await postWebhook(this.system, url.pathname, voiceRequest(this.call, this.from, speech), { query: url.search.slice(1) });
    return this.take(res);
  }

  private async take(res: Response): Promise<TwimlTurn> {
    const turn = await readTwiml(res);
    expect(turn.status, turn.xml).toBe(200);
    this.next = turn.next;
    return turn;
  }
}

describe('voice calls through the <Gather> loop', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ ...TWILIO_ENV });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('books an appointment over a call: greeting, request, read-back, "yes", confirmation', async () => {
    const caller = new Caller(system, randomPhone());
    const workflowId = conversationIdOf(system, 'voice', caller.from);

    const greeting = await caller.dial();
    expect(greeting.kind).toBe('gather');
    expect(greeting.xml).toMatch(/<Gather[^>]*input="speech"/);
    expect(greeting.said.join(' ')).toContain('Maple Street Studio');
    // Answering the call starts nothing: the conversation begins with the first thing the caller says.
    expect(await workflowExists(system, workflowId)).toBe(false);

    const readBack = await caller.say("I'd like a haircut next Tuesday at 10am");
    expect(readBack.kind, readBack.xml).toBe('gather');
    const holding = await stateOf(system, workflowId);
    expect(holding.status).toBe('holding');
    const start = DateTime.fromISO(holding.hold!.start).setZone('America/New_York');
    expect([start.weekday, start.toFormat('HH:mm')]).toEqual([2, '10:00']);
    expect(readBack.said.join(' ')).toContain(start.toFormat('ccc d LLL, h:mm a'));

    const confirmed = await caller.say('yes');
    expect(confirmed.kind, confirmed.xml).toBe('gather');
    expect(confirmed.said.join(' ')).toMatch(/booked/i);
    const state = await stateOf(system, workflowId);
    expect(state.status).toBe('booked');
    expect(state.bookings).toEqual([expect.objectContaining({ service: 'haircut', start: holding.hold!.start, status: 'confirmed' })]);

    // The same booking is in the ledger under the caller's number (the same customer as on SMS).
    const bookings = await system.infra.ledger.listCustomerBookings(customerKeyOf(system, caller.from));
    expect(bookings.map((b) => [b.id, b.status])).toEqual([[state.bookings[0]!.id, 'confirmed']]);

    // What was spoken is exactly the transcript: two customer turns, each answered.
    const transcript = await transcriptOf(system, workflowId);
    expect(transcript.filter((l) => l.role === 'customer').map((l) => l.text)).toEqual(["I'd like a haircut next Tuesday at 10am", 'yes']);
    expect(transcript.filter((l) => l.role === 'assistant').map((l) => l.text)).toEqual([...readBack.said, ...confirmed.said]);
    expect(await workflowIds(system)).toContain(workflowId);
  });

  it('a repeated Gather post is answered again without a second turn', async () => {
    const caller = new Caller(system, randomPhone());
    const workflowId = conversationIdOf(system, 'voice', caller.from);
    await caller.dial();
    const firstUrl = new URL(`${TWILIO_ENV.PUBLIC_BASE_URL}${VOICE_PATH}?turn=1`);
    const ask = (speech: string) => postWebhook(system, VOICE_PATH, voiceRequest(caller.call, caller.from, speech), { query: firstUrl.search.slice(1) });
    const first = await readTwiml(await ask('What can I book?'));
    const again = await readTwiml(await ask('What can I book?'));
    expect(first.kind).toBe('gather');
    expect(again.said).toEqual(first.said);
    const transcript = await transcriptOf(system, workflowId);
    expect(transcript.filter((l) => l.role === 'customer')).toHaveLength(1);
  });

  it('ends cleanly on silence and hangs up on a hidden number, starting nothing', async () => {
    const caller = new Caller(system, randomPhone());
    const workflowId = conversationIdOf(system, 'voice', caller.from);
    await caller.dial();
    const first = await caller.say('');
    expect(first.kind).toBe('gather');
    expect(first.said.join(' ')).toMatch(/didn't catch/);
    const second = await caller.say('');
    expect(second.kind).toBe('hangup');
    expect(second.said.join(' ')).toMatch(/Goodbye/);
    expect(await workflowExists(system, workflowId)).toBe(false);

    const hidden = await readTwiml(await postWebhook(system, VOICE_PATH, voiceRequest(callSid(), 'anonymous')));
    expect(hidden.kind).toBe('hangup');
    expect(hidden.said.join(' ')).toMatch(/number is shown/);

    const forged = await postWebhook(system, VOICE_PATH, voiceRequest(callSid(), randomPhone(), 'book a haircut tomorrow'), { signature: 'Zm9yZ2Vk' });
    expect(forged.status).toBe(403);
  });
});
