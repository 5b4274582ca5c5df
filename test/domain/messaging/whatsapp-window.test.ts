import { describe, expect, it } from 'vitest';
import { chooseWhatsappContent, whatsappWindowOpen } from '../../../src/domain/messaging/whatsapp-window';

const now = new Date('2030-03-10T12:00:00Z');
const template = { contentSid: 'HX0123456789abcdef0123456789abcdef', variables: { '1': 'Ana' } };

describe('WhatsApp customer-service window', () => {
  it('is open for 24 hours after the last inbound message, and closed after', () => {
    expect(whatsappWindowOpen('2030-03-09T12:00:01Z', now)).toBe(true);
    expect(whatsappWindowOpen('2030-03-09T12:00:00Z', now)).toBe(false);
    expect(whatsappWindowOpen('2030-03-01T12:00:00Z', now)).toBe(false);
  });

  it('treats unknown, unparsable and far-future times as closed', () => {
    expect(whatsappWindowOpen(undefined, now)).toBe(false);
    expect(whatsappWindowOpen('yesterday', now)).toBe(false);
    expect(whatsappWindowOpen('2030-03-11T12:00:00Z', now)).toBe(false);
    expect(whatsappWindowOpen('2030-03-10T12:02:00Z', now)).toBe(true);
  });

  it('sends text inside, the template outside, and asks for a template when there is none', () => {
    expect(chooseWhatsappContent({ text: 'hi', template, lastInboundAt: '2030-03-10T11:00:00Z', now })).toEqual({ kind: 'text', body: 'hi' });
    expect(chooseWhatsappContent({ text: 'hi', template, lastInboundAt: '2030-03-08T11:00:00Z', now })).toEqual({ kind: 'template', template });
    expect(chooseWhatsappContent({ text: 'hi', now })).toEqual({ kind: 'template_required' });
  });
});
