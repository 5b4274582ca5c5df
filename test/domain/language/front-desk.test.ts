import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { deskFacts, openingWeek } from '../../../src/domain/booking/front-desk';
import { deskTopic, runningLate, statesDeskFact } from '../../../src/domain/language/front-desk';
import { interpret } from '../../../src/domain/language/interpreter';
import { isPersonName, nameIn } from '../../../src/domain/language/names';
import { askName, deskAnswer, greeting, lateNoted } from '../../../src/domain/language/templates';
import type { ChatMessage, TurnContext } from '../../../src/domain/model';
import { TOOL_NAMES, parseToolCall, toolSchema } from '../../../src/domain/tools';

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const zone = business.timezone;
const en = { locale: 'en' as const, zone, business };
const es = { locale: 'es' as const, zone, business };

/** The interpreter's first move on one customer message (after `previous`, the assistant's last words). */
function firstMove(text: string, options: { previous?: string; customer?: TurnContext['customer'] } = {}) {
  const messages: ChatMessage[] = [];
  if (options.previous) messages.push({ role: 'user', content: 'hi' }, { role: 'assistant', content: options.previous });
  messages.push({ role: 'user', content: text });
  const context: TurnContext = {
    now: '2026-12-01T15:00:00.000Z',
    zone,
    businessZone: zone,
    locale: 'en',
    slots: {},
    hold: null,
    offered: [],
    bookings: [],
    ...(options.customer ? { customer: options.customer } : {}),
  };
  const reply = interpret({ messages, tools: TOOL_NAMES, context }, business);
  const call = reply.toolCalls[0];
  if (!call) return { text: reply.text };
  const parsed = parseToolCall(call);
  if (!parsed.ok) throw new Error(parsed.error);
  return { tool: parsed.call.name, args: parsed.call.args as Record<string, unknown> };
}

describe('front-desk questions (EN and ES)', () => {
  it.each([
    ['How much does a haircut cost?', 'prices'],
    ['what are your prices', 'prices'],
    ['¿Cuánto cuesta un tinte?', 'prices'],
    ['how long does a massage take?', 'durations'],
    ['¿cuánto dura la consulta?', 'durations'],
    ['what are your opening hours?', 'hours'],
    ['are you open on Sunday?', 'hours'],
    ['¿qué horario tienen?', 'hours'],
    ["what's your address?", 'address'],
    ['where are you located?', 'address'],
    ['¿dónde están?', 'address'],
    ['how do I get to you?', 'directions'],
    ['is there parking?', 'directions'],
    ['¿cómo llego?', 'directions'],
    ['do you take walk-ins?', 'walk_ins'],
    ['can I come in without an appointment?', 'walk_ins'],
    ['¿atienden sin cita?', 'walk_ins'],
  ])('%s → %s', (text, topic) => {
    expect(deskTopic(text)).toBe(topic);
  });

  it('leaves billing disputes and booking requests alone', () => {
    expect(deskTopic('I was overcharged last time, I want a refund')).toBeNull();
    expect(deskTopic('a haircut tomorrow at 3pm')).toBeNull();
  });

  it('hears a late arrival and how late', () => {
    expect(runningLate("I'm running 10 minutes late")).toEqual({ minutes: 10 });
    expect(runningLate("I'll be a bit late, sorry")).toEqual({});
    expect(runningLate('llego 15 minutos tarde')).toEqual({ minutes: 15 });
    expect(runningLate('voy con retraso')).toEqual({});
    expect(runningLate('can I come later in the day?')).toBeNull();
  });
});

describe('names', () => {
  it('takes a name only when it is one', () => {
    expect(nameIn('Maria', true)).toBe('Maria');
    expect(nameIn('maria garcia', true)).toBe('Maria Garcia');
    expect(nameIn("it's Sam Lee", true)).toBe('Sam Lee');
    expect(nameIn('My name is Lucía Núñez', false)).toBe('Lucía Núñez');
    expect(nameIn('me llamo José', false)).toBe('José');
    expect(nameIn('María de la Cruz', true)).toBe('María de la Cruz');
    for (const text of ['tomorrow', 'yes', 'no thanks', 'thanks', 'sí', 'mañana', 'friday at 3', 'the second one', "I'm running late", 'skip']) {
      expect(nameIn(text, true), text).toBeNull();
    }
    expect(nameIn('Maria', false), 'a bare word is a name only as an answer').toBeNull();
    expect(isPersonName('tomorrow')).toBe(false);
  });

  it("the tool's schema refuses a non-name", () => {
    expect(toolSchema('save_customer_name').safeParse({ name: 'tomorrow' }).success).toBe(false);
    expect(toolSchema('save_customer_name').safeParse({ name: 'Ana' }).success).toBe(true);
  });
});

describe('answers from the business file', () => {
  it('prices and durations per service, in both languages', () => {
    expect(deskAnswer(deskFacts(business, 'prices', { service: 'haircut' }), en)).toBe('Haircut: $35 (30 minutes).');
    expect(deskAnswer(deskFacts(business, 'prices', { service: 'color' }), en)).toBe('Hair colour: from $80 (1 h 30 min).');
    expect(deskAnswer(deskFacts(business, 'prices', { service: 'haircut' }), es)).toMatch(/^Corte de pelo: 35\sUS\$|^Corte de pelo: 35 \$|^Corte de pelo: \$35|^Corte de pelo: 35/);
    expect(deskAnswer(deskFacts(business, 'prices'), en)).toContain('- Consultation: free');
    expect(deskAnswer(deskFacts(business, 'durations', { service: 'massage' }), en)).toBe('A massage takes 1 hour.');
    expect(deskAnswer(deskFacts(business, 'durations', { service: 'massage' }), es)).toBe('Masaje: dura 1 hora.');
  });

  it('opening hours are the union of the providers’ hours', () => {
    const week = openingWeek(business);
    expect(week.find((d) => d.day === 'mon')!.intervals).toEqual([['08:00', '17:00']]);
    expect(week.find((d) => d.day === 'tue')!.intervals).toEqual([['08:00', '20:00']]);
    expect(week.find((d) => d.day === 'sun')!.intervals).toEqual([['10:00', '14:00']]);
    const text = deskAnswer(deskFacts(business, 'hours'), en)!;
    expect(text).toContain('- Monday: 8:00 AM–5:00 PM');
    expect(deskAnswer(deskFacts(business, 'hours', { date: '2026-12-06' }), en)).toBe("On Sun 6 Dec we're open 10:00 AM–2:00 PM.");
    expect(deskAnswer(deskFacts(business, 'hours', { date: '2026-12-06' }), es)).toBe('El dom 6 dic abrimos 10:00–14:00.');
  });

  it('address, directions and walk-ins; nothing when the file is silent', () => {
    expect(deskAnswer(deskFacts(business, 'address'), en)).toBe("We're at 214 Maple Street, Brooklyn, NY 11215.");
    expect(deskAnswer(deskFacts(business, 'directions'), es)).toContain('A dos manzanas');
    expect(deskAnswer(deskFacts(business, 'walk_ins'), en)).toMatch(/^Yes, we take walk-ins/);
    const bare = parseBusiness({ ...JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')), frontDesk: {} });
    expect(deskFacts(bare, 'address').known).toBe(false);
    expect(deskFacts(bare, 'walk_ins').known).toBe(false);
    expect(deskAnswer(deskFacts(bare, 'address'), en)).toBeNull();
  });

  it('a late arrival keeps the booking; a known customer is greeted by name', () => {
    const booking = { id: 'bk_1', service: 'haircut', provider: 'alex', start: '2026-12-01T20:00:00.000Z', end: '2026-12-01T20:30:00.000Z', status: 'confirmed' as const };
    expect(lateNoted({ booking, minutes: 10 }, en)).toMatch(/running about 10 minutes late\. Your appointment stays as booked: Haircut with Alex/);
    expect(greeting({ name: 'Maria' }, en)).toMatch(/^Hi Maria, welcome back!/);
    expect(greeting({ name: 'María' }, es)).toMatch(/^¡Hola de nuevo, María!/);
    expect(askName(null, es)).toMatch(/^¿A nombre de quién/);
  });

  it('a model’s own price or address is recognised (the workflow drops it)', () => {
    expect(statesDeskFact('A haircut is $30.')).toBe(true);
    expect(statesDeskFact('We are at 12 Oak Street.')).toBe(true);
    expect(statesDeskFact('Would 3pm work for you?')).toBe(false);
  });
});

describe('the offline interpreter at the front desk', () => {
  it('asks the business file, never answers itself', () => {
    expect(firstMove('How much is a colour?')).toEqual({ tool: 'get_business_info', args: { topic: 'prices', service: 'color' } });
    expect(firstMove('¿a qué hora abren?')).toMatchObject({ tool: 'get_business_info', args: { topic: 'hours' } });
    expect(firstMove('do you take walk-ins?')).toMatchObject({ tool: 'get_business_info', args: { topic: 'walk_ins' } });
    expect(firstMove("I'm running 10 minutes late")).toEqual({ tool: 'report_running_late', args: { minutes: 10 } });
  });

  it('keeps a name given when asked, and only a name', () => {
    const previous = askName(null, en);
    expect(firstMove('Maria', { previous })).toEqual({ tool: 'save_customer_name', args: { name: 'Maria' } });
    expect(firstMove('tomorrow', { previous }).tool).not.toBe('save_customer_name');
    expect(firstMove('yes', { previous }).tool).not.toBe('save_customer_name');
    expect(firstMove('no thanks', { previous }).tool).not.toBe('save_customer_name');
  });

  it('greets a known customer by name', () => {
    expect(firstMove('hi', { customer: { name: 'Maria', askName: false } }).text).toMatch(/^Hi Maria, welcome back!/);
  });

  it('a fact the business file lacks goes to a person', () => {
    const bare = parseBusiness({ ...JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')), frontDesk: {} });
    const context: TurnContext = { now: '2026-12-01T15:00:00.000Z', zone, businessZone: zone, locale: 'en', slots: {}, hold: null, offered: [], bookings: [] };
    const messages: ChatMessage[] = [{ role: 'user', content: 'do you take walk-ins?' }];
    const first = interpret({ messages, tools: TOOL_NAMES, context }, bare);
    const call = first.toolCalls[0]!;
    expect(call.name).toBe('get_business_info');
    const facts = deskFacts(bare, 'walk_ins');
    messages.push({ role: 'assistant', content: null, toolCalls: [call] }, { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify({ ok: true, facts }) });
    const second = interpret({ messages, tools: TOOL_NAMES, context }, bare);
    expect(second.toolCalls[0]?.name).toBe('escalate_to_human');
  });

  it('a person still gets asked for on request', () => {
    expect(firstMove('can I talk to a person about the prices?').tool).not.toBe('get_business_info');
    expect(firstMove('I want to speak to a human')).toMatchObject({ tool: 'escalate_to_human' });
  });
});
