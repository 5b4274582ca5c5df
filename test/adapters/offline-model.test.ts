import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { parseBusiness } from '../../src/domain/booking/business';
import type { ModelRequest } from '../../src/domain/model';
import { TOOL_NAMES, parseToolCall } from '../../src/domain/tools';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../config/business.json', import.meta.url), 'utf8')));

const request = (text: string): ModelRequest => ({
  messages: [{ role: 'user', content: text }],
  tools: TOOL_NAMES,
  context: { now: '2019-03-01T14:00:00Z', zone: 'America/New_York', businessZone: business.timezone, locale: 'en', slots: {}, hold: null, offered: [], bookings: [] },
});

describe('createOfflineModel', () => {
  it('answers through the LanguageModel port with a valid tool call', async () => {
    const model = createOfflineModel(business);
    const reply = await model.complete(request('a massage next Monday at 11am'));
    expect(reply.text).toBeNull();
    expect(reply.toolCalls).toHaveLength(1);
    const parsed = parseToolCall(reply.toolCalls[0]!);
    expect(parsed).toMatchObject({ ok: true, call: { name: 'get_availability', args: { service: 'massage', date: '2019-03-04', time: '11:00' } } });
    expect(reply.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('answers with text and no tool call when there is nothing to do', async () => {
    const reply = await createOfflineModel(business).complete(request('write me a poem'));
    expect(reply.toolCalls).toEqual([]);
    expect(reply.text).toContain('only help with appointments');
  });

  it('only calls tools it was given', async () => {
    const reply = await createOfflineModel(business).complete({ ...request('a massage next Monday at 11am'), tools: ['list_my_bookings'] });
    expect(reply.toolCalls).toEqual([]);
  });
});
