import { Duration } from 'luxon';
import type { SlotView, WaitlistView } from '../../tools';
import { appointment, clockTime, day, duration, localClock, providerName, say, serviceName, type RenderOptions } from './format';

/**
 * The waitlist's words, English and Spanish. Every fact (the slot, until when it is held, what the customer waits
 * for) comes from the ledger's answer: the entry as stored, the hold as inserted.
 */

/** "a haircut on Thu 26 Nov between 2:00 PM and 4:00 PM (with Alex)": what an entry waits for. */
export function waitedFor(entry: Pick<WaitlistView, 'service' | 'provider' | 'dateFrom' | 'dateTo' | 'window'>, opts: RenderOptions): string {
  const service = serviceName(entry.service, opts).toLowerCase();
  const days =
    entry.dateFrom === entry.dateTo
      ? say(opts, `on ${day(entry.dateFrom, opts)}`, `el ${day(entry.dateFrom, opts)}`)
      : say(opts, `from ${day(entry.dateFrom, opts)} to ${day(entry.dateTo, opts)}`, `del ${day(entry.dateFrom, opts)} al ${day(entry.dateTo, opts)}`);
  const window = !entry.window
    ? ''
    : entry.window.start === entry.window.end
      ? say(opts, ` at ${localClock(entry.window.start, opts)}`, ` a las ${localClock(entry.window.start, opts)}`)
      : say(
          opts,
          ` between ${localClock(entry.window.start, opts)} and ${localClock(entry.window.end, opts)}`,
          ` entre las ${localClock(entry.window.start, opts)} y las ${localClock(entry.window.end, opts)}`,
        );
  const who = entry.provider ? say(opts, ` with ${providerName(entry.provider, opts)}`, ` con ${providerName(entry.provider, opts)}`) : '';
  return say(opts, `a ${service}${who} ${days}${window}`, `${service}${who} ${days}${window}`);
}

/** Appended to an availability answer that leaves the asked day or window full. */
export function waitlistInvitation(_data: null, opts: RenderOptions): string {
  return say(
    opts,
    'That time is full. Would you like me to put you on the waitlist for it? If it frees up, I will hold it for you and message you.',
    'Esa hora está completa. ¿Quieres que te apunte en la lista de espera? Si se libera, te la guardo y te aviso.',
  );
}

/** The customer joined (the ledger's entry). */
export function joinedWaitlist(entry: WaitlistView, opts: RenderOptions): string {
  return say(
    opts,
    `You're on the waitlist for ${waitedFor(entry, opts)}. If a time frees up, I'll hold it for you and message you; first to say yes gets it.`,
    `Estás en la lista de espera para ${waitedFor(entry, opts)}. Si se libera una hora, te la guardo y te aviso; se la queda quien conteste primero.`,
  );
}

/** A freed slot, held for this customer until `expiresAt`. */
export function waitlistOffer(data: { slot: SlotView; expiresAt: string; ttlSeconds: number }, opts: RenderOptions): string {
  const ttl = duration(Duration.fromObject({ seconds: data.ttlSeconds }), opts);
  return say(
    opts,
    `Good news from ${opts.business.name}: a time on your waitlist has opened up: ${appointment(data.slot, opts)}. It's held for you until ${clockTime(data.expiresAt, opts)} (${ttl}). Reply YES to book it, or NO to let it go.`,
    `Buenas noticias de ${opts.business.name}: se ha liberado una hora de tu lista de espera: ${appointment(data.slot, opts)}. Te la guardo hasta las ${clockTime(data.expiresAt, opts)} (${ttl}). Responde SÍ para reservarla o NO para dejarla.`,
  );
}

/** The offer's hold ended without an answer: it passes to the next customer; this one keeps waiting. */
export function waitlistOfferLapsed(data: { slot: SlotView }, opts: RenderOptions): string {
  return say(
    opts,
    `The hold on ${appointment(data.slot, opts)} has ended, so I've offered it to the next person on the waitlist. You're still on the waitlist.`,
    `La reserva provisional de ${appointment(data.slot, opts)} ha terminado y se la he ofrecido a la siguiente persona de la lista. Sigues en la lista de espera.`,
  );
}

/** Someone else took a slot this customer was offered. */
export function waitlistSlotGone(data: { slot: SlotView }, opts: RenderOptions): string {
  return say(
    opts,
    `Sorry, ${appointment(data.slot, opts)} has been taken by someone else. You're still on the waitlist.`,
    `Lo siento, otra persona ha reservado ${appointment(data.slot, opts)}. Sigues en la lista de espera.`,
  );
}

/** The range passed with nothing freed. */
export function waitlistExpired(entry: WaitlistView, opts: RenderOptions): string {
  return say(
    opts,
    `Your waitlist for ${waitedFor(entry, opts)} has ended without a free time, sorry. Message us whenever you'd like to book another day.`,
    `Tu lista de espera para ${waitedFor(entry, opts)} ha terminado sin horas libres, lo siento. Escríbenos cuando quieras reservar otro día.`,
  );
}
