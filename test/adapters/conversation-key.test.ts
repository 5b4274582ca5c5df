import { describe, expect, it } from 'vitest';
import { conversationKey, conversationWorkflowId } from '../../src/adapters/conversation-key';

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
