import { DateTime } from 'luxon';
import type { Business } from '../../domain/booking/business';
import { buildSystemPrompt } from '../../domain/agent/system-prompt';
import type { TurnContext } from '../../domain/model';

/**
 * Reads a turn's context back out of the system prompt. Over the wire a model sees only messages and tools; the
 * facts our code owns (the clock, the zone, the hold, the slots offered, the customer's bookings) reach it as the
 * prompt's text (src/domain/agent/system-prompt.ts). The chaos model answers with the offline interpreter, which
 * wants those facts as a TurnContext, so it reads them from the prompt as a real model would — at minute precision,
 * which is all the prompt says and all the interpreter needs.
 */

export class PromptFormatError extends Error {
  override name = 'PromptFormatError';
}

const LOCAL = 'yyyy-MM-dd HH:mm';

/** The context the prompt states, or a PromptFormatError naming the line that could not be read. */
export function contextFromPrompt(prompt: string, business: Business): TurnContext {
  const nowLine = /^Now: \S+ (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) in (\S+) \(/m.exec(prompt);
  if (!nowLine) throw formatChanged('the "Now: …" line');
  const zone = nowLine[2]!;
  const now = DateTime.fromFormat(nowLine[1]!, LOCAL, { zone });
  if (!now.isValid) throw formatChanged(`the clock "${nowLine[1]}" in zone "${zone}"`);
  const local = (text: string) => DateTime.fromFormat(text, LOCAL, { zone });
  /** Start and end of "yyyy-MM-dd HH:mm–HH:mm" as instants; an end before the start is on the next day. */
  const range = (start: string, endTime: string) => {
    const s = local(start);
    let e = local(`${start.slice(0, 10)} ${endTime}`);
    if (e < s) e = e.plus({ days: 1 });
    return { start: s.toUTC().toISO()!, end: e.toUTC().toISO()! };
  };
  const serviceId = (name: string) => business.services.find((s) => s.name === name || s.id === name)?.id ?? name;
  const providerId = (name: string) => business.providers.find((p) => p.name === name || p.id === name)?.id ?? name;

  const businessZone = /^The business is in (\S+); /m.exec(prompt)?.[1] ?? zone;
  const language = /^8\. Reply in (\w+),/m.exec(prompt)?.[1];
  if (!language) throw formatChanged('rule 8 ("Reply in <language>, …")');

  const known = /^- Known: (.*)$/m.exec(prompt)?.[1];
  if (known === undefined) throw formatChanged('the "- Known: …" line');
  const slots: TurnContext['slots'] = {};
  if (known !== 'nothing yet') {
    for (const pair of known.split(', ')) {
      const [key, value] = pair.split('=') as [string, string | undefined];
      if ((key === 'service' || key === 'date' || key === 'time' || key === 'provider') && value) slots[key] = value;
    }
  }

  const holdText = /^- Current hold: (.*)$/m.exec(prompt)?.[1];
  if (holdText === undefined) throw formatChanged('the "- Current hold: …" line');
  let hold: TurnContext['hold'] = null;
  if (holdText !== 'none') {
    const m = /^(.+?), (.+) with (.+), \S+ (\d{4}-\d{2}-\d{2} \d{2}:\d{2})–(\d{2}:\d{2}), expires (\d{2}:\d{2}):(\d{2})$/.exec(holdText);
    if (!m) throw formatChanged(`the hold "${holdText}"`);
    let expires = local(`${now.toFormat('yyyy-MM-dd')} ${m[6]}`).set({ second: Number(m[7]) });
    if (expires < now.minus({ hours: 12 })) expires = expires.plus({ days: 1 });
    hold = { bookingId: m[1]!, service: serviceId(m[2]!), provider: providerId(m[3]!), ...range(m[4]!, m[5]!), expiresAt: expires.toUTC().toISO()! };
  }

  const offered: TurnContext['offered'] = [];
  for (const m of prompt.matchAll(/^ {2}\d+\. (\S+) with (\S+), \S+ (\d{4}-\d{2}-\d{2} \d{2}:\d{2})–(\d{2}:\d{2}), start=(\S+)$/gm)) {
    offered.push({ service: m[1]!, provider: m[2]!, start: m[5]!, end: range(m[3]!, m[4]!).end });
  }

  const bookingsText = /^- The customer's bookings: (.*)$/m.exec(prompt)?.[1];
  if (bookingsText === undefined) throw formatChanged('the "- The customer\'s bookings: …" line');
  const bookings: TurnContext['bookings'] = [];
  if (bookingsText !== 'none') {
    for (const entry of bookingsText.split('; ')) {
      const m = /^(\S+) (\S+) with (\S+) \S+ (\d{4}-\d{2}-\d{2} \d{2}:\d{2})–(\d{2}:\d{2}) (\S+)$/.exec(entry);
      if (!m) throw formatChanged(`the booking "${entry}"`);
      bookings.push({ id: m[1]!, service: m[2]!, provider: m[3]!, ...range(m[4]!, m[5]!), status: m[6]! });
    }
  }

  return {
    now: now.toUTC().toISO()!,
    zone,
    businessZone,
    locale: language === 'Spanish' ? 'es' : 'en',
    slots,
    hold,
    offered,
    bookings,
  };
}

function formatChanged(what: string): PromptFormatError {
  return new PromptFormatError(
    `the chaos model could not read ${what} in the system prompt: its format (src/domain/agent/system-prompt.ts) has ` +
      'changed; update src/cli/chaos/prompt-context.ts to match',
  );
}

/**
 * Builds a prompt from a context with every part filled and reads it back: a changed prompt format fails here, once,
 * at start-up, instead of as a run of unanswerable model calls that would look like a product defect.
 */
export function checkPromptRoundTrip(business: Business): void {
  const zone = business.timezone;
  const at = (days: number, time: string) => DateTime.fromISO(`${DateTime.now().setZone(zone).plus({ days }).toFormat('yyyy-MM-dd')}T${time}`, { zone });
  const slot = (days: number, time: string, minutes: number) => ({ start: at(days, time).toUTC().toISO()!, end: at(days, time).plus({ minutes }).toUTC().toISO()! });
  const service = business.services[0]!;
  const provider = business.providers.find((p) => p.serviceIds.includes(service.id)) ?? business.providers[0]!;
  const now = DateTime.now().setZone(zone).startOf('minute');
  const expected: TurnContext = {
    now: now.toUTC().toISO()!,
    zone,
    businessZone: zone,
    locale: 'en',
    slots: { service: service.id, date: at(3, '10:00').toFormat('yyyy-MM-dd'), time: '10:00', provider: provider.id },
    hold: { bookingId: 'bk_roundtrip', service: service.id, provider: provider.id, ...slot(3, '10:00', service.durationMinutes), expiresAt: now.plus({ seconds: 90 }).toUTC().toISO()! },
    offered: [
      { service: service.id, provider: provider.id, ...slot(3, '10:00', service.durationMinutes) },
      { service: service.id, provider: provider.id, ...slot(4, '15:20', service.durationMinutes) },
    ],
    bookings: [
      { id: 'bk_one', service: service.id, provider: provider.id, ...slot(5, '11:00', service.durationMinutes), status: 'confirmed' },
      { id: 'bk_two', service: service.id, provider: provider.id, ...slot(6, '12:00', service.durationMinutes), status: 'cancelled' },
    ],
  };
  const read = contextFromPrompt(buildSystemPrompt(expected, business), business);
  const same = (a: string, b: string) => Date.parse(a) === Date.parse(b);
  const problems: string[] = [];
  if (!same(read.now, expected.now) || read.zone !== expected.zone) problems.push('the clock');
  if (JSON.stringify(read.slots) !== JSON.stringify(expected.slots)) problems.push('the known slots');
  const h = read.hold;
  const eh = expected.hold!;
  if (!h || h.bookingId !== eh.bookingId || h.service !== eh.service || h.provider !== eh.provider || !same(h.start, eh.start) || !same(h.end, eh.end)) {
    problems.push('the hold');
  }
  if (read.offered.length !== 2 || read.offered.some((o, i) => !same(o.start, expected.offered[i]!.start) || !same(o.end, expected.offered[i]!.end))) {
    problems.push('the offered slots');
  }
  if (read.bookings.length !== 2 || read.bookings.some((b, i) => b.id !== expected.bookings[i]!.id || b.status !== expected.bookings[i]!.status || !same(b.start, expected.bookings[i]!.start))) {
    problems.push("the customer's bookings");
  }
  if (problems.length > 0) {
    throw new PromptFormatError(
      `the chaos model reads ${problems.join(', ')} wrongly from the system prompt: its format (src/domain/agent/system-prompt.ts) ` +
        'has changed; update src/cli/chaos/prompt-context.ts to match',
    );
  }
}
