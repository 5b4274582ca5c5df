import { describe, expect, it } from 'vitest';
import { AddressError, formatAddress, parseAddress, tryParseAddress } from '../../../src/domain/messaging/address';

describe('parseAddress', () => {
  it('reads an SMS number and a WhatsApp address', () => {
    expect(parseAddress('+15551234567')).toEqual({ channel: 'sms', e164: '+15551234567' });
    expect(parseAddress('whatsapp:+34600111222')).toEqual({ channel: 'whatsapp', e164: '+34600111222' });
    expect(parseAddress('WhatsApp:+34600111222').channel).toBe('whatsapp');
  });

  it('tolerates separators people type', () => {
    expect(parseAddress(' +1 (555) 123-4567 ').e164).toBe('+15551234567');
  });

  it('refuses what is not E.164, saying what to use', () => {
    for (const bad of ['5551234567', '+0123456789', '+1', 'whatsapp:', 'sms:+15551234567', '+1555<script>', '+1'.padEnd(100, '5')]) {
      expect(() => parseAddress(bad), bad).toThrow(AddressError);
      expect(tryParseAddress(bad), bad).toBeNull();
    }
    expect(() => parseAddress('abc')).toThrow(/E\.164 such as "\+15551234567"/);
    expect(tryParseAddress(42)).toBeNull();
    expect(tryParseAddress(undefined)).toBeNull();
  });

  it('formats back the way Twilio writes To and From', () => {
    expect(formatAddress(parseAddress('whatsapp:+34600111222'))).toBe('whatsapp:+34600111222');
    expect(formatAddress(parseAddress('+15551234567'))).toBe('+15551234567');
  });
});
