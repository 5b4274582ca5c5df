import { describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/domain/conversation/conversation';
import { StepKeys } from '../../../src/domain/conversation/step-keys';

describe('keys of a conversation’s side effects', () => {
  it('repeat for the same step of the same run chain, and never meet another chain’s', () => {
    const first = new StepKeys('conversation:sms:abc', 'run-1');
    const again = new StepKeys('conversation:sms:abc', 'run-1');
    const later = new StepKeys('conversation:sms:abc', 'run-2');
    expect(first.ledger('t1:c2:0')).toBe(again.ledger('t1:c2:0'));
    expect(first.purpose('turn:1:0')).toBe(again.purpose('turn:1:0'));
    expect(first.ledger('t1:c2:0')).not.toBe(later.ledger('t1:c2:0'));
    expect(first.purpose('turn:1:0')).not.toBe(later.purpose('turn:1:0'));
    expect(first.ledger('t1:c2:0')).not.toBe(new StepKeys('conversation:chat:abc', 'run-1').ledger('t1:c2:0'));
  });
});

describe('a conversation resumed by the customer’s next run', () => {
  function visited(): Conversation {
    const c = new Conversation();
    c.firstSighting('m1');
    c.setLocale('es');
    c.beginTurn('quiero un corte', '2026-11-01T10:00:00Z');
    c.addAssistantReply('Te lo guardo…', '2026-11-01T10:00:01Z');
    c.applyToolResult('hold_slot', {}, { ok: true, hold: { bookingId: 'b1', service: 'haircut', provider: 'alex', start: 'x', end: 'y', expiresAt: 'z' } });
    c.requestHuman();
    return c;
  }

  it('keeps the transcript, context, language, turn counter and seen ids; drops the visit’s hold, offers and hand-off', () => {
    const next = new Conversation();
    next.firstSighting('m2');
    const repeats = next.resumeFrom(visited().snapshot());
    expect(repeats.size).toBe(0);
    expect(next.transcriptAfter(0).map((l) => l.text)).toEqual(['quiero un corte', 'Te lo guardo…']);
    expect(next.locale).toBe('es');
    expect(next.turn).toBe(1);
    expect(next.hold).toBeNull();
    expect(next.needsHuman).toBe(false);
    expect(next.firstSighting('m1')).toBe(false);
    expect(next.firstSighting('m2')).toBe(false);
    expect(next.beginTurn('muévela al viernes', '2026-11-08T10:00:00Z')).toBe(2);
    expect(next.transcriptAfter(0).at(-1)).toMatchObject({ seq: 3, text: 'muévela al viernes' });
  });

  it('reports a message the new run took in that the previous run had already seen: a repeat to drop', () => {
    const next = new Conversation();
    next.firstSighting('m1');
    expect([...next.resumeFrom(visited().snapshot())]).toEqual(['m1']);
  });

  it('takes in each appointment notice once, in order, with the times it offered', () => {
    const c = new Conversation();
    const offered = [{ service: 'haircut', provider: 'alex', start: 'a', end: 'b' }];
    c.takeInNotice({ id: 3, text: 'We missed you…', at: 't', offered });
    c.takeInNotice({ id: 3, text: 'We missed you…', at: 't', offered });
    c.takeInNotice({ id: 2, text: 'older', at: 't' });
    expect(c.transcriptAfter(0).map((l) => l.text)).toEqual(['We missed you…']);
    expect(c.offered).toEqual(offered);
    expect(c.noticeCursor).toBe(3);
  });
});
