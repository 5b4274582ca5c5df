import { describe, expect, it } from 'vitest';
import { chatSessionKey, conversationKey, createAddressing } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';

const secret = 'test-secret-0123456789abcdef';

describe('conversationKey', () => {
  it('is stable, opaque, 128 bits, and the same for every spelling and channel of one number', () => {
    const key = conversationKey(secret, '+15551234567');
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain('5551234567');
    expect(conversationKey(secret, 'whatsapp:+15551234567')).toBe(key);
    expect(conversationKey(secret, '+1 (555) 123-4567')).toBe(key);
  });

  it('differs by number and by secret', () => {
    const key = conversationKey(secret, '+15551234567');
    expect(conversationKey(secret, '+15551234568')).not.toBe(key);
    expect(conversationKey(secret + 'x', '+15551234567')).not.toBe(key);
  });

  it('refuses a short secret and a non-number', () => {
    expect(() => conversationKey('short', '+15551234567')).toThrow(/KEY_SECRET/);
    expect(() => conversationKey(secret, 'alice')).toThrow(/E\.164/);
  });

  it('builds the workflow id of the contract', () => {
    expect(conversationWorkflowId('sms', 'abc')).toBe('conversation:sms:abc');
  });
});

describe('createAddressing', () => {
  const addressing = createAddressing(secret);

  it('names one phone customer the same on every channel and for every spelling an operator types', () => {
    const sms = addressing.phoneTarget('sms', '+15551234567');
    const whatsapp = addressing.phoneTarget('whatsapp', 'whatsapp:+15551234567');
    expect(whatsapp.customerKey).toBe(sms.customerKey);
    expect(whatsapp.address).toBe('whatsapp:+15551234567');
    for (const typed of ['+15551234567', ' 15551234567', 'whatsapp: 15551234567']) {
      const who = addressing.identify(typed);
      expect(who.customerKey).toBe(sms.customerKey);
      expect(who.phone).toBe('+15551234567');
      expect(who.conversationIds).toEqual(['sms', 'whatsapp', 'voice'].map((ch) => `conversation:${ch}:${sms.key}`));
      expect(who.conversationIds.join()).not.toContain('5551234567');
    }
  });

  it('names a chat customer by session id without putting the session id in any id', () => {
    const session = addressing.newChatSession();
    const target = addressing.chatTarget(session, 'Europe/Madrid');
    expect(target).toMatchObject({ channel: 'chat', key: chatSessionKey(secret, session), address: null, zone: 'Europe/Madrid' });
    const who = addressing.identify(`chat:${session}`);
    expect(who).toEqual({ customerKey: target.customerKey, conversationIds: [`conversation:chat:${target.key}`], phone: null });
    expect(JSON.stringify(who)).not.toContain(session);
  });

  it('refuses what is neither a number nor a chat session, and a short secret', () => {
    expect(() => addressing.identify('alice')).toThrow(/E\.164/);
    expect(() => createAddressing('short')).toThrow(/KEY_SECRET/);
  });
});
