import { describe, expect, it } from 'vitest';
import { canAdvance, fromTwilioStatus, mergeStatus, statusesBefore } from '../../../src/domain/messaging/delivery-status';

describe('delivery status', () => {
  it('moves forward only', () => {
    expect(mergeStatus('queued', 'sent')).toBe('sent');
    expect(mergeStatus('sent', 'delivered')).toBe('delivered');
    expect(mergeStatus('delivered', 'sent')).toBe('delivered');
    expect(mergeStatus('sent', 'queued')).toBe('sent');
    expect(mergeStatus('submitting', 'queued')).toBe('queued');
  });

  it('ends at failed, undelivered, delivered and the local states', () => {
    expect(mergeStatus('sent', 'undelivered')).toBe('undelivered');
    expect(mergeStatus('failed', 'delivered')).toBe('failed');
    expect(mergeStatus('undelivered', 'delivered')).toBe('undelivered');
    expect(mergeStatus('local', 'delivered')).toBe('local');
    expect(canAdvance('delivered', 'failed')).toBe(false);
  });

  it('lists the statuses a forward move can start from', () => {
    expect(statusesBefore('sent').sort()).toEqual(['pending', 'queued', 'sending', 'submitting']);
    expect(statusesBefore('failed')).not.toContain('delivered');
  });

  it("maps Twilio's statuses and ignores inbound ones", () => {
    expect(fromTwilioStatus('accepted')).toBe('queued');
    expect(fromTwilioStatus('read')).toBe('delivered');
    expect(fromTwilioStatus('canceled')).toBe('failed');
    expect(fromTwilioStatus('received')).toBeNull();
    expect(fromTwilioStatus({})).toBeNull();
  });
});
