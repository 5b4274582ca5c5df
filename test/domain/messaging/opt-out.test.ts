import { describe, expect, it } from 'vitest';
import { classifyKeyword } from '../../../src/domain/messaging/opt-out';
import { keywordReply } from '../../../src/domain/messaging/keyword-replies';

const subscribed = { optedOut: false };
const optedOut = { optedOut: true };

describe('classifyKeyword', () => {
  it('opts out on each Twilio opt-out keyword sent as the whole message', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'STOPALL', 'stop all', 'UNSUBSCRIBE', 'END', 'quit!', 'CANCEL', 'cancel', 'REVOKE', 'optout', 'Opt-out']) {
      expect(classifyKeyword(text, subscribed), text).toBe('opt_out');
    }
  });

  it('does not opt out when the keyword is part of a sentence', () => {
    for (const text of ['Cancel my appointment', 'cancel the haircut on friday', 'please stop by at 5?', 'The end of the day works', 'I want to quit smoking, do you do massages']) {
      expect(classifyKeyword(text, subscribed), text).toBeNull();
    }
  });

  it('re-subscribes on START and UNSTOP, and on YES only for an opted-out number', () => {
    expect(classifyKeyword('START', optedOut)).toBe('opt_in');
    expect(classifyKeyword('unstop', subscribed)).toBe('opt_in');
    expect(classifyKeyword('YES', optedOut)).toBe('opt_in');
    expect(classifyKeyword('yes', subscribed)).toBeNull();
    expect(classifyKeyword('Yes please', optedOut)).toBeNull();
  });

  it('answers HELP and INFO', () => {
    expect(classifyKeyword('help', subscribed)).toBe('help');
    expect(classifyKeyword('INFO?', optedOut)).toBe('help');
    expect(classifyKeyword('I need help booking', subscribed)).toBeNull();
  });

  it('ignores long messages and odd input without throwing', () => {
    expect(classifyKeyword('STOP '.repeat(100), subscribed)).toBeNull();
    expect(classifyKeyword('', subscribed)).toBeNull();
    expect(classifyKeyword('🛑', subscribed)).toBeNull();
  });
});

describe('keywordReply', () => {
  it('names the business and the way back', () => {
    expect(keywordReply('opt_out', 'Maple Street Studio')).toMatch(/Maple Street Studio.*Reply START/);
    expect(keywordReply('help', 'Maple', 'es')).toMatch(/STOP/);
  });
});
